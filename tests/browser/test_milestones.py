"""The milestone plan in a real browser: the secretariat adds a milestone with the labelled
form, sees it in the chart and the table, is refused a date outside the period, and marks it
reached (the chart then shows it reached: a check mark, not colour alone)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from helhedsplan.accounts.models import Role
from helhedsplan.milestones.models import Milestone
from tests import factories
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_plans_and_reaches_a_milestone(live_server: Any, page: Any) -> None:
    plan = factories.small_plan()
    factories.user_named(plan, "sekr-milepael", Role.SECRETARIAT).save()
    factories.MilestoneFactory(plan=plan, title="1. helhedsevaluering", due_on=date(2019, 1, 31))
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Brugernavn").fill("sekr-milepael")
    page.get_by_label("Adgangskode").fill("x")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_role("link", name="Milepælsplan", exact=True).click()
    chart = page.get_by_test_id("milestone-chart").locator("svg")
    chart.wait_for(state="visible")
    assert chart.locator("g.row").count() == 1

    form = page.get_by_test_id("milestone-create")
    form.get_by_label("Milepæl", exact=True).fill("Beslutning om 5.4 i Sydbyen og Skælskør")
    form.get_by_label("Type").select_option("decision")
    form.get_by_label("Dato", exact=True).fill("2022-02-01")
    form.get_by_label("Ansvarlig").fill("Bestyrelsen")
    form.get_by_label("Hvornår er den nået").fill("Bestyrelsen har taget stilling.")
    form.get_by_role("button", name="Gem").click()
    summary = page.locator(".error-summary")
    summary.wait_for(state="visible")
    assert "uden for planperioden" in summary.inner_text()
    assert not Milestone.objects.filter(plan=plan, owner="Bestyrelsen").exists()

    form = page.get_by_test_id("milestone-create")
    form.get_by_label("Dato", exact=True).fill("2018-12-31")
    form.get_by_label("Påbegyndes").fill("2018-10-01")
    form.get_by_role("button", name="Gem").click()
    page.get_by_text("Milepælen er tilføjet.").wait_for()
    chart = page.get_by_test_id("milestone-chart").locator("svg")
    assert chart.locator("g.row").count() == 2
    assert chart.locator("g.row rect.bar").count() == 1
    table = page.get_by_test_id("milestones")
    assert table.locator("tbody tr").first.inner_text().startswith("1. oktober 2018")

    page.get_by_role("link", name=re.compile(r"^Markér nået\W+Beslutning om 5\.4")).click()
    page.get_by_label("Nået den").fill("2018-12-10")
    page.get_by_role("button", name="Gem").click()
    page.get_by_text("Milepælen er markeret som nået.").wait_for()
    done = page.get_by_test_id("milestone-chart").locator("g.row.done")
    assert done.count() == 1 and "✓" in (done.text_content() or "")
    screenshot(page, "milestones")
