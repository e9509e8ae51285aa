"""The plan's pages of central measurements: the values with their trend charts, the import
(with a preview before saving) and the column headers of LBF's file."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.lib import concurrency
from helhedsplan.lib.cpr import contains_cpr
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.measurements import importing, selectors, services
from helhedsplan.measurements.exports import IDENTIFIER, VALUES_IDENTIFIER
from helhedsplan.measurements.forms import MeasurementColumnsForm, MeasurementImportForm
from helhedsplan.reports.exporters import export_url

# A file up to this size is carried from the preview to the confirmation in the page.
PREVIEW_CARRY_BYTES = 1024 * 1024


def _page(request: HttpRequest, template: str, access: PlanAccess, **context: Any) -> HttpResponse:
    return render(request, template, {"access": access, "nav": "measurements", **context})


@plan_view("measurements.view")
def values(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """Per indicator and area the values by year, and the trend charts."""
    page = selectors.values_page(access.plan, released=access.reads_released_copies)
    start = selectors.start_year_with_values(access.plan)
    return _page(
        request,
        "measurements/values.html",
        access,
        page=page,
        start_year=start,
        start_years=selectors.start_years(access.plan),
        pdf_url=export_url(access.plan, IDENTIFIER, "pdf") if start else "",
        xlsx_url=export_url(access.plan, IDENTIFIER, "xlsx") if start else "",
        can_import=access.can("measurements.import"),
        document_pdf=export_url(access.plan, VALUES_IDENTIFIER, "pdf"),
        document_docx=export_url(access.plan, VALUES_IDENTIFIER, "docx"),
        document_xlsx=export_url(access.plan, VALUES_IDENTIFIER, "xlsx"),
    )


def _headers(access: PlanAccess) -> list[str]:
    return list(importing.header_columns(access.plan).values())


@plan_view("measurements.view", post="measurements.import")
def import_page(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """Upload LBF's file: "Vis ændringerne" shows what it would do (nothing saved), "Indlæs"
    saves it, all or nothing."""
    form = MeasurementImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "headers": _headers(access),
                               "can_import": access.can("measurements.import")}  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data, name = _file_of(form)
        if data is None:
            form.add_error("file", _("Vælg en fil."))
        elif request.POST.get("action") == "preview":
            try:
                preview = importing.preview(plan=access.plan, file=data, file_name=name)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                context["preview"] = preview
                if len(data) <= PREVIEW_CARRY_BYTES:
                    context["carried"] = base64.b64encode(data).decode()
                    context["carried_name"] = name
        else:
            try:
                result = services.central_measurements_import(
                    plan=access.plan, file=data, file_name=name, user=request.user
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _(
                        "%(file)s er indlæst: %(created)s nye og %(updated)s ændrede værdier "
                        "(%(unchanged)s uændrede)."
                    )
                    % {"file": result.file_name, "created": result.created,
                       "updated": result.updated, "unchanged": result.unchanged},
                )  # fmt: skip
                return redirect("measurements:values", slug=access.plan.slug)
    return _page(request, "measurements/import.html", access, **context)


def _file_of(form: MeasurementImportForm) -> tuple[bytes | None, str]:
    upload = form.cleaned_data.get("file")
    if upload:
        return upload.read(), str(upload.name)
    carried = form.cleaned_data.get("content") or ""
    if not carried:
        return None, ""
    name = form.cleaned_data.get("file_name") or ""
    if contains_cpr(name):  # the name came back from the page: the upload's check again
        name = ""
    try:
        return base64.b64decode(carried, validate=True), name
    except (binascii.Error, ValueError):
        return None, ""


@plan_view("measurements.import", post="measurements.import")
def settings_page(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    settings = services.measurement_settings_for(access.plan)
    form = MeasurementColumnsForm(request.POST or None, settings=settings)
    concurrency.carry_version(form, concurrency.version_of(settings if settings.pk else None))
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_settings_update(
                plan=access.plan, columns=form.mapping(),
                version=concurrency.submitted_version(form),
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Kolonneoverskrifterne er gemt."))
            return redirect("measurements:import", slug=access.plan.slug)
    return _page(request, "measurements/settings.html", access, form=form)
