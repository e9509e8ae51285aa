"""The milestone plan's services: what they write, and each bad input refused with a Danish
message naming the field, a code, and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from helhedsplan.accounts.models import User
from helhedsplan.lib.concurrency import StaleEdit, version_of
from helhedsplan.milestones.models import Milestone
from helhedsplan.milestones.services import (
    Proofs,
    milestone_create,
    milestone_delete,
    milestone_mark_done,
    milestone_reopen,
    milestone_update,
)
from helhedsplan.plans.models import Plan
from tests import factories

FIELDS: dict[str, Any] = dict(
    title="Beslutning om 5.4 i Sydbyen",
    owner="Bestyrelsen",
    done_when="Bestyrelsen har besluttet.",
    kind=Milestone.Kind.DECISION,
)


def _refused(call: Callable[[], object], field: str, code: str) -> str:
    with pytest.raises(ValidationError) as caught:
        call()
    errors = caught.value.error_dict[field]
    assert [e.code for e in errors] == [code]
    return str(errors[0].message)


def test_create_writes_the_milestone(plan: Plan) -> None:
    made = milestone_create(
        plan=plan, due_on=date(2018, 12, 31), starts_on=date(2018, 10, 1), **FIELDS
    )
    assert made.plan == plan and made.due_on == date(2018, 12, 31)
    assert list(plan.milestones.all()) == [made]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("field", "day"),
    [("due_on", date(2017, 12, 31)), ("due_on", date(2022, 1, 1)), ("starts_on", date(2017, 6, 1))],
)
def test_a_date_outside_the_plan_period_is_refused(plan: Plan, field: str, day: date) -> None:
    dates: dict[str, Any] = {"due_on": date(2019, 6, 30), "starts_on": None, field: day}
    message = _refused(
        lambda: milestone_create(plan=plan, **dates, **FIELDS), field, "outside_period"
    )
    label = "Dato" if field == "due_on" else "Påbegyndes"
    assert message.startswith(label + ":")
    assert "uden for planperioden (1. januar 2018 – 31. december 2021)" in message
    assert "Intet er gemt" in message
    assert not Milestone.objects.filter(plan=plan).exists()


def test_a_start_after_the_date_is_refused(plan: Plan) -> None:
    message = _refused(
        lambda: milestone_create(
            plan=plan, starts_on=date(2019, 7, 1), due_on=date(2019, 6, 30), **FIELDS
        ),
        "starts_on",
        "starts_after_due",
    )
    assert "1. juli 2019 er efter milepælens dato 30. juni 2019" in message
    assert not Milestone.objects.filter(plan=plan).exists()


def test_a_missing_date_is_refused(plan: Plan) -> None:
    _refused(
        lambda: milestone_create(plan=plan, due_on=None, **FIELDS), "due_on", "due_on_required"
    )


def test_a_proof_of_another_plan_is_refused(plan: Plan, other_plan: Plan) -> None:
    foreign = factories.MeetingFactory(plan=other_plan)
    message = _refused(
        lambda: milestone_create(
            plan=plan, due_on=date(2019, 6, 30), proofs=Proofs(meeting=foreign), **FIELDS
        ),
        "proof_meeting",
        "proof_other_plan",
    )
    assert "hører til en anden plan" in message
    assert not Milestone.objects.filter(plan=plan).exists()
    milestone = factories.MilestoneFactory(plan=plan)
    evaluation = factories.ProgrammeEvaluationFactory(plan=other_plan, due_by=date(2019, 12, 31))
    _refused(
        lambda: milestone_mark_done(
            milestone=milestone, done_on=date(2019, 2, 1), proofs=Proofs(evaluation=evaluation)
        ),
        "proof_evaluation",
        "proof_other_plan",
    )
    milestone.refresh_from_db()
    assert milestone.done_on is None and milestone.proof_evaluation is None


def test_update_checks_the_dates_and_the_version(plan: Plan) -> None:
    milestone = factories.MilestoneFactory(plan=plan, due_on=date(2019, 6, 30))
    opened = version_of(milestone)
    fields: dict[str, Any] = {**FIELDS, "due_on": date(2020, 6, 30)}
    milestone_update(milestone=milestone, version=opened, **fields)
    milestone.refresh_from_db()
    assert milestone.due_on == date(2020, 6, 30) and milestone.title == FIELDS["title"]
    with pytest.raises(StaleEdit):
        milestone_update(milestone=milestone, version=opened, **{**fields, "title": "Andet"})
    _refused(
        lambda: milestone_update(milestone=milestone, **{**fields, "due_on": date(2023, 1, 1)}),
        "due_on",
        "outside_period",
    )
    milestone.refresh_from_db()
    assert milestone.due_on == date(2020, 6, 30)


def test_mark_done_records_the_day_who_and_the_proof(
    plan: Plan, persona: Callable[[str], User]
) -> None:
    milestone = factories.MilestoneFactory(plan=plan)
    meeting = factories.MeetingFactory(plan=plan, date=date(2018, 12, 10))
    user = persona("secretariat")
    milestone_mark_done(
        milestone=milestone,
        done_on=date(2018, 12, 10),
        actor=user,
        proofs=Proofs(meeting=meeting),
        version=version_of(milestone),
    )
    milestone.refresh_from_db()
    assert (milestone.done_on, milestone.done_by, milestone.proof_meeting) == (
        date(2018, 12, 10),
        user,
        meeting,
    )
    milestone_reopen(milestone=milestone, version=version_of(milestone))
    milestone.refresh_from_db()
    assert milestone.done_on is None and milestone.done_by is None


def test_mark_done_in_the_future_or_without_a_day_is_refused(plan: Plan) -> None:
    milestone = factories.MilestoneFactory(plan=plan)
    message = _refused(
        lambda: milestone_mark_done(
            milestone=milestone, done_on=date(2019, 2, 2), today=date(2019, 2, 1)
        ),
        "done_on",
        "done_in_future",
    )
    assert message.startswith("Nået den: 2. februar 2019 er efter i dag")
    _refused(
        lambda: milestone_mark_done(milestone=milestone, done_on=None),
        "done_on",
        "done_on_required",
    )
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_delete_removes_it(plan: Plan) -> None:
    milestone = factories.MilestoneFactory(plan=plan)
    milestone_delete(milestone=milestone)
    assert not Milestone.objects.filter(plan=plan).exists()
