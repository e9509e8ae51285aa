from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.activities import activity_plan, selectors, services
from helhedsplan.activities.forms import (
    ActivityEndForm,
    ActivityForm,
    ActivityPlanImportForm,
    DeliverySettingsForm,
    EvaluationForm,
    RegistrationForm,
)
from helhedsplan.activities.models import Activity, Evaluation, Partner, Registration
from helhedsplan.charts.bars import Bar, ReferenceLine, horizontal_bars_svg
from helhedsplan.files.views import stored_file_response
from helhedsplan.lib import concurrency
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.lib.numbers import YEAR_PARAM, fmt_percent
from helhedsplan.plans import fragments
from helhedsplan.plans.models import HousingArea
from helhedsplan.plans.years import delivery_years
from helhedsplan.statusreports import locking


def _years(request: HttpRequest, access: PlanAccess) -> tuple[int, list[int]]:
    """The delivery year asked for (or the latest with registrations) and the years offered."""
    offered = delivery_years(access.plan)
    return offered.pick(request.GET.get(YEAR_PARAM)), offered.years


@plan_view("activities.view")
def activity_list(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    everything = list(selectors.activities_for_plan(access.plan))
    activities = [a for a in everything if not a.is_ended]
    ended = sorted((a for a in everything if a.is_ended), key=lambda a: (a.end_date, a.name))
    partners = list(Partner.objects.filter(plan=access.plan))
    context = {"access": access, "activities": activities, "ended": ended, "partners": partners}
    return render(request, "activities/activity_list.html", {**context, "nav": "activities"})


def _activity_for_edit(access: PlanAccess, slug: str) -> Activity:
    return get_object_or_404(
        Activity.objects.select_related("plan", "focus_area").prefetch_related(
            "area_links", "partners", "success_criteria"
        ),
        plan=access.plan,
        slug=slug,
    )


@plan_view("activities.edit", post="activities.edit")
def activity_create(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    focus = request.GET.get("indsatsomraade", "")
    chosen = access.plan.focus_areas.filter(code=focus).first() if focus else None
    form = ActivityForm(
        request.POST or None, plan=access.plan,
        initial={"focus_area": chosen.pk if chosen else None,
                 "responsible": Activity.Responsible.SECRETARIAT},
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.activity_create(plan=access.plan, **form.activity_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Aktiviteten »%(name)s« er oprettet.") % {"name": obj})
            return redirect(obj)
    context = {"access": access, "form": form, "activity": None, "nav": "activities"}
    return render(request, "activities/activity_form.html", context)


@plan_view("activities.edit", post="activities.edit")
def activity_edit(request: HttpRequest, access: PlanAccess, activity: str) -> HttpResponse:
    obj = _activity_for_edit(access, activity)
    form = ActivityForm(request.POST or None, plan=access.plan, activity=obj)
    concurrency.carry_version(form, services.activity_version(obj))
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                activity=obj, reason=form.cleaned_data["reason"],
                version=concurrency.submitted_version(form), **form.activity_fields(),
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Aktiviteten »%(name)s« er gemt.") % {"name": obj})
            return redirect(obj)
    context = {"access": access, "form": form, "activity": obj, "nav": "activities"}
    return render(request, "activities/activity_form.html", context)


@plan_view("activities.edit", post="activities.edit")
def activity_end(request: HttpRequest, access: PlanAccess, activity: str) -> HttpResponse:
    """End an activity: from the day after, no registrations; those before stay."""
    obj = _activity_for_edit(access, activity)
    form = ActivityEndForm(request.POST or None, initial={"end_date": date.today()})
    concurrency.carry_version(form, services.activity_version(obj))
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_end(
                activity=obj, end_date=form.cleaned_data["end_date"],
                reason=form.cleaned_data["reason"], actor=request.user,
                version=concurrency.submitted_version(form),
            )  # fmt: skip
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Aktiviteten »%(name)s« er afsluttet.") % {"name": obj})
            return redirect(obj)
    context = {"access": access, "form": form, "activity": obj, "nav": "activities"}
    return render(request, "activities/activity_end_form.html", context)


@plan_view("activities.view")
def activity_detail(request: HttpRequest, access: PlanAccess, activity: str) -> HttpResponse:
    obj = get_object_or_404(selectors.activities_for_plan(access.plan), slug=activity)
    context = {
        "access": access,
        "activity": obj,
        "evaluations": list(obj.evaluations.select_related("author", "evidence_file")),
        "planned": obj.planned.exists(),
        "nav": "activities",
    }
    return render(request, "activities/activity_detail.html", context)


@plan_view("activities.evaluate", post="activities.evaluate")
def evaluation_create(request: HttpRequest, access: PlanAccess, activity: str) -> HttpResponse:
    obj = get_object_or_404(Activity, plan=access.plan, slug=activity)
    if not access.may_evaluate(link.area_id for link in obj.area_links.all()):
        raise PermissionDenied
    form = EvaluationForm(
        request.POST or None, request.FILES or None, initial={"evaluated_on": date.today()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_create(
                plan=access.plan, allowed_area_ids=access.evaluation_area_ids,
                user=request.user, activity=obj, **form.cleaned_data,
            )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Evalueringen er gemt."))
            return redirect(obj)
    context = {"access": access, "activity": obj, "form": form, "nav": "activities"}
    return render(request, "activities/evaluation_form.html", context)


@plan_view("activities.view")
def activity_plan_view(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    rows = selectors.planned_rows(access.plan)
    context = {
        "access": access,
        "rows": rows,
        "settings": services.delivery_settings_for(access.plan),
        "import_form": ActivityPlanImportForm(),
        "has_demo": any(r.is_demo_data for r in rows),
        "nav": "activities",
    }
    return render(request, "activities/activity_plan.html", context)


@plan_view("activities.edit", post="activities.edit")
def activity_plan_import(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    form = ActivityPlanImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data["file"]
            result = activity_plan.activity_plan_import(
                plan=access.plan, file=upload, user=request.user, file_name=upload.name
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            message = _(
                "Aktivitetsskemaet er indlæst: %(c)s nye, %(u)s ændrede, %(n)s uændrede rækker."
            ) % {"c": result.created, "u": result.updated, "n": result.unchanged}
            if result.confirmed:
                message += " " + _(
                    "%(k)s uændrede rækker var demonstrationsdata og er nu planens egne."
                ) % {"k": result.confirmed}
            messages.success(request, message)
            return redirect("activities:plan", slug=access.plan.slug)
    context = {"access": access, "form": form, "nav": "activities"}
    return render(request, "activities/activity_plan_import.html", context)


@plan_view("activities.edit", post="activities.edit")
def delivery_settings(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    settings = services.delivery_settings_for(access.plan)
    form = DeliverySettingsForm(request.POST or None, settings=settings)
    concurrency.carry_version(form, concurrency.version_of(settings if settings.pk else None))
    if request.method == "POST" and form.is_valid():
        try:
            services.delivery_settings_update(
                plan=access.plan,
                under_threshold=form.cleaned_data["under_threshold"],
                over_threshold=form.cleaned_data["over_threshold"],
                column_mapping=form.mapping(),
                version=concurrency.submitted_version(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Indstillingerne er gemt."))
            return redirect("activities:plan", slug=access.plan.slug)
    context = {"access": access, "form": form, "nav": "activities"}
    return render(request, "activities/settings_form.html", context)


@plan_view("activities.view")
def registration_list(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    registrations = selectors.recent_registrations(access.plan, limit=100)
    locking.mark_registrations(access.plan, registrations)  # locked and corrected: two queries
    context = {"access": access, "registrations": registrations, "nav": "activities"}
    return render(request, "activities/registration_list.html", context)


def _registration_form(
    request: HttpRequest, access: PlanAccess, **kwargs: object
) -> RegistrationForm:
    plan = access.plan
    pairs = access.registrable_pairs(selectors.activity_area_links(plan))  # the service's rules
    return RegistrationForm(
        request.POST or None,
        activities=selectors.activities_for_plan(plan).filter(pk__in={a for a, _ in pairs}),
        areas=HousingArea.objects.filter(plan=plan, pk__in={b for _, b in pairs}).order_by("order"),
        partners=Partner.objects.filter(plan=plan),
        **kwargs,  # type: ignore[arg-type]
    )


def _not_offered(access: PlanAccess, form: RegistrationForm) -> list[Activity]:
    """The plan's activities the form leaves out, so the page can say why."""
    offered = form.fields["activity"].queryset  # type: ignore[attr-defined]
    return list(
        Activity.objects.filter(plan=access.plan)
        .exclude(pk__in=offered.values("pk"))
        .order_by("focus_area__order", "order", "name")
    )


def _save_registration(
    request: HttpRequest, access: PlanAccess, form: RegistrationForm, obj: Registration | None
) -> Registration | None:
    data = form.cleaned_data
    values: dict[str, Any] = {
        "plan": access.plan,
        "scope": access.registration_scope,
        "activity": data["activity"],
        "area": data["area"],
        "date": data["date"],
        "counts": form.counts(),
        "volunteers": data["volunteers"],
        "quantity": data["quantity"],
        "partners": data["partners"],
        "note": data["note"],
        "reason": data["reason"],
    }
    try:
        if obj is None:
            return services.registration_create(user=request.user, **values)
        return services.registration_update(
            registration=obj, version=concurrency.submitted_version(form), user=request.user,
            **values,
        )  # fmt: skip
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@plan_view("activities.register", post="activities.register")
def registration_create(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    last = selectors.last_registration(request.user, access.plan)
    initial = RegistrationForm.initial_from(
        last, date.today(), access.plan.start_date, access.plan.end_date
    )
    # The due list's link names the activity to register (``?aktivitet=<slug>``).
    asked = Activity.objects.filter(plan=access.plan, slug=request.GET.get("aktivitet", ""))
    if (activity := asked.first()) is not None and activity.pk != initial.get("activity"):
        initial = {"date": initial.get("date"), "activity": activity.pk}
    form = _registration_form(request, access, initial=initial)
    saved = request.method == "POST" and form.is_valid()
    if saved and _save_registration(request, access, form, None):
        messages.success(request, _("Registreringen er gemt. Klar til den næste."))
        return redirect("activities:registration_create", slug=access.plan.slug)
    context = {
        "access": access,
        "form": form,
        "last": last,
        "not_offered": _not_offered(access, form),
        "nav": "activities",
    }
    return render(request, "activities/registration_form.html", context)


@plan_view("activities.register", post="activities.register")
def registration_edit(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    obj = get_object_or_404(
        Registration.objects.select_related("activity", "area"), plan=access.plan, pk=pk
    )
    if not access.may_register(obj.activity, obj.area_id):
        raise PermissionDenied
    locked_by = locking.registration_lock(access.plan, obj.date)
    form = _registration_form(
        request, access, initial=RegistrationForm.initial_for_edit(obj), locked_by=locked_by
    )
    concurrency.carry_version(form, services.registration_version(obj))
    saved = request.method == "POST" and form.is_valid()
    if saved and _save_registration(request, access, form, obj):
        messages.success(request, _("Registreringen er ændret."))
        return redirect("activities:registrations", slug=access.plan.slug)
    context = {"access": access, "form": form, "registration": obj, "nav": "activities",
               "locked_name": locking.report_name(locked_by) if locked_by else ""}  # fmt: skip
    return render(request, "activities/registration_form.html", context)


def delivery_chart(report: selectors.DeliveryReport) -> str:
    settings = report.settings
    bars = [
        Bar(
            label=f"{block.activity.focus_area.code} {block.activity.name}",
            value=block.total.pct,
            css_class=block.total.flag_class,
        )
        for block in report.activities
        if block.rows
    ]
    lines = [
        ReferenceLine(settings.under_threshold, fmt_percent(settings.under_threshold, 0)),
        ReferenceLine(settings.over_threshold, fmt_percent(settings.over_threshold, 0)),
    ]
    title = _("Leveringsgrad pr. aktivitet %(year)s") % {"year": report.year}
    return horizontal_bars_svg(bars, title=title, empty_text=_("ingen plan"), reference_lines=lines)


# The permissions activities/_delivery_body.html asks about (with its subnav): its cached
# fragment is kept per combination of them.
DELIVERY_PERMISSIONS = ("delivery.close", "activities.register")


@plan_view("delivery.view")
def delivery(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """The delivery page, rendered once per version of the plan's data, year asked, today,
    language and the reader's permissions it asks about (``plans.fragments``)."""

    def body() -> tuple[None, str]:
        offered = delivery_years(access.plan)
        report = selectors.delivery_report(
            access.plan, offered.pick(request.GET.get(YEAR_PARAM)), today=date.today()
        )
        context = {"access": access, "report": report, "chart": delivery_chart(report),
                   "years": offered.years}  # fmt: skip
        return None, render_to_string("activities/_delivery_body.html", context)

    asked = (request.GET.get(YEAR_PARAM, ""),)
    _none, html = fragments.fragment(access, "delivery-page", asked, DELIVERY_PERMISSIONS, body)
    return render(
        request, "activities/delivery.html", {"access": access, "body": html, "nav": "delivery"}
    )


@plan_view("delivery.close", post="delivery.close")
def quarters(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    if request.method == "POST":
        try:
            year, quarter = (int(v) for v in request.POST.get("quarter", "").split("-"))
            services.quarter_close(plan=access.plan, year=year, quarter=quarter, user=request.user)
        except ValueError:
            messages.error(request, _("Vælg et kvartal."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("%(q)s. kvartal %(y)s er lukket.") % {"q": quarter, "y": year}
            )
        return redirect(reverse("activities:quarters", kwargs={"slug": access.plan.slug}))
    context = {
        "access": access,
        "quarters": selectors.quarters_for_plan(access.plan),
        "nav": "delivery",
    }
    return render(request, "activities/quarters.html", context)


@plan_view("activities.view")
def criteria_support(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    year, years = _years(request, access)
    matrix = selectors.support_matrix(access.plan, year)
    context = {
        "access": access,
        "matrix": matrix,
        "years": years,
        "nav": "activities",
    }
    return render(request, "activities/criteria_support.html", context)


@plan_view("activities.view")
def evaluation_file(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("evidence_file"), activity__plan=access.plan, pk=pk
    )
    if evaluation.evidence_file is None:
        raise Http404
    # plan_view is typed for HttpResponse; a streamed file answer serves the same purpose.
    return stored_file_response(  # type: ignore[return-value]
        request=request,
        access=access,
        stored=evaluation.evidence_file,
        permission="activities.view",
    )
