"""Builds the Slagelse demo plan from the seed. Idempotent: a second run changes nothing.

Each step creates what is missing and updates what differs, through ``upsert`` which saves
only when a field actually changes, so a second run writes no rows and no audit entries.
Later apps add their own steps to ``load_demo``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models, transaction

from helhedsplan.accounts.models import Membership, Role, User
from helhedsplan.accounts.views import DEMO_PASSWORD, DEMO_USERNAMES
from helhedsplan.demo import seed
from helhedsplan.finance.services import FundingLine, funding_budget_set
from helhedsplan.plans.models import (
    FocusArea,
    HousingArea,
    HousingOrganisation,
    Municipality,
    Plan,
    SubArea,
)

M = TypeVar("M", bound=models.Model)


def upsert(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
    """get_or_create that also brings existing rows up to date, saving only on change."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save(update_fields=changed)
    return obj


def _set_m2m(manager: Any, objs: list[Any]) -> None:
    if {o.pk for o in manager.all()} != {o.pk for o in objs}:
        manager.set(objs)


def load_plan() -> Plan:
    municipality = upsert(Municipality, {"name": seed.MUNICIPALITY}, {})
    orgs = [
        upsert(HousingOrganisation, {"name": name}, {"is_placeholder": True})
        for name in seed.HOUSING_ORGANISATIONS
    ]
    plan = upsert(
        Plan,
        {"slug": seed.PLAN_SLUG},
        {
            "name": seed.PLAN_NAME,
            "municipality": municipality,
            "start_date": seed.PLAN_START,
            "end_date": seed.PLAN_END,
            "period_note": seed.PERIOD_NOTE,
            "status": Plan.Status.ACTIVE,
            "vision": seed.VISION,
        },
    )
    _set_m2m(plan.housing_organisations, orgs)
    for order, area_seed in enumerate(seed.AREAS):
        area = upsert(
            HousingArea,
            {"plan": plan, "slug": area_seed.slug},
            {"name": area_seed.name, "order": order},
        )
        for sub_order, sub_name in enumerate(area_seed.sub_areas):
            upsert(SubArea, {"area": area, "name": sub_name}, {"order": sub_order})
    for order, fa in enumerate(seed.FOCUS_AREAS):
        upsert(
            FocusArea,
            {"plan": plan, "code": fa.code},
            {
                "name": fa.name,
                "purpose": fa.purpose,
                "sub_goals": "\n".join(fa.sub_goals),
                "target_groups": "\n".join(fa.target_groups),
                "order": order,
            },
        )
    funding_budget_set(
        plan=plan,
        lines=[FundingLine(kind, name, amount) for kind, name, amount in seed.FUNDING],
    )
    return plan


# The demo coordinator's area: a configuration of the demo, not a fact from the seed.
DEMO_COORDINATOR_AREAS = ["motalavej"]


def load_users(plan: Plan) -> list[User]:
    users = []
    for username, role in DEMO_USERNAMES.items():
        names: dict[str, Any] = {
            "first_name": "Demo",
            "last_name": str(role.label),
            "is_demo": True,
        }
        user = User.objects.filter(username=username).first() or User.objects.create_user(
            username=username, password=DEMO_PASSWORD, **names
        )
        user = upsert(User, {"username": username}, names)
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        membership = upsert(Membership, {"user": user, "plan": plan, "role": role}, {})
        if role == Role.COORDINATOR:
            _set_m2m(
                membership.areas,
                list(plan.areas.filter(slug__in=DEMO_COORDINATOR_AREAS)),
            )
        users.append(user)
    return users


# Steps after the plan and its users exist; later apps append theirs.
EXTRA_STEPS: list[Callable[[Plan], object]] = []


@transaction.atomic
def load_demo() -> Plan:
    # Imported here: the apps' demo modules use upsert from this module.
    from helhedsplan.agreements import demo as agreements_demo
    from helhedsplan.criteria import demo as criteria_demo

    plan = load_plan()
    load_users(plan)
    criteria_demo.load(plan)
    from helhedsplan.organisation.demo import load as load_organisation

    load_organisation(plan)
    from helhedsplan.activities.demo import load as load_activities  # here: it imports upsert

    load_activities(plan)
    agreements_demo.load(plan)
    for step in EXTRA_STEPS:
        step(plan)
    return plan
