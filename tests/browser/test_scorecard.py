from __future__ import annotations

from typing import Any

import pytest

from helhedsplan.plans.models import Plan
from tests.browser.conftest import screenshot

# The demo users log in with their password and walk the seed's plan: uses the demo.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.demo]


def test_board_member_reads_the_scorecard_and_opens_a_criterion(
    live_server: Any, page: Any, plan: Plan
) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "bestyrelse")
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_role("link", name="Succeskriterier", exact=True).click()
    page.select_option("select[name=aar]", "2016")
    page.get_by_role("button", name="Vis").click()
    page.wait_for_url("**aar=2016**")
    arson = page.locator("[data-code='5.2.3']")
    assert "28" in arson.locator("[data-col=total]").inner_text()
    assert "Ikke opfyldt" in arson.inner_text()
    assert "modstrid i aftalen" in arson.inner_text()
    screenshot(page, "scorecard-2016")
    page.get_by_role("link", name="5.2.2 Kriminalretlige afgørelser pr. 1000 beboere").click()
    assert page.get_by_role("heading", name="Mål").is_visible()
    assert page.locator("figure.chart-card svg").count() >= 4
    assert "Under 28 eller under 30" in page.locator("aside.contradiction").inner_text()
    screenshot(page, "criterion-5.2.2")
