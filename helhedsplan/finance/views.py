from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.finance import services
from helhedsplan.finance.forms import FundingAmountsForm, FundingSetupForm, FundingSourceAddForm
from helhedsplan.finance.models import FundingSource
from helhedsplan.finance.selectors import funding_summary
from helhedsplan.lib import concurrency
from helhedsplan.lib.forms import add_service_errors


def _sources(access: PlanAccess) -> list[FundingSource]:
    return list(FundingSource.objects.filter(plan=access.plan).order_by("order", "pk"))


def _page(request: HttpRequest, access: PlanAccess, **context: Any) -> HttpResponse:
    context = {"access": access, "summary": funding_summary(access.plan.pk), **context}
    return render(request, "finance/funding_form.html", context)


def _edit_form(sources: list[FundingSource]) -> FundingAmountsForm:
    form = FundingAmountsForm(sources=sources)
    concurrency.carry_version(form, services.funding_version(sources))
    return form


@plan_view("funding.edit", post="funding.edit")
def funding_edit(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """The plan's funding: set it up when the plan has none, else edit the amounts."""
    sources = _sources(access)
    if not sources:
        return _funding_setup(request, access)
    form = FundingAmountsForm(request.POST or None, sources=sources)
    concurrency.carry_version(form, services.funding_version(sources))
    if request.method == "POST" and form.is_valid():
        try:
            services.funding_amounts_set(
                plan=access.plan, amounts=form.amounts(),
                version=concurrency.submitted_version(form),
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Finansieringen er gemt."))
            return redirect(access.plan)
    return _page(request, access, form=form, sources=sources, add_form=FundingSourceAddForm())


def _funding_setup(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """All the plan's sources at once, so LBF's rule is checked on the whole budget."""
    form = FundingSetupForm(request.POST or None, plan=access.plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.funding_budget_set(plan=access.plan, lines=form.lines())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Finansieringen er gemt."))
            return redirect("finance:funding_edit", slug=access.plan.slug)
    return _page(request, access, setup_form=form)


@plan_view(None, post="funding.edit")
def funding_source_add(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    add_form = FundingSourceAddForm(request.POST)
    if add_form.is_valid():
        try:
            services.funding_source_add(plan=access.plan, line=add_form.line())
        except ValidationError as exc:
            add_service_errors(add_form, exc)
        else:
            messages.success(request, _("Finansieringskilden er tilføjet."))
            return redirect("finance:funding_edit", slug=access.plan.slug)
    sources = _sources(access)
    if not sources:  # nothing to add to: the page sets the funding up
        return redirect("finance:funding_edit", slug=access.plan.slug)
    return _page(request, access, form=_edit_form(sources), sources=sources, add_form=add_form)


@plan_view(None, post="funding.edit")
def funding_source_remove(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    source = get_object_or_404(FundingSource, plan=access.plan, pk=pk)
    try:
        services.funding_source_remove(source=source)
    except ValidationError as exc:
        sources = _sources(access)
        return _page(
            request, access, form=_edit_form(sources), sources=sources,
            add_form=FundingSourceAddForm(), remove_error=exc.messages[0],
        )  # fmt: skip
    messages.success(request, _("%(name)s er fjernet.") % {"name": source.name})
    return redirect("finance:funding_edit", slug=access.plan.slug)
