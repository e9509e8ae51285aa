"""Landsbyggefonden's national overview and the staff's national view."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from helhedsplan.accounts.access import lbf_plan_ids, lbf_view, staff_view
from helhedsplan.national import selectors, table
from helhedsplan.national.forms import OverviewFilterForm
from helhedsplan.reports.http import download
from helhedsplan.reports.render import render_xlsx


def _shown(request: HttpRequest) -> tuple[OverviewFilterForm, list[selectors.PlanRow], str, bool]:
    """The rows the page shows (and the export holds): the user's LBF plans, filtered and
    sorted as the query string says."""
    rows = selectors.lbf_overview(lbf_plan_ids(request), timezone.localdate())
    form = OverviewFilterForm(request.GET, rows=rows)
    key, descending = table.parse_sort(request.GET.get(table.SORT_PARAM))
    return form, table.sort_rows(form.keep(rows), key, descending), key, descending


@lbf_view
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    form, rows, key, descending = _shown(request)
    context = {
        "form": form,
        "rows": rows,
        "headers": table.headers(request.GET, key, descending),
        "query": request.GET.urlencode(),
        "lbf_overview": True,
    }
    return render(request, "national/overview.html", context)


@lbf_view
@require_safe
def overview_export(request: HttpRequest) -> HttpResponse:
    """The rows the page shows with the same query string, as XLSX."""
    _form, rows, _key, _descending = _shown(request)
    today = timezone.localdate()
    data = render_xlsx(table.overview_rows(rows, today))
    return download(data, fmt="xlsx", filename=f"landsoversigt-{today.isoformat()}.xlsx")


@staff_view
@require_safe
def staff_overview(request: HttpRequest) -> HttpResponse:
    context = {"o": selectors.installation_overview(timezone.localdate())}
    return render(request, "national/staff_overview.html", context)
