"""The audit package's page: a year's contents at a glance and its downloads."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.auditpackage.exports import EXTERNAL_EDITION, contents
from helhedsplan.auditpackage.selectors import SEED_QUOTE, audit_package, package_years
from helhedsplan.lib.numbers import YEAR_PARAM
from helhedsplan.reports.exporters import export_url


@plan_view("auditpackage.download")
def year(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """``/planer/<slug>/revision/?aar=2018``: what the year's package holds, the approved
    observations, and the package as PDF and XLSX (the secretariat also the auditor's
    copy, with small numbers suppressed)."""
    offered = package_years(access.plan, timezone.localdate())
    chosen = offered.chosen(request)
    package = audit_package(access.plan, chosen)
    downloads = _links(access, chosen)
    external = _links(access, chosen, udgave=EXTERNAL_EDITION) if (
        access.reads_audit_package_counts) else {}  # fmt: skip
    context = {
        "access": access,
        "nav": "auditpackage",
        "package": package,
        "years": offered.years,
        "contents": contents(package),
        "quote": SEED_QUOTE,
        "downloads": downloads,
        "external": external,
    }
    return render(request, "auditpackage/year.html", context)


def _links(access: PlanAccess, year: int, **params: str) -> dict[str, str]:
    return {
        fmt: export_url(access.plan, "revisionspakke", fmt, **{YEAR_PARAM: year}, **params)
        for fmt in ("pdf", "xlsx")
    }
