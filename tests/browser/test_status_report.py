from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document as DocxDocument

from helhedsplan.plans.models import Plan
from helhedsplan.statusreports.models import StatusReport
from tests.browser.conftest import screenshot

# The demo's secretariat issues the seed plan's 2018 H2 report: uses the demo.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.demo]


def test_secretariat_writes_issues_and_downloads_the_2018_h2_report(
    live_server: Any, page: Any, plan: Plan
) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "sekretariat")
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_role("link", name="Statusrapporter").click()
    page.get_by_label("Periode", exact=True).select_option(label="2018, 2. halvår")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_url("**/statusrapporter/*/")
    assert "KLADDE" in page.locator(".page-head h1").inner_text()
    page.locator("[data-testid=narrative] textarea").first.fill("Et roligt halvår i områderne.")
    page.get_by_role("button", name="Gem beretningen").click()
    page.wait_for_selector("text=Beretningen er gemt.")
    page.get_by_role("button", name="Udsend", exact=True).click()
    assert "fryses tallene" in page.locator("[data-testid=issue-confirm]").inner_text()
    page.get_by_role("button", name="Udsend og lås perioden").click()
    page.wait_for_selector("text=Statusrapporten er udsendt, og tallene er låst.")
    report = StatusReport.objects.get(plan=plan, period_start="2018-07-01")
    assert (report.state, report.version) == ("issued", 1)
    document = page.locator("[data-testid=report-document]").inner_text()
    assert "Et roligt halvår i områderne." in document and "Succeskriterier 2018" in document
    screenshot(page, "status-report-2018-h2")
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Hent PDF").click()
    assert pdf.value.path().read_bytes().startswith(b"%PDF")
    with page.expect_download() as docx:
        page.get_by_role("link", name="Hent DOCX").click()
    text = "\n".join(
        p.text for p in DocxDocument(io.BytesIO(docx.value.path().read_bytes())).paragraphs
    )
    assert "Et roligt halvår i områderne." in text and "Version 1" in text
