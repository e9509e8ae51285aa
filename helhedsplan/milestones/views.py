"""The milestone plan's pages: the list with its chart (and the form for a new milestone),
editing one, marking it reached, deleting it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.lib import concurrency
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.milestones import selectors, services
from helhedsplan.milestones.exports import IDENTIFIER
from helhedsplan.milestones.forms import DeleteForm, MarkDoneForm, MilestoneForm, proof_value
from helhedsplan.milestones.models import Milestone
from helhedsplan.reports.exporters import export_url


def _milestone(access: PlanAccess, pk: int) -> Milestone:
    found = Milestone.objects.filter(plan=access.plan, pk=pk).first()
    if found is None:
        raise Http404
    found.plan = access.plan
    return found


def _page(request: HttpRequest, template: str, access: PlanAccess, **context: Any) -> HttpResponse:
    return render(request, template, {"access": access, "nav": "milestones", **context})


def _try(form: BaseForm, call: Any, **kwargs: Any) -> Any:
    try:
        return call(**kwargs)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@plan_view("milestones.view", post="milestones.edit")
def milestone_list(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """The plan's milestones in date order and their chart; the secretariat adds one here."""
    form = MilestoneForm(request.POST or None) if access.can("milestones.edit") else None
    if (
        form is not None
        and request.method == "POST"
        and form.is_valid()
        and _try(form, services.milestone_create, plan=access.plan, **form.values())
    ):
        messages.success(request, _("Milepælen er tilføjet."))
        return redirect("milestones:list", slug=access.plan.slug)
    today = timezone.localdate()
    rows = selectors.milestone_rows(access.plan, today)
    return _page(
        request,
        "milestones/list.html",
        access,
        rows=rows,
        # charts.gantt escapes every text it writes.
        chart=mark_safe(selectors.milestone_chart(access.plan, rows, today)),  # noqa: S308
        form=form,
        pdf_url=export_url(access.plan, IDENTIFIER, "pdf"),
        docx_url=export_url(access.plan, IDENTIFIER, "docx"),
    )


@plan_view("milestones.edit", post="milestones.edit")
def milestone_edit(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    milestone = _milestone(access, pk)
    form = MilestoneForm(request.POST or None, initial=MilestoneForm.initial_for(milestone))
    concurrency.carry_version(form, services.milestone_version(milestone))
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            form,
            services.milestone_update,
            milestone=milestone,
            version=concurrency.submitted_version(form),
            **form.values(),
        )
    ):
        messages.success(request, _("Milepælen er gemt."))
        return redirect("milestones:list", slug=access.plan.slug)
    return _page(
        request,
        "milestones/edit.html",
        access,
        form=form,
        milestone=milestone,
        delete_form=DeleteForm(),
    )


@plan_view(None, post="milestones.edit")
def milestone_delete(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    milestone = _milestone(access, pk)
    delete_form = DeleteForm(request.POST)
    if delete_form.is_valid():
        services.milestone_delete(milestone=milestone)
        messages.success(request, _("Milepælen %(title)s er slettet.") % {"title": milestone})
        return redirect("milestones:list", slug=access.plan.slug)
    form = MilestoneForm(initial=MilestoneForm.initial_for(milestone))
    concurrency.carry_version(form, services.milestone_version(milestone))
    return _page(
        request,
        "milestones/edit.html",
        access,
        form=form,
        milestone=milestone,
        delete_form=delete_form,
    )


@plan_view("milestones.edit", post="milestones.edit")
def milestone_mark_done(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    """Mark the milestone reached (the day, who, what proves it), or reached no longer."""
    milestone = _milestone(access, pk)
    if request.method == "POST" and request.POST.get("action") == "reopen":
        return _reopen(request, access, milestone)
    initial = {
        "done_on": milestone.done_on or timezone.localdate(),
        "proof": proof_value(milestone),
    }
    form = MarkDoneForm(request.POST or None, plan=access.plan, initial=initial)
    concurrency.carry_version(form, services.milestone_version(milestone))
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            form,
            services.milestone_mark_done,
            milestone=milestone,
            done_on=form.cleaned_data["done_on"],
            proofs=form.cleaned_data["proof"],
            actor=request.user,
            version=concurrency.submitted_version(form),
        )
    ):
        messages.success(request, _("Milepælen er markeret som nået."))
        return redirect("milestones:list", slug=access.plan.slug)
    return _page(request, "milestones/mark_done.html", access, form=form, milestone=milestone)


def _reopen(request: HttpRequest, access: PlanAccess, milestone: Milestone) -> HttpResponse:
    """Reached no longer (marked by mistake), from the version the page was opened at."""
    version = request.POST.get(concurrency.VERSION_FIELD, "")
    try:
        services.milestone_reopen(milestone=milestone, version=version)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("milestones:mark_done", slug=access.plan.slug, pk=milestone.pk)
    messages.success(request, _("Milepælen er markeret som ikke nået."))
    return redirect("milestones:list", slug=access.plan.slug)
