"""Builds the Slagelse demo plan from the seed. Idempotent: a second run changes nothing.

Every write goes through the domain's services, so the demo obeys the rules users obey
(validation, constraints, audit entries, with no actor). Each step finds what a previous run
created (``demo.base.existing_or``) and creates only what is missing, so a second run writes
no rows and no audit entries. The domain apps never import this package; the seed's content
lives here (``demo/seed.py``, ``demo/data/``) and in the step modules.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from helhedsplan.demo import (
    activities,
    agreements,
    criteria,
    evaluations,
    milestones,
    money,
    organisation,
    vision,
)
from helhedsplan.demo.plan import load_plan, load_users
from helhedsplan.plans.models import Plan

# Steps after the plan and its users exist; later parts of the demo append theirs.
EXTRA_STEPS: list[Callable[[Plan], object]] = []


@transaction.atomic
def load_demo() -> Plan:
    plan = load_plan()
    load_users(plan)
    criteria.load(plan)
    organisation.load(plan)
    activities.load(plan)
    agreements.load(plan)
    # The programme evaluations before the milestones that link them.
    evaluations.load(plan)
    milestones.load(plan)
    money.load(plan)
    # The list vision of § 1 (no central measurements: the seed gives none).
    vision.load(plan)
    for step in EXTRA_STEPS:
        step(plan)
    return plan
