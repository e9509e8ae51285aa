from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.frameworks import catalogue
from helhedsplan.lib import concurrency
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.organisation import chart, selectors, services
from helhedsplan.organisation.compliance import compliance
from helhedsplan.organisation.forms import DateForm, MembershipEndForm, MembershipForm, PersonForm
from helhedsplan.organisation.models import Body, Membership, Person


def _on(request: HttpRequest) -> tuple[DateForm, date]:
    form = DateForm(request.GET or None)
    on = form.cleaned_data.get("dato") if form.is_valid() else None
    return form, on or timezone.localdate()


@plan_view("organisation.view")
def overview(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    date_form, on = _on(request)
    bodies = selectors.bodies_on(access.plan, on)
    context = {
        "access": access,
        "nav": "organisation",
        "date_form": date_form,
        "on": on,
        "bodies": bodies,
        "results": compliance(access.plan, bodies),
        "people": selectors.people_for_plan(access.plan),
    }
    return render(request, "organisation/overview.html", context)


@plan_view("organisation.view")
def body_detail(request: HttpRequest, access: PlanAccess, body: str) -> HttpResponse:
    obj = get_object_or_404(Body, plan=access.plan, slug=body)
    history = obj.memberships.select_related("person", "area").order_by("-start_date", "role")
    context = {"access": access, "nav": "organisation", "body": obj, "history": history}
    return render(request, "organisation/body_detail.html", context)


@plan_view("organisation.edit", post="organisation.edit")
def person_create(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    return _person_form(request, access, None)


@plan_view("organisation.edit", post="organisation.edit")
def person_edit(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    return _person_form(request, access, get_object_or_404(Person, plan=access.plan, pk=pk))


def _person_form(request: HttpRequest, access: PlanAccess, person: Person | None) -> HttpResponse:
    form = PersonForm(request.POST or None, instance=person, plan=access.plan)
    if person is not None:
        concurrency.carry_version(form, concurrency.version_of(person))
    if request.method == "POST" and form.is_valid():
        try:
            if person is None:
                services.person_create(plan=access.plan, **form.cleaned_data)
            else:
                services.person_update(person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Personen er gemt."))
            return redirect("organisation:overview", slug=access.plan.slug)
    context = {"access": access, "nav": "organisation", "form": form, "person": person}
    return render(request, "organisation/person_form.html", context)


@plan_view("organisation.edit", post="organisation.edit")
def membership_create(request: HttpRequest, access: PlanAccess, body: str) -> HttpResponse:
    obj = get_object_or_404(Body, plan=access.plan, slug=body)
    form = MembershipForm(request.POST or None, plan=access.plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_create(body=obj, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Medlemskabet er gemt."))
            return redirect(obj)
    context = {"access": access, "nav": "organisation", "form": form, "body": obj}
    return render(request, "organisation/membership_form.html", context)


@plan_view("organisation.edit", post="organisation.edit")
def membership_end(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("body", "person"), body__plan=access.plan, pk=pk
    )
    form = MembershipEndForm(request.POST or None)
    concurrency.carry_version(form, concurrency.version_of(membership))
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(membership=membership, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Medlemskabet er afsluttet."))
            return redirect(membership.body)
    context = {"access": access, "nav": "organisation", "form": form, "membership": membership}
    return render(request, "organisation/membership_end.html", context)


@plan_view("organisation.chart")
def chart_page(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    date_form, on = _on(request)
    svg = chart.chart_svg(access.plan, on)
    context = {
        "access": access,
        "nav": "organisation",
        "svg": svg,
        "on": on,
        "date_form": date_form,
    }
    return render(request, "organisation/chart.html", context)


@plan_view("organisation.view", post="organisation.edit")
def from_framework(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """What the plan's framework has and the plan lacks; a POST creates it."""
    try:
        framework = catalogue.get(access.plan.framework)
    except catalogue.UnknownFramework:
        raise Http404 from None
    if request.method == "POST":
        try:
            created = services.organisation_from_framework(plan=access.plan, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Organer og regler fra rammen er oprettet (%(n)s nye organer).")
                % {"n": len(created)},
            )
            return redirect("organisation:overview", slug=access.plan.slug)
    missing = selectors.missing_from_framework(access.plan, framework)
    context = {
        "access": access,
        "nav": "organisation",
        "framework": framework,
        "missing": missing,
        "rules": [(r, r.wording(str(access.plan.municipality))) for r in missing.rules],
    }
    return render(request, "organisation/from_framework.html", context)
