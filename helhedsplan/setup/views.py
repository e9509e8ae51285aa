"""The guided setup of a plan, for its secretariat: the steps and what is missing, and the
step pages of the plan itself (details, parties, areas, focus areas). The other steps
(criteria, activities, bodies, funding, users) are done on their apps' pages, which the
checklist links to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.frameworks import catalogue
from helhedsplan.lib import concurrency
from helhedsplan.lib.forms import add_service_errors
from helhedsplan.plans import services
from helhedsplan.plans.models import (
    AreaDepartment,
    FocusArea,
    HousingArea,
    HousingOrganisation,
    SubArea,
)
from helhedsplan.plans.selectors import areas_for_plan
from helhedsplan.setup import selectors
from helhedsplan.setup.forms import (
    AreaCreateForm,
    AreaEditForm,
    CvrForm,
    DepartmentForm,
    FocusAreaCreateForm,
    FocusAreaFrameworkForm,
    HousingOrganisationCreateForm,
    PartyLinkForm,
    PlanDetailsForm,
    PopulationForm,
    SubAreaForm,
)

SETUP = "plan.setup"


@plan_view(SETUP)
def overview(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    checklist = selectors.setup_checklist(access.plan)
    context = {
        "access": access,
        "steps": selectors.setup_steps(access.plan, checklist),
        "missing": selectors.missing_count(checklist),
        "nav": "setup",
    }
    return render(request, "setup/overview.html", context)


@plan_view(SETUP, post=SETUP)
def details(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    plan = access.plan
    locked = services.plan_framework_locked(plan)
    form = PlanDetailsForm(request.POST or None, instance=plan, framework_locked=locked)
    concurrency.carry_version(form, concurrency.version_of(plan))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_update(
                plan=plan,
                name=data["name"],
                lbf_case_number=data["lbf_case_number"],
                framework=None if locked else data["framework"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                version=concurrency.submitted_version(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Planens oplysninger er gemt."))
            return redirect("setup:overview", slug=plan.slug)
    return render(request, "setup/details.html", {"access": access, "form": form, "nav": "setup"})


# --- Parties -------------------------------------------------------------------------------


def _parties_page(request: HttpRequest, access: PlanAccess, **forms: Any) -> HttpResponse:
    plan = access.plan
    context = {
        "access": access,
        "nav": "setup",
        "organisations": list(plan.housing_organisations.order_by("name")),
        "create_form": forms.get("create_form") or HousingOrganisationCreateForm(),
        "link_form": forms.get("link_form") or PartyLinkForm(plan=plan),
    }
    return render(request, "setup/parties.html", context)


@plan_view(SETUP, post=SETUP)
def parties(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """The plan's parties; a POST creates a housing organisation and makes it a party."""
    form = HousingOrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.plan_housing_organisation_create(plan=access.plan, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s er tilføjet som part.") % {"name": org.name})
            return redirect("setup:parties", slug=access.plan.slug)
    return _parties_page(request, access, create_form=form)


@plan_view(SETUP, post=SETUP)
def party_link(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """Make an existing housing organisation a party of the plan."""
    form = PartyLinkForm(request.POST or None, plan=access.plan)
    if request.method == "POST" and form.is_valid():
        org = form.cleaned_data["housing_organisation"]
        services.plan_housing_organisation_add(plan=access.plan, housing_organisation=org)
        messages.success(request, _("%(name)s er tilføjet som part.") % {"name": org.name})
        return redirect("setup:parties", slug=access.plan.slug)
    return _parties_page(request, access, link_form=form)


def _party(access: PlanAccess, pk: int) -> HousingOrganisation:
    return get_object_or_404(access.plan.housing_organisations, pk=pk)


@plan_view(SETUP, post=SETUP)
def party_edit(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    """A party's CVR number."""
    org = _party(access, pk)
    form = CvrForm(request.POST or None, initial={"cvr": org.cvr})
    concurrency.carry_version(form, concurrency.version_of(org))
    if request.method == "POST" and form.is_valid():
        try:
            services.housing_organisation_update(
                housing_organisation=org,
                cvr=form.cleaned_data["cvr"],
                version=concurrency.submitted_version(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("CVR-nummeret er gemt."))
            return redirect("setup:parties", slug=access.plan.slug)
    context = {"access": access, "form": form, "organisation": org, "nav": "setup"}
    return render(request, "setup/party_form.html", context)


@plan_view(None, post=SETUP)
def party_unlink(request: HttpRequest, access: PlanAccess, pk: int) -> HttpResponse:
    """No longer a party. Posted again (or for an organisation that is no party): nothing
    to do, back to the list."""
    org = access.plan.housing_organisations.filter(pk=pk).first()
    if org is None:
        messages.info(request, _("Organisationen er ikke part i planen."))
        return redirect("setup:parties", slug=access.plan.slug)
    try:
        services.plan_housing_organisation_remove(plan=access.plan, housing_organisation=org)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s er ikke længere part.") % {"name": org.name})
    return redirect("setup:parties", slug=access.plan.slug)


# --- Housing areas -------------------------------------------------------------------------


@plan_view(SETUP, post=SETUP)
def areas(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """The plan's housing areas; a POST creates one (then its page adds the rest)."""
    plan = access.plan
    form = AreaCreateForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            area = services.housing_area_create(
                plan=plan,
                name=data["name"],
                slug=data["slug"],
                priority=data["priority"],
                housing_organisations=data["housing_organisations"],
                sub_areas=form.sub_area_names(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Boligområdet %(name)s er oprettet.") % {"name": area.name})
            return redirect("setup:area_edit", slug=plan.slug, area=area.slug)
    rows = list(areas_for_plan(plan).prefetch_related("departments__housing_organisation"))
    context = {"access": access, "form": form, "areas": rows, "nav": "setup"}
    return render(request, "setup/areas.html", context)


def _area(access: PlanAccess, slug: str) -> HousingArea:
    return get_object_or_404(
        HousingArea.objects.select_related("plan").prefetch_related(
            "sub_areas", "departments__housing_organisation", "populations"
        ),
        plan=access.plan,
        slug=slug,
    )


def _area_page(
    request: HttpRequest, access: PlanAccess, area: HousingArea, **forms: Any
) -> HttpResponse:
    plan = access.plan
    edit_form = forms.get("edit_form")
    if edit_form is None:
        edit_form = AreaEditForm(instance=area)
        concurrency.carry_version(edit_form, concurrency.version_of(area))
    context = {
        "access": access,
        "nav": "setup",
        "area": area,
        "edit_form": edit_form,
        "department_form": forms.get("department_form") or DepartmentForm(plan=plan),
        "sub_area_form": forms.get("sub_area_form") or SubAreaForm(),
        "population_form": forms.get("population_form") or PopulationForm(),
    }
    return render(request, "setup/area_form.html", context)


def _fragment(
    request: HttpRequest, access: PlanAccess, area: HousingArea, template: str, **forms: Any
) -> HttpResponse:
    """An htmx request gets only the list it changed (with its form); status 200 either way
    so htmx swaps in the errors."""
    context = {
        "access": access,
        "area": _area(access, area.slug),
        "department_form": forms.get("department_form") or DepartmentForm(plan=access.plan),
        "sub_area_form": forms.get("sub_area_form") or SubAreaForm(),
    }
    return render(request, template, context)


@plan_view(SETUP, post=SETUP)
def area_edit(request: HttpRequest, access: PlanAccess, area: str) -> HttpResponse:
    obj = _area(access, area)
    if request.method != "POST":
        return _area_page(request, access, obj)
    form = AreaEditForm(request.POST, instance=obj)
    concurrency.carry_version(form, concurrency.version_of(obj))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.housing_area_update(
                area=obj,
                name=data["name"],
                priority=data["priority"],
                housing_organisations=data["housing_organisations"],
                version=concurrency.submitted_version(form),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Boligområdet er gemt."))
            return redirect("setup:area_edit", slug=access.plan.slug, area=obj.slug)
    return _area_page(request, access, _area(access, area), edit_form=form)


def _add_row(
    request: HttpRequest,
    access: PlanAccess,
    obj: HousingArea,
    form: forms.Form,
    write: Callable[[dict[str, Any]], object],
    fragment: str,
    form_key: str,
    done: str,
) -> HttpResponse:
    """A row added to an area's list (a department, a sub-area): the list's fragment for
    htmx, else the area page; on a refusal the same with the form and its errors."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if request.htmx:  # type: ignore[attr-defined]
                return _fragment(request, access, obj, fragment)
            messages.success(request, done)
            return redirect("setup:area_edit", slug=access.plan.slug, area=obj.slug)
    if request.htmx:  # type: ignore[attr-defined]
        return _fragment(request, access, obj, fragment, **{form_key: form})
    return _area_page(request, access, obj, **{form_key: form})


def _removed_row(
    request: HttpRequest, access: PlanAccess, obj: HousingArea, fragment: str, done: str
) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        return _fragment(request, access, obj, fragment)
    messages.success(request, done)
    return redirect("setup:area_edit", slug=access.plan.slug, area=obj.slug)


@plan_view(None, post=SETUP)
def department_add(request: HttpRequest, access: PlanAccess, area: str) -> HttpResponse:
    obj = _area(access, area)
    return _add_row(
        request, access, obj, DepartmentForm(request.POST, plan=access.plan),
        lambda data: services.area_department_add(area=obj, **data),
        "setup/_departments.html", "department_form", _("Afdelingen er tilføjet."),
    )  # fmt: skip


@plan_view(None, post=SETUP)
def department_remove(request: HttpRequest, access: PlanAccess, area: str, pk: int) -> HttpResponse:
    obj = _area(access, area)
    department = AreaDepartment.objects.filter(area=obj, pk=pk).first()
    if department is not None:  # posted twice: already gone
        services.area_department_remove(department=department)
    return _removed_row(request, access, obj, "setup/_departments.html",
                        _("Afdelingen er fjernet."))  # fmt: skip


@plan_view(None, post=SETUP)
def sub_area_add(request: HttpRequest, access: PlanAccess, area: str) -> HttpResponse:
    obj = _area(access, area)
    return _add_row(
        request, access, obj, SubAreaForm(request.POST),
        lambda data: services.sub_area_add(area=obj, name=data["name"]),
        "setup/_sub_areas.html", "sub_area_form", _("Delområdet er tilføjet."),
    )  # fmt: skip


@plan_view(None, post=SETUP)
def sub_area_remove(request: HttpRequest, access: PlanAccess, area: str, pk: int) -> HttpResponse:
    obj = _area(access, area)
    sub_area = SubArea.objects.filter(area=obj, pk=pk).first()
    if sub_area is not None:  # posted twice: already gone
        services.sub_area_remove(sub_area=sub_area)
    return _removed_row(request, access, obj, "setup/_sub_areas.html",
                        _("Delområdet er fjernet."))  # fmt: skip


@plan_view(None, post=SETUP)
def population_set(request: HttpRequest, access: PlanAccess, area: str) -> HttpResponse:
    obj = _area(access, area)
    form = PopulationForm(request.POST)
    if form.is_valid():
        try:
            services.area_population_set(area=obj, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Beboertallet er gemt."))
            return redirect("setup:area_edit", slug=access.plan.slug, area=obj.slug)
    return _area_page(request, access, obj, population_form=form)


# --- Focus areas ---------------------------------------------------------------------------


def _framework(access: PlanAccess) -> catalogue.Framework | None:
    try:
        return catalogue.get(access.plan.framework)
    except catalogue.UnknownFramework:
        return None


@plan_view(SETUP, post=SETUP)
def focus_areas(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    """The plan's focus areas; a POST chooses one more from the plan's framework."""
    plan = access.plan
    framework = _framework(access)
    existing = list(FocusArea.objects.filter(plan=plan).order_by("order", "code"))
    taken = {fa.framework_key for fa in existing if fa.framework_key}
    form = FocusAreaCreateForm(
        request.POST or None,
        framework=framework,
        taken=taken,
        initial={"code": services.next_focus_area_code(plan)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            focus_area = services.focus_area_create(
                plan=plan,
                framework_key=form.cleaned_data["framework_key"],
                code=form.cleaned_data["code"].strip(),
                name=form.focus_area_name(),
                purpose=form.cleaned_data["purpose"],
                sub_goals=form.lines("sub_goals"),
                target_groups=form.lines("target_groups"),
                order=len(existing) + 1,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Indsatsområdet %(fa)s er oprettet.") % {"fa": str(focus_area)}
            )
            return redirect("setup:focus_areas", slug=plan.slug)
    known = {item.key for item in framework.focus_areas} if framework else set()
    free = known - taken
    rows = []
    for fa in existing:
        choose = None
        if fa.framework_key not in known and free:
            # Preselect the framework's focus area of the same name (the demo's are so named).
            same = (
                next(
                    (i.key for i in framework.focus_areas if i.name.lower() == fa.name.lower()),
                    None,
                )
                if framework
                else None
            )
            choose = FocusAreaFrameworkForm(
                framework=framework,
                free=free,
                prefix=f"fa{fa.pk}",
                initial={"framework_key": same} if same in free else None,
            )
            concurrency.carry_version(choose, concurrency.version_of(fa))
        rows.append((fa, choose))
    context = {
        "access": access,
        "nav": "setup",
        "form": form,
        "rows": rows,
        "framework": framework,
    }
    return render(request, "setup/focus_areas.html", context)


@plan_view(None, post=SETUP)
def focus_area_framework(request: HttpRequest, access: PlanAccess, code: str) -> HttpResponse:
    """Record which of the framework's focus areas an existing one is (a plan made before
    the choice was recorded, such as the demo's)."""
    fa = get_object_or_404(FocusArea, plan=access.plan, code=code)
    known = (
        {item.key for item in framework.focus_areas} if (framework := _framework(access)) else set()
    )
    form = FocusAreaFrameworkForm(
        request.POST, framework=framework, free=known, prefix=f"fa{fa.pk}"
    )
    concurrency.carry_version(form, concurrency.version_of(fa))
    if form.is_valid():
        try:
            services.focus_area_framework_set(
                focus_area=fa,
                framework_key=form.cleaned_data["framework_key"],
                version=concurrency.submitted_version(form),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Indsatsområdet %(fa)s er gemt.") % {"fa": str(fa)})
    else:
        messages.error(
            request,
            _("%(fa)s: vælg et af rammens indsatsområder.") % {"fa": str(fa)},
        )
    return redirect("setup:focus_areas", slug=access.plan.slug)
