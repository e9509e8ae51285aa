"""The strict Content-Security-Policy breaks nothing: no page reports a violation.

Chromium reports every blocked inline script, style or eval on the console; the test
walks the main pages (charts, the org chart, the audit trail, htmx's history panel, the
year picker) and fails on any such report.
About the seed's content: uses the demo.
"""

from __future__ import annotations

from typing import Any

import pytest

from helhedsplan.plans.models import Plan

# The demo users log in with their password and walk the seed's plan: uses the demo.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.demo]

PAGES = [
    "",
    "indsatsomraader/5.2/",
    "succeskriterier/",
    "succeskriterier/5.2.2/",
    "organisation/diagram/",
    "leverancemaaling/",
    "revisionsspor/",
    "aftale/",
    "aftale/sammenlign/",
    "bilag/",
    "organisation/",
    "moeder/",
    "aktiviteter/",
    "milepaele/",
]


def test_no_page_violates_the_policy(live_server: Any, page: Any, plan: Plan) -> None:
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "sekretariat")
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}{plan.get_absolute_url()}")
    for path in PAGES:
        response = page.goto(f"{live_server.url}{plan.get_absolute_url()}{path}")
        assert response is not None and response.status == 200, path
        assert "default-src 'self'" in (response.headers.get("content-security-policy") or "")
    # htmx still works: the history panel loads its entries when opened.
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.locator("details.history summary").first.click()
    page.locator(".history-body table.audit, .history-body p.muted").first.wait_for()
    # The year picker submits on change without an inline handler.
    page.goto(f"{live_server.url}{plan.get_absolute_url()}leverancemaaling/")
    page.select_option("select[name=aar]", "2018")
    page.wait_for_url("**aar=2018")
    assert not violations, violations
