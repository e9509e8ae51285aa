"""The programme evaluations' pages (seed § 6): the list of the plan's evaluations with
their state, one evaluation with its questions, report, findings and the board's follow-up
decisions, and the forms that write them through ``services``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.files.views import stored_file_response
from helhedsplan.lib import concurrency
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.programmeevaluations import selectors, services
from helhedsplan.programmeevaluations.forms import (
    EvaluationForm,
    FindingForm,
    FollowUpForm,
    QuestionForm,
    ReportUploadForm,
)
from helhedsplan.programmeevaluations.models import (
    EvaluationFinding,
    EvaluationQuestion,
    FindingFollowUp,
    ProgrammeEvaluation,
)


def _evaluation(access: PlanAccess, pk: int) -> ProgrammeEvaluation:
    evaluation = get_object_or_404(ProgrammeEvaluation, plan=access.plan, pk=pk)
    evaluation.plan = access.plan
    return evaluation


def _page(
    request: HttpRequest, template: str, access: PlanAccess, *, status: int = 200, **context: Any
) -> HttpResponse:
    context = {"access": access, "nav": "programmeevaluations", **context}
    return render(request, template, context, status=status)


def _form_page(
    request: HttpRequest,
    access: PlanAccess,
    form: BaseForm,
    *,
    heading: str,
    evaluation: ProgrammeEvaluation | None,
    multipart: bool = False,
) -> HttpResponse:
    """A form on its own page; 400 when a posted form was refused."""
    cancel = evaluation.get_absolute_url() if evaluation else _list_url(access)
    status = 400 if request.method == "POST" else 200
    return _page(
        request, "programmeevaluations/form.html", access, status=status, form=form,
        heading=heading, evaluation=evaluation, cancel=cancel, multipart=multipart,
    )  # fmt: skip


def _list_url(access: PlanAccess) -> str:
    from django.urls import reverse

    return reverse("programmeevaluations:list", kwargs={"slug": access.plan.slug})


def _try(form: BaseForm, call: Any, **kwargs: Any) -> Any:
    """Call a service; its ValidationError lands on the form. True-ish when it wrote."""
    try:
        return call(**kwargs) or True
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


def _gone(request: HttpRequest, evaluation: ProgrammeEvaluation) -> HttpResponse:
    messages.info(request, _("Det er allerede fjernet."))
    return redirect(evaluation)


# --- the list and the page --------------------------------------------------------------


@plan_view("programmeevaluation.view")
def evaluation_list(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    today = timezone.localdate()
    rows = selectors.evaluation_rows(access.plan, today)
    return _page(request, "programmeevaluations/list.html", access, rows=rows, today=today)


@plan_view("programmeevaluation.view")
def evaluation_detail(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    today = timezone.localdate()
    try:
        row = selectors.evaluation_detail(access.plan, pk, today)
    except ProgrammeEvaluation.DoesNotExist:
        raise Http404 from None
    evaluation = row.evaluation
    context: dict[str, Any] = {"row": row, "evaluation": evaluation, "today": today}
    if access.can("programmeevaluation.edit"):
        context |= {
            "question_form": QuestionForm(auto_id="id_question_%s"),
            "finding_form": FindingForm(evaluation=evaluation, auto_id="id_finding_%s"),
            "report_form": ReportUploadForm(initial={"received_on": today}, auto_id="id_report_%s"),
        }
    if access.can("programmeevaluation.follow_up"):
        decisions = list(selectors.follow_up_decisions(access.plan))
        context["decisions"] = decisions
        # Each finding offers the board's decisions not yet linked to it.
        for finding in evaluation.findings.all():
            linked = {link.decision_id for link in finding.follow_ups.all()}
            finding.decision_options = [d for d in decisions if d.pk not in linked]  # type: ignore[attr-defined]
    return _page(request, "programmeevaluations/detail.html", access, **context)


@plan_view("programmeevaluation.view")
def report_file(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    evaluation = _evaluation(access, pk)
    if evaluation.report is None:
        raise Http404
    return stored_file_response(
        request=request,
        access=access,
        stored=evaluation.report,
        permission="programmeevaluation.view",
    )  # type: ignore[return-value]  # a FileResponse streams


# --- the evaluation ---------------------------------------------------------------------


@plan_view("programmeevaluation.edit", post="programmeevaluation.edit")
def evaluation_create(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    numbers = ProgrammeEvaluation.objects.filter(plan=access.plan).values_list("number", flat=True)
    initial = {"number": max(numbers, default=0) + 1}
    form = EvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        created = _try(
            form, services.programme_evaluation_create, plan=access.plan, **form.values()
        )
        if created:
            messages.success(request, _("Helhedsevalueringen er oprettet."))
            return redirect(created)
    return _form_page(request, access, form, heading=_("Ny helhedsevaluering"), evaluation=None)


@plan_view("programmeevaluation.edit", post="programmeevaluation.edit")
def evaluation_edit(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    evaluation = _evaluation(access, pk)
    form = EvaluationForm(request.POST or None, initial=EvaluationForm.initial_for(evaluation))
    concurrency.carry_version(form, concurrency.version_of(evaluation))
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            form,
            services.programme_evaluation_update,
            evaluation=evaluation,
            version=concurrency.submitted_version(form),
            **form.values(),
        )
    ):
        messages.success(request, _("Helhedsevalueringen er gemt."))
        return redirect(evaluation)
    return _form_page(
        request, access, form, heading=_("Rediger %(title)s") % {"title": evaluation.title},
        evaluation=evaluation,
    )  # fmt: skip


@plan_view("programmeevaluation.edit", post="programmeevaluation.edit")
def report_upload(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    evaluation = _evaluation(access, pk)
    form = ReportUploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"received_on": timezone.localdate()},
        auto_id="id_report_%s",
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            form,
            services.programme_evaluation_report_upload,
            evaluation=evaluation,
            upload=form.cleaned_data["file"],
            received_on=form.cleaned_data["received_on"],
            actor=request.user,
        )
    ):
        messages.success(request, _("Evalueringsrapporten er gemt."))
        return redirect(evaluation)
    return _form_page(
        request, access, form, heading=_("Upload evalueringsrapporten"), evaluation=evaluation,
        multipart=True,
    )  # fmt: skip


# --- questions --------------------------------------------------------------------------


@plan_view("programmeevaluation.edit", post="programmeevaluation.edit")
def question_add(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    evaluation = _evaluation(access, pk)
    form = QuestionForm(request.POST or None, auto_id="id_question_%s")
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            form,
            services.evaluation_question_add,
            evaluation=evaluation,
            text=form.cleaned_data["text"],
            order=form.cleaned_data["order"],
        )
    ):
        messages.success(request, _("Spørgsmålet er tilføjet."))
        return redirect(evaluation)
    return _form_page(request, access, form, heading=_("Nyt spørgsmål"), evaluation=evaluation)


def _question(evaluation: ProgrammeEvaluation, item: int) -> EvaluationQuestion | None:
    return EvaluationQuestion.objects.filter(evaluation=evaluation, pk=item).first()


@plan_view("programmeevaluation.edit", post="programmeevaluation.edit")
def question_edit(request: HttpRequest, access: PlanAccess, pk: int, item: int) -> HttpResponse:
    evaluation = _evaluation(access, pk)
    question = _question(evaluation, item)
    if question is None:
        raise Http404
    form = QuestionForm(request.POST or None, initial=QuestionForm.initial_for(question))
    concurrency.carry_version(form, concurrency.version_of(question))
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            form,
            services.evaluation_question_update,
            question=question,
            text=form.cleaned_data["text"],
            order=form.cleaned_data["order"] or 0,
            version=concurrency.submitted_version(form),
        )
    ):
        messages.success(request, _("Spørgsmålet er gemt."))
        return redirect(evaluation)
    return _form_page(request, access, form, heading=_("Rediger spørgsmål"), evaluation=evaluation)


@plan_view("programmeevaluation.edit", post="programmeevaluation.edit")
def question_remove(request: HttpRequest, access: PlanAccess, pk: int, item: int) -> HttpResponse:
    evaluation = _evaluation(access, pk)
    question = _question(evaluation, item)
    if question is None:
        return _gone(request, evaluation)
    if request.method == "POST":
        services.evaluation_question_remove(question=question)
        messages.success(request, _("Spørgsmålet er fjernet."))
        return redirect(evaluation)
    return _page(
        request, "programmeevaluations/confirm_remove.html", access, evaluation=evaluation,
        subject=question.text, note=_("Resultater knyttet til spørgsmålet bliver stående."),
    )  # fmt: skip


# --- findings ---------------------------------------------------------------------------


@plan_view("programmeevaluation.edit", post="programmeevaluation.edit")
def finding_add(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    evaluation = _evaluation(access, pk)
    form = FindingForm(request.POST or None, evaluation=evaluation, auto_id="id_finding_%s")
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            form,
            services.evaluation_finding_add,
            evaluation=evaluation,
            text=form.cleaned_data["text"],
            question=form.cleaned_data["question"],
            order=form.cleaned_data["order"],
        )
    ):
        messages.success(request, _("Resultatet er tilføjet."))
        return redirect(evaluation)
    return _form_page(request, access, form, heading=_("Nyt resultat"), evaluation=evaluation)


def _finding(evaluation: ProgrammeEvaluation, item: int) -> EvaluationFinding | None:
    found = EvaluationFinding.objects.filter(evaluation=evaluation, pk=item).first()
    if found is not None:
        found.evaluation = evaluation
    return found


@plan_view("programmeevaluation.edit", post="programmeevaluation.edit")
def finding_edit(request: HttpRequest, access: PlanAccess, pk: int, item: int) -> HttpResponse:
    evaluation = _evaluation(access, pk)
    finding = _finding(evaluation, item)
    if finding is None:
        raise Http404
    form = FindingForm(
        request.POST or None, evaluation=evaluation, initial=FindingForm.initial_for(finding)
    )
    concurrency.carry_version(form, concurrency.version_of(finding))
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            form,
            services.evaluation_finding_update,
            finding=finding,
            text=form.cleaned_data["text"],
            question=form.cleaned_data["question"],
            order=form.cleaned_data["order"] or 0,
            version=concurrency.submitted_version(form),
        )
    ):
        messages.success(request, _("Resultatet er gemt."))
        return redirect(evaluation)
    return _form_page(request, access, form, heading=_("Rediger resultat"), evaluation=evaluation)


@plan_view("programmeevaluation.edit", post="programmeevaluation.edit")
def finding_remove(request: HttpRequest, access: PlanAccess, pk: int, item: int) -> HttpResponse:
    evaluation = _evaluation(access, pk)
    finding = _finding(evaluation, item)
    if finding is None:
        return _gone(request, evaluation)
    if request.method == "POST":
        try:
            services.evaluation_finding_remove(finding=finding)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Resultatet er fjernet."))
        return redirect(evaluation)
    return _page(
        request, "programmeevaluations/confirm_remove.html", access, evaluation=evaluation,
        subject=finding.text, note="",
    )  # fmt: skip


# --- the board's follow-up --------------------------------------------------------------


@plan_view("programmeevaluation.follow_up", post="programmeevaluation.follow_up")
def follow_up_add(request: HttpRequest, access: PlanAccess, pk: int, item: int) -> HttpResponse:
    evaluation = _evaluation(access, pk)
    finding = _finding(evaluation, item)
    if finding is None:
        raise Http404
    decisions = selectors.follow_up_decisions(access.plan)
    form = FollowUpForm(
        request.POST or None, decisions=decisions, auto_id=f"id_follow_up_{finding.pk}_%s"
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            form,
            services.finding_follow_up_link,
            finding=finding,
            decision=form.cleaned_data["decision"],
            actor=request.user,
        )
    ):
        messages.success(request, _("Beslutningen er knyttet til resultatet."))
        return redirect(f"{evaluation.get_absolute_url()}#resultat-{finding.pk}")
    return _form_page(
        request, access, form,
        heading=_("Opfølgende beslutning: %(finding)s") % {"finding": finding.text[:80]},
        evaluation=evaluation,
    )  # fmt: skip


@plan_view("programmeevaluation.follow_up", post="programmeevaluation.follow_up")
def follow_up_remove(request: HttpRequest, access: PlanAccess, pk: int, item: int) -> HttpResponse:
    evaluation = _evaluation(access, pk)
    follow_up = (
        FindingFollowUp.objects.filter(finding__evaluation=evaluation, pk=item)
        .select_related("decision__meeting__body", "finding")
        .first()
    )
    if follow_up is None:
        return _gone(request, evaluation)
    if request.method == "POST":
        services.finding_follow_up_unlink(follow_up=follow_up)
        messages.success(request, _("Koblingen til beslutningen er fjernet."))
        return redirect(evaluation)
    return _page(
        request, "programmeevaluations/confirm_remove.html", access, evaluation=evaluation,
        subject=follow_up.decision.text,
        note=_("Beslutningen bliver stående på mødet; kun koblingen til resultatet fjernes."),
    )  # fmt: skip
