"""The accounts pages: the year's accounts against the budget, registering and importing a
year's spending, the XLSX column headers, approving (closing) a year with the auditor's
statement, corrections of a closed year, and the statement's download."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.files.views import stored_file_response
from helhedsplan.finance.models import BudgetLine, FundingSource
from helhedsplan.lib import concurrency
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.reports.exporters import export_url
from helhedsplan.spending import accounts_file, selectors, services
from helhedsplan.spending.forms import (
    AccountsCloseForm,
    AccountsColumnsForm,
    CorrectionForm,
    SpendingForm,
    SpendingImportForm,
)

NAV = "accounts"


def _accounts_url(access: PlanAccess, year: int) -> str:
    return reverse("spending:accounts", kwargs={"slug": access.plan.slug}) + f"?aar={year}"


def _year(access: PlanAccess, year: int) -> int:
    if year not in access.plan.years:
        raise Http404
    return year


def _lines_and_sources(access: PlanAccess) -> tuple[list[BudgetLine], list[FundingSource]]:
    lines = list(BudgetLine.objects.filter(plan=access.plan).order_by("order", "pk"))
    sources = list(FundingSource.objects.filter(plan=access.plan).order_by("order", "pk"))
    return lines, sources


@plan_view("spending.view")
def accounts(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    years = selectors.accounts_years(access.plan)
    year = years.chosen(request)
    overview = selectors.accounts_overview(access.plan, year)
    context = {
        "access": access,
        "nav": NAV,
        "years": years,
        "year": year,
        "overview": overview,
        "year_ended": year < timezone.localdate().year,
        "exports": [
            (fmt.upper(), export_url(access.plan, "regnskab", fmt, aar=year))
            for fmt in ("xlsx", "csv")
        ],
    }
    return render(request, "spending/accounts.html", context)


@plan_view("spending.edit", post="spending.edit")
def spending_edit(request: HttpRequest, access: PlanAccess, year: int) -> HttpResponse:
    """The year's spending per line and source; a closed year is shown read-only."""
    year = _year(access, year)
    lines, sources = _lines_and_sources(access)
    cells = selectors.spending_cells(access.plan, year)
    closing = selectors.closing_for(access.plan, year)
    form = SpendingForm(
        request.POST if request.method == "POST" else None,
        lines=lines,
        sources=sources,
        cells=cells,
    )
    concurrency.carry_version(form, services.spending_version(cells.values()))
    if request.method == "POST" and closing is not None:
        form.is_valid()  # the year is closed: nothing of it is registered (the service agrees)
        form.add_error(None, services.closed_message(year))
    elif request.method == "POST" and form.is_valid():
        try:
            changed = services.spending_amounts_set(
                plan=access.plan, year=year, cells=form.cells(),
                version=concurrency.submitted_version(form), user=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Forbruget for %(year)s er gemt (%(n)s ændrede beløb).")
                % {"year": year, "n": changed},
            )
            return redirect(_accounts_url(access, year))
    context = {
        "access": access,
        "nav": NAV,
        "year": year,
        "form": form,
        "closing": closing,
        "lines": lines,
        "sources": sources,
        "cells": cells,
        "back": _accounts_url(access, year),
    }
    return render(request, "spending/spending_form.html", context)


@plan_view("spending.edit", post="spending.edit")
def spending_import(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    form = SpendingImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = accounts_file.spending_import(
                plan=access.plan, file=upload, user=request.user, file_name=upload.name
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Regnskabet er indlæst: %(c)s nye, %(u)s ændrede, %(n)s uændrede beløb.")
                % {"c": result.created, "u": result.updated, "n": result.unchanged},
            )
            return redirect("spending:accounts", slug=access.plan.slug)
    settings = services.finance_settings_for(access.plan)
    headers = [services.accounts_header(settings, key) for key in ("line", "year", "source")]
    headers.append(services.accounts_header(settings, "amount"))
    context = {"access": access, "nav": NAV, "form": form, "headers": headers}
    return render(request, "spending/import.html", context)


@plan_view("spending.edit", post="spending.edit")
def accounts_columns(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    settings = services.finance_settings_for(access.plan)
    form = AccountsColumnsForm(request.POST or None, settings=settings)
    concurrency.carry_version(form, services.accounts_columns_version(settings))
    if request.method == "POST" and form.is_valid():
        try:
            services.accounts_columns_update(
                plan=access.plan,
                columns=form.mapping(),
                version=concurrency.submitted_version(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Kolonneoverskrifterne er gemt."))
            return redirect("spending:accounts", slug=access.plan.slug)
    context = {"access": access, "nav": NAV, "form": form}
    return render(request, "spending/columns_form.html", context)


@plan_view("spending.close", post="spending.close")
def accounts_close(request: HttpRequest, access: PlanAccess, year: int) -> HttpResponse:
    year = _year(access, year)
    closing = selectors.closing_for(access.plan, year)
    form = AccountsCloseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and closing is None and form.is_valid():
        try:
            services.accounts_close(
                plan=access.plan, year=year, statement=form.cleaned_data["statement"],
                note=form.cleaned_data["note"], user=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Regnskabet for %(year)s er godkendt, og året er lukket.") % {"year": year},
            )
            return redirect(_accounts_url(access, year))
    elif request.method == "POST" and closing is not None:
        form.is_valid()
        form.add_error(None, _("Regnskabet for %(year)s er allerede godkendt.") % {"year": year})
    context = {
        "access": access,
        "nav": NAV,
        "year": year,
        "form": form,
        "closing": closing,
        "year_ended": year < timezone.localdate().year,
        "overview": selectors.accounts_overview(access.plan, year),
        "back": _accounts_url(access, year),
    }
    return render(request, "spending/close_form.html", context)


@plan_view("spending.edit", post="spending.edit")
def correction_add(request: HttpRequest, access: PlanAccess, year: int) -> HttpResponse:
    """A correction of a closed year (amount and reason); an open year is registered."""
    year = _year(access, year)
    closing = selectors.closing_for(access.plan, year)
    lines, sources = _lines_and_sources(access)
    form = CorrectionForm(
        request.POST if request.method == "POST" and closing else None,
        lines=lines,
        sources=sources,
    )
    if request.method == "POST" and closing is not None and form.is_valid():
        data = form.cleaned_data
        try:
            services.spending_correction_add(
                plan=access.plan, line=data["line"], source=data["source"], year=year,
                amount=data["amount"], reason=data["reason"], user=request.user,
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Rettelsen er gemt."))
            return redirect(_accounts_url(access, year))
    error = ""
    if request.method == "POST" and closing is None:
        error = _(
            "Regnskabet for %(year)s er ikke godkendt: ret forbruget, hvor det registreres. "
            "Rettelser med begrundelse gælder kun godkendte år. Intet er gemt."
        ) % {"year": year}
    context: dict[str, Any] = {
        "access": access,
        "nav": NAV,
        "year": year,
        "form": form,
        "closing": closing,
        "error": error,
        "back": _accounts_url(access, year),
    }
    return render(request, "spending/correction_form.html", context)


@plan_view("spending.view")
def auditor_statement(request: HttpRequest, access: PlanAccess, year: int) -> HttpResponse:
    closing = selectors.closing_for(access.plan, year)
    if closing is None:
        raise Http404
    # plan_view is typed for HttpResponse; a streamed file answer serves the same purpose.
    return stored_file_response(  # type: ignore[return-value]
        request=request,
        access=access,
        stored=closing.auditor_statement,
        permission="spending.view",
    )
