from __future__ import annotations

from typing import Any

import pytest

from helhedsplan.plans.models import Plan
from tests.browser.conftest import screenshot

# The demo users log in with their password and walk the seed's plan: uses the demo.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.demo]


def test_secretariat_logs_in_and_sees_the_plan_with_its_four_areas(
    live_server: Any, page: Any, plan: Plan
) -> None:
    page.goto(f"{live_server.url}/login/")
    assert page.get_by_role("heading", name="Demo-logins").is_visible()
    page.fill("input[name=username]", "sekretariat")
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}{plan.get_absolute_url()}")
    assert page.get_by_role("heading", name=plan.name, level=1).is_visible()
    areas = page.locator("[data-testid=areas] article h3").all_inner_texts()
    assert areas == ["Motalavej", "Ringparken og Schackenborgvænge", "Sydbyen", "Skælskør"]
    funding = page.locator("[data-testid=funding]").inner_text()
    assert "44.450" in funding and "43,8" in funding
    screenshot(page, "overview-sekretariat")


def test_history_panel_loads_through_htmx(live_server: Any, page: Any, plan: Plan) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "revisor")
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}{plan.get_absolute_url()}")
    page.click("details.history summary")
    page.wait_for_selector("details.history table.audit, details.history p.muted")
    assert (
        "Boligsocial helhedsplan i Slagelse Kommune" in page.locator("details.history").inner_text()
    )


def test_wrong_password_shows_danish_message(live_server: Any, page: Any, plan: Plan) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "sekretariat")
    page.fill("input[name=password]", "forkert")
    page.get_by_role("button", name="Log ind").click()
    assert (
        "Indtast venligst korrekt brugernavn og adgangskode" in page.locator(".error").inner_text()
    )
