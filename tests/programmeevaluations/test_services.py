"""The programme evaluations' services (seed § 6): each refusal has a code, says where and
what in Danish, and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone

from helhedsplan.files.models import StoredFile
from helhedsplan.meetings.models import Decision
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import Plan
from helhedsplan.programmeevaluations import services
from helhedsplan.programmeevaluations.models import (
    EvaluationFinding,
    EvaluationQuestion,
    FindingFollowUp,
    ProgrammeEvaluation,
)
from tests import factories as f
from tests.files.samples import docx_bytes, pdf_bytes, upload

pytestmark = pytest.mark.django_db

MODELS: list[type[Model]] = [
    ProgrammeEvaluation, EvaluationQuestion, EvaluationFinding, FindingFollowUp, StoredFile,
]  # fmt: skip


def _rows() -> dict[str, int]:
    return {m.__name__: m._default_manager.count() for m in MODELS}


def refused(call: Callable[..., Any], **kwargs: Any) -> tuple[str, str]:
    """(code, message) of the refusal; asserts nothing was written."""
    before = _rows()
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    assert _rows() == before
    error = caught.value
    if hasattr(error, "error_dict"):
        first = next(e for group in error.error_dict.values() for e in group)
    else:
        first = error.error_list[0]
    return str(first.code), str(first.message)


def _create(plan: Plan, **changes: Any) -> ProgrammeEvaluation:
    values: dict[str, Any] = {
        "plan": plan, "number": 1, "title": "Helhedsevaluering 1",
        "timing_text": "ultimo 2018 eller primo 2019", "due_from": date(2018, 10, 1),
        "due_by": date(2019, 3, 31),
    }  # fmt: skip
    values.update(changes)
    return services.programme_evaluation_create(**values)


# --- the evaluation -----------------------------------------------------------------------


def test_an_evaluation_is_created_undecided_with_the_agreements_words() -> None:
    evaluation = _create(f.small_plan())
    assert evaluation.performer_kind == ProgrammeEvaluation.Performer.UNDECIDED
    assert (evaluation.timing_text, evaluation.due_from, evaluation.due_by) == (
        "ultimo 2018 eller primo 2019",
        date(2018, 10, 1),
        date(2019, 3, 31),
    )
    assert evaluation.method == "" and evaluation.method_fixed_on is None


def test_the_method_is_fixed_after_the_plans_start_not_before() -> None:
    """Seed § 6: "fastlægges den præcise form, indhold og metode ... efter helhedsplanens
    opstart"; the plan starts 1 January 2018."""
    plan = f.small_plan()
    code, message = refused(
        _create, plan=plan, method="Interviews.", method_fixed_on=date(2017, 12, 31)
    )
    assert code == "method_before_start"
    assert "efter helhedsplanens opstart" in message and "1. januar 2018" in message
    evaluation = _create(plan, method="Interviews.", method_fixed_on=date(2018, 1, 1))
    assert evaluation.method_fixed_on == date(2018, 1, 1)


def test_a_method_date_needs_a_method_and_may_not_be_in_the_future() -> None:
    plan = f.small_plan()
    assert refused(_create, plan=plan, method_fixed_on=date(2018, 5, 1))[0] == "method_required"
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert refused(_create, plan=plan, method="x", method_fixed_on=tomorrow)[0] == "future_date"


def test_the_window_lies_in_the_plan_period_and_in_order() -> None:
    plan = f.small_plan()
    code, message = refused(_create, plan=plan, due_by=date(2022, 3, 31))
    assert code == "outside_plan_period" and "31. marts 2022" in message
    assert refused(_create, plan=plan, due_from=date(2017, 10, 1))[0] == "outside_plan_period"
    code, _message = refused(_create, plan=plan, due_from=date(2019, 4, 1))
    assert code == "window_order"


def test_a_number_is_used_once_per_plan() -> None:
    plan = f.small_plan()
    _create(plan)
    code, message = refused(_create, plan=plan)
    assert code == "number_taken" and "nummer 1" in message
    assert _create(f.small_plan()).number == 1  # another plan's numbers are its own


def test_a_named_performer_says_what_kind_of_performer() -> None:
    plan = f.small_plan()
    code, _message = refused(_create, plan=plan, performer_name="Roskilde Universitet")
    assert code == "performer_kind_required"
    evaluation = _create(
        plan,
        performer_kind=ProgrammeEvaluation.Performer.INSTITUTION,
        performer_name="Roskilde Universitet",
    )
    assert evaluation.get_performer_kind_display() == "Uddannelsesinstitution"


def test_update_changes_the_fields_with_the_same_rules() -> None:
    plan = f.small_plan()
    evaluation = _create(plan)
    other = _create(plan, number=2, due_from=None, due_by=date(2021, 12, 31))
    updated = services.programme_evaluation_update(
        evaluation=evaluation, number=1, title="Første helhedsevaluering",
        due_from=date(2018, 10, 1), due_by=date(2019, 3, 31),
        performer_kind=ProgrammeEvaluation.Performer.STUDENT, performer_name="",
        method="Interviews og fokusgrupper.", method_fixed_on=date(2018, 6, 1),
    )  # fmt: skip
    assert updated.method_fixed_on == date(2018, 6, 1)
    evaluation.refresh_from_db()
    assert evaluation.title == "Første helhedsevaluering"
    code, _message = refused(
        services.programme_evaluation_update, evaluation=other, number=1, title="x",
        due_by=date(2021, 12, 31),
    )  # fmt: skip
    assert code == "number_taken"


# --- the report ---------------------------------------------------------------------------


def test_the_report_is_a_pdf_or_a_docx(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    evaluation = _create(f.small_plan())
    services.programme_evaluation_report_upload(
        evaluation=evaluation, upload=upload("rapport.docx", docx_bytes("Rapport")),
        received_on=date(2019, 3, 1), actor=None,
    )  # fmt: skip
    evaluation.refresh_from_db()
    assert evaluation.report is not None and evaluation.report.kind == "docx"
    assert evaluation.report_received_on == date(2019, 3, 1)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.pdf", b"Dette er ikke en PDF, kun tekst."),  # the name lies: content decides
        ("rapport.xlsx", b"PK\x03\x04 not really"),
        ("rapport.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
    ],
)
def test_a_report_that_is_not_pdf_or_docx_is_refused_and_nothing_is_written(
    name: str, content: bytes, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    evaluation = _create(f.small_plan())
    code, message = refused(
        services.programme_evaluation_report_upload, evaluation=evaluation,
        upload=upload(name, content), received_on=date(2019, 3, 1), actor=None,
    )  # fmt: skip
    assert code == "file_type_not_allowed"
    assert name in message and "PDF, Word (DOCX)" in message and "Intet er gemt" in message
    evaluation.refresh_from_db()
    assert evaluation.report is None and evaluation.report_received_on is None
    assert not any(tmp_path.rglob("*.*"))  # no file on disk either


def test_the_report_is_received_within_reason(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    evaluation = _create(f.small_plan())
    for day, code in [
        (date(2017, 12, 1), "received_before_start"),
        (timezone.localdate() + timedelta(days=1), "future_date"),
    ]:
        found, _message = refused(
            services.programme_evaluation_report_upload, evaluation=evaluation,
            upload=upload("rapport.pdf", pdf_bytes()), received_on=day, actor=None,
        )  # fmt: skip
        assert found == code


# --- questions and findings ---------------------------------------------------------------


def test_questions_are_added_in_order_edited_and_removed() -> None:
    evaluation = _create(f.small_plan())
    first = services.evaluation_question_add(evaluation=evaluation, text=" Hvad virker? ")
    second = services.evaluation_question_add(evaluation=evaluation, text="Hvad gør det svært?")
    assert (first.text, first.order, second.order) == ("Hvad virker?", 1, 2)
    assert refused(services.evaluation_question_add, evaluation=evaluation, text=" ")[0] == (
        "text_required"
    )
    services.evaluation_question_update(question=second, text="Hvad står i vejen?", order=0)
    assert list(evaluation.questions.values_list("text", flat=True)) == [
        "Hvad står i vejen?",
        "Hvad virker?",
    ]
    services.evaluation_question_remove(question=first)
    assert evaluation.questions.count() == 1


def test_findings_are_the_reports_and_may_answer_a_question() -> None:
    plan = f.small_plan()
    evaluation = _create(plan)
    question = services.evaluation_question_add(evaluation=evaluation, text="Hvad virker?")
    assert refused(services.evaluation_finding_add, evaluation=evaluation, text="x")[0] == (
        "no_report"
    )
    reported = f.ProgrammeEvaluationFactory(plan=plan, number=2, reported=True)
    foreign = f.EvaluationQuestionFactory(evaluation=reported)
    evaluation.report = reported.report
    evaluation.save()
    finding = services.evaluation_finding_add(
        evaluation=evaluation, text="Koordinationsgruppen virker.", question=question
    )
    assert finding.question == question and finding.order == 1
    code, _message = refused(
        services.evaluation_finding_add, evaluation=evaluation, text="x", question=foreign
    )
    assert code == "question_other_evaluation"
    services.evaluation_finding_update(finding=finding, text="Rettet.", question=None, order=2)
    finding.refresh_from_db()
    assert (finding.text, finding.question_id, finding.order) == ("Rettet.", None, 2)
    # A question removed leaves its findings, answering no question.
    services.evaluation_finding_update(finding=finding, text="Rettet.", question=question, order=2)
    services.evaluation_question_remove(question=question)
    finding.refresh_from_db()
    assert finding.question is None


# --- the board's follow-up ----------------------------------------------------------------


def _decision(plan: Plan, kind: str = Body.Kind.BOARD) -> Decision:
    body = plan.bodies.filter(kind=kind).first() or f.BodyFactory(plan=plan, kind=kind)
    meeting = f.MeetingFactory(plan=plan, body=body, date=date(2019, 5, 2))
    decision: Decision = Decision.objects.create(meeting=meeting, text="Bestyrelsen følger op.")
    return decision


def test_a_board_decision_follows_up_a_finding_and_is_unlinked_again() -> None:
    plan = f.small_plan()
    finding = f.EvaluationFindingFactory(evaluation=f.ProgrammeEvaluationFactory(plan=plan))
    user = f.persona(plan, "board")
    decision = _decision(plan)
    follow_up = services.finding_follow_up_link(finding=finding, decision=decision, actor=user)
    assert (follow_up.decision, follow_up.linked_by) == (decision, user)
    assert list(decision.evaluation_follow_ups.all()) == [follow_up]
    code, _message = refused(services.finding_follow_up_link, finding=finding, decision=decision)
    assert code == "already_linked"
    services.finding_follow_up_unlink(follow_up=follow_up)
    assert not finding.follow_ups.exists()
    assert Decision.objects.filter(pk=decision.pk).exists()  # the decision stays


def test_a_decision_of_another_plan_is_refused() -> None:
    plan = f.small_plan()
    finding = f.EvaluationFindingFactory(evaluation=f.ProgrammeEvaluationFactory(plan=plan))
    code, message = refused(
        services.finding_follow_up_link, finding=finding, decision=_decision(f.small_plan())
    )
    assert code == "decision_other_plan" and "anden plan" in message


def test_a_decision_of_a_body_that_is_not_the_board_is_refused() -> None:
    plan = f.small_plan()
    finding = f.EvaluationFindingFactory(evaluation=f.ProgrammeEvaluationFactory(plan=plan))
    decision = _decision(plan, kind=Body.Kind.COORDINATION_GROUP)
    code, message = refused(services.finding_follow_up_link, finding=finding, decision=decision)
    assert code == "decision_not_board" and decision.meeting.body.name in message


def test_a_followed_up_finding_is_not_removed_until_unlinked() -> None:
    follow_up = f.FindingFollowUpFactory()
    finding = follow_up.finding
    code, _message = refused(services.evaluation_finding_remove, finding=finding)
    assert code == "finding_followed_up"
    services.finding_follow_up_unlink(follow_up=follow_up)
    services.evaluation_finding_remove(finding=finding)
    assert not EvaluationFinding.objects.filter(pk=finding.pk).exists()
