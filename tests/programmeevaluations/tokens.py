"""Objects of the programme evaluations' URLs for the permission matrices: the demo's first
evaluation and its first question (the seed's), a finding with its report, and a board
decision linked to it (made when the plan has none: the seed has no report)."""

from __future__ import annotations

from datetime import date

from helhedsplan.meetings import services as meeting_services
from helhedsplan.plans.models import Plan
from helhedsplan.programmeevaluations import services
from helhedsplan.programmeevaluations.models import (
    EvaluationFinding,
    FindingFollowUp,
    ProgrammeEvaluation,
)
from tests.files import samples


def evaluation(plan: Plan) -> int:
    found = ProgrammeEvaluation.objects.filter(plan=plan).order_by("number").first()
    if found is None:
        found = services.programme_evaluation_create(
            plan=plan, number=1, title="Matrixevaluering", due_by=plan.end_date
        )
    return found.pk


def question(plan: Plan) -> int:
    found = ProgrammeEvaluation.objects.get(pk=evaluation(plan))
    first = found.questions.order_by("order", "pk").first()
    if first is None:
        first = services.evaluation_question_add(evaluation=found, text="Hvad virker?")
    return first.pk


def with_report(plan: Plan) -> int:
    """The first evaluation, with its report uploaded (the seed has none)."""
    found = ProgrammeEvaluation.objects.get(pk=evaluation(plan))
    if found.report_id is None:
        services.programme_evaluation_report_upload(
            evaluation=found,
            upload=samples.upload("helhedsevaluering.pdf", samples.pdf_bytes("Rapport")),
            received_on=date(2019, 3, 1),
            actor=None,
        )
    return found.pk


def finding(plan: Plan) -> int:
    found = ProgrammeEvaluation.objects.get(pk=with_report(plan))
    first = EvaluationFinding.objects.filter(evaluation=found).order_by("pk").first()
    if first is None:
        first = services.evaluation_finding_add(
            evaluation=found, text="Koordinationsgruppen samler indsatsen (matrix)."
        )
    return first.pk


def follow_up(plan: Plan) -> int:
    from tests.meetings.factories import board_meeting

    found = EvaluationFinding.objects.get(pk=finding(plan))
    first = FindingFollowUp.objects.filter(finding=found).order_by("pk").first()
    if first is None:
        decision = meeting_services.decision_create(
            meeting=board_meeting(plan, date(2019, 4, 1)),
            text="Bestyrelsen følger op på helhedsevalueringen (matrix).",
        )
        first = services.finding_follow_up_link(finding=found, decision=decision)
    return first.pk
