"""The demo plan itself (seed §1, §4, §5 and §7): municipality, housing organisations, the
plan and its period, the areas, the focus areas and the funding; and one user per role."""

from __future__ import annotations

from functools import partial

from helhedsplan.accounts.models import Membership, Role, User
from helhedsplan.accounts.services import membership_create, user_create
from helhedsplan.accounts.views import DEMO_PASSWORD, DEMO_USERNAMES
from helhedsplan.demo import seed
from helhedsplan.demo.base import existing_or
from helhedsplan.finance.services import FundingLine, funding_budget_set
from helhedsplan.frameworks.services import focus_areas_link_to_framework
from helhedsplan.plans.models import (
    FocusArea,
    HousingArea,
    HousingOrganisation,
    Municipality,
    Plan,
)
from helhedsplan.plans.services import (
    focus_area_create,
    housing_area_create,
    housing_organisation_create,
    municipality_create,
    plan_create,
)


def load_plan() -> Plan:
    municipality = existing_or(
        Municipality.objects.filter(name=seed.MUNICIPALITY),
        partial(municipality_create, name=seed.MUNICIPALITY),
    )
    orgs = [
        existing_or(
            HousingOrganisation.objects.filter(name=name),
            partial(housing_organisation_create, name=name, is_placeholder=True),
        )
        for name in seed.HOUSING_ORGANISATIONS
    ]
    plan = existing_or(
        Plan.objects.filter(slug=seed.PLAN_SLUG),
        partial(
            plan_create,
            name=seed.PLAN_NAME,
            slug=seed.PLAN_SLUG,
            municipality=municipality,
            start_date=seed.PLAN_START,
            end_date=seed.PLAN_END,
            period_note=seed.PERIOD_NOTE,
            vision=seed.VISION,
            status=Plan.Status.ACTIVE,
            housing_organisations=orgs,
        ),
    )
    for order, area_seed in enumerate(seed.AREAS):
        existing_or(
            HousingArea.objects.filter(plan=plan, slug=area_seed.slug),
            partial(
                housing_area_create,
                plan=plan,
                slug=area_seed.slug,
                name=area_seed.name,
                order=order,
                priority=area_seed.priority,
                sub_areas=area_seed.sub_areas,
            ),
        )
    for order, fa in enumerate(seed.FOCUS_AREAS):
        existing_or(
            FocusArea.objects.filter(plan=plan, code=fa.code),
            partial(
                focus_area_create,
                plan=plan,
                code=fa.code,
                name=fa.name,
                purpose=fa.purpose,
                sub_goals=fa.sub_goals,
                target_groups=fa.target_groups,
                order=order,
            ),
        )
    # The seed is the 2015-18 framework's (the plan's default): its four focus areas are the
    # framework's four, by name. A second run finds them linked and writes nothing.
    focus_areas_link_to_framework(plan=plan)
    # Idempotent itself: a second run with the same lines writes nothing.
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
        user = existing_or(
            User.objects.filter(username=username),
            partial(
                user_create,
                username=username,
                password=DEMO_PASSWORD,
                first_name="Demo",
                last_name=str(role.label),
                # A reserved domain (RFC 2606): ``send_reminders --dry-run`` shows each demo
                # user's digest, and a real SMTP server delivers nothing anywhere.
                email=f"{username}@demo.example",
                is_demo=True,
            ),
        )
        areas = plan.areas.filter(slug__in=DEMO_COORDINATOR_AREAS)
        existing_or(
            Membership.objects.filter(user=user, plan=plan, role=role),
            partial(
                membership_create,
                user=user,
                plan=plan,
                role=role,
                areas=list(areas) if role == Role.COORDINATOR else [],
            ),
        )
        users.append(user)
    return users
