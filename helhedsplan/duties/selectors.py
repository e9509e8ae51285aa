"""Reads for the due-list pages: the items grouped by urgency, the counts per plan."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet

from helhedsplan.accounts.access import PlanAccess, plan_access_for
from helhedsplan.accounts.models import Membership
from helhedsplan.duties.items import DueItem, Urgency
from helhedsplan.duties.lists import due_items
from helhedsplan.duties.models import DutyDone
from helhedsplan.duties.sources import PROGRAMME_EVALUATION

# How many items the start page's panel shows before "Se alle".
PANEL_SIZE = 10


@dataclass
class DueList:
    """The user's items (newest deadline first) and the same split by urgency."""

    items: list[DueItem]
    today: date
    overdue: list[DueItem] = field(default_factory=list)
    due: list[DueItem] = field(default_factory=list)

    def __post_init__(self) -> None:
        for item in self.items:
            (self.overdue if item.urgency(self.today) is Urgency.OVERDUE else self.due).append(item)

    @property
    def panel(self) -> list[DueItem]:
        return self.items[:PANEL_SIZE]

    @property
    def more(self) -> int:
        return max(0, len(self.items) - PANEL_SIZE)

    @property
    def markable(self) -> list[DueItem]:
        """The items the user marks done by hand (the system cannot see them done)."""
        return [item for item in self.items if item.kind == PROGRAMME_EVALUATION]


def due_list(access: PlanAccess, today: date) -> DueList:
    return DueList(due_items(access, today), today)


def duties_done(plan: Any) -> QuerySet[DutyDone]:
    return DutyDone.objects.filter(plan=plan).select_related("marked_by").order_by("-done_on")


def due_counts(user: Any, plans: Iterable[Any], today: date) -> dict[int, tuple[int, int]]:
    """Per plan id: (items due or overdue, of them overdue) for the user, for the list of
    plans on the home page."""
    plans = list(plans)
    by_plan: dict[int, list[Membership]] = {}
    for membership in Membership.objects.filter(user=user, plan__in=plans).prefetch_related(
        "areas"
    ):
        by_plan.setdefault(membership.plan_id, []).append(membership)
    counts = {}
    for plan in plans:
        memberships = by_plan.get(plan.pk)
        if not memberships:
            continue
        for membership in memberships:
            membership.plan = plan
        items = due_items(plan_access_for(memberships), today)
        overdue = sum(item.urgency(today) is Urgency.OVERDUE for item in items)
        counts[plan.pk] = (len(items), overdue)
    return counts
