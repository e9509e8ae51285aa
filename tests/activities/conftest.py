from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from helhedsplan.accounts.access import PlanAccess, get_plan_access
from helhedsplan.accounts.models import User
from helhedsplan.activities.models import Activity
from helhedsplan.plans.models import HousingArea, Plan
from tests import factories
from tests.conftest import DEMO_SLUG, DEMO_USERNAMES

ROLE_OF_DEMO_USERNAME = {username: role for role, username in DEMO_USERNAMES.items()}


@pytest.fixture
def access_for(plan: Plan) -> Any:
    """access_for("sekretariat"): the demo user's access, or on the factory plan the persona
    with the same role (the demo usernames name the roles)."""

    def make(username: str) -> PlanAccess:
        if plan.slug == DEMO_SLUG:
            user = User.objects.get(username=username)
        else:
            user = factories.persona(plan, ROLE_OF_DEMO_USERNAME[username])
        return get_plan_access(user, plan.slug)

    return make


def registrar(access: PlanAccess) -> dict[str, Any]:
    """The plain values the registration services take for this user: plan and scope."""
    return {"plan": access.plan, "scope": access.registration_scope}


def evaluator(access: PlanAccess) -> dict[str, Any]:
    """The plain values ``evaluation_create`` takes for this user: plan and allowed areas."""
    return {"plan": access.plan, "allowed_area_ids": access.evaluation_area_ids}


@pytest.fixture
def activity(plan: Plan) -> Any:
    def get(slug: str) -> Activity:
        return Activity.objects.get(plan=plan, slug=slug)

    return get


@pytest.fixture
def area(plan: Plan) -> Any:
    def get(slug: str) -> HousingArea:
        return HousingArea.objects.get(plan=plan, slug=slug)

    return get


DAY = date(2019, 5, 14)


def seedlike_activities(plan: Plan) -> dict[str, Activity]:
    """Activities and areas on a factory plan, named as the seed names them, so a test of a
    rule reads as before (the coordinator has Motalavej, Fritidsjobindsats does not run in
    Skælskør, the municipality runs Ekstra sundhedspleje, the club runs nowhere yet). The
    planned quantities of Tryghedsvandringer in Motalavej in 2018 are marked demonstration
    data, as the seed's are. Call it before the coordinator persona is first used."""
    areas = {
        slug: factories.HousingAreaFactory(plan=plan, slug=slug, name=name, order=order)
        for order, (slug, name) in enumerate(
            [
                ("motalavej", "Motalavej"),
                ("sydbyen", "Sydbyen"),
                ("ringparken", "Ringparken"),
                ("skaelskoer", "Skælskør"),
            ],
            start=3,
        )
    }
    focus = plan.focus_areas.get(code="5.1")
    made: dict[str, Activity] = {
        "tryghedsvandringer": factories.ActivityFactory(
            plan=plan, focus_area=focus, slug="tryghedsvandringer", name="Tryghedsvandringer",
            areas=[areas[slug] for slug in ("motalavej", "sydbyen", "ringparken", "skaelskoer")],
        ),
        "idraetspartnerskaber": factories.ActivityFactory(
            plan=plan, focus_area=focus, slug="idraetspartnerskaber", name="Idrætspartnerskaber",
            areas=[areas["sydbyen"]],
        ),
        "fritidsjobindsats": factories.ActivityFactory(
            plan=plan, focus_area=focus, slug="fritidsjobindsats", name="Fritidsjobindsats",
            unit=Activity.Unit.PARTICIPANTS, areas=[areas["sydbyen"]],
        ),
        "ekstra-sundhedspleje": factories.ActivityFactory(
            plan=plan, focus_area=focus, slug="ekstra-sundhedspleje", name="Ekstra sundhedspleje",
            responsible=Activity.Responsible.MUNICIPALITY,
            areas=[areas["ringparken"]],
        ),
        "uddannelsestilbud-sydbyen": factories.ActivityFactory(
            plan=plan, focus_area=focus, slug="uddannelsestilbud-sydbyen",
            name="Uddannelsestilbud Sydbyen", areas=[areas["sydbyen"]],
        ),
        "vaerested-og-klub": factories.ActivityFactory(
            plan=plan, focus_area=focus, slug="vaerested-og-klub",
            name="Værested og klub – med og uden tag",
        ),
    }  # fmt: skip
    made["idraetspartnerskaber"].partners.add(
        factories.PartnerFactory(plan=plan, name="DGI/Gerlev")
    )
    for quarter in (1, 2, 3, 4):
        factories.PlannedQuantityFactory(
            activity=made["tryghedsvandringer"], area=areas["motalavej"], year=2018,
            quarter=quarter, quantity=3, is_demo_data=True,
        )  # fmt: skip
    coordinator = factories.persona(plan, "coordinator")
    coordinator.memberships.get(plan=plan).areas.set([areas["motalavej"]])
    return made


@pytest.fixture
def seedlike(factory_plan: Plan) -> dict[str, Activity]:
    """``seedlike_activities`` on the factory plan."""
    return seedlike_activities(factory_plan)
