"""The secretariat enters a budget by year and line with the keyboard, reads the totals and
the per-year warning, and meets a refusal that names the cell."""

from __future__ import annotations

from typing import Any

import pytest

from helhedsplan.accounts.models import Role
from tests import factories
from tests.browser.conftest import screenshot
from tests.finance.budget_helpers import budget_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_enters_a_budget_by_keyboard(live_server: Any, page: Any) -> None:
    b = budget_plan()
    factories.user_named(b.plan, "sekr-budget", Role.SECRETARIAT).save()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill("sekr-budget")
    page.get_by_label("Adgangskode").fill("x")
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("link", name="Budget", exact=True).first.click()
    main = page.locator("main")
    assert "fordelingen på år og budgetposter er ikke indtastet" in main.inner_text()

    page.get_by_role("link", name="Ret beløbene").click()
    first = page.get_by_label("Løn: koordinator, 2018, Landsbyggefonden")
    first.fill("-5")
    first.press("Enter")  # submits the form
    alert = page.locator(".error-summary")
    assert "Løn: koordinator, 2018, Landsbyggefonden: beløbet må ikke være negativt." in (
        alert.inner_text()
    )
    first = page.get_by_label("Løn: koordinator, 2018, Landsbyggefonden")
    first.fill("750.000")
    first.press("Tab")  # the next year of the same line
    page.keyboard.type("300.000,50")
    assert page.get_by_label("Løn: koordinator, 2019, Landsbyggefonden").input_value() == (
        "300.000,50"
    )
    page.get_by_label("Løn: koordinator, 2018, Kommunen").fill("350.000")
    page.get_by_label("Aktiviteter 5.1, 2019, Kommunen").fill("1250,5")
    page.get_by_role("button", name="Gem budgettet").click()

    assert "Budgettet er gemt: 4 nye" in page.locator(".messages").inner_text()
    text = main.inner_text()
    assert "1.401.251,00" in text  # the whole period
    assert "Advarsel: under 25 % i 2019" in text
    assert "Budgettet fordeler 1.050.000,50 kr. af Landsbyggefondens 3.000\u00a0t.kr." in text
    screenshot(page, "budget")
