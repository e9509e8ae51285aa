from __future__ import annotations

from typing import Any

import pytest

from helhedsplan.plans.models import Plan
from tests.browser.conftest import screenshot

# The demo users log in with their password and walk the seed's plan: uses the demo.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.demo]


def _login(page: Any, live_server: Any, plan: Plan, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}{plan.get_absolute_url()}")


def test_coordinator_registers_and_sees_the_delivery_page(
    live_server: Any, page: Any, plan: Plan
) -> None:
    _login(page, live_server, plan, "koordinator")
    page.get_by_role("link", name="Leverancemåling").first.click()
    # It opens on the latest year with registrations (the demo's are from 2018).
    page.get_by_role("heading", name="Leverancemåling 2018").wait_for()
    assert page.locator("select[name=aar]").input_value() == "2018"
    assert page.locator("svg.chart").is_visible()
    assert "Demonstrationsdata – ikke fra aftalen" in page.locator("main").inner_text()
    screenshot(page, "leverancemaaling-2018")

    page.get_by_role("link", name="Ny registrering").first.click()
    page.select_option("select[name=activity]", label="5.2 · Tryghedsvandringer")
    # Sydbyen is not the demo coordinator's area: not offered (the service refuses it too).
    areas = page.locator("select[name=area] option").all_inner_texts()
    assert "Motalavej" in areas and "Sydbyen" not in areas
    page.fill("input[name=date]", "2019-05-14")
    page.fill("input[name=n_25_64_f]", "3")
    page.select_option("select[name=area]", label="Motalavej")
    page.get_by_role("button", name="Gem").click()
    assert "Registreringen er gemt" in page.locator(".messages").inner_text()
    screenshot(page, "registrering-koordinator")
