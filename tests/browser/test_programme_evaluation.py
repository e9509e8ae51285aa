"""The programme evaluation's page in a real browser: the secretariat opens the seed's first
evaluation from the menu, is refused a report that is not PDF/DOCX (in Danish, nothing
stored), uploads the PDF, records a finding, links the board's decision to it and downloads
the report."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from helhedsplan.files.models import StoredFile
from helhedsplan.meetings.services import decision_create
from helhedsplan.plans.models import Plan
from helhedsplan.programmeevaluations.models import FindingFollowUp, ProgrammeEvaluation
from tests.browser.conftest import screenshot
from tests.files.samples import pdf_bytes
from tests.meetings.factories import board_meeting

# The seed's first programme evaluation: uses the demo.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.demo]


def test_secretariat_uploads_the_report_records_a_finding_and_links_the_boards_decision(
    live_server: Any, page: Any, plan: Plan, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    decision = decision_create(
        meeting=board_meeting(plan, date(2019, 5, 1)),
        text="Bestyrelsen udvider lektiecaféerne til Skælskør.",
    )
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "sekretariat")
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_role("navigation", name="Planens menu").get_by_role(
        "link", name="Helhedsevaluering"
    ).click()
    page.get_by_role(
        "link", name="Helhedsevaluering af den boligsociale indsats (1. evaluering)"
    ).click()
    page.wait_for_url("**/helhedsevaluering/*/")
    assert (
        "ultimo 2018 eller primo 2019"
        in page.locator("[data-testid=evaluation-facts]").inner_text()
    )
    assert page.locator("[data-testid=question]").count() == 3

    page.locator("#id_report_file").set_input_files(
        files=[{"name": "rapport.pdf", "mimeType": "application/pdf", "buffer": b"Kun tekst."}]
    )
    page.get_by_label("Rapport modtaget den").fill("2019-03-01")
    page.get_by_role("button", name="Upload rapporten").click()
    page.wait_for_selector("text=er ikke en tilladt filtype")
    assert "Intet er gemt" in page.locator(".error").first.inner_text()
    assert not StoredFile.objects.filter(plan=plan, original_name="rapport.pdf").exists()

    page.locator("#id_report_file").set_input_files(
        files=[
            {"name": "rapport.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Rapport")}
        ]
    )
    page.get_by_label("Rapport modtaget den").fill("2019-03-01")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_selector("text=Evalueringsrapporten er gemt.")
    assert page.locator("[data-state]").first.get_attribute("data-state") == "report_received"

    page.get_by_label("Resultat", exact=True).fill("Lektiecaféerne virker i alle fire områder.")
    page.get_by_role("button", name="Tilføj resultat").click()
    page.wait_for_selector("text=Resultatet er tilføjet.")
    page.get_by_label("Knyt en beslutning fra bestyrelsen").select_option(str(decision.pk))
    page.get_by_role("button", name="Knyt beslutningen").click()
    page.wait_for_selector("text=Beslutningen er knyttet til resultatet.")
    follow_up = page.locator("[data-testid=follow-up]").inner_text()
    assert "lektiecaféerne til Skælskør" in follow_up and "1. maj 2019" in follow_up
    assert page.locator("[data-state]").first.get_attribute("data-state") == "followed_up"
    assert FindingFollowUp.objects.get().decision == decision
    screenshot(page, "programme-evaluation-1")

    with page.expect_download() as download:
        page.get_by_test_id("report-link").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    evaluation = ProgrammeEvaluation.objects.get(plan=plan, number=1)
    assert evaluation.report_received_on == date(2019, 3, 1)
