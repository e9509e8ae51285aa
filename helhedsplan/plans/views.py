from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import PlanAccess, plan_view, staff_view
from helhedsplan.files.views import stored_file_response
from helhedsplan.lib import concurrency
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.plans import selectors, services
from helhedsplan.plans.forms import FocusAreaForm, PlanCloseForm, PlanForm, PlanReopenForm
from helhedsplan.plans.models import FinalReport, FocusArea, Plan


@login_required
def home(request: HttpRequest) -> HttpResponse:
    plans = list(selectors.plans_for_user(request.user))
    if len(plans) == 1:
        return redirect(plans[0])
    return render(request, "plans/home.html", {"plans": plans})


@plan_view("plan.view")
def overview(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    data = selectors.plan_overview(access.plan)
    context = {
        "access": access,
        "o": data,
        "final_reports": selectors.final_reports(access.plan) if access.plan.is_closed else [],
    }
    return render(request, "plans/overview.html", context)


@plan_view("plan.edit", post="plan.edit")
def plan_edit(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    form = PlanForm(request.POST or None, instance=access.plan)
    concurrency.carry_version(form, concurrency.version_of(access.plan))
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=access.plan, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Planen er gemt."))
            return redirect(access.plan)
    return render(request, "plans/plan_form.html", {"access": access, "form": form})


@plan_view("area.view")
def area_detail(request: HttpRequest, access: PlanAccess, area: str) -> HttpResponse:
    obj = get_object_or_404(selectors.areas_for_plan(access.plan), slug=area)
    return render(request, "plans/area_detail.html", {"access": access, "area": obj})


@plan_view("plan.view")
def focus_area_detail(request: HttpRequest, access: PlanAccess, code: str) -> HttpResponse:
    obj = get_object_or_404(FocusArea, plan=access.plan, code=code)
    return render(request, "plans/focus_area_detail.html", {"access": access, "focus_area": obj})


@plan_view("plan.edit", post="plan.edit")
def focus_area_edit(request: HttpRequest, access: PlanAccess, code: str) -> HttpResponse:
    obj = get_object_or_404(FocusArea, plan=access.plan, code=code)
    form = FocusAreaForm(request.POST or None, instance=obj)
    concurrency.carry_version(form, concurrency.version_of(obj))
    if request.method == "POST" and form.is_valid():
        try:
            services.focus_area_update(focus_area=obj, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Indsatsområdet er gemt."))
            return redirect(obj)
    return render(
        request, "plans/focus_area_form.html", {"access": access, "form": form, "focus_area": obj}
    )


@plan_view("plan.close", post="plan.close")
def plan_close(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """Afslut planen: a confirmation with the reason; the plan is then read-only."""
    form = PlanCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_close(
                plan=access.plan, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Planen er afsluttet, og slutstatus er udstedt."))
            return redirect(access.plan)
    return render(request, "plans/close_form.html", {"access": access, "form": form})


@plan_view("plan.final_report")
def final_report_file(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponseBase:
    """The final status report as issued when the plan was closed."""
    report = get_object_or_404(
        FinalReport.objects.select_related("stored_file"), plan=access.plan, pk=pk
    )
    return stored_file_response(
        request=request, access=access, stored=report.stored_file, permission="plan.final_report"
    )


@staff_view
def staff_reopen(request: HttpRequest, slug: str) -> HttpResponse:
    """Genåbn a closed plan (the installation's staff; they need no role on the plan)."""
    plan = get_object_or_404(Plan.objects.select_related("closed_by"), slug=slug)
    if not plan.is_closed and request.method == "GET":
        raise Http404
    form = PlanReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_reopen(plan=plan, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Planen er genåbnet."))
            # The staff user may hold no role on the plan: the page says so, not the plan's.
            return render(request, "plans/reopen_form.html", {"plan": plan, "done": True})
    return render(request, "plans/reopen_form.html", {"plan": plan, "form": form})
