"""The status reports' pages (the report helper builds them out)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.statusreports.models import StatusReport


def _visible(access: PlanAccess) -> QuerySet[StatusReport]:
    reports = StatusReport.objects.filter(plan=access.plan)
    if access.reads_released_copies:
        reports = reports.filter(shared_with_lbf_at__isnull=False)
    elif not access.can("statusreport.edit"):
        reports = reports.exclude(state=StatusReport.State.DRAFT)
    return reports


@plan_view("statusreport.view")
def report_list(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    reports = _visible(access)
    context = {"access": access, "reports": reports, "nav": "statusreports"}
    return render(request, "statusreports/list.html", context)


@plan_view("statusreport.view")
def report_detail(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    report = get_object_or_404(_visible(access), pk=pk)
    context = {"access": access, "report": report, "nav": "statusreports"}
    return render(request, "statusreports/detail.html", context)
