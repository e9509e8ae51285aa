"""The installation's staff pages of the measurements app: LBF's indicator catalogue per
grant framework (``accounts.access.staff_view``: staff only, 403 to everyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helhedsplan.accounts.access import staff_view
from helhedsplan.frameworks import catalogue as frameworks
from helhedsplan.lib import concurrency
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.measurements import services
from helhedsplan.measurements.forms import IndicatorForm
from helhedsplan.measurements.models import Indicator


@staff_view
def indicator_list(request: HttpRequest) -> HttpResponse:
    """Every framework's catalogue, in its order (one query)."""
    by_framework: dict[str, list[Indicator]] = {code: [] for code, _label in frameworks.choices()}
    for indicator in Indicator.objects.order_by("framework", "order", "code"):
        by_framework.setdefault(indicator.framework, []).append(indicator)
    names = dict(frameworks.choices())
    catalogues = [(code, names.get(code, code), rows) for code, rows in by_framework.items()]
    return render(request, "measurements/staff/indicators.html", {"catalogues": catalogues})


@staff_view
def indicator_create(request: HttpRequest) -> HttpResponse:
    form = IndicatorForm(request.POST or None, initial={"framework": request.GET.get("ramme")})
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.indicator_create(
                framework=form.cleaned_data["framework"],
                code=form.cleaned_data["code"],
                **form.values(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Indikatoren %(code)s er tilføjet.") % {"code": indicator.code}
            )
            return redirect("measurements_staff:indicators")
    return render(
        request,
        "measurements/staff/indicator_form.html",
        {
            "form": form,
            "title": _("Ny indikator"),
            "cancel": reverse("measurements_staff:indicators"),
        },
    )


@staff_view
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk)
    form = IndicatorForm(request.POST or None, indicator=indicator)
    concurrency.carry_version(form, concurrency.version_of(indicator))
    if request.method == "POST" and form.is_valid():
        try:
            services.indicator_update(
                indicator=indicator,
                code=form.cleaned_data["code"],
                version=concurrency.submitted_version(form),
                **form.values(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Indikatoren %(code)s er gemt.") % {"code": indicator.code})
            return redirect("measurements_staff:indicators")
    return render(
        request,
        "measurements/staff/indicator_form.html",
        {
            "form": form,
            "indicator": indicator,
            "title": _("Ret indikatoren %(code)s") % {"code": indicator.code},
            "cancel": reverse("measurements_staff:indicators"),
        },
    )


@staff_view
@require_POST
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk)
    try:
        services.indicator_delete(indicator=indicator)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Indikatoren %(code)s er fjernet.") % {"code": indicator.code})
    return redirect("measurements_staff:indicators")
