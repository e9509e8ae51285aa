from __future__ import annotations

from typing import Any

import pytest

from helhedsplan.agreements.models import AgreementVersion, VersionStatus
from helhedsplan.plans.models import Plan
from tests.browser.conftest import screenshot

# The demo users log in with their password and walk the seed's plan: uses the demo.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.demo]


def test_lbf_approves_version_2_in_the_browser(live_server: Any, page: Any, plan: Plan) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "lbf")
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("link", name="Aftale", exact=True).click()
    assert "Version 1" in page.locator("[data-testid=in-force]").inner_text()
    page.get_by_role("link", name="Version 2").first.click()
    page.get_by_label("Godkend").check()
    page.fill("input[name=in_force_from]", "2020-01-01")
    page.get_by_role("button", name="Registrér afgørelse").click()
    page.wait_for_selector(".messages")
    assert "Afgørelsen er registreret." in page.locator(".messages").inner_text()
    screenshot(page, "agreement-v2-approved")
    assert AgreementVersion.objects.get(plan=plan, number=2).status == VersionStatus.APPROVED
