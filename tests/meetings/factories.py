"""Objects the tests (and the permission matrix) need that the demo does not hold."""

from __future__ import annotations

from datetime import date
from typing import Any

from helhedsplan.meetings import services
from helhedsplan.meetings.models import Dispute, Meeting
from helhedsplan.organisation.models import Body, Membership, Person
from helhedsplan.plans.models import Plan
from tests.files import samples
from tests.programmeevaluations import tokens as evaluation_tokens
from tests.setup import tokens as setup_tokens


def board_meeting(plan: Plan, on: date = date(2019, 3, 1), **kwargs: object) -> Meeting:
    body = Body.objects.get(plan=plan, kind=Body.Kind.BOARD)
    values: dict[str, object] = {"kind": Meeting.Kind.ORDINARY, "title": "Bestyrelsesmøde"}
    values.update(kwargs)
    return services.meeting_create(plan=plan, body=body, date=on, **values)  # type: ignore[arg-type]


def meeting_with_minutes(plan: Plan) -> Meeting:
    meeting = Meeting.objects.filter(plan=plan, minutes_file__isnull=False).first()
    if meeting is None:
        meeting = board_meeting(plan)
        services.meeting_minutes_upload(
            meeting=meeting, upload=samples.upload("referat.docx", samples.docx_bytes()), actor=None
        )
    return meeting


def assessment_meeting(plan: Plan) -> Meeting:
    """A held board meeting of the board's second assessment (the demo holds none)."""
    found = Meeting.objects.filter(plan=plan, kind=Meeting.Kind.BOARD_CRITERIA_ASSESSMENT)
    return found.order_by("pk").first() or board_meeting(
        plan,
        date(2019, 6, 1),
        kind=Meeting.Kind.BOARD_CRITERIA_ASSESSMENT,
        title="Bestyrelsens vurdering (pladsholder)",
    )


def dispute(plan: Plan) -> Dispute:
    return Dispute.objects.filter(plan=plan).first() or services.dispute_create(
        plan=plan,
        raised_on=date(2019, 2, 1),
        raised_by="Boligorganisation 2 (pladsholder)",
        subject="Fordeling af koordinatortid (demonstrationsdata)",
        description="Uenighed om prioriteringen mellem områderne.",
    )


def milestone(plan: Plan) -> int:
    """The demo's first milestone (demo/milestones.py), one made where there is none."""
    from helhedsplan.milestones.models import Milestone
    from helhedsplan.milestones.services import milestone_create

    found = Milestone.objects.filter(plan=plan).order_by("due_on", "pk").first()
    return (
        found
        or milestone_create(
            plan=plan,
            title="Milepæl (pladsholder)",
            due_on=plan.start_date,
            owner="Sekretariatet",
            done_when="Pladsholder.",
        )
    ).pk


# Tokens the permission matrix uses for object ids.
OBJECT_TOKENS = {
    "__meeting__": lambda plan: meeting_with_minutes(plan).pk,
    "__dispute__": lambda plan: dispute(plan).pk,
    "__assessment_meeting__": lambda plan: assessment_meeting(plan).pk,
    "__person__": lambda plan: _first_pk(Person.objects.filter(plan=plan)),
    "__membership__": lambda plan: _first_pk(Membership.objects.filter(body__plan=plan)),
    "__party__": setup_tokens.party,
    "__department__": setup_tokens.department,
    "__sub_area__": setup_tokens.sub_area,
    "__status_report__": lambda plan: _status_report(plan),
    "__milestone__": milestone,
    "__programme_evaluation__": evaluation_tokens.evaluation,
    "__evaluation_with_report__": evaluation_tokens.with_report,
    "__evaluation_question__": evaluation_tokens.question,
    "__evaluation_finding__": evaluation_tokens.finding,
    "__finding_follow_up__": evaluation_tokens.follow_up,
}


def _status_report(plan: Any) -> int:
    from tests.statusreports.builders import shared_report

    return int(shared_report(plan).pk)


def _first_pk(qs: Any) -> int:
    return int(qs.order_by("pk").values_list("pk", flat=True)[0])


def code(exc: Exception) -> str | None:
    """The code of a ValidationError, also when it is attached to a field."""
    if getattr(exc, "code", None):
        return exc.code  # type: ignore[attr-defined,no-any-return]
    errors = getattr(exc, "error_dict", {})
    for field_errors in errors.values():
        return field_errors[0].code  # type: ignore[no-any-return]
    return None
