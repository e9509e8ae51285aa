"""The vision panel in a real browser: the board member opens the plan's overview, reads each
area's list history as a timeline (2018-2020), reaches every timeline with the Tab key, and
reads the status in words and symbols: with colour taken away (forced colours)
the text says the same."""

from __future__ import annotations

from typing import Any

import pytest

from helhedsplan.accounts.models import Role
from tests import factories
from tests.browser.conftest import screenshot
from tests.lists.vision_builders import listed_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_board_reads_each_areas_list_history_by_keyboard(live_server: Any, page: Any) -> None:
    plan = listed_plan()
    factories.user_named(plan, "bestyrelse-vision", Role.BOARD).save()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill("bestyrelse-vision")
    page.get_by_label("Adgangskode").fill("x")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}{plan.get_absolute_url()}")

    panel = page.get_by_test_id("vision-panel")
    panel.wait_for(state="visible")
    assert panel.get_by_role("heading", name="Visionen: ingen boligområder på listen efter 2025")
    assert "politiets liste" in panel.inner_text()
    nord = panel.get_by_role("region", name="Listehistorik for Nordparken")
    syd = panel.get_by_role("region", name="Listehistorik for Sydparken")
    # An ordered list per area, one item per list year from the first with data.
    assert nord.locator("ol > li").all_inner_texts()[0].startswith("2018")
    assert [li.get_attribute("data-year") for li in syd.locator("ol > li").all()] == [
        "2018", "2019", "2020",
    ]  # fmt: skip

    # Tab walks to each timeline (a focusable region that scrolls sideways).
    panel.get_by_role("heading", name="Nordparken", exact=True).click()
    reached = []
    for _step in range(20):
        page.keyboard.press("Tab")
        label = page.evaluate("document.activeElement.getAttribute('aria-label')")
        if label and label.startswith("Listehistorik"):
            reached.append(label)
        if len(reached) == 2:
            break
    assert reached == ["Listehistorik for Nordparken", "Listehistorik for Sydparken"]
    page.keyboard.press("ArrowRight")  # a focused region scrolls with the arrow keys

    # Without colour the words carry the status: the same text in forced colours.
    page.emulate_media(forced_colors="active")
    syd_items = syd.locator("ol > li").all_inner_texts()
    assert "På listen" in syd_items[0] and "Udsat boligområde" in syd_items[0]
    assert "Ikke på listen" in syd_items[1]
    assert "Kan ikke afgøres" in syd_items[2] and "doemte_landsgennemsnit_pct" in syd_items[2]
    nord_area = panel.locator("[data-area=nord]")
    assert "Status 2020: ▲ På listen: Udsat boligområde" in nord_area.inner_text()
    assert "Ikke på vej mod visionen endnu" in nord_area.inner_text()
    assert "Det holder området på listen" in nord_area.inner_text()
    assert "6 lister tilbage til og med listen for 2026" in panel.inner_text()
    screenshot(page, "vision-panel")
