from __future__ import annotations

from typing import Any

import pytest

from helhedsplan.plans.models import Plan
from tests.browser.conftest import screenshot

# The demo users log in with their password and walk the seed's plan: uses the demo.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.demo]


def test_board_member_sees_the_organisation_all_green_and_its_chart(
    live_server: Any, page: Any, plan: Plan
) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "bestyrelse")
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_role("link", name="Organisation", exact=True).click()
    panel = page.get_by_test_id("compliance")
    assert panel.is_visible()
    assert panel.locator(".badge.ok").count() == plan.composition_rules.count()  # type: ignore[attr-defined]
    assert panel.locator(".badge.bad, .badge.warn").count() == 0
    screenshot(page, "organisation")
    page.get_by_role("link", name="Organisationsdiagram").first.click()
    chart = page.get_by_test_id("orgchart").locator("svg")
    # The click starts a navigation; on a loaded machine the old page is still showing.
    chart.wait_for(state="visible")
    assert chart.is_visible()
    assert chart.locator("g.body").count() == 13
    screenshot(page, "organisation-chart")
