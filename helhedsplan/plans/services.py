"""Writes to plans, areas and focus areas. Each is atomic and validated before saving."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from helhedsplan.lib import concurrency
from helhedsplan.plans.models import FocusArea, Plan


@transaction.atomic
def plan_update(
    *,
    plan: Plan,
    name: str,
    status: str,
    start_date: date,
    end_date: date,
    period_note: str,
    version: str | None = None,
) -> Plan:
    """``version``: the plan's token when the form was opened (code ``stale_edit``)."""
    plan = concurrency.lock_and_check(plan, version, what=_("Planen"))
    plan.name, plan.status = name, status
    plan.start_date, plan.end_date, plan.period_note = start_date, end_date, period_note
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def focus_area_update(
    *,
    focus_area: FocusArea,
    name: str,
    purpose: str,
    sub_goals: str,
    target_groups: str,
    version: str | None = None,
) -> FocusArea:
    """``version``: the focus area's token when the form was opened (code ``stale_edit``)."""
    focus_area = concurrency.lock_and_check(
        focus_area, version, what=_("Indsatsområdet %(code)s") % {"code": focus_area.code}
    )
    focus_area.name, focus_area.purpose = name, purpose
    focus_area.sub_goals, focus_area.target_groups = sub_goals, target_groups
    focus_area.full_clean()
    focus_area.save()
    return focus_area
