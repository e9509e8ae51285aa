"""The auditor filters the trail with the keyboard alone and downloads what is shown."""

from __future__ import annotations

from typing import Any

import pytest
from auditlog.context import set_actor

from helhedsplan.accounts.models import Role
from tests import factories
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABELS = ["Fra dato", "Til dato", "Bruger", "Objekttype", "Hændelse", "Indsatsområde", "Søg"]


def test_the_auditor_filters_the_trail_by_keyboard(live_server: Any, page: Any) -> None:
    plan = factories.small_plan()
    factories.user_named(plan, "revisor-spor", Role.AUDITOR)
    secretary = factories.user_named(plan, "sekr-spor", Role.SECRETARIAT)
    focus_area = plan.focus_areas.get()
    with set_actor(secretary):
        activity = factories.ActivityFactory(plan=plan, focus_area=focus_area, name="Lektiecafé")
        activity.name = "Lektiecafé for unge"
        activity.save()
        factories.MeetingFactory(plan=plan, title="Bestyrelsesmøde i foråret")
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill("revisor-spor")
    page.get_by_label("Adgangskode").fill("x")
    page.get_by_role("button", name="Log ind").click()
    page.goto(f"{live_server.url}/planer/{plan.slug}/revisionsspor/")

    form = page.get_by_test_id("audit-filters")
    # Every filter has its label, and Tab walks through them in the order shown (a date
    # field takes a Tab per part: day, month, year).
    page.get_by_label("Fra dato").focus()
    focused = page.evaluate("document.activeElement.id")
    for label in LABELS[1:]:
        previous = focused
        for _part in range(4):
            page.keyboard.press("Tab")
            focused = page.evaluate("document.activeElement.id")
            if focused != previous:
                break
        assert page.locator(f"label[for={focused}]").inner_text() == label
    # Choose the event "Ændret" with the arrow keys, type a search word, submit with Enter.
    page.get_by_label("Hændelse").focus()
    while page.get_by_label("Hændelse").input_value() != "update":
        page.keyboard.press("ArrowDown")
    page.get_by_label("Søg").focus()
    page.keyboard.type("unge")
    page.keyboard.press("Enter")
    page.wait_for_url("**haendelse=update**")

    assert "1 post med de valgte filtre" in page.get_by_test_id("audit-count").inner_text()
    table = page.locator("table.audit")
    assert "Lektiecafé for unge" in table.inner_text()
    assert "Bestyrelsesmøde i foråret" not in table.inner_text()
    assert "Ændret" in table.inner_text() and "None" not in table.inner_text()
    assert form.get_by_label("Søg").input_value() == "unge"
    download = page.get_by_role("link", name="Hent som XLSX")
    href = download.get_attribute("href") or ""
    assert "haendelse=update" in href and "soeg=unge" in href
    screenshot(page, "audit-trail-filtered")
    page.get_by_role("link", name="Nulstil").click()
    page.wait_for_url(f"**/planer/{plan.slug}/revisionsspor/")
    assert "Bestyrelsesmøde i foråret" in page.locator("table.audit").inner_text()
