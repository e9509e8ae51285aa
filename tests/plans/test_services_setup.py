"""Setting up a plan: municipality, housing organisations, the plan, its areas and focus
areas. Each service validates before it writes; a refusal carries a code."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from helhedsplan.audit.models import AuditEntry
from helhedsplan.plans.models import Municipality, Plan
from helhedsplan.plans.services import (
    area_population_set,
    focus_area_create,
    housing_area_create,
    housing_organisation_create,
    municipality_create,
    plan_create,
)
from tests.errors import codes

pytestmark = pytest.mark.django_db


def _plan(slug: str = "proeve") -> Plan:
    return plan_create(
        name="Prøveplan",
        slug=slug,
        municipality=municipality_create(name=f"Kommune {slug}"),
        start_date=date(2018, 1, 1),
        end_date=date(2021, 12, 31),
    )


def test_municipality_create_refuses_a_name_in_use() -> None:
    assert municipality_create(name="Prøve Kommune").name == "Prøve Kommune"
    with pytest.raises(ValidationError) as exc:
        municipality_create(name="Prøve Kommune")
    assert codes(exc.value) == {"unique"}
    assert Municipality.objects.filter(name="Prøve Kommune").count() == 1


def test_housing_organisation_create_marks_a_placeholder() -> None:
    org = housing_organisation_create(name="Boligselskabet Prøve", is_placeholder=True)
    assert org.is_placeholder
    with pytest.raises(ValidationError) as exc:
        housing_organisation_create(name="Boligselskabet Prøve")
    assert codes(exc.value) == {"unique"}


def test_plan_create_with_its_organisations_and_period() -> None:
    org = housing_organisation_create(name="Boligselskabet Prøve")
    plan = plan_create(
        name="Prøveplan",
        slug="proeve",
        municipality=municipality_create(name="Prøve Kommune"),
        start_date=date(2018, 1, 1),
        end_date=date(2021, 12, 31),
        housing_organisations=[org],
        status=Plan.Status.ACTIVE,
    )
    assert list(plan.housing_organisations.all()) == [org]
    assert list(plan.years) == [2018, 2019, 2020, 2021]


def test_plan_create_refuses_an_end_before_the_start_and_writes_nothing() -> None:
    municipality = municipality_create(name="Prøve Kommune")
    with pytest.raises(ValidationError):
        plan_create(
            name="Prøveplan",
            slug="proeve",
            municipality=municipality,
            start_date=date(2021, 1, 1),
            end_date=date(2018, 1, 1),
        )
    assert not Plan.objects.filter(slug="proeve").exists()


def test_housing_area_create_with_its_sub_areas_in_order() -> None:
    plan = _plan()
    area = housing_area_create(plan=plan, slug="parken", name="Parken", sub_areas=["Øst", "Vest"])
    assert [s.name for s in area.sub_areas.order_by("order")] == ["Øst", "Vest"]
    with pytest.raises(ValidationError) as exc:
        housing_area_create(plan=plan, slug="haven", name="Haven", sub_areas=["Nord", "Nord"])
    assert codes(exc.value) == {"duplicate_sub_area"}
    assert not plan.areas.filter(slug="haven").exists()


def test_housing_area_create_refuses_a_slug_used_in_the_plan() -> None:
    plan = _plan()
    housing_area_create(plan=plan, slug="parken", name="Parken")
    with pytest.raises(ValidationError):
        housing_area_create(plan=plan, slug="parken", name="Parken igen")
    assert plan.areas.count() == 1


def test_area_population_set_replaces_and_writes_nothing_when_unchanged() -> None:
    area = housing_area_create(plan=_plan(), slug="parken", name="Parken")
    area_population_set(area=area, year=2017, residents=1200, source="Danmarks Statistik")
    area_population_set(area=area, year=2017, residents=1250, source="Danmarks Statistik")
    entries = AuditEntry.objects.count()
    population = area_population_set(
        area=area, year=2017, residents=1250, source="Danmarks Statistik"
    )
    assert population.residents == 1250
    assert area.populations.count() == 1
    assert AuditEntry.objects.count() == entries


def test_focus_area_create_writes_sub_goals_one_per_line() -> None:
    plan = _plan()
    focus = focus_area_create(
        plan=plan, code="5.1", name="Tryghed", sub_goals=["Mere tryghed", "Færre fraflytninger"]
    )
    assert focus.sub_goal_list == ["Mere tryghed", "Færre fraflytninger"]
    with pytest.raises(ValidationError):
        focus_area_create(plan=plan, code="5.1", name="Igen")
