from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.finance import budget_xlsx, services
from helhedsplan.finance.forms import (
    BudgetAmountsForm,
    BudgetColumnsForm,
    BudgetImportForm,
    BudgetLineForm,
    FundingAmountsForm,
    FundingSetupForm,
    FundingSourceAddForm,
)
from helhedsplan.finance.models import DEFAULT_BUDGET_COLUMNS, BudgetLine, FundingSource
from helhedsplan.finance.selectors import budget_grid, funding_summary
from helhedsplan.lib import concurrency
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.reports.exporters import export_url


def _sources(access: PlanAccess) -> list[FundingSource]:
    return list(FundingSource.objects.filter(plan=access.plan).order_by("order", "pk"))


def _page(request: HttpRequest, access: PlanAccess, **context: Any) -> HttpResponse:
    context = {"access": access, "summary": funding_summary(access.plan.pk), **context}
    return render(request, "finance/funding_form.html", context)


def _edit_form(access: PlanAccess, sources: list[FundingSource]) -> FundingAmountsForm:
    form = FundingAmountsForm(sources=sources, plan=access.plan)
    concurrency.carry_version(form, services.funding_version(sources))
    return form


@plan_view("funding.edit", post="funding.edit")
def funding_edit(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """The plan's funding: set it up when the plan has none, else edit the amounts."""
    sources = _sources(access)
    if not sources:
        return _funding_setup(request, access)
    form = FundingAmountsForm(request.POST or None, sources=sources, plan=access.plan)
    concurrency.carry_version(form, services.funding_version(sources))
    if request.method == "POST" and form.is_valid():
        try:
            services.funding_amounts_set(
                plan=access.plan, amounts=form.amounts(), parties=form.parties(),
                version=concurrency.submitted_version(form),
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Finansieringen er gemt."))
            return redirect(access.plan)
    add_form = FundingSourceAddForm(plan=access.plan)
    return _page(request, access, form=form, sources=sources, add_form=add_form)


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
    add_form = FundingSourceAddForm(request.POST, plan=access.plan)
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
    form = _edit_form(access, sources)
    return _page(request, access, form=form, sources=sources, add_form=add_form)


@plan_view(None, post="funding.edit")
def funding_source_remove(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    source = get_object_or_404(FundingSource, plan=access.plan, pk=pk)
    try:
        services.funding_source_remove(source=source)
    except ValidationError as exc:
        sources = _sources(access)
        return _page(
            request, access, form=_edit_form(access, sources), sources=sources,
            add_form=FundingSourceAddForm(plan=access.plan), remove_error=exc.messages[0],
        )  # fmt: skip
    messages.success(request, _("%(name)s er fjernet.") % {"name": source.name})
    return redirect("finance:funding_edit", slug=access.plan.slug)


# --- the budget ------------------------------------------------------------------------------


@plan_view("budget.view")
def budget(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """The budget: lines x years, all sources and per source, with LBF's rule per year and
    for the period, and what the budget distributes of each source's funding."""
    context = {
        "access": access,
        "grid": budget_grid(access.plan),
        "export_url": export_url(access.plan, "budget", "xlsx"),
        "nav": "budget",
    }
    return render(request, "finance/budget.html", context)


def _budget_form(request: HttpRequest, access: PlanAccess) -> BudgetAmountsForm:
    grid = budget_grid(access.plan)
    form = BudgetAmountsForm(
        request.POST or None, lines=grid.lines, sources=grid.sources,
        years=list(access.plan.years), amounts=grid.amounts,
    )  # fmt: skip
    concurrency.carry_version(form, services.budget_version(access.plan))
    return form


@plan_view("budget.edit", post="budget.edit")
def budget_edit(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    form = _budget_form(request, access)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.budget_amounts_set(
                plan=access.plan, cells=form.cells(), version=concurrency.submitted_version(form)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Budgettet er gemt: %(c)s nye, %(u)s ændrede og %(r)s fjernede beløb.")
                % {"c": change.created, "u": change.changed, "r": change.removed},
            )
            return redirect("finance:budget", slug=access.plan.slug)
    context = {"access": access, "form": form, "nav": "budget"}
    return render(request, "finance/budget_form.html", context)


def _lines_page(request: HttpRequest, access: PlanAccess, **context: Any) -> HttpResponse:
    lines = BudgetLine.objects.filter(plan=access.plan).select_related("focus_area")
    context = {"access": access, "lines": list(lines), "nav": "budget", **context}
    return render(request, "finance/budget_lines.html", context)


@plan_view("budget.edit", post="budget.edit")
def budget_lines(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """The plan's budget lines, and a new one."""
    form = BudgetLineForm(request.POST or None, plan=access.plan)
    if request.method == "POST" and form.is_valid():
        try:
            line = services.budget_line_create(plan=access.plan, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Budgetposten %(name)s er oprettet.") % {"name": line})
            return redirect("finance:budget_lines", slug=access.plan.slug)
    return _lines_page(request, access, form=form)


@plan_view("budget.edit", post="budget.edit")
def budget_line_edit(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    line = get_object_or_404(BudgetLine, plan=access.plan, pk=pk)
    form = BudgetLineForm(request.POST or None, plan=access.plan, line=line)
    concurrency.carry_version(form, services.budget_line_version(line))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.budget_line_update(
                line=line, kind=data["kind"], name=data["name"], focus_area=data["focus_area"],
                version=concurrency.submitted_version(form),
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Budgetposten er gemt."))
            return redirect("finance:budget_lines", slug=access.plan.slug)
    context = {"access": access, "form": form, "line": line, "nav": "budget"}
    return render(request, "finance/budget_line_form.html", context)


@plan_view(None, post="budget.edit")
def budget_line_move(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    line = get_object_or_404(BudgetLine, plan=access.plan, pk=pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, _("Vælg op eller ned. Intet er flyttet."))
    else:
        services.budget_line_move(line=line, up=direction == "up")
    return redirect("finance:budget_lines", slug=access.plan.slug)


@plan_view(None, post="budget.edit")
def budget_line_remove(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    line = get_object_or_404(BudgetLine, plan=access.plan, pk=pk)
    try:
        services.budget_line_remove(line=line)
    except ValidationError as exc:
        return _lines_page(
            request, access, form=BudgetLineForm(plan=access.plan), remove_error=exc.messages[0]
        )
    messages.success(request, _("Budgetposten %(name)s er fjernet.") % {"name": line.name})
    return redirect("finance:budget_lines", slug=access.plan.slug)


@plan_view("budget.edit", post="budget.edit")
def budget_import(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    form = BudgetImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            change = budget_xlsx.budget_import(
                plan=access.plan, file=upload, user=request.user, file_name=upload.name
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Budgettet er indlæst: %(c)s nye, %(u)s ændrede og %(r)s fjernede beløb.")
                % {"c": change.created, "u": change.changed, "r": change.removed},
            )
            return redirect("finance:budget", slug=access.plan.slug)
    settings = services.finance_settings_for(access.plan)
    headers = [services.budget_header(settings, key) for key in DEFAULT_BUDGET_COLUMNS]
    context = {"access": access, "form": form, "headers": headers, "nav": "budget"}
    return render(request, "finance/budget_import.html", context)


@plan_view("budget.edit", post="budget.edit")
def budget_settings(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    settings = services.finance_settings_for(access.plan)
    form = BudgetColumnsForm(request.POST or None, settings=settings)
    concurrency.carry_version(form, concurrency.version_of(settings if settings.pk else None))
    if request.method == "POST" and form.is_valid():
        try:
            services.finance_settings_update(
                plan=access.plan, budget_columns=form.mapping(),
                version=concurrency.submitted_version(form),
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Kolonneoverskrifterne er gemt."))
            return redirect("finance:budget", slug=access.plan.slug)
    context = {"access": access, "form": form, "nav": "budget"}
    return render(request, "finance/budget_settings.html", context)
