from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import PlanAccess, lbf_plan_ids, plan_view, staff_view
from helhedsplan.agreements.changes import edit_version
from helhedsplan.agreements.selectors import (
    agreement_change_message,
    agreement_state,
    proposed_values,
)
from helhedsplan.duties.lists import due_counts, due_list
from helhedsplan.files.views import stored_file_response
from helhedsplan.frameworks import catalogue
from helhedsplan.frameworks.selectors import framework_overview
from helhedsplan.lib import concurrency
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.lists.vision import vision_panel
from helhedsplan.plans import fragments, selectors, services
from helhedsplan.plans.forms import FocusAreaForm, PlanCloseForm, PlanForm, PlanReopenForm
from helhedsplan.plans.models import FinalReport, FocusArea, Plan
from helhedsplan.setup.selectors import missing_count, setup_checklist


@login_required
def home(request: HttpRequest) -> HttpResponse:
    plans = list(selectors.plans_for_user(request.user))
    if len(plans) == 1:
        return redirect(plans[0])
    counts = due_counts(request.user, plans, timezone.localdate())
    rows = [(plan, counts.get(plan.pk, (0, 0))) for plan in plans]
    # LBF's national overview is linked from the top bar for a user with LBF's role.
    lbf = bool(lbf_plan_ids(request.user)) if plans else False
    return render(request, "plans/home.html", {"plans": plans, "rows": rows, "lbf_overview": lbf})


def _overview_data(access: PlanAccess, today: date) -> dict[str, object]:
    plan = access.plan
    data: dict[str, object] = {
        "o": selectors.plan_overview(plan),
        "setup_missing": 0,
        "final_reports": selectors.final_reports(plan) if plan.is_closed else [],
        "due": due_list(access, today),
    }
    if access.can("plan.setup"):
        data["setup_missing"] = missing_count(setup_checklist(plan))
    if access.can("lists.view"):
        data["panel"] = vision_panel(plan)
    return data


@plan_view("plan.view")
def overview(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """The plan's front page, rendered once per version of the plan's data and the
    installation's (the lists' national figures, the frameworks, people's names) and per
    reader (what is due is per user, by role and area; staff see one more link), today and
    the language (``plans.fragments``): no write is ever missed, and a hit renders only the
    page around it. Not keyed by the plan's trail: its history is a panel loaded on opening
    (``audit:object``, never cached), so a download shows there at once and leaves this
    fragment cached."""
    user = request.user
    today = timezone.localdate()

    def body() -> tuple[None, str]:
        context = {"access": access, "user": user, **_overview_data(access, today)}
        return None, render_to_string("plans/_overview_body.html", context)

    parts = (user.pk, user.is_staff, access.reader_key)
    _none, html = fragments.fragment(access, "overview", parts, (), body, installation=True)
    return render(request, "plans/overview.html", {"access": access, "body": html})


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


@plan_view("plan.view")
def framework(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """The plan's grant framework, item by item, and what of it the plan has."""
    try:
        overview = framework_overview(access.plan)
    except catalogue.UnknownFramework:
        raise Http404 from None
    context = {"access": access, "nav": "framework", "o": overview}
    return render(request, "plans/framework.html", context)


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
    # Under an approved agreement the form opens at what the draft version proposes.
    form = FocusAreaForm(request.POST or None, instance=obj, initial=proposed_values(obj))
    concurrency.carry_version(form, edit_version(obj))
    if request.method == "POST" and form.is_valid():
        try:
            services.focus_area_update(focus_area=obj, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, agreement_change_message(access.plan, _(
                "Indsatsområdet er gemt.")))  # fmt: skip
            return redirect(obj)
    context = {"access": access, "form": form, "focus_area": obj,
               "agreement": agreement_state(access.plan)}  # fmt: skip
    return render(request, "plans/focus_area_form.html", context)


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
