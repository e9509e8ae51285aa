"""The test factories build rows that pass the models' validation, each chain in one plan."""

from __future__ import annotations

import pytest

from helhedsplan.accounts.access import get_plan_access
from helhedsplan.accounts.models import Role
from helhedsplan.plans.models import Plan
from tests import factories

pytestmark = pytest.mark.django_db

EVERY_FACTORY = [
    factories.MunicipalityFactory,
    factories.HousingOrganisationFactory,
    factories.PlanFactory,
    factories.HousingAreaFactory,
    factories.AreaPopulationFactory,
    factories.FocusAreaFactory,
    factories.MeasureFactory,
    factories.SuccessCriterionFactory,
    factories.TargetFactory,
    factories.ObservationFactory,
    factories.PartnerFactory,
    factories.ActivityFactory,
    factories.ActivityAreaFactory,
    factories.PlannedQuantityFactory,
    factories.RegistrationFactory,
    factories.BodyFactory,
    factories.PersonFactory,
    factories.OrganisationMembershipFactory,
    factories.MeetingFactory,
    factories.DisputeFactory,
    factories.AgreementVersionFactory,
    factories.AgreementSectionFactory,
    factories.SubAgreementVersionFactory,
    factories.FundingSourceFactory,
    factories.FinalReportFactory,
    factories.UserFactory,
    factories.PlanMembershipFactory,
    factories.InvitationFactory,
    factories.ReminderSentFactory,
    factories.CalendarFeedFactory,
]


@pytest.mark.parametrize("factory", EVERY_FACTORY, ids=lambda f: f.__name__)
def test_every_factory_builds_a_valid_row(factory) -> None:
    factory().full_clean()


def test_a_chain_stays_in_one_plan() -> None:
    before = Plan.objects.count()  # the demo may be loaded in this worker's database
    observation = factories.ObservationFactory()
    assert observation.area.plan == observation.measure.plan
    assert Plan.objects.count() == before + 1


def test_an_object_passed_in_brings_its_plan() -> None:
    plan = factories.PlanFactory()
    measure = factories.MeasureFactory(plan=plan)
    observation = factories.ObservationFactory(measure=measure)
    registration = factories.RegistrationFactory(activity=factories.ActivityFactory(plan=plan))
    criterion = factories.SuccessCriterionFactory(focus_area=factories.FocusAreaFactory(plan=plan))
    assert {observation.area.plan, registration.area.plan, criterion.measure.plan} == {plan}
    assert registration.area in registration.activity.areas.all()


def test_registration_counts_add_up() -> None:
    registration = factories.RegistrationFactory(n_0_5_f=2, n_25_64_m=1)
    assert registration.participants == 2 + 3 + 1
    assert (registration.year, registration.quarter) == (2019, 2)


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_each_persona_holds_its_role_on_the_factory_plan(factory_plan, persona, role) -> None:
    access = get_plan_access(persona(role), factory_plan.slug)
    assert access.roles == {role}


def test_the_coordinator_persona_registers_for_one_area(factory_plan, persona) -> None:
    membership = persona("coordinator").memberships.get(plan=factory_plan)
    assert [area.slug for area in membership.areas.all()] == ["nord"]


def test_factory_client_logs_in_each_persona(factory_plan, factory_client_for) -> None:
    assert factory_client_for("secretariat").get(factory_plan.get_absolute_url()).status_code == 200
    assert factory_client_for("outsider").get(factory_plan.get_absolute_url()).status_code == 404
