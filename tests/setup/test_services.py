"""The setup's writes, each refusing bad input with a code and writing nothing: the plan's
details, its parties, housing areas (departments, sub-areas, residents) and focus areas
chosen from the grant framework."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from helhedsplan.agreements.models import VersionStatus
from helhedsplan.audit.models import AuditEntry
from helhedsplan.plans import services
from helhedsplan.plans.models import AreaDepartment, HousingOrganisation, Plan, SubArea
from tests import factories
from tests.errors import codes

pytestmark = pytest.mark.django_db


def _refused(call, *args, **kwargs) -> set[str]:  # type: ignore[no-untyped-def]
    """The codes of the refusal; and nothing was written (no audit entry either)."""
    entries = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        call(*args, **kwargs)
    assert AuditEntry.objects.count() == entries, "a refused write left an audit entry"
    return codes(exc.value)


# --- the plan's details ---------------------------------------------------------------------


def _update(plan: Plan, **overrides: object) -> Plan:
    values: dict[str, object] = {
        "plan": plan,
        "name": plan.name,
        "start_date": plan.start_date,
        "end_date": plan.end_date,
    }
    return services.plan_update(**{**values, **overrides})  # type: ignore[arg-type]


def test_plan_update_sets_case_number_and_framework() -> None:
    plan = factories.PlanFactory()
    _update(plan, lbf_case_number=" 2019-117 ", framework="2015-18", name="Ny plan")
    plan.refresh_from_db()
    assert (plan.name, plan.lbf_case_number, plan.framework) == ("Ny plan", "2019-117", "2015-18")


def test_plan_update_keeps_status_and_note_when_not_given() -> None:
    plan = factories.PlanFactory(period_note="Fra aftalen", status=Plan.Status.ACTIVE)
    _update(plan, name="Andet navn")
    plan.refresh_from_db()
    assert (plan.period_note, plan.status) == ("Fra aftalen", Plan.Status.ACTIVE)


@pytest.mark.parametrize("end", [date(2018, 1, 1), date(2017, 6, 30)])
def test_plan_update_refuses_an_end_not_after_the_start(end: date) -> None:
    plan = factories.PlanFactory()
    assert _refused(_update, plan, end_date=end) == {"end_before_start"}
    plan.refresh_from_db()
    assert plan.end_date == factories.PLAN_END


def test_plan_update_refuses_a_framework_not_in_the_catalogue() -> None:
    plan = factories.PlanFactory()
    assert _refused(_update, plan, framework="1999-2002") == {"unknown_framework"}
    plan.refresh_from_db()
    assert plan.framework == "2015-18"


@pytest.fixture
def second_framework(monkeypatch: pytest.MonkeyPatch) -> str:
    """A second framework in the catalogue (the data may hold only the seed's)."""
    from dataclasses import replace

    from helhedsplan.frameworks import catalogue

    base = catalogue.get("2015-18")
    other = replace(base, code="test-2", name="Testramme")
    frameworks = (base, other)
    monkeypatch.setattr(catalogue, "all_frameworks", lambda: frameworks)
    return other.code


def test_the_framework_changes_while_no_version_is_submitted(second_framework: str) -> None:
    plan = factories.PlanFactory()
    factories.AgreementVersionFactory(plan=plan)  # a draft
    assert not services.plan_framework_locked(plan)
    _update(plan, framework=second_framework)
    plan.refresh_from_db()
    assert plan.framework == second_framework


@pytest.mark.parametrize("status", [VersionStatus.SUBMITTED, VersionStatus.APPROVED])
def test_the_framework_is_fixed_once_an_agreement_version_is_submitted(
    status: str, second_framework: str
) -> None:
    plan = factories.PlanFactory()
    factories.AgreementVersionFactory(
        plan=plan, status=status, in_force_from=date(2018, 1, 1) if status == "approved" else None
    )
    assert services.plan_framework_locked(plan)
    assert _refused(_update, plan, framework=second_framework) == {"framework_locked"}
    plan.refresh_from_db()
    assert plan.framework == "2015-18"
    _update(plan, framework="2015-18", name="Samme ramme")  # unchanged: fine


def test_a_draft_agreement_version_does_not_fix_the_framework() -> None:
    plan = factories.PlanFactory()
    factories.AgreementVersionFactory(plan=plan)
    assert not services.plan_framework_locked(plan)


# --- parties --------------------------------------------------------------------------------


def test_a_new_party_with_cvr_joins_the_plan() -> None:
    plan = factories.PlanFactory()
    org = services.plan_housing_organisation_create(
        plan=plan, name="Boligselskabet Vest", cvr="12 34 56 78"
    )
    assert org.cvr == "12345678"
    assert list(plan.housing_organisations.all()) == [org]


@pytest.mark.parametrize("cvr", ["1234567", "123456789", "1234567a", "１２３４５６７８"])
def test_a_cvr_number_is_8_digits(cvr: str) -> None:
    plan = factories.PlanFactory()
    assert _refused(services.plan_housing_organisation_create, plan=plan, name="X", cvr=cvr) == {
        "cvr"
    }
    assert not HousingOrganisation.objects.filter(name="X").exists()
    assert not plan.housing_organisations.exists()


def test_a_cvr_number_belongs_to_one_organisation() -> None:
    plan = factories.PlanFactory()
    factories.HousingOrganisationFactory(name="Første", cvr="12345678")
    assert _refused(
        services.plan_housing_organisation_create, plan=plan, name="Anden", cvr="12345678"
    ) == {"cvr_in_use"}
    second = factories.HousingOrganisationFactory(name="Anden")
    assert _refused(
        services.housing_organisation_update, housing_organisation=second, cvr="12345678"
    ) == {"cvr_in_use"}
    second.refresh_from_db()
    assert second.cvr == ""


def test_an_organisation_keeps_its_own_cvr_number_on_update() -> None:
    org = factories.HousingOrganisationFactory(cvr="12345678")
    assert services.housing_organisation_update(housing_organisation=org, cvr="12345678").cvr == (
        "12345678"
    )


def test_a_name_already_registered_is_linked_not_created_again() -> None:
    factories.HousingOrganisationFactory(name="Boligselskabet Vest")
    plan = factories.PlanFactory()
    assert _refused(
        services.plan_housing_organisation_create, plan=plan, name="boligselskabet vest"
    ) == {"unique"}


def test_a_party_with_departments_in_the_plan_is_not_removed() -> None:
    plan = factories.PlanFactory()
    org = factories.HousingOrganisationFactory()
    plan.housing_organisations.add(org)
    area = factories.HousingAreaFactory(plan=plan)
    factories.AreaDepartmentFactory(area=area, housing_organisation=org)
    assert _refused(
        services.plan_housing_organisation_remove, plan=plan, housing_organisation=org
    ) == {"organisation_in_use"}
    assert list(plan.housing_organisations.all()) == [org]
    AreaDepartment.objects.all().delete()
    services.plan_housing_organisation_remove(plan=plan, housing_organisation=org)
    assert not plan.housing_organisations.exists()
    assert HousingOrganisation.objects.filter(pk=org.pk).exists()  # other plans may share it


# --- housing areas --------------------------------------------------------------------------


def test_an_area_gets_its_slug_from_its_danish_name() -> None:
    plan = factories.PlanFactory()
    area = services.housing_area_create(plan=plan, name="Skælskør Å", priority=3)
    assert (area.slug, area.priority) == ("skaelskoer-aa", 3)


def test_an_area_name_already_in_the_plan_is_refused() -> None:
    plan = factories.PlanFactory()
    services.housing_area_create(plan=plan, name="Sydbyen")
    assert _refused(services.housing_area_create, plan=plan, name="SYDBYEN", slug="syd2") == {
        "area_name_in_use"
    }
    assert plan.areas.count() == 1


def test_an_area_slug_already_in_the_plan_is_refused() -> None:
    plan = factories.PlanFactory()
    services.housing_area_create(plan=plan, name="Sydbyen", slug="syd")
    assert _refused(services.housing_area_create, plan=plan, name="Sydbyen Nord", slug="syd") == {
        "area_slug_in_use"
    }


def test_the_same_area_name_in_another_plan_is_fine() -> None:
    services.housing_area_create(plan=factories.PlanFactory(), name="Sydbyen")
    assert (
        services.housing_area_create(plan=factories.PlanFactory(), name="Sydbyen").slug == "sydbyen"
    )


def test_an_area_update_refuses_another_areas_name_and_keeps_its_slug() -> None:
    plan = factories.PlanFactory()
    first = services.housing_area_create(plan=plan, name="Motalavej")
    second = services.housing_area_create(plan=plan, name="Ringparken")
    assert _refused(
        services.housing_area_update,
        area=second,
        name="motalavej",
        priority=1,
        housing_organisations=[],
    ) == {"area_name_in_use"}
    services.housing_area_update(
        area=first, name="Motalavej Øst", priority=1, housing_organisations=[]
    )
    first.refresh_from_db()
    assert (first.name, first.slug, first.priority) == ("Motalavej Øst", "motalavej", 1)


def test_an_area_takes_only_the_plans_housing_organisations() -> None:
    plan = factories.PlanFactory()
    outsider = factories.HousingOrganisationFactory()
    assert _refused(
        services.housing_area_create, plan=plan, name="Parken", housing_organisations=[outsider]
    ) == {"organisation_not_in_plan"}


def test_a_department_number_is_used_once_per_organisation_in_the_plan() -> None:
    plan = factories.PlanFactory()
    org, other = factories.HousingOrganisationFactory(), factories.HousingOrganisationFactory()
    plan.housing_organisations.add(org, other)
    first = factories.HousingAreaFactory(plan=plan)
    second = factories.HousingAreaFactory(plan=plan)
    services.area_department_add(area=first, number="17", housing_organisation=org)
    assert _refused(
        services.area_department_add, area=second, number=" 17 ", housing_organisation=org
    ) == {"department_in_use"}
    # Another organisation's department 17 is another department.
    services.area_department_add(area=second, number="17", housing_organisation=other)
    # And another plan may have its own department 17 of the same organisation.
    elsewhere = factories.PlanFactory()
    elsewhere.housing_organisations.add(org)
    services.area_department_add(
        area=factories.HousingAreaFactory(plan=elsewhere), number="17", housing_organisation=org
    )
    assert AreaDepartment.objects.filter(number="17").count() == 3


def test_a_department_without_organisation_is_numbered_once_too() -> None:
    area = factories.HousingAreaFactory()
    services.area_department_add(area=area, number="4", housing_organisation=None)
    assert _refused(
        services.area_department_add, area=area, number="4", housing_organisation=None
    ) == {"department_in_use"}


def test_a_department_needs_a_number_and_an_organisation_of_the_plan() -> None:
    area = factories.HousingAreaFactory()
    assert _refused(
        services.area_department_add, area=area, number=" ", housing_organisation=None
    ) == {"required"}
    assert _refused(
        services.area_department_add,
        area=area,
        number="3",
        housing_organisation=factories.HousingOrganisationFactory(),
    ) == {"organisation_not_in_plan"}


def test_sub_areas_are_added_once_and_removed() -> None:
    area = factories.HousingAreaFactory()
    sub = services.sub_area_add(area=area, name="Schackenborgvænge")
    assert _refused(services.sub_area_add, area=area, name="schackenborgvænge") == {
        "duplicate_sub_area"
    }
    services.sub_area_remove(sub_area=sub)
    assert not SubArea.objects.filter(area=area).exists()


def test_negative_residents_are_refused() -> None:
    area = factories.HousingAreaFactory()
    assert _refused(services.area_population_set, area=area, year=2019, residents=-1) == {
        "residents_negative"
    }
    assert not area.populations.exists()


@pytest.mark.parametrize("year", [1989, 2101, 0])
def test_a_population_year_outside_1990_2100_is_refused(year: int) -> None:
    area = factories.HousingAreaFactory()
    assert _refused(services.area_population_set, area=area, year=year, residents=10) == {
        "year_out_of_range"
    }


@pytest.mark.parametrize("year", [1990, 2100])
def test_population_years_at_the_limits_are_fine(year: int) -> None:
    area = factories.HousingAreaFactory()
    assert services.area_population_set(area=area, year=year, residents=0).residents == 0


# --- focus areas ----------------------------------------------------------------------------


def test_a_focus_area_is_chosen_from_the_framework() -> None:
    plan = factories.PlanFactory()
    assert services.next_focus_area_code(plan) == "5.1"
    fa = services.focus_area_create(
        plan=plan, code="5.1", name="Tryghed og trivsel", framework_key="tryghed-og-trivsel"
    )
    assert fa.framework_key == "tryghed-og-trivsel"
    assert services.next_focus_area_code(plan) == "5.2"


def test_a_framework_focus_area_chosen_twice_is_refused() -> None:
    plan = factories.PlanFactory()
    services.focus_area_create(
        plan=plan, code="5.1", name="Tryghed", framework_key="tryghed-og-trivsel"
    )
    assert _refused(
        services.focus_area_create,
        plan=plan,
        code="5.2",
        name="Tryghed igen",
        framework_key="tryghed-og-trivsel",
    ) == {"framework_focus_area_taken"}
    assert plan.focus_areas.count() == 1


def test_a_focus_area_the_framework_does_not_have_is_refused() -> None:
    plan = factories.PlanFactory()
    assert _refused(
        services.focus_area_create, plan=plan, code="5.1", name="Kultur", framework_key="kultur"
    ) == {"unknown_framework_focus_area"}


def test_the_next_code_fills_a_gap() -> None:
    plan = factories.PlanFactory()
    factories.FocusAreaFactory(plan=plan, code="5.2")
    assert services.next_focus_area_code(plan) == "5.1"


def test_an_existing_focus_area_is_linked_to_the_framework_once() -> None:
    plan = factories.PlanFactory()
    first = factories.FocusAreaFactory(plan=plan, code="5.1")
    second = factories.FocusAreaFactory(plan=plan, code="5.2")
    services.focus_area_framework_set(focus_area=first, framework_key="tryghed-og-trivsel")
    first.refresh_from_db()
    assert first.framework_key == "tryghed-og-trivsel"
    # Setting it again on the same focus area is fine; on another it is refused.
    services.focus_area_framework_set(focus_area=first, framework_key="tryghed-og-trivsel")
    assert _refused(
        services.focus_area_framework_set, focus_area=second, framework_key="tryghed-og-trivsel"
    ) == {"framework_focus_area_taken"}
    assert _refused(
        services.focus_area_framework_set, focus_area=second, framework_key="kultur"
    ) == {"unknown_framework_focus_area"}
    second.refresh_from_db()
    assert second.framework_key == ""
