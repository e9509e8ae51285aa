"""Writes to plans, areas and focus areas. Each is atomic and validated before saving."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from helhedsplan.audit.context import audit_reason
from helhedsplan.audit.services import audit_event
from helhedsplan.frameworks import catalogue
from helhedsplan.lib import concurrency
from helhedsplan.lib.numbers import fmt_date
from helhedsplan.plans import closing
from helhedsplan.plans.models import (
    AreaDepartment,
    AreaPopulation,
    FinalReport,
    FocusArea,
    HousingArea,
    HousingOrganisation,
    Municipality,
    Plan,
    SubArea,
)


def _framework_problem(code: str) -> ValidationError | None:
    """A refusal when ``code`` is not a framework of the catalogue (code ``unknown_framework``)."""
    try:
        catalogue.get(code)
    except catalogue.UnknownFramework:
        return ValidationError(
            _("Bevillingsrammen »%(code)s« findes ikke. Vælg en af rammerne: %(known)s.")
            % {"code": code, "known": ", ".join(c for c, _name in catalogue.choices())},
            code="unknown_framework",
        )
    return None


def plan_framework_locked(plan: Plan) -> bool:
    """The framework is fixed once an agreement version has been submitted or approved:
    the agreement LBF has (or is deciding on) is written under it."""
    from helhedsplan.agreements.models import AgreementVersion, VersionStatus

    return AgreementVersion.objects.filter(
        plan=plan, status__in=[VersionStatus.SUBMITTED, VersionStatus.APPROVED]
    ).exists()


@transaction.atomic
def plan_update(
    *,
    plan: Plan,
    name: str,
    start_date: date,
    end_date: date,
    status: str | None = None,
    period_note: str | None = None,
    lbf_case_number: str | None = None,
    framework: str | None = None,
    version: str | None = None,
) -> Plan:
    """The plan's details; an argument left None keeps what is stored.

    ``version``: the plan's token when the form was opened (code ``stale_edit``).
    Refused (nothing written): an end not after the start (``end_before_start``), a
    framework that is not in the catalogue (``unknown_framework``), a change of framework
    once an agreement version is submitted or approved (``framework_locked``)."""
    plan = concurrency.lock_and_check(plan, version, what=_("Planen"))
    errors: dict[str, ValidationError] = {}
    if start_date and end_date and end_date <= start_date:
        errors["end_date"] = ValidationError(
            _("Slutdatoen skal ligge efter startdatoen."), code="end_before_start"
        )
    if framework is not None and framework != plan.framework:
        problem = _framework_problem(framework)
        if problem is not None:
            errors["framework"] = problem
        elif plan_framework_locked(plan):
            errors["framework"] = ValidationError(
                _(
                    "Bevillingsrammen kan ikke ændres, når en version af aftalen er indsendt "
                    "til eller godkendt af Landsbyggefonden."
                ),
                code="framework_locked",
            )
    if errors:
        raise ValidationError(errors)
    plan.name, plan.start_date, plan.end_date = name, start_date, end_date
    if status is not None:
        plan.status = status
    if period_note is not None:
        plan.period_note = period_note
    if lbf_case_number is not None:
        plan.lbf_case_number = lbf_case_number.strip()
    if framework is not None:
        plan.framework = framework
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def focus_area_update(
    *,
    focus_area: FocusArea,
    name: str,
    purpose: str,
    sub_goals: str,
    target_groups: str,
    version: str | None = None,
    reason: str = "",
    user: object = None,
) -> FocusArea:
    """``version``: the focus area's token when the form was opened (code ``stale_edit``).

    On a plan under an approved agreement the change is proposed in the open draft agreement
    version with a ``reason`` and applies when that version is in force
    (``agreements.changes``); the focus area is returned unchanged. Codes
    ``draft_version_required``, ``reason_required``."""
    # The agreements app sits above plans; imported here so plans does not depend on it.
    from helhedsplan.agreements import changes

    focus_area = changes.lock_and_check(
        focus_area, version, what=_("Indsatsområdet %(code)s") % {"code": focus_area.code}
    )
    values = {"name": name, "purpose": purpose, "sub_goals": sub_goals,
              "target_groups": target_groups}  # fmt: skip
    if changes.under_agreement(focus_area.plan):
        changes.proposed_change_record(obj=focus_area, values=values, reason=reason, actor=user)
        return focus_area
    for field_name, value in values.items():
        setattr(focus_area, field_name, value)
    focus_area.full_clean()
    with audit_reason(reason.strip()):
        focus_area.save()
    return focus_area


@transaction.atomic
def municipality_create(*, name: str) -> Municipality:
    """A municipality; a name already in use is refused (code ``unique``)."""
    municipality = Municipality(name=name)
    municipality.full_clean()
    municipality.save()
    return municipality


def _cvr_problem(cvr: str, *, exclude_pk: int | None = None) -> ValidationError | None:
    """A refusal of a CVR number that is not 8 digits (``cvr``) or is another housing
    organisation's (``cvr_in_use``); None for a good one or none."""
    if not cvr:
        return None
    if not (len(cvr) == 8 and cvr.isascii() and cvr.isdigit()):
        return ValidationError(
            _("CVR-nummeret »%(cvr)s« er ikke 8 cifre.") % {"cvr": cvr}, code="cvr"
        )
    others = HousingOrganisation.objects.filter(cvr=cvr)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    other = others.first()
    if other is not None:
        return ValidationError(
            _("CVR-nummeret %(cvr)s er allerede registreret for %(name)s.")
            % {"cvr": cvr, "name": other.name},
            code="cvr_in_use",
        )
    return None


@transaction.atomic
def housing_organisation_create(
    *, name: str, cvr: str = "", is_placeholder: bool = False
) -> HousingOrganisation:
    """A housing organisation; ``is_placeholder`` marks one the agreement does not name.

    Refused: a name in use (``unique``), a CVR number that is not 8 digits (``cvr``) or is
    another organisation's (``cvr_in_use``)."""
    cvr = cvr.strip().replace(" ", "")
    problem = _cvr_problem(cvr)
    if problem is not None:
        raise ValidationError({"cvr": problem})
    name = name.strip()
    if HousingOrganisation.objects.filter(name__iexact=name).exists():
        raise ValidationError(
            {
                "name": ValidationError(
                    _("Boligorganisationen %(name)s findes allerede: vælg den på listen.")
                    % {"name": name},
                    code="unique",
                )
            }
        )
    organisation = HousingOrganisation(name=name, cvr=cvr, is_placeholder=is_placeholder)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def housing_organisation_update(
    *, housing_organisation: HousingOrganisation, cvr: str, version: str | None = None
) -> HousingOrganisation:
    """A housing organisation's CVR number (the name is the organisation's, shared by plans).

    Refused: ``cvr``, ``cvr_in_use`` as on creation; ``stale_edit`` against a changed row."""
    organisation = concurrency.lock_and_check(
        housing_organisation, version, what=str(housing_organisation)
    )
    cvr = cvr.strip().replace(" ", "")
    problem = _cvr_problem(cvr, exclude_pk=organisation.pk)
    if problem is not None:
        raise ValidationError({"cvr": problem})
    organisation.cvr = cvr
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def plan_housing_organisation_add(*, plan: Plan, housing_organisation: HousingOrganisation) -> None:
    """Make the housing organisation a party of the plan (again: nothing changes)."""
    plan.housing_organisations.add(housing_organisation)


@transaction.atomic
def plan_housing_organisation_create(
    *, plan: Plan, name: str, cvr: str = ""
) -> HousingOrganisation:
    """A new housing organisation, made a party of the plan (refusals as
    ``housing_organisation_create``; nothing written then)."""
    organisation = housing_organisation_create(name=name, cvr=cvr)
    plan_housing_organisation_add(plan=plan, housing_organisation=organisation)
    return organisation


@transaction.atomic
def plan_housing_organisation_remove(
    *, plan: Plan, housing_organisation: HousingOrganisation
) -> None:
    """The housing organisation is no longer a party of the plan.

    Refused (``organisation_in_use``): one that owns a department or an area of the plan."""
    in_use = (
        AreaDepartment.objects.filter(
            area__plan=plan, housing_organisation=housing_organisation
        ).exists()
        or HousingArea.objects.filter(
            plan=plan, housing_organisations=housing_organisation
        ).exists()
    )
    if in_use:
        raise ValidationError(
            _(
                "%(name)s kan ikke fjernes fra planen: organisationen har afdelinger eller "
                "boligområder i planen. Fjern dem fra områderne først."
            )
            % {"name": housing_organisation.name},
            code="organisation_in_use",
        )
    plan.housing_organisations.remove(housing_organisation)


@transaction.atomic
def plan_create(
    *,
    name: str,
    slug: str,
    municipality: Municipality,
    start_date: date,
    end_date: date,
    period_note: str = "",
    vision: str = "",
    status: str = Plan.Status.DRAFT,
    housing_organisations: Iterable[HousingOrganisation] = (),
    framework: str = catalogue.DEFAULT,
    lbf_case_number: str = "",
) -> Plan:
    """A plan with its period, grant framework and the housing organisations taking part.

    Refused (nothing written): a slug in use (``unique``), an end not after the start
    (``end_before_start``), a framework the catalogue does not know (``unknown_framework``),
    a CPR number in the texts (``cpr_number``)."""
    errors: dict[str, ValidationError] = {}
    try:
        catalogue.get(framework)
    except catalogue.UnknownFramework:
        known = ", ".join(code for code, _name in catalogue.choices())
        errors["framework"] = ValidationError(
            _("Bevillingsrammen »%(code)s« findes ikke. Vælg en af: %(known)s.")
            % {"code": framework, "known": known},
            code="unknown_framework",
        )
    if start_date and end_date and end_date <= start_date:
        errors["end_date"] = ValidationError(
            _("Slutdatoen skal ligge efter startdatoen."), code="end_before_start"
        )
    if slug and Plan.objects.filter(slug=slug).exists():
        errors["slug"] = ValidationError(
            _("Der findes allerede en plan med det korte navn »%(slug)s«.") % {"slug": slug},
            code="unique",
        )
    if errors:
        raise ValidationError(errors)
    plan = Plan(
        framework=framework,
        lbf_case_number=lbf_case_number,
        name=name,
        slug=slug,
        municipality=municipality,
        start_date=start_date,
        end_date=end_date,
        period_note=period_note,
        vision=vision,
        status=status,
    )
    plan.full_clean()
    plan.save()
    plan.housing_organisations.set(list(housing_organisations))
    return plan


_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def slug_from_name(name: str) -> str:
    """The short name of a URL from a Danish name: Skælskør gives skaelskoer."""
    return slugify(name.translate(_DANISH))[:50].strip("-")


def _area_name_problems(
    *, plan: Plan, name: str, slug: str | None, exclude_pk: int | None = None
) -> dict[str, ValidationError]:
    others = HousingArea.objects.filter(plan=plan)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    errors: dict[str, ValidationError] = {}
    if others.filter(name__iexact=name.strip()).exists():
        errors["name"] = ValidationError(
            _("Planen har allerede et boligområde, der hedder %(name)s.") % {"name": name},
            code="area_name_in_use",
        )
    if slug is not None and others.filter(slug=slug).exists():
        errors["slug"] = ValidationError(
            _("Planen har allerede et boligområde med det korte navn »%(slug)s«.") % {"slug": slug},
            code="area_slug_in_use",
        )
    return errors


def _organisations_outside_plan(
    plan: Plan, organisations: Iterable[HousingOrganisation]
) -> ValidationError | None:
    parties = set(plan.housing_organisations.values_list("pk", flat=True))
    outside = [o.name for o in organisations if o.pk not in parties]
    if not outside:
        return None
    return ValidationError(
        _("%(names)s er ikke part i planen: tilføj organisationen under parterne først.")
        % {"names": ", ".join(sorted(outside))},
        code="organisation_not_in_plan",
    )


@transaction.atomic
def housing_area_create(
    *,
    plan: Plan,
    name: str,
    slug: str = "",
    order: int | None = None,
    priority: int | None = None,
    sub_areas: Iterable[str] = (),
    housing_organisations: Iterable[HousingOrganisation] = (),
) -> HousingArea:
    """A housing area of the plan with its sub-areas (named parts, in the order given).

    ``slug`` empty: made from the name. ``order`` None: after the plan's other areas.
    Refused: a name (``area_name_in_use``) or slug (``area_slug_in_use``) already used in
    the plan, a sub-area named twice (``duplicate_sub_area``), a housing organisation
    that is not a party of the plan (``organisation_not_in_plan``)."""
    names = [s.strip() for s in sub_areas if s.strip()]
    twice = sorted({n for n in names if names.count(n) > 1})
    slug = slug or slug_from_name(name)
    errors = _area_name_problems(plan=plan, name=name, slug=slug)
    if twice:
        errors["sub_areas"] = ValidationError(
            _("Delområdet %(name)s er nævnt to gange.") % {"name": twice[0]},
            code="duplicate_sub_area",
        )
    organisations = list(housing_organisations)
    outside = _organisations_outside_plan(plan, organisations)
    if outside is not None:
        errors["housing_organisations"] = outside
    if errors:
        raise ValidationError(errors)
    if order is None:
        order = (HousingArea.objects.filter(plan=plan).aggregate(top=Max("order"))["top"] or 0) + 1
    area = HousingArea(plan=plan, slug=slug, name=name.strip(), order=order, priority=priority)
    area.full_clean()
    area.save()
    area.housing_organisations.set(organisations)
    for sub_order, sub_name in enumerate(names):
        sub = SubArea(area=area, name=sub_name, order=sub_order)
        sub.full_clean()
        sub.save()
    return area


@transaction.atomic
def housing_area_update(
    *,
    area: HousingArea,
    name: str,
    priority: int | None,
    housing_organisations: Iterable[HousingOrganisation],
    version: str | None = None,
) -> HousingArea:
    """An area's name, priority and housing organisations (its short name stays: links to
    the area keep working).

    Refused: ``area_name_in_use``, ``organisation_not_in_plan`` as on creation,
    ``stale_edit`` against a changed area."""
    area = concurrency.lock_and_check(
        area, version, what=_("Boligområdet %(name)s") % {"name": area.name}
    )
    organisations = list(housing_organisations)
    errors = _area_name_problems(plan=area.plan, name=name, slug=None, exclude_pk=area.pk)
    outside = _organisations_outside_plan(area.plan, organisations)
    if outside is not None:
        errors["housing_organisations"] = outside
    if errors:
        raise ValidationError(errors)
    area.name, area.priority = name.strip(), priority
    area.full_clean()
    area.save()
    area.housing_organisations.set(organisations)
    return area


@transaction.atomic
def area_department_add(
    *,
    area: HousingArea,
    number: str,
    housing_organisation: HousingOrganisation | None,
    name: str = "",
) -> AreaDepartment:
    """One of LBF's departments in the area, numbered within its housing organisation.

    Refused: an empty number (``required``), a number already used in the plan for the
    same organisation (``department_in_use``), an organisation that is not a party of the
    plan (``organisation_not_in_plan``)."""
    number = number.strip()
    if not number:
        raise ValidationError(
            {"number": ValidationError(_("Skriv afdelingsnummeret."), code="required")}
        )
    if housing_organisation is not None:
        outside = _organisations_outside_plan(area.plan, [housing_organisation])
        if outside is not None:
            raise ValidationError({"housing_organisation": outside})
    used = (
        AreaDepartment.objects.filter(
            area__plan_id=area.plan_id, housing_organisation=housing_organisation, number=number
        )
        .select_related("area")
        .first()
    )
    if used is not None:
        owner = housing_organisation.name if housing_organisation else _("uden boligorganisation")
        raise ValidationError(
            {
                "number": ValidationError(
                    _("Afdeling %(number)s (%(owner)s) er allerede med i planen, i %(area)s.")
                    % {"number": number, "owner": owner, "area": used.area.name},
                    code="department_in_use",
                )
            }
        )
    department = AreaDepartment(
        area=area, housing_organisation=housing_organisation, number=number, name=name.strip()
    )
    department.full_clean()
    department.save()
    return department


@transaction.atomic
def area_department_remove(*, department: AreaDepartment) -> None:
    department.delete()


@transaction.atomic
def sub_area_add(*, area: HousingArea, name: str) -> SubArea:
    """A named part of the area, after its others. Refused: a name the area already has
    (``duplicate_sub_area``), an empty name (``required``)."""
    name = name.strip()
    if not name:
        raise ValidationError(
            {"name": ValidationError(_("Skriv delområdets navn."), code="required")}
        )
    if SubArea.objects.filter(area=area, name__iexact=name).exists():
        raise ValidationError(
            {
                "name": ValidationError(
                    _("%(area)s har allerede delområdet %(name)s.")
                    % {"area": area.name, "name": name},
                    code="duplicate_sub_area",
                )
            }
        )
    order = (SubArea.objects.filter(area=area).aggregate(top=Max("order"))["top"] or 0) + 1
    sub = SubArea(area=area, name=name, order=order)
    sub.full_clean()
    sub.save()
    return sub


@transaction.atomic
def sub_area_remove(*, sub_area: SubArea) -> None:
    sub_area.delete()


POPULATION_YEARS = range(1990, 2101)


@transaction.atomic
def area_population_set(
    *, area: HousingArea, year: int, residents: int, source: str = ""
) -> AreaPopulation:
    """The number of residents in an area in a year (the denominator of rates per 1000).

    Setting the figure again replaces it; setting what is stored writes nothing.
    Refused: a negative number (``residents_negative``), a year outside 1990-2100
    (``year_out_of_range``)."""
    errors: dict[str, ValidationError] = {}
    if residents < 0:
        errors["residents"] = ValidationError(
            _("Beboertallet for %(area)s i %(year)s kan ikke være negativt (%(residents)s).")
            % {"area": area.name, "year": year, "residents": residents},
            code="residents_negative",
        )
    if year not in POPULATION_YEARS:
        errors["year"] = ValidationError(
            _("Året %(year)s for %(area)s ligger uden for 1990-2100.")
            % {"year": year, "area": area.name},
            code="year_out_of_range",
        )
    if errors:
        raise ValidationError(errors)
    population = AreaPopulation.objects.filter(area=area, year=year).first() or AreaPopulation(
        area=area, year=year
    )
    if population.pk and (population.residents, population.source) == (residents, source):
        return population
    population.residents, population.source = residents, source
    population.full_clean()
    population.save()
    return population


def next_focus_area_code(plan: Plan) -> str:
    """The next free section number of a focus area: 5.1, 5.2, ... (the agreement's § 5)."""
    taken = set(FocusArea.objects.filter(plan=plan).values_list("code", flat=True))
    n = 1
    while f"5.{n}" in taken:
        n += 1
    return f"5.{n}"


def _framework_key_problem(
    plan: Plan, framework_key: str, *, exclude_pk: int | None = None
) -> ValidationError | None:
    """A refusal of a framework focus area the plan's framework does not have
    (``unknown_framework_focus_area``) or the plan has already chosen
    (``framework_focus_area_taken``); None for a free one."""
    try:
        framework: catalogue.Framework | None = catalogue.get(plan.framework)
    except catalogue.UnknownFramework:
        framework = None
    item = framework.focus_area(framework_key) if framework else None
    if item is None:
        return ValidationError(
            _("Bevillingsrammen %(framework)s har intet indsatsområde »%(key)s«.")
            % {"framework": plan.framework, "key": framework_key},
            code="unknown_framework_focus_area",
        )
    taken = FocusArea.objects.filter(plan=plan, framework_key=framework_key)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    other = taken.first()
    if other is not None:
        return ValidationError(
            _(
                "Rammens indsatsområde %(name)s er allerede valgt i planen "
                "(%(code)s). Hvert af rammens indsatsområder vælges én gang."
            )
            % {"name": item.name, "code": other.code},
            code="framework_focus_area_taken",
        )
    return None


@transaction.atomic
def focus_area_create(
    *,
    plan: Plan,
    code: str,
    name: str,
    purpose: str = "",
    sub_goals: Iterable[str] = (),
    target_groups: Iterable[str] = (),
    order: int = 0,
    framework_key: str = "",
) -> FocusArea:
    """A focus area (indsatsområde) of the plan; sub-goals and target groups one per line.

    ``framework_key``: the focus area of the plan's grant framework it is chosen from.
    Refused: a code already used in the plan (``unique``), a key the plan's framework does
    not have (``unknown_framework_focus_area``), a framework focus area the plan has
    already chosen (``framework_focus_area_taken``)."""
    if framework_key:
        problem = _framework_key_problem(plan, framework_key)
        if problem is not None:
            raise ValidationError({"framework_key": problem})
    focus_area = FocusArea(
        plan=plan,
        code=code,
        framework_key=framework_key,
        name=name,
        purpose=purpose,
        sub_goals="\n".join(sub_goals),
        target_groups="\n".join(target_groups),
        order=order,
    )
    focus_area.full_clean()
    focus_area.save()
    return focus_area


@transaction.atomic
def focus_area_framework_set(
    *, focus_area: FocusArea, framework_key: str, version: str | None = None
) -> FocusArea:
    """Which of the framework's focus areas an existing focus area was chosen as (for plans
    made before the choice was recorded). Its texts are untouched: they change through
    ``focus_area_update``. Refused as ``focus_area_create``; ``stale_edit``."""
    focus_area = concurrency.lock_and_check(
        focus_area, version, what=_("Indsatsområdet %(code)s") % {"code": focus_area.code}
    )
    problem = _framework_key_problem(focus_area.plan, framework_key, exclude_pk=focus_area.pk)
    if problem is not None:
        raise ValidationError({"framework_key": problem})
    focus_area.framework_key = framework_key
    focus_area.full_clean()
    focus_area.save()
    return focus_area


# --- The end of a plan ----------------------------------------------------------------------


def _reason_required(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Skriv en begrundelse. Intet er gemt."), code="reason_required"
                )
            }
        )
    return reason


def _issue_final_report(plan: Plan, actor: Any) -> list[FinalReport]:
    """The final status report as PDF and Word, stored as issued (never rebuilt)."""
    from helhedsplan.files.services import stored_file_create
    from helhedsplan.plans.exports import FinalStatusExporter

    assert plan.closed_at is not None
    exporter = FinalStatusExporter(plan, today=timezone.localdate())
    stamp = timezone.localtime(plan.closed_at).strftime("%Y%m%d-%H%M")
    reports = []
    for fmt in FinalStatusExporter.formats:
        upload = SimpleUploadedFile(f"slutstatus-{plan.slug}-{stamp}.{fmt}", exporter.render(fmt))
        stored = stored_file_create(plan=plan, upload=upload, allowed={fmt}, actor=actor)
        report = FinalReport(
            plan=plan,
            stored_file=stored,
            closed_at=plan.closed_at,
            issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        report.full_clean()
        report.save()
        reports.append(report)
    return reports


@transaction.atomic
def plan_close(*, plan: Plan, actor: Any, reason: str) -> Plan:
    """Close the plan at the end of its period: from now on it is read-only for everyone
    (``accounts.access.READING``, ``plans.closing``), and its final status report is issued
    and stored as it stands (``FinalReport``, PDF and Word).

    The secretariat closes (the caller checks ``plan.close``); before the plan's end date
    only staff may. Codes: ``reason_required``, ``plan_already_closed``,
    ``plan_not_ended``. Audited: the plan's change (stamp, status) with the reason, and the
    event ``plan.closed``.
    """
    reason = _reason_required(reason)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_closed:
        raise ValidationError(_("Planen er allerede afsluttet."), code="plan_already_closed")
    today = timezone.localdate()
    if today < plan.end_date and not getattr(actor, "is_staff", False):
        raise ValidationError(
            _(
                "Planen slutter først %(end)s og kan ikke afsluttes før. Intet er gemt. "
                "Skal den afsluttes før tid, kan systemets administratorer gøre det."
            )
            % {"end": fmt_date(plan.end_date)},
            code="plan_not_ended",
        )
    plan.closed_at = timezone.now()
    plan.closed_by = actor if getattr(actor, "is_authenticated", False) else None
    plan.close_reason = reason
    plan.status = Plan.Status.CLOSED
    plan.full_clean()
    # The report first, while the plan is still open at the data layer; it reads the stamp
    # from the instance.
    reports = _issue_final_report(plan, actor)
    with audit_reason(reason):
        plan.save(update_fields=["closed_at", "closed_by", "close_reason", "status"])
    audit_event(
        instance=plan,
        event="plan.closed",
        actor=plan.closed_by,
        changes={"final_report": [r.stored_file.sha256 for r in reports]},
        reason=reason,
    )
    return plan


@transaction.atomic
def plan_reopen(*, plan: Plan, actor: Any, reason: str) -> Plan:
    """Reopen a closed plan (the installation's staff only): it is writable again, its
    status active; the final status report issued at closing stays as it was.

    Codes: ``reason_required``, ``not_staff``, ``plan_not_closed``. Audited: the plan's
    change with the reason, and the event ``plan.reopened``.
    """
    reason = _reason_required(reason)
    if not getattr(actor, "is_staff", False):
        raise ValidationError(
            _("Kun systemets administratorer kan genåbne en afsluttet plan."), code="not_staff"
        )
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_closed:
        raise ValidationError(_("Planen er ikke afsluttet."), code="plan_not_closed")
    was = {"closed_at": plan.closed_at.isoformat() if plan.closed_at else None}
    plan.closed_at, plan.closed_by, plan.close_reason = None, None, ""
    plan.status = Plan.Status.ACTIVE
    plan.full_clean()
    with closing.writes_allowed(plan.pk), audit_reason(reason):
        plan.save(update_fields=["closed_at", "closed_by", "close_reason", "status"])
    audit_event(
        instance=plan,
        event="plan.reopened",
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        changes=was,
        reason=reason,
    )
    return plan
