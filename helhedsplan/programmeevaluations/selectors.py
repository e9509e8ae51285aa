"""Reads for the programme evaluations: the plan's evaluations with their state, one
evaluation with everything its page shows, the board decisions a finding may be linked to.
Each a fixed number of queries, whatever the evaluations hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from helhedsplan.meetings.models import Decision
from helhedsplan.plans.models import Plan
from helhedsplan.programmeevaluations.models import (
    EvaluationFinding,
    FindingFollowUp,
    ProgrammeEvaluation,
)
from helhedsplan.programmeevaluations.services import FOLLOW_UP_BODY_KINDS

# Without a "tidligst" date an evaluation is due this many days before its "senest".
DUE_LEAD_DAYS = 60


class State(StrEnum):
    NOT_STARTED = "not_started"
    METHOD_FIXED = "method_fixed"
    REPORT_RECEIVED = "report_received"
    FOLLOWED_UP = "followed_up"


STATE_LABELS = {
    State.NOT_STARTED: _("Ikke påbegyndt"),
    State.METHOD_FIXED: _("Metode fastlagt"),
    State.REPORT_RECEIVED: _("Rapport modtaget"),
    State.FOLLOWED_UP: _("Resultaterne er fulgt op"),
}


def state_of(*, method_fixed: bool, report: bool, findings: int, unfollowed: int) -> State:
    """Where an evaluation is: the report with every finding followed up by a decision,
    the report received, the method fixed, or not started."""
    if report:
        return State.FOLLOWED_UP if findings and not unfollowed else State.REPORT_RECEIVED
    return State.METHOD_FIXED if method_fixed else State.NOT_STARTED


def due_from_of(evaluation: ProgrammeEvaluation) -> date:
    """From when the evaluation is due: its "tidligst", else ``DUE_LEAD_DAYS`` before its
    "senest"."""
    return evaluation.due_from or evaluation.due_by - timedelta(days=DUE_LEAD_DAYS)


@dataclass(frozen=True)
class EvaluationRow:
    evaluation: ProgrammeEvaluation
    state: State
    findings: int
    unfollowed: int
    overdue: bool

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def due_from(self) -> date:
        return due_from_of(self.evaluation)


def with_counts(queryset: QuerySet[ProgrammeEvaluation]) -> QuerySet[ProgrammeEvaluation]:
    """Annotated with ``n_findings`` and ``n_unfollowed`` (findings no decision follows up)."""
    return queryset.annotate(
        n_findings=Count("findings", distinct=True),
        n_unfollowed=Count("findings", filter=Q(findings__follow_ups__isnull=True), distinct=True),
    )


def _row(evaluation: ProgrammeEvaluation, today: date) -> EvaluationRow:
    findings = evaluation.n_findings  # type: ignore[attr-defined]
    unfollowed = evaluation.n_unfollowed  # type: ignore[attr-defined]
    report = evaluation.report_id is not None
    return EvaluationRow(
        evaluation=evaluation,
        state=state_of(
            method_fixed=evaluation.method_fixed_on is not None,
            report=report,
            findings=findings,
            unfollowed=unfollowed,
        ),
        findings=findings,
        unfollowed=unfollowed,
        overdue=not report and today > evaluation.due_by,
    )


def evaluation_rows(plan: Plan, today: date) -> list[EvaluationRow]:
    """The plan's evaluations by number, each with its state (one query)."""
    queryset = with_counts(ProgrammeEvaluation.objects.filter(plan=plan)).order_by("number")
    rows = []
    for evaluation in queryset:
        evaluation.plan = plan
        rows.append(_row(evaluation, today))
    return rows


def evaluation_detail(plan: Plan, pk: int, today: date) -> EvaluationRow:
    """One evaluation with its report, questions, findings (with their question) and the
    decisions that follow them up (with meeting and body); DoesNotExist if not the plan's."""
    follow_ups = FindingFollowUp.objects.select_related(
        "decision__meeting__body", "linked_by"
    ).order_by("linked_at", "pk")
    findings = EvaluationFinding.objects.select_related("question").prefetch_related(
        Prefetch("follow_ups", queryset=follow_ups)
    )
    evaluation = (
        with_counts(ProgrammeEvaluation.objects.filter(plan=plan))
        .select_related("report")
        .prefetch_related("questions", Prefetch("findings", queryset=findings))
        .get(pk=pk)
    )
    evaluation.plan = plan
    for decision_link in (
        f for finding in evaluation.findings.all() for f in finding.follow_ups.all()
    ):
        decision_link.decision.meeting.plan = plan
    return _row(evaluation, today)


def follow_up_decisions(plan: Plan) -> QuerySet[Decision]:
    """The decisions a finding may be linked to: those of the plan's board meetings, the
    newest meeting first."""
    return (
        Decision.objects.filter(meeting__plan=plan, meeting__body__kind__in=FOLLOW_UP_BODY_KINDS)
        .select_related("meeting__body")
        .order_by("-meeting__date", "-pk")
    )
