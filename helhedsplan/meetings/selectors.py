"""Reading meetings, and the calendar of meetings the agreement requires (§ 6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from helhedsplan.meetings.models import (
    ASSESSMENT_KINDS,
    BoardAssessment,
    Decision,
    Dispute,
    Meeting,
    Notice,
)
from helhedsplan.organisation.models import Body, Membership, Person
from helhedsplan.plans.models import FocusArea, Plan


def meetings_for_plan(plan: Plan) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(plan=plan)
        .select_related("plan", "body", "minutes_file")
        .annotate(decision_count=Count("decisions", distinct=True))
        .order_by("-date", "-pk")
    )


def meeting_detail(plan: Plan, pk: int) -> Meeting:
    return (
        Meeting.objects.select_related("body", "plan", "minutes_file", "status_report__plan")
        .prefetch_related("agenda", "attendees", "decisions__concerns_content_type")
        .get(plan=plan, pk=pk)
    )


# What § 6 requires each year: (body kind, meeting kind, label).
REQUIRED = [
    (
        Body.Kind.BOARD,
        Meeting.Kind.BOARD_STATUS_ASSESSMENT,
        _(
            "Bestyrelsens vurdering på grundlag af en kortfattet statusrapport og "
            "gruppernes evaluering"
        ),
    ),
    (
        Body.Kind.BOARD,
        Meeting.Kind.BOARD_CRITERIA_ASSESSMENT,
        _("Bestyrelsens opfølgning på, om aktiviteterne understøtter succeskriterierne"),
    ),
    (
        Body.Kind.COORDINATION_GROUP,
        Meeting.Kind.EVALUATION,
        _("Årligt møde kun med evaluering på dagsordenen"),
    ),
    (
        Body.Kind.FOLLOW_UP_GROUP,
        Meeting.Kind.EVALUATION,
        _("Årligt møde kun med evaluering på dagsordenen"),
    ),
]


@dataclass
class Requirement:
    year: int
    body: Body
    kind: str
    label: str
    held: list[Meeting] = field(default_factory=list)
    status: str = "held"  # held | due | overdue | upcoming

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


STATUS_LABELS = {
    "held": _("Afholdt"),
    "due": _("Mangler"),
    "overdue": _("Forsinket"),
    "upcoming": _("Kommende"),
}


def required_meetings(plan: Plan, today: date) -> dict[int, list[Requirement]]:
    """Each plan year's required meetings with the ones held and a status (two queries).

    A requirement of a past year with no meeting is ``overdue``; of the current year ``due``
    (it can still be held by 31 December); of a later year ``upcoming``.
    """
    bodies = list(Body.objects.filter(plan=plan).select_related("area").order_by("order", "name"))
    held: dict[tuple[int, int, str], list[Meeting]] = {}
    for m in Meeting.objects.filter(plan=plan).select_related("plan").order_by("date"):
        held.setdefault((m.date.year, m.body_id, m.kind), []).append(m)
    result: dict[int, list[Requirement]] = {}
    for year in plan.years:
        rows = []
        for body_kind, kind, label in REQUIRED:
            for body in (b for b in bodies if b.kind == body_kind):
                meetings = held.get((year, body.pk, kind), [])
                if meetings:
                    status = "held"
                elif year < today.year:
                    status = "overdue"
                elif year == today.year:
                    status = "due"
                else:
                    status = "upcoming"
                rows.append(Requirement(year, body, kind, str(label), meetings, status))
        result[year] = rows
    return result


def board_decisions(plan: Plan) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(meeting__plan=plan, meeting__body__kind=Body.Kind.BOARD)
        .select_related("meeting")
        .order_by("-meeting__date", "pk")
    )


def settling_decisions(dispute: Dispute) -> QuerySet[Decision]:
    """The decisions that may settle ``dispute`` (§ 10): taken at a board meeting of the
    plan on or after the day the dispute was raised. The form offers these and
    ``dispute_decide`` refuses any other, so the two cannot disagree."""
    return board_decisions(dispute.plan).filter(meeting__date__gte=dispute.raised_on)


def members_on(body: Body, on: date) -> QuerySet[Person]:
    """The people who are members of ``body`` on ``on`` (a membership covering that day).

    The meeting form offers these as attendees and the meeting services refuse others."""
    memberships = Membership.objects.filter(body=body, start_date__lte=on).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=on)
    )
    return (
        Person.objects.filter(plan_id=body.plan_id, memberships__in=memberships)
        .distinct()
        .order_by("name")
    )


def notices_for_plan(plan: Plan) -> QuerySet[Notice]:
    return Notice.objects.filter(plan=plan)


def disputes_for_plan(plan: Plan) -> QuerySet[Dispute]:
    return Dispute.objects.filter(plan=plan).select_related(
        "plan", "board_decision__meeting__plan", "board_decision__meeting__body"
    )


# --- the board's two yearly assessments (seed § 6) ------------------------------------------

EVALUATION_BODY_KINDS = (Body.Kind.COORDINATION_GROUP, Body.Kind.FOLLOW_UP_GROUP)


def assessments_for(meeting: Meeting) -> list[BoardAssessment]:
    """The assessments recorded at ``meeting``, by focus area, with who recorded them."""
    return list(
        BoardAssessment.objects.filter(meeting=meeting)
        .select_related("focus_area", "recorded_by")
        .order_by("focus_area__order", "focus_area__code")
    )


def focus_areas_for(plan: Plan) -> list[FocusArea]:
    return list(FocusArea.objects.filter(plan=plan).order_by("order", "code"))


def assessment_period(meeting: Meeting) -> tuple[date, date]:
    """The period the status-report assessment looks back on: the linked report's, else
    the meeting's year up to the meeting."""
    report = meeting.status_report
    if report is not None:
        return report.period_start, report.period_end
    return date(meeting.date.year, 1, 1), meeting.date


def evaluation_meetings(plan: Plan, start: date, end: date) -> list[Meeting]:
    """The coordination group's and the follow-up groups' evaluation meetings held from
    ``start`` to ``end``, with their minutes: what the board's first assessment rests on
    besides the status report (seed § 6). One query."""
    return list(
        Meeting.objects.filter(
            plan=plan,
            kind=Meeting.Kind.EVALUATION,
            body__kind__in=EVALUATION_BODY_KINDS,
            date__gte=start,
            date__lte=end,
        )
        .select_related("plan", "body", "body__area", "minutes_file")
        .order_by("date", "body__order", "pk")
    )


@dataclass
class SupportedActivity:
    """An activity linked to a success criterion: its delivery and its evaluations."""

    delivery: Any  # activities.selectors.ActivityDelivery
    evaluations: list[Any]  # activities.models.Evaluation

    @property
    def activity(self) -> Any:
        return self.delivery.activity


@dataclass
class CriterionAssessmentRow:
    support: Any  # activities.selectors.CriterionSupport
    activities: list[SupportedActivity]

    @property
    def criterion(self) -> Any:
        return self.support.criterion


@dataclass
class CriteriaAssessment:
    """What the board's second assessment looks at ("understøtter aktiviteterne
    succeskriterierne?"): per success criterion its latest status up to ``year``, the
    activities linked to it, their delivery in ``year`` and their evaluations of the year."""

    year: int
    groups: list[tuple[FocusArea, list[CriterionAssessmentRow]]]
    is_demo_data: bool


def criteria_assessment(plan: Plan, year: int, today: date) -> CriteriaAssessment:
    """Built on ``activities.selectors.support_matrix`` (the activities x criteria page) and
    the evaluations whose period overlaps ``year``; statuses and delivery as of ``today``
    (at the latest 31 December of ``year``). Queries do not grow with the plan."""
    from helhedsplan.activities.models import Evaluation
    from helhedsplan.activities.selectors import support_matrix

    as_of = min(today, date(year, 12, 31))
    matrix = support_matrix(plan, year, today=as_of)
    evaluations: dict[int, list[Any]] = {}
    for evaluation in (
        Evaluation.objects.filter(
            activity__plan=plan,
            period_start__lte=date(year, 12, 31),
            period_end__gte=date(year, 1, 1),
        )
        .select_related("evidence_file")
        .order_by("activity_id", "-period_end", "-evaluated_on", "pk")
    ):
        evaluations.setdefault(evaluation.activity_id, []).append(evaluation)
    groups = [
        (
            focus_area,
            [
                CriterionAssessmentRow(
                    support=row,
                    activities=[
                        SupportedActivity(block, evaluations.get(block.activity.pk, []))
                        for block in row.activities
                    ],
                )
                for row in rows
            ],
        )
        for focus_area, rows in matrix.groups
    ]
    return CriteriaAssessment(year=year, groups=groups, is_demo_data=matrix.is_demo_data)


ASSESSMENT_LABELS = {
    Meeting.Kind.BOARD_STATUS_ASSESSMENT: _("Vurdering på grundlag af statusrapport"),
    Meeting.Kind.BOARD_CRITERIA_ASSESSMENT: _("Understøtter aktiviteterne succeskriterierne?"),
}

ASSESSMENT_STATUS_LABELS = {
    "assessed": _("Vurderet"),
    "held": _("Holdt, ikke vurderet"),
    "planned": _("Planlagt"),
    "due": _("Mangler"),
    "overdue": _("Forsinket"),
    "upcoming": _("Kommende"),
}


@dataclass
class AssessmentMeeting:
    meeting: Meeting
    assessed: int  # focus areas with an assessment
    focus_areas: int

    @property
    def is_assessed(self) -> bool:
        """Every focus area of the plan has the board's assessment."""
        return self.focus_areas > 0 and self.assessed >= self.focus_areas


@dataclass
class AssessmentRow:
    year: int
    kind: str
    meetings: list[AssessmentMeeting]
    status: str  # assessed | held | planned | due | overdue | upcoming

    @property
    def label(self) -> str:
        return str(ASSESSMENT_LABELS[self.kind])  # type: ignore[index]

    @property
    def status_label(self) -> str:
        return str(ASSESSMENT_STATUS_LABELS[self.status])


def board_assessments(plan: Plan, today: date) -> dict[int, list[AssessmentRow]]:
    """Each plan year's two board assessments: the meetings held or planned for each, how
    many focus areas each has assessed, and a status (two queries).

    ``assessed``: a meeting of the year has an assessment of every focus area; ``held``: a
    meeting was held but not every focus area is assessed; ``planned``: the only meetings
    are still to come; otherwise as the calendar: ``overdue`` (a past year), ``due`` (this
    year), ``upcoming`` (a later year).
    """
    focus_areas = FocusArea.objects.filter(plan=plan).count()
    meetings = (
        Meeting.objects.filter(plan=plan, kind__in=ASSESSMENT_KINDS, body__kind=Body.Kind.BOARD)
        .select_related("plan")
        .annotate(assessed=Count("assessments__focus_area", distinct=True))
        .order_by("date", "pk")
    )
    by_key: dict[tuple[int, str], list[AssessmentMeeting]] = {}
    for m in meetings:
        held = AssessmentMeeting(m, m.assessed, focus_areas)  # type: ignore[attr-defined]
        by_key.setdefault((m.date.year, m.kind), []).append(held)
    result: dict[int, list[AssessmentRow]] = {}
    for year in plan.years:
        rows = []
        for kind in (Meeting.Kind.BOARD_STATUS_ASSESSMENT, Meeting.Kind.BOARD_CRITERIA_ASSESSMENT):
            found = by_key.get((year, kind), [])
            if any(a.is_assessed for a in found):
                status = "assessed"
            elif any(a.meeting.date <= today for a in found):
                status = "held"
            elif found:
                status = "planned"
            elif year < today.year:
                status = "overdue"
            elif year == today.year:
                status = "due"
            else:
                status = "upcoming"
            rows.append(AssessmentRow(year, kind, found, status))
        result[year] = rows
    return result
