from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from helhedsplan.accounts.access import PlanAccess, get_plan_access
from helhedsplan.accounts.models import User
from helhedsplan.activities.models import Activity
from helhedsplan.plans.models import HousingArea, Plan


@pytest.fixture
def access_for(plan: Plan) -> Any:
    def make(username: str) -> PlanAccess:
        return get_plan_access(User.objects.get(username=username), plan.slug)

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
