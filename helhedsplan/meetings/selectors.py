"""Reading meetings, and the calendar of meetings the agreement requires (§ 6)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from helhedsplan.meetings.models import Decision, Dispute, Meeting, Notice
from helhedsplan.organisation.models import Body, Membership, Person
from helhedsplan.plans.models import Plan


def meetings_for_plan(plan: Plan) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(plan=plan)
        .select_related("plan", "body", "minutes_file")
        .annotate(decision_count=Count("decisions", distinct=True))
        .order_by("-date", "-pk")
    )


def meeting_detail(plan: Plan, pk: int) -> Meeting:
    return (
        Meeting.objects.select_related("body", "plan", "minutes_file")
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
