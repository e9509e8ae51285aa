from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.files.views import stored_file_response
from helhedsplan.lib import concurrency
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.lib.numbers import year_param
from helhedsplan.meetings import selectors, services
from helhedsplan.meetings.forms import (
    AssessmentForm,
    DecisionForm,
    DisputeDecideForm,
    DisputeEscalateForm,
    DisputeForm,
    DisputeHandleForm,
    MeetingForm,
    MinutesUploadForm,
    NoticeForm,
)
from helhedsplan.meetings.models import Dispute, Meeting
from helhedsplan.organisation.models import Body
from helhedsplan.plans.years import meeting_years
from helhedsplan.reports.exporters import export_url, registry

# The status report's PDF (the report helper's exporter), linked where it is registered.
STATUS_REPORT_EXPORTER = "statusrapport"


def _meeting(access: PlanAccess, pk: int) -> Meeting:
    try:
        return selectors.meeting_detail(access.plan, pk)
    except Meeting.DoesNotExist:
        raise Http404 from None


def _page(request: HttpRequest, template: str, access: PlanAccess, **context: Any) -> HttpResponse:
    return render(request, template, {"access": access, "nav": "meetings", **context})


def _try(form: BaseForm, call: Any, **kwargs: Any) -> Any:
    """Call a service; its ValidationError lands on the form (field or form-wide)."""
    try:
        return call(**kwargs)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@plan_view("meetings.view")
def meeting_list(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    meetings = selectors.meetings_for_plan(access.plan)
    return _page(request, "meetings/list.html", access, meetings=meetings)


@plan_view("meetings.view")
def calendar(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    today = timezone.localdate()
    by_year = selectors.required_meetings(access.plan, today)
    year = meeting_years(access.plan, today).chosen(request)  # the plan's years
    summary = [
        (y, sum(r.status in ("due", "overdue") for r in rows)) for y, rows in by_year.items()
    ]
    assessments = selectors.board_assessments(access.plan, today)
    return _page(
        request,
        "meetings/calendar.html",
        access,
        year=year,
        rows=by_year[year],
        summary=summary,
        assessments=assessments.get(year, []),
    )


@plan_view("meetings.edit", post="meetings.edit")
def meeting_create(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    initial: dict[str, Any] = {}
    if body := Body.objects.filter(plan=access.plan, slug=request.GET.get("organ", "")).first():
        initial["body"] = body
    # The due list's link to a required meeting names its type (``?kind=``).
    if request.GET.get("kind") in Meeting.Kind.values:
        initial["kind"] = request.GET["kind"]
    initial |= MeetingForm.chosen_in(request.GET)
    form = MeetingForm(request.POST or None, plan=access.plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        meeting = _try(form, services.meeting_create, plan=access.plan, **form.values())
        if meeting:
            messages.success(request, _("Mødet er gemt."))
            return redirect(meeting)
    return _page(request, "meetings/meeting_form.html", access, form=form, meeting=None)


@plan_view("meetings.edit", post="meetings.edit")
def meeting_edit(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    meeting = _meeting(access, pk)
    initial = MeetingForm.initial_for(meeting) | MeetingForm.chosen_in(request.GET)
    form = MeetingForm(request.POST or None, plan=access.plan, initial=initial)
    concurrency.carry_version(form, services.meeting_version(meeting))
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(form, services.meeting_update, meeting=meeting, **form.values())
    ):
        messages.success(request, _("Mødet er gemt."))
        return redirect(meeting)
    return _page(request, "meetings/meeting_form.html", access, form=form, meeting=meeting)


def _report_pdf_url(access: PlanAccess, meeting: Meeting) -> str:
    """The linked status report's PDF, once its exporter is registered ("" until then)."""
    report = meeting.status_report
    exporter = registry.get(STATUS_REPORT_EXPORTER)
    if report is None or exporter is None or not access.can(exporter.permission):
        return ""
    return export_url(access.plan, STATUS_REPORT_EXPORTER, "pdf", rapport=report.pk)


@plan_view("meetings.view")
def meeting_detail(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    meeting = _meeting(access, pk)
    return _page(
        request,
        "meetings/detail.html",
        access,
        meeting=meeting,
        upload_form=MinutesUploadForm(),
        can_decide=access.may_record_decisions(meeting),
        report_pdf_url=_report_pdf_url(access, meeting),
    )


@plan_view("meetings.view", post="assessment.record")
def assessment(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    """One of the board's two yearly assessments (seed § 6): what the board assesses, and
    its assessment per focus area (rating and text), recorded by a board member or by the
    secretariat for the board; the meeting's decisions beside them."""
    meeting = _meeting(access, pk)
    if not meeting.is_assessment:
        raise Http404
    may_record = access.may_record_assessment(meeting)
    if request.method == "POST" and not may_record:
        raise PermissionDenied("assessment.record")
    today = timezone.localdate()
    focus_areas = selectors.focus_areas_for(access.plan)
    recorded = {a.focus_area_id: a for a in selectors.assessments_for(meeting)}
    posted = None
    if request.method == "POST":
        posted = next(
            (fa for fa in focus_areas if str(fa.pk) == request.POST.get("focus_area")), None
        )
    blocks = []
    for fa in focus_areas:
        existing = recorded.get(fa.pk)
        initial = {"rating": existing.rating, "text": existing.text} if existing else {}
        form = AssessmentForm(
            request.POST if fa == posted else None, focus_area=fa, initial=initial
        )
        concurrency.carry_version(form, concurrency.version_of(existing))
        blocks.append((fa, existing, form))
        if fa == posted and form.is_valid():
            saved = _try(
                form,
                services.board_assessment_record,
                meeting=meeting,
                focus_area=fa,
                rating=form.cleaned_data["rating"],
                text=form.cleaned_data["text"],
                actor=request.user,
                version=concurrency.submitted_version(form),
            )
            if saved:
                messages.success(
                    request,
                    _("Bestyrelsens vurdering af %(focus_area)s er registreret.")
                    % {"focus_area": fa},
                )
                return redirect(f"{meeting.get_assessment_url()}#fa{fa.pk}")
    status = 200
    if request.method == "POST" and posted is None:
        messages.error(request, _("Vælg det indsatsområde, vurderingen gælder. Intet er gemt."))
        status = 400
    context: dict[str, Any] = {
        "meeting": meeting,
        "blocks": blocks,
        "may_record": may_record and meeting.date <= today,
        "in_future": meeting.date > today,
        "can_decide": access.may_record_decisions(meeting),
        "assessed": sum(1 for fa in focus_areas if fa.pk in recorded),
        "report_pdf_url": _report_pdf_url(access, meeting),
    }
    if meeting.kind == Meeting.Kind.BOARD_STATUS_ASSESSMENT:
        start, end = selectors.assessment_period(meeting)
        context |= {
            "period_start": start,
            "period_end": end,
            "evaluations": selectors.evaluation_meetings(access.plan, start, end),
        }
    else:
        years = list(access.plan.years)
        default = min(max(meeting.date.year, years[0]), years[-1])
        year = year_param(request, default, years)
        context |= {
            "years": years,
            "criteria": selectors.criteria_assessment(access.plan, year, today),
        }
    response = _page(request, "meetings/assessment.html", access, **context)
    response.status_code = status
    return response


@plan_view("meetings.edit", post="meetings.edit")
def minutes_upload(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    meeting = _meeting(access, pk)
    form = MinutesUploadForm(request.POST or None, request.FILES or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            form,
            services.meeting_minutes_upload,
            meeting=meeting,
            upload=form.cleaned_data["file"],
            actor=request.user,
        )
    ):
        messages.success(request, _("Referatet er gemt."))
        return redirect(meeting)
    return _page(request, "meetings/minutes_upload.html", access, meeting=meeting, form=form)


@plan_view("meetings.view")
def minutes_file(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    meeting = _meeting(access, pk)
    if meeting.minutes_file is None:
        raise Http404
    return stored_file_response(
        request=request, access=access, stored=meeting.minutes_file, permission="meetings.view"
    )  # type: ignore[return-value]  # a FileResponse streams


@plan_view("meetings.decide", post="meetings.decide")
def decision_create(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    meeting = _meeting(access, pk)
    form = DecisionForm(request.POST or None, plan=access.plan)
    if request.method == "POST" and form.is_valid():
        decision = _try(
            form,
            services.decision_create,
            meeting=meeting,
            text=form.cleaned_data["text"],
            concerns=form.concerns_object(),
            concerns_label=form.cleaned_data["concerns_label"],
            actor=request.user,
            body_kinds=access.decision_body_kinds,
        )
        if decision:
            messages.success(request, _("Beslutningen er registreret."))
            return redirect(meeting)
    return _page(request, "meetings/decision_form.html", access, meeting=meeting, form=form)


@plan_view("meetings.view")
def notices(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    items = selectors.notices_for_plan(access.plan)
    return _page(request, "meetings/notices.html", access, notices=items)


@plan_view("meetings.edit", post="meetings.edit")
def notice_create(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    form = NoticeForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(form, services.notice_create, plan=access.plan, **form.cleaned_data)
    ):
        messages.success(request, _("Underretningen er gemt."))
        return redirect("meetings:notices", slug=access.plan.slug)
    return _page(
        request,
        "meetings/simple_form.html",
        access,
        form=form,
        heading=_("Ny underretning"),
        back="meetings:notices",
    )


@plan_view("meetings.view")
def disputes(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    items = selectors.disputes_for_plan(access.plan)
    return _page(request, "meetings/disputes.html", access, disputes=items)


@plan_view("meetings.edit", post="meetings.edit")
def dispute_create(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    form = DisputeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        dispute = _try(form, services.dispute_create, plan=access.plan, **form.cleaned_data)
        if dispute:
            messages.success(request, _("Uoverensstemmelsen er registreret."))
            return redirect(dispute)
    return _page(
        request,
        "meetings/simple_form.html",
        access,
        form=form,
        heading=_("Ny uoverensstemmelse"),
        back="meetings:disputes",
    )


def _dispute(access: PlanAccess, pk: int) -> Dispute:
    return get_object_or_404(selectors.disputes_for_plan(access.plan), pk=pk)


@plan_view("meetings.view")
def dispute_detail(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    dispute = _dispute(access, pk)
    return _page(
        request,
        "meetings/dispute_detail.html",
        access,
        dispute=dispute,
        handle_form=DisputeHandleForm(initial={"handling": dispute.handling}),
        escalate_form=DisputeEscalateForm(),
        decide_form=DisputeDecideForm(decisions=selectors.settling_decisions(dispute)),
    )


@plan_view("meetings.edit", post="meetings.edit")
def dispute_handle(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    dispute = _dispute(access, pk)
    form = DisputeHandleForm(request.POST or None, initial={"handling": dispute.handling})
    concurrency.carry_version(form, concurrency.version_of(dispute))
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(form, services.dispute_handle, dispute=dispute, **form.cleaned_data)
    ):
        messages.success(request, _("Håndteringen er gemt."))
        return redirect(dispute)
    return _page(
        request,
        "meetings/dispute_step.html",
        access,
        dispute=dispute,
        form=form,
        heading=_("Kompetencechefens håndtering"),
    )


@plan_view("meetings.edit", post="meetings.edit")
def dispute_escalate(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    dispute = _dispute(access, pk)
    form = DisputeEscalateForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(form, services.dispute_escalate, dispute=dispute, **form.cleaned_data)
    ):
        messages.success(request, _("Sagen er rejst i bestyrelsen."))
        return redirect(dispute)
    return _page(
        request,
        "meetings/dispute_step.html",
        access,
        dispute=dispute,
        form=form,
        heading=_("Rejs sagen i bestyrelsen"),
    )


@plan_view("meetings.decide", post="meetings.decide")
def dispute_decide(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    dispute = _dispute(access, pk)
    form = DisputeDecideForm(request.POST or None, decisions=selectors.settling_decisions(dispute))
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(form, services.dispute_decide, dispute=dispute, **form.cleaned_data)
    ):
        messages.success(request, _("Bestyrelsens beslutning er knyttet til sagen."))
        return redirect(dispute)
    return _page(
        request,
        "meetings/dispute_step.html",
        access,
        dispute=dispute,
        form=form,
        heading=_("Bestyrelsens afgørelse"),
    )
