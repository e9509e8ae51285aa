"""Each role's list "Det skal gøres": what is due and overdue for this user on this plan.

A source is a function ``(access, today) -> list[DueItem]`` registered with ``@source``; it
returns the duties of the plan that fall to the user (a coordinator's areas, the
municipality's measures and activities, what waits for LBF) with a link to where each is
done, in a constant number of queries. ``due_items`` asks every source and keeps what is due
or overdue on ``today``; the start page shows it, and the reminders e-mail it.

Unlike a selector, a source takes the user's ``PlanAccess``: a due list is, by definition,
what this user may and must do. The reminders build the same ``PlanAccess`` per user
(``accounts.access.plan_access_for``), so the page and the e-mail never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from helhedsplan.duties.items import DueItem, Urgency, listed

if TYPE_CHECKING:
    from helhedsplan.accounts.access import PlanAccess
    from helhedsplan.plans.models import Plan

Source = Callable[["PlanAccess", date], list[DueItem]]
SOURCES: dict[str, Source] = {}


def source(kind: str) -> Callable[[Source], Source]:
    def register(function: Source) -> Source:
        SOURCES[kind] = function
        return function

    return register


def all_items(access: PlanAccess, today: date) -> list[DueItem]:
    """Every duty of every source for the user, also those not yet due."""
    if access.plan.is_closed:
        return []
    items: list[DueItem] = []
    for function in SOURCES.values():
        items.extend(function(access, today))
    return items


def due_items(access: PlanAccess, today: date) -> list[DueItem]:
    """What is due or overdue for the user on ``today``, newest deadline first."""
    return listed(all_items(access, today), today)


# --- the required meetings (seed § 6) --------------------------------------------------


@source("meeting")
def required_meetings_due(access: PlanAccess, today: date) -> list[DueItem]:
    """The meetings § 6 requires each year and not yet held: the secretariat's, who calls
    them. Due from 1 January of the year, overdue after 31 December."""
    if not access.can("meetings.edit"):
        return []
    from helhedsplan.meetings.selectors import required_meetings

    create = reverse("meetings:create", kwargs={"slug": access.plan.slug})
    items = []
    for year, rows in required_meetings(access.plan, today).items():
        for row in rows:
            if row.held:
                continue
            items.append(
                DueItem(
                    key=f"meeting:{row.body.pk}:{row.kind}:{year}",
                    kind="meeting",
                    title=_("%(label)s (%(body)s, %(year)s)")
                    % {"label": row.label, "body": row.body.name, "year": year},
                    url=f"{create}?organ={row.body.slug}&kind={row.kind}",
                    due_from=date(year, 1, 1),
                    deadline=date(year, 12, 31),
                    area_id=row.body.area_id,
                )
            )
    return items


# --- the pages: the list split by urgency, the counts per plan ----------------------------

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
            late = item.urgency(self.today) is Urgency.OVERDUE
            (self.overdue if late else self.due).append(item)

    @property
    def panel(self) -> list[DueItem]:
        return self.items[:PANEL_SIZE]

    @property
    def more(self) -> int:
        return max(0, len(self.items) - PANEL_SIZE)


def due_list(access: PlanAccess, today: date) -> DueList:
    return DueList(due_items(access, today), today)


def due_counts(user: Any, plans: Iterable[Plan], today: date) -> dict[int, tuple[int, int]]:
    """Per plan id: (items due or overdue, of them overdue) for the user, for the list of
    plans on the home page. The same ``PlanAccess`` a page of the plan gets."""
    from helhedsplan.accounts.access import plan_access_for
    from helhedsplan.accounts.models import Membership

    plans = list(plans)
    by_plan: dict[int, list[Membership]] = {}
    memberships = Membership.objects.filter(user=user, plan__in=plans).prefetch_related("areas")
    for membership in memberships:
        by_plan.setdefault(membership.plan_id, []).append(membership)
    counts = {}
    for plan in plans:
        own = by_plan.get(plan.pk)
        if not own:
            continue
        for membership in own:
            membership.plan = plan
        items = due_items(plan_access_for(own), today)
        overdue = sum(item.urgency(today) is Urgency.OVERDUE for item in items)
        counts[plan.pk] = (len(items), overdue)
    return counts


def overdue_counts(plans: Iterable[Plan], today: date) -> dict[int, int]:
    """Per plan id: the items overdue on ``today`` for all the plan's roles together (a
    coordinator of every area), each once: the staff's national view. Each plan asks the
    sources once (a fixed number of queries per plan) and its areas are read in one query."""
    from helhedsplan.accounts.access import plan_wide_access
    from helhedsplan.plans.models import HousingArea

    plans = list(plans)
    areas: dict[int, list[int]] = {}
    rows = HousingArea.objects.filter(plan__in=plans).values_list("plan_id", "pk").order_by()
    for plan_id, area_id in rows:
        areas.setdefault(plan_id, []).append(area_id)
    counts = {}
    for plan in plans:
        items = {i.key: i for i in all_items(plan_wide_access(plan, areas.get(plan.pk, [])), today)}
        counts[plan.pk] = sum(i.urgency(today) is Urgency.OVERDUE for i in items.values())
    return counts


# The other sources register themselves when their module is imported.
from helhedsplan.duties import sources  # noqa: E402, F401
