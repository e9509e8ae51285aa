"""Writing the programme evaluations (seed § 6): the evaluation itself (who performs it, the
method fixed after the plan's start, the timing), its questions, its report (PDF or DOCX),
the findings and the board's decisions that follow them up. All or nothing, audited (every
model here is ``Audited``); each refusal is a ``ValidationError`` with a code and a Danish
message saying where and what, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.files.services import stored_file_create
from helhedsplan.lib import concurrency
from helhedsplan.lib.numbers import fmt_date
from helhedsplan.meetings.models import Decision
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import Plan
from helhedsplan.programmeevaluations.models import (
    EvaluationFinding,
    EvaluationQuestion,
    FindingFollowUp,
    ProgrammeEvaluation,
)

# The report is a document: PDF or Word, checked by content (files.validation).
REPORT_KINDS = frozenset({"pdf", "docx"})
# The decisions that follow up a finding are the board's (seed § 6: the board assesses).
FOLLOW_UP_BODY_KINDS = frozenset({str(Body.Kind.BOARD)})

PERFORMER = ProgrammeEvaluation.Performer


def _error(field: str | None, message: str, code: str) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def _check_evaluation(
    *,
    plan: Plan,
    number: int,
    title: str,
    due_from: date | None,
    due_by: date,
    timing_text: str,
    performer_kind: str,
    performer_name: str,
    method: str,
    method_fixed_on: date | None,
    exclude_pk: int | None = None,
) -> None:
    period = {"start": fmt_date(plan.start_date), "end": fmt_date(plan.end_date)}
    if not title.strip():
        raise _error("title", _("Skriv evalueringens titel. Intet er gemt."), "title_required")
    taken = ProgrammeEvaluation.objects.filter(plan=plan, number=number)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise _error(
            "number",
            _("Planen har allerede helhedsevaluering nummer %(number)s. Intet er gemt.")
            % {"number": number},
            "number_taken",
        )
    for field, day in (("due_from", due_from), ("due_by", due_by)):
        if day is not None and not plan.start_date <= day <= plan.end_date:
            raise _error(
                field,
                _(
                    "Datoen %(day)s ligger uden for planens periode (%(start)s – %(end)s). "
                    "Intet er gemt."
                )
                % {"day": fmt_date(day), **period},
                "outside_plan_period",
            )
    if due_from is not None and due_from > due_by:
        raise _error(
            "due_from",
            _("»Tidligst« (%(first)s) ligger efter »senest« (%(last)s). Intet er gemt.")
            % {"first": fmt_date(due_from), "last": fmt_date(due_by)},
            "window_order",
        )
    if performer_kind not in PERFORMER.values:
        raise _error("performer_kind", _("Vælg, hvem der udfører evalueringen."), "performer")
    if performer_kind == PERFORMER.UNDECIDED and performer_name.strip():
        raise _error(
            "performer_kind",
            _(
                "Vælg, om %(name)s er en studerende, en uddannelsesinstitution eller en anden "
                "aktør. Intet er gemt."
            )
            % {"name": performer_name.strip()},
            "performer_kind_required",
        )
    if method_fixed_on is not None:
        # Seed § 6: "fastlægges den præcise form, indhold og metode ... efter helhedsplanens
        # opstart".
        if method_fixed_on < plan.start_date:
            raise _error(
                "method_fixed_on",
                _(
                    "Metoden fastlægges efter helhedsplanens opstart (%(start)s); %(day)s ligger "
                    "før. Intet er gemt."
                )
                % {"start": fmt_date(plan.start_date), "day": fmt_date(method_fixed_on)},
                "method_before_start",
            )
        if method_fixed_on > timezone.localdate():
            raise _error(
                "method_fixed_on",
                _("Datoen %(day)s ligger i fremtiden. Intet er gemt.")
                % {"day": fmt_date(method_fixed_on)},
                "future_date",
            )
        if not method.strip():
            raise _error(
                "method",
                _("Beskriv metoden, når datoen for dens fastlæggelse er udfyldt. Intet er gemt."),
                "method_required",
            )


@transaction.atomic
def programme_evaluation_create(
    *,
    plan: Plan,
    number: int,
    title: str,
    due_by: date,
    due_from: date | None = None,
    timing_text: str = "",
    performer_kind: str = PERFORMER.UNDECIDED,
    performer_name: str = "",
    method: str = "",
    method_fixed_on: date | None = None,
) -> ProgrammeEvaluation:
    """A programme evaluation of ``plan``. Codes: ``title_required``, ``number_taken``,
    ``outside_plan_period`` (the window must lie in the plan's period), ``window_order``,
    ``performer_kind_required`` (a performer's name without saying what kind),
    ``method_before_start`` (seed § 6: the method is fixed after the plan's start),
    ``future_date``, ``method_required``."""
    values: dict[str, Any] = {
        "number": number, "title": title.strip(), "due_by": due_by, "due_from": due_from,
        "timing_text": timing_text.strip(), "performer_kind": performer_kind,
        "performer_name": performer_name.strip(), "method": method.strip(),
        "method_fixed_on": method_fixed_on,
    }  # fmt: skip
    _check_evaluation(plan=plan, **values)
    evaluation = ProgrammeEvaluation(plan=plan, **values)
    evaluation.full_clean()
    evaluation.save()
    return evaluation


@transaction.atomic
def programme_evaluation_update(
    *,
    evaluation: ProgrammeEvaluation,
    number: int,
    title: str,
    due_by: date,
    due_from: date | None = None,
    timing_text: str = "",
    performer_kind: str = PERFORMER.UNDECIDED,
    performer_name: str = "",
    method: str = "",
    method_fixed_on: date | None = None,
    version: str | None = None,
) -> ProgrammeEvaluation:
    """Change the evaluation's fields; the same rules (and codes) as creating it.
    ``version``: the evaluation's token when the form was opened (``lib.concurrency``); an
    evaluation changed since is refused (``stale_edit``)."""
    values: dict[str, Any] = {
        "number": number, "title": title.strip(), "due_by": due_by, "due_from": due_from,
        "timing_text": timing_text.strip(), "performer_kind": performer_kind,
        "performer_name": performer_name.strip(), "method": method.strip(),
        "method_fixed_on": method_fixed_on,
    }  # fmt: skip
    plan = evaluation.plan
    evaluation = concurrency.lock_and_check(
        evaluation, version, what=_("Helhedsevalueringen %(title)s") % {"title": evaluation.title}
    )
    evaluation.plan = plan
    _check_evaluation(plan=plan, exclude_pk=evaluation.pk, **values)
    for name, value in values.items():
        setattr(evaluation, name, value)
    evaluation.full_clean()
    evaluation.save()
    return evaluation


@transaction.atomic
def programme_evaluation_report_upload(
    *, evaluation: ProgrammeEvaluation, upload: UploadedFile, received_on: date, actor: Any
) -> ProgrammeEvaluation:
    """The evaluation's report (PDF or DOCX, checked by content: ``files.validation``) and
    the day it was received. A new upload replaces the report shown (the earlier file stays
    stored, in the audit trail). Codes: ``received_before_start``, ``future_date``, and the
    upload's (``file_type_not_allowed``, ``file_empty``, ``file_too_large``, ...)."""
    plan = evaluation.plan
    if received_on < plan.start_date:
        raise _error(
            "received_on",
            _("Rapporten kan ikke være modtaget før planens start (%(start)s). Intet er gemt.")
            % {"start": fmt_date(plan.start_date)},
            "received_before_start",
        )
    if received_on > timezone.localdate():
        raise _error(
            "received_on",
            _("Datoen %(day)s ligger i fremtiden. Intet er gemt.") % {"day": fmt_date(received_on)},
            "future_date",
        )
    # Our own data is checked first: a file stored and then rolled back would stay on disk.
    try:
        stored = stored_file_create(plan=plan, upload=upload, allowed=REPORT_KINDS, actor=actor)
    except ValidationError as exc:
        raise ValidationError({"file": exc.error_list}) from None
    evaluation.report = stored
    evaluation.report_received_on = received_on
    evaluation.full_clean()
    evaluation.save()
    return evaluation


def _next_order(queryset: Any) -> int:
    last = queryset.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


def _text(text: str, label: str) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise _error("text", _("Skriv %(what)s. Intet er gemt.") % {"what": label}, "text_required")
    return cleaned


@transaction.atomic
def evaluation_question_add(
    *, evaluation: ProgrammeEvaluation, text: str, order: int | None = None
) -> EvaluationQuestion:
    """A question the evaluation answers, last unless ``order`` is given."""
    question = EvaluationQuestion(
        evaluation=evaluation,
        text=_text(text, _("spørgsmålet")),
        order=order if order is not None else _next_order(evaluation.questions.all()),
    )
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def evaluation_question_update(
    *, question: EvaluationQuestion, text: str, order: int, version: str | None = None
) -> EvaluationQuestion:
    """``version``: as for the evaluation (``stale_edit``)."""
    question = concurrency.lock_and_check(question, version, what=_("Spørgsmålet"))
    question.text = _text(text, _("spørgsmålet"))
    question.order = order
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def evaluation_question_remove(*, question: EvaluationQuestion) -> None:
    """Remove the question; findings tied to it stay, tied to no question."""
    question.delete()


def _check_question(evaluation: ProgrammeEvaluation, question: EvaluationQuestion | None) -> None:
    if question is not None and question.evaluation_id != evaluation.pk:
        raise _error(
            "question",
            _("Spørgsmålet hører til en anden helhedsevaluering. Intet er gemt."),
            "question_other_evaluation",
        )


@transaction.atomic
def evaluation_finding_add(
    *,
    evaluation: ProgrammeEvaluation,
    text: str,
    question: EvaluationQuestion | None = None,
    order: int | None = None,
) -> EvaluationFinding:
    """A finding of the evaluation's report, optionally answering one of its questions.
    Codes: ``no_report`` (the findings are the report's: upload it first),
    ``question_other_evaluation``, ``text_required``."""
    if evaluation.report_id is None:
        raise _error(
            None,
            _("Upload evalueringsrapporten, før resultaterne registreres. Intet er gemt."),
            "no_report",
        )
    _check_question(evaluation, question)
    finding = EvaluationFinding(
        evaluation=evaluation,
        question=question,
        text=_text(text, _("resultatet")),
        order=order if order is not None else _next_order(evaluation.findings.all()),
    )
    finding.full_clean()
    finding.save()
    return finding


@transaction.atomic
def evaluation_finding_update(
    *,
    finding: EvaluationFinding,
    text: str,
    question: EvaluationQuestion | None,
    order: int,
    version: str | None = None,
) -> EvaluationFinding:
    """``version``: as for the evaluation (``stale_edit``)."""
    evaluation = finding.evaluation
    finding = concurrency.lock_and_check(finding, version, what=_("Resultatet"))
    finding.evaluation = evaluation
    _check_question(evaluation, question)
    finding.text = _text(text, _("resultatet"))
    finding.question = question
    finding.order = order
    finding.full_clean()
    finding.save()
    return finding


@transaction.atomic
def evaluation_finding_remove(*, finding: EvaluationFinding) -> None:
    """Remove a finding. Refused (``finding_followed_up``) while a board decision follows
    it up: unlink the decision first, so a follow-up never disappears unseen."""
    if finding.follow_ups.exists():
        raise _error(
            None,
            _(
                "Resultatet er fulgt op af en beslutning. Fjern koblingen til beslutningen "
                "først. Intet er fjernet."
            ),
            "finding_followed_up",
        )
    finding.delete()


@transaction.atomic
def finding_follow_up_link(
    *,
    finding: EvaluationFinding,
    decision: Decision,
    actor: Any = None,
    body_kinds: Collection[str] = FOLLOW_UP_BODY_KINDS,
) -> FindingFollowUp:
    """Link a board decision that follows up the finding. Codes: ``decision_other_plan``
    (a decision of another plan), ``decision_not_board`` (a decision of a body that is not
    the plan's board), ``already_linked``."""
    plan_id = finding.evaluation.plan_id
    meeting = decision.meeting
    if meeting.plan_id != plan_id:
        raise _error(
            "decision",
            _("Beslutningen hører til en anden plan. Intet er gemt."),
            "decision_other_plan",
        )
    if meeting.body.kind not in body_kinds:
        raise _error(
            "decision",
            _(
                "Opfølgningen er bestyrelsens: beslutningen er truffet af %(body)s, ikke af "
                "bestyrelsen. Intet er gemt."
            )
            % {"body": meeting.body.name},
            "decision_not_board",
        )
    if FindingFollowUp.objects.filter(finding=finding, decision=decision).exists():
        raise _error(
            "decision",
            _("Beslutningen er allerede knyttet til resultatet. Intet er gemt."),
            "already_linked",
        )
    follow_up = FindingFollowUp(
        finding=finding,
        decision=decision,
        linked_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    follow_up.full_clean()
    follow_up.save()
    return follow_up


@transaction.atomic
def finding_follow_up_unlink(*, follow_up: FindingFollowUp) -> None:
    """Unlink the decision from the finding (the decision itself stays on its meeting)."""
    follow_up.delete()
