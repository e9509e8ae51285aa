"""The status reports' pages: the list (with the secretariat's new draft), and a report's
page (a draft's narrative, preview and issuing; an issued report as its snapshot shows it,
its downloads and the sending to Landsbyggefonden)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.plans.models import FocusArea
from helhedsplan.reports.exporters import LEAVES, export_url
from helhedsplan.reports.render import render_html
from helhedsplan.statusreports import services
from helhedsplan.statusreports.exports import (
    EXTERNAL_EDITION,
    StatusReportExporter,
    may_read,
    released,
    report_document,
)
from helhedsplan.statusreports.forms import NarrativeForm, StatusReportCreateForm
from helhedsplan.statusreports.models import StatusReport


def _visible(access: PlanAccess) -> QuerySet[StatusReport]:
    reports = StatusReport.objects.filter(plan=access.plan).select_related(
        "issued_by", "supersedes", "superseded_by"
    )
    if access.reads_released_copies:
        reports = reports.filter(shared_with_lbf_at__isnull=False).exclude(
            state=StatusReport.State.DRAFT
        )
    elif not access.can("statusreport.edit"):
        reports = reports.exclude(state=StatusReport.State.DRAFT)
    return reports


@plan_view("statusreport.view", post="statusreport.edit")
def report_list(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    plan = access.plan
    form = StatusReportCreateForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        start, end = form.dates()
        supersedes = None
        if form.cleaned_data["supersede"]:
            supersedes = services.overlapping_issued(plan, start, end)
        try:
            report = services.status_report_create(
                plan=plan,
                period_start=start,
                period_end=end,
                actor=request.user,
                supersedes=supersedes,
                supersede_reason=form.cleaned_data["supersede_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Kladden er oprettet. Skriv beretningen, og udsend den."))
            return redirect(report)
    context = {
        "access": access,
        "reports": list(_visible(access).order_by("-period_end", "-version", "-pk")),
        "form": form if access.can("statusreport.edit") else None,
        "nav": "statusreports",
    }
    return render(request, "statusreports/list.html", context)


def _exporter(access: PlanAccess, report: StatusReport) -> StatusReportExporter:
    exporter = StatusReportExporter(
        access.plan, {"rapport": str(report.pk)}, resolved={"report": report}
    )
    exporter.audience_in_use = exporter.audience_for(access)
    return exporter


@plan_view("statusreport.view", post="statusreport.edit")
def report_detail(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    report = get_object_or_404(_visible(access).select_related("plan"), pk=pk)
    if not may_read(access, report):
        raise Http404
    focus_areas = list(FocusArea.objects.filter(plan=access.plan).order_by("order", "code"))
    texts = dict(report.narratives.values_list("focus_area_id", "text"))
    narrative_form = NarrativeForm(focus_areas=focus_areas, texts=texts)
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "narrative":
            narrative_form = NarrativeForm(request.POST, focus_areas=focus_areas, texts=texts)
            if narrative_form.is_valid():
                try:
                    for fa, text in narrative_form.texts():
                        services.status_narrative_save(report=report, focus_area=fa, text=text)
                except ValidationError as exc:
                    if report.is_draft:
                        add_service_errors(narrative_form, exc)
                    else:  # issued: the form is not on the page, the refusal is
                        errors.extend(exc.messages)
                else:
                    messages.success(request, _("Beretningen er gemt."))
                    return redirect(report)
        elif action == "issue" and not request.POST.get("confirm"):
            if report.is_draft:
                context = {"access": access, "report": report, "nav": "statusreports"}
                return render(request, "statusreports/issue_confirm.html", context)
            errors.append(_("Statusrapporten er allerede udsendt."))
        elif action in ("issue", "share", "delete"):
            try:
                if action == "issue":
                    services.status_report_issue(report=report, actor=request.user)
                    messages.success(request, _("Statusrapporten er udsendt, og tallene er låst."))
                elif action == "share":
                    services.status_report_share_with_lbf(report=report, actor=request.user)
                    messages.success(request, _("Statusrapporten er sendt til Landsbyggefonden."))
                else:
                    services.status_report_delete(report=report, actor=request.user)
                    messages.success(request, _("Kladden er slettet."))
                    return redirect("statusreports:list", slug=access.plan.slug)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                return redirect(report)
        else:
            errors.append(_("Ukendt handling. Intet er gemt."))
    exporter = _exporter(access, report)
    document = report_document(report)
    if exporter.audience_in_use == LEAVES:
        document = released(document, exporter)
    downloads = [
        (fmt.upper(), export_url(access.plan, "statusrapport", fmt, rapport=report.pk))
        for fmt in exporter.formats
    ]
    external = [
        (
            fmt.upper(),
            export_url(
                access.plan, "statusrapport", fmt, rapport=report.pk, udgave=EXTERNAL_EDITION
            ),
        )
        for fmt in exporter.formats
    ]
    context = {
        "access": access,
        "report": report,
        "document_html": render_html(document),
        "narrative_form": narrative_form if report.is_draft else None,
        "can_edit": access.can("statusreport.edit"),
        "downloads": downloads,
        "external_downloads": external if not access.reads_released_copies else [],
        "errors": errors,
        "nav": "statusreports",
    }
    return render(request, "statusreports/detail.html", context, status=400 if errors else 200)
