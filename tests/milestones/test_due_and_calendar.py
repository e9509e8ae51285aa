"""The milestones in "Det skal gøres" (the secretariat's, from 30 days before their date)
and in the calendar feed (for those who may read the milestone plan: not LBF)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from helhedsplan.accounts.access import get_plan_access
from helhedsplan.accounts.models import Role, User
from helhedsplan.duties.items import Urgency
from helhedsplan.duties.lists import SOURCES, all_items, due_items
from helhedsplan.lib import ical
from helhedsplan.milestones.due import KIND, NOTICE_DAYS
from helhedsplan.notifications.services import calendar_feed_create
from helhedsplan.plans.models import Plan
from tests import factories


def _items(plan: Plan, role: str, today: date) -> list:  # type: ignore[type-arg]
    access = get_plan_access(factories.persona(plan, role), plan.slug)
    return [i for i in all_items(access, today) if i.kind == KIND]


def test_the_source_is_registered_by_the_apps_config() -> None:
    assert KIND in SOURCES


def test_a_milestone_not_reached_is_due_from_30_days_before_its_date(plan: Plan) -> None:
    milestone = factories.MilestoneFactory(plan=plan, title="Beslutning", due_on=date(2018, 12, 31))
    factories.MilestoneFactory(plan=plan, done_on=date(2018, 6, 1))
    (item,) = _items(plan, "secretariat", date(2018, 6, 1))
    assert item.key == f"milestone:{milestone.pk}"
    assert item.deadline == date(2018, 12, 31)
    assert (item.deadline - item.due_from).days == NOTICE_DAYS == 30
    assert item.url.endswith(f"/planer/{plan.slug}/milepaele/#milepael-{milestone.pk}")
    assert "Beslutning" in item.title and "Sekretariatet" in item.detail
    assert item.urgency(date(2018, 11, 30)) is Urgency.UPCOMING
    assert item.urgency(date(2018, 12, 1)) is Urgency.DUE
    assert item.urgency(date(2019, 1, 1)) is Urgency.OVERDUE
    access = get_plan_access(factories.persona(plan, "secretariat"), plan.slug)
    assert [i.key for i in due_items(access, date(2018, 12, 1)) if i.kind == KIND] == [item.key]


def test_a_start_date_brings_it_on_the_list_earlier(plan: Plan) -> None:
    factories.MilestoneFactory(plan=plan, starts_on=date(2018, 10, 1), due_on=date(2019, 1, 31))
    (item,) = _items(plan, "secretariat", date(2018, 6, 1))
    assert item.due_from == date(2018, 10, 1)


def test_only_the_secretariat_has_it_on_its_list(plan: Plan) -> None:
    factories.MilestoneFactory(plan=plan)
    for role in ("coordinator", "municipal", "board", "lbf", "auditor"):
        assert _items(plan, role, date(2018, 12, 31)) == [], role


def test_the_sources_queries_do_not_grow(plan: Plan) -> None:
    access = get_plan_access(factories.persona(plan, "secretariat"), plan.slug)
    factories.MilestoneFactory(plan=plan)
    with CaptureQueriesContext(connection) as few:
        SOURCES[KIND](access, date(2018, 12, 31))
    for _i in range(5):
        factories.MilestoneFactory(plan=plan)
    with CaptureQueriesContext(connection) as more:
        SOURCES[KIND](access, date(2018, 12, 31))
    assert len(more) == len(few) == 1


def _feed(user: User) -> list[dict[str, str]]:
    token = calendar_feed_create(user=user)
    return ical.parse_events(Client().get(f"/kalender/{token}.ics").content.decode())


def test_the_feed_has_the_milestones_as_all_day_events_with_stable_uids(
    plan: Plan, persona: Callable[[str], User], settings: object
) -> None:
    settings.SITE_URL = "https://helhedsplan.example.dk"  # type: ignore[attr-defined]
    milestone = factories.MilestoneFactory(
        plan=plan,
        title="2. helhedsevaluering",
        due_on=date(2021, 12, 31),
        timing_text="ultimo 2021",
    )
    for role in ("secretariat", "board", "auditor", "coordinator"):
        events = [e for e in _feed(persona(role)) if e["UID"].startswith("milestone-")]
        (event,) = events
        assert event["UID"] == f"milestone-{milestone.pk}@helhedsplan.example.dk"
        assert event["DTSTART;VALUE=DATE"] == "20211231"
        assert event["DTEND;VALUE=DATE"] == "20220101"
        assert event["SUMMARY"] == "Milepæl: 2. helhedsevaluering"
        assert "ultimo 2021" in event["DESCRIPTION"]
        assert event["URL"].endswith(f"/milepaele/#milepael-{milestone.pk}")
    # The secretariat's duty for it is the same event, not a second one.
    summaries = [e["SUMMARY"] for e in _feed(persona("secretariat"))]
    assert not any("Frist: Milepæl" in s for s in summaries)


def test_lbf_gets_no_milestones(plan: Plan, persona: Callable[[str], User]) -> None:
    factories.MilestoneFactory(plan=plan)
    assert not any(e["UID"].startswith("milestone-") for e in _feed(persona(Role.LBF)))


def test_a_reached_milestone_says_so_and_the_feed_does_not_grow_in_queries(
    plan: Plan, persona: Callable[[str], User]
) -> None:
    factories.MilestoneFactory(plan=plan, done_on=date(2018, 12, 10))
    user = persona("board")
    (event,) = [e for e in _feed(user) if e["UID"].startswith("milestone-")]
    assert "(nået 10. december 2018)" in event["SUMMARY"]
    token = calendar_feed_create(user=user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            Client().get(f"/kalender/{token}.ics")
        return len(captured)

    few = queries()
    for _i in range(4):
        factories.MilestoneFactory(plan=plan)
    assert queries() == few
