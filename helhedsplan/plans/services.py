"""Writes to plans, areas and focus areas. Each is atomic and validated before saving."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from helhedsplan.plans.models import FocusArea, Plan


@transaction.atomic
def plan_update(
    *, plan: Plan, name: str, status: str, start_date: date, end_date: date, period_note: str
) -> Plan:
    plan.name, plan.status = name, status
    plan.start_date, plan.end_date, plan.period_note = start_date, end_date, period_note
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def focus_area_update(
    *, focus_area: FocusArea, name: str, purpose: str, sub_goals: str, target_groups: str
) -> FocusArea:
    focus_area.name, focus_area.purpose = name, purpose
    focus_area.sub_goals, focus_area.target_groups = sub_goals, target_groups
    focus_area.full_clean()
    focus_area.save()
    return focus_area
