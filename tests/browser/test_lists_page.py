"""The list page in a real browser: Landsbyggefonden's user opens "Listerne" from the plan
menu, reads an area on the list with its criteria, distances and what keeps it there, and
picks an earlier list year, where the missing national figure is named."""

from __future__ import annotations

from typing import Any

import pytest

from helhedsplan.accounts.models import Role
from tests import factories
from tests.browser.conftest import screenshot
from tests.lists import scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_lbf_reads_the_list_status(live_server: Any, page: Any) -> None:
    plan = factories.small_plan()
    for year in (2018, 2019):
        scenario.values(plan.areas.get(slug="syd"), year, scenario.ON_LIST)
        scenario.values(plan.areas.get(slug="nord"), year, scenario.OFF_LIST)
    scenario.threshold(2019)
    factories.user_named(plan, "lbf-lister", Role.LBF).save()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill("lbf-lister")
    page.get_by_label("Adgangskode").fill("x")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_role("link", name="Listerne", exact=True).click()
    page.get_by_role("heading", name="Listeåret 2019").wait_for()
    syd = page.get_by_test_id("area-syd")
    assert "Udsat boligområde og ghettoområde" in syd.get_by_test_id("summary").inner_text()
    outside = syd.get_by_test_id("category-udsat").get_by_role("row").nth(1)
    assert "41,2" in outside.inner_text() and "opfyldt" in outside.inner_text()
    assert "12 beboere færre" in syd.get_by_test_id("distances").inner_text()
    assert "Området forlader listen" in syd.get_by_test_id("keeps").inner_text()
    assert "På ingen liste" in page.get_by_test_id("area-nord").inner_text()
    screenshot(page, "lists-2019")
    page.get_by_test_id("years").get_by_role("link", name="2018").click()
    page.get_by_role("heading", name="Listeåret 2018").wait_for()
    missing = page.get_by_test_id("area-syd").get_by_test_id("missing")
    assert "landsgennemsnittet for dømte mangler for listeåret 2018" in missing.inner_text()
