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
