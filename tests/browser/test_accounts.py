"""The accounts page in a real browser: the secretariat registers 2018's spending (Danish
amounts), sees the variance and the local share's warning, approves the year with the
auditor's statement and corrects it with a reason. A factory plan: the demo has no budget."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests import factories as f
from tests.browser.conftest import screenshot
from tests.files.samples import pdf_bytes
from tests.spending.conftest import make_money

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Regnskab-sekretariat-19"


def test_secretariat_registers_closes_and_corrects_2018(
    live_server: Any, page: Any, tmp_path: Path
) -> None:
    plan = f.small_plan(name="Regnskabsplan", slug="regnskab")
    make_money(plan)
    user = f.persona(plan, "secretariat")
    user.set_password(PASSWORD)
    user.save()

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill(user.username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}{plan.get_absolute_url()}")

    page.get_by_role("link", name="Regnskab", exact=True).first.click()
    page.get_by_role("heading", name="Regnskab 2018").wait_for()
    page.get_by_role("link", name="Registrér forbrug").click()
    page.get_by_label("Projektleder, Landsbyggefonden").fill("330.000,50")
    page.get_by_label("Projektleder, Kommunen").fill("10.000")
    page.get_by_role("button", name="Gem forbruget").click()
    assert "Forbruget for 2018 er gemt" in page.locator(".messages").inner_text()
    table = page.locator("[data-testid=accounts]").inner_text()
    # Projektleder: budget 400.000, spent 340.000,50: 59.999,50 under (-15,0 %).
    assert "340.000,50" in table and "-59.999,50" in table and "-15,0" in table
    warning = page.locator("[data-testid=local-share-warning]")
    assert "under 25" in warning.inner_text()
    screenshot(page, "regnskab-2018")

    page.get_by_role("link", name="Godkend regnskabet").click()
    statement = tmp_path / "revisorerklaering.pdf"
    statement.write_bytes(pdf_bytes("Revisors erklæring 2018"))
    page.get_by_label("Revisors erklæring (PDF)").set_input_files(str(statement))
    page.get_by_label("Jeg godkender regnskabet").check()
    page.get_by_role("button", name="Godkend regnskabet").click()
    state = page.locator("[data-testid=accounts-state]").inner_text()
    assert "Godkendt" in state and "revisorerklaering.pdf" in state
    assert page.get_by_role("link", name="Registrér forbrug").count() == 0

    page.get_by_role("link", name="Tilføj rettelse").click()
    page.get_by_label("Budgetpost").select_option(label="Projektleder")
    page.get_by_label("Finansieringskilde").select_option(label="Kommunen")
    page.get_by_label("Rettelse (kr.)").fill("-2.500")
    page.get_by_label("Begrundelse").fill("Faktura bogført to gange")
    page.get_by_role("button", name="Gem rettelsen").click()
    assert "Rettelsen er gemt" in page.locator(".messages").inner_text()
    corrections = page.locator("[data-testid=corrections]").inner_text()
    assert "Faktura bogført to gange" in corrections and "-2.500" in corrections
    screenshot(page, "regnskab-2018-godkendt")
