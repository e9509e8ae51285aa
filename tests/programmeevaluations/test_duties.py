"""The programme evaluations on "Det skal gøres", driven by their rows: the report due from
"tidligst" (or 60 days before "senest") to "senest" for the secretariat; the findings no
board decision follows up, for the secretariat and the board; nothing once followed up."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helhedsplan.accounts.access import get_plan_access
from helhedsplan.duties.items import DueItem, Urgency
from helhedsplan.duties.lists import all_items
from helhedsplan.meetings.models import Decision
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import Plan
from helhedsplan.programmeevaluations.duties import (
    FOLLOW_UP_DEADLINE_DAYS,
    programme_evaluations_due,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


def _items(plan: Plan, role: str, today: date = date(2019, 1, 10)) -> list[DueItem]:
    """The items of the plan's evaluation rows (not the framework's "Opret ..." items)."""
    found = programme_evaluations_due(get_plan_access(f.persona(plan, role), plan.slug), today)
    return [i for i in found if i.key.count(":") == 2]


def test_an_evaluation_without_its_report_is_due_in_its_window() -> None:
    plan = f.small_plan()
    evaluation = f.ProgrammeEvaluationFactory(
        plan=plan, number=1, due_from=date(2018, 10, 1), due_by=date(2019, 3, 31)
    )
    (item,) = [i for i in _items(plan, "secretariat") if i.key.endswith(":report")]
    assert item.key == f"programme_evaluation:{evaluation.pk}:report"
    assert (item.due_from, item.deadline) == (date(2018, 10, 1), date(2019, 3, 31))
    assert item.url == evaluation.get_absolute_url()
    assert item.detail == "Metoden er ikke fastlagt endnu."
    assert item.urgency(date(2018, 9, 30)) is Urgency.UPCOMING
    assert item.urgency(date(2019, 4, 1)) is Urgency.OVERDUE
    assert not [i for i in _items(plan, "board") if i.key.endswith(":report")]


def test_without_tidligst_it_is_due_60_days_before_senest() -> None:
    plan = f.small_plan()
    f.ProgrammeEvaluationFactory(plan=plan, number=2, due_from=None, due_by=date(2021, 12, 31))
    (item,) = [i for i in _items(plan, "secretariat") if i.key.endswith(":report")]
    assert item.due_from == date(2021, 11, 1)


def test_the_report_received_ends_the_duty_and_findings_wait_for_the_board() -> None:
    plan = f.small_plan()
    evaluation = f.ProgrammeEvaluationFactory(
        plan=plan, number=1, due_by=date(2019, 3, 31), reported=True
    )
    assert [i for i in _items(plan, "secretariat", date(2019, 4, 1))] == []  # no findings yet
    finding = f.EvaluationFindingFactory(evaluation=evaluation)
    f.EvaluationFindingFactory(evaluation=evaluation)
    for role in ("secretariat", "board"):
        (item,) = _items(plan, role, date(2019, 4, 1))
        assert item.key == f"programme_evaluation:{evaluation.pk}:follow_up"
        assert item.due_from == date(2019, 3, 31)
        assert (item.deadline - item.due_from).days == FOLLOW_UP_DEADLINE_DAYS
        assert item.detail.startswith("2 resultat(er) uden opfølgende beslutning")
    assert _items(plan, "coordinator", date(2019, 4, 1)) == []
    board = plan.bodies.get(kind=Body.Kind.BOARD)
    for each in evaluation.findings.all():
        decision = Decision.objects.create(
            meeting=f.MeetingFactory(plan=plan, body=board), text=f"Opfølgning {each.pk}"
        )
        f.FindingFollowUpFactory(finding=each, decision=decision)
    assert finding.follow_ups.exists()
    assert _items(plan, "secretariat", date(2019, 4, 1)) == []
    assert _items(plan, "board", date(2019, 4, 1)) == []


def test_the_source_runs_one_query_whatever_the_plan_holds() -> None:
    plan = f.small_plan()
    access = get_plan_access(f.persona(plan, "secretariat"), plan.slug)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            programme_evaluations_due(access, date(2019, 4, 1))
        return len(ctx.captured_queries)

    assert count() == 1
    for n in range(3):
        evaluation = f.ProgrammeEvaluationFactory(plan=plan, number=n + 1, reported=n > 0)
        f.EvaluationFindingFactory(evaluation=evaluation)
    assert count() == 1
    assert len(all_items(access, date(2019, 4, 1))) > 0


def test_a_closed_plan_has_no_evaluation_duty() -> None:
    from django.utils import timezone

    plan = f.small_plan()
    f.ProgrammeEvaluationFactory(plan=plan, number=1)
    plan.closed_at = timezone.now()
    plan.save()
    assert _items(plan, "secretariat") == []
