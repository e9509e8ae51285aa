"""Writes to plans, areas and focus areas. Each is atomic and validated before saving."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helhedsplan.audit.context import audit_reason
from helhedsplan.lib import concurrency
from helhedsplan.plans.models import (
    AreaPopulation,
    FocusArea,
    HousingArea,
    HousingOrganisation,
    Municipality,
    Plan,
    SubArea,
)


@transaction.atomic
def plan_update(
    *,
    plan: Plan,
    name: str,
    status: str,
    start_date: date,
    end_date: date,
    period_note: str,
    version: str | None = None,
) -> Plan:
    """``version``: the plan's token when the form was opened (code ``stale_edit``)."""
    plan = concurrency.lock_and_check(plan, version, what=_("Planen"))
    plan.name, plan.status = name, status
    plan.start_date, plan.end_date, plan.period_note = start_date, end_date, period_note
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


@transaction.atomic
def housing_organisation_create(*, name: str, is_placeholder: bool = False) -> HousingOrganisation:
    """A housing organisation; ``is_placeholder`` marks one the agreement does not name."""
    organisation = HousingOrganisation(name=name, is_placeholder=is_placeholder)
    organisation.full_clean()
    organisation.save()
    return organisation


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
) -> Plan:
    """A plan with its period and the housing organisations taking part.

    Refused (nothing written): a slug in use (``unique``), an end before the start
    (the model's constraint), a CPR number in the texts (``cpr_number``)."""
    plan = Plan(
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


@transaction.atomic
def housing_area_create(
    *, plan: Plan, slug: str, name: str, order: int = 0, sub_areas: Iterable[str] = ()
) -> HousingArea:
    """A housing area of the plan with its sub-areas (named parts, in the order given).

    Refused: a slug already used in the plan (``unique``), a sub-area named twice
    (``duplicate_sub_area``)."""
    names = [s.strip() for s in sub_areas]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValidationError(
            {
                "sub_areas": ValidationError(
                    _("Delområdet %(name)s er nævnt to gange.") % {"name": twice[0]},
                    code="duplicate_sub_area",
                )
            }
        )
    area = HousingArea(plan=plan, slug=slug, name=name, order=order)
    area.full_clean()
    area.save()
    for sub_order, sub_name in enumerate(names):
        sub = SubArea(area=area, name=sub_name, order=sub_order)
        sub.full_clean()
        sub.save()
    return area


@transaction.atomic
def area_population_set(
    *, area: HousingArea, year: int, residents: int, source: str = ""
) -> AreaPopulation:
    """The number of residents in an area in a year (the denominator of rates per 1000).

    Setting the figure again replaces it; setting what is stored writes nothing."""
    population = AreaPopulation.objects.filter(area=area, year=year).first() or AreaPopulation(
        area=area, year=year
    )
    if population.pk and (population.residents, population.source) == (residents, source):
        return population
    population.residents, population.source = residents, source
    population.full_clean()
    population.save()
    return population


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
) -> FocusArea:
    """A focus area (indsatsområde) of the plan; sub-goals and target groups one per line.

    Refused: a code already used in the plan (``unique``)."""
    focus_area = FocusArea(
        plan=plan,
        code=code,
        name=name,
        purpose=purpose,
        sub_goals="\n".join(sub_goals),
        target_groups="\n".join(target_groups),
        order=order,
    )
    focus_area.full_clean()
    focus_area.save()
    return focus_area
