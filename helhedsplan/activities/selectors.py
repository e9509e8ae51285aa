"""Reads of the activities app, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from helhedsplan.activities.models import (
    Activity,
    ActivityArea,
    DeliverySettings,
    PlannedQuantity,
    QuarterClosure,
    Registration,
)
from helhedsplan.activities.services import delivery_settings_for
from helhedsplan.criteria.wording import status_label
from helhedsplan.plans.models import HousingArea, Plan


def activities_for_plan(plan: Plan, *, partners: bool = True) -> QuerySet[Activity]:
    """The plan's activities with their areas (and, unless ``partners`` is False, their
    partners: the delivery measurement shows none)."""
    links = Prefetch(
        "area_links",
        queryset=ActivityArea.objects.select_related("area").order_by("area__order"),
    )
    activities = (
        Activity.objects.filter(plan=plan)
        .select_related("plan", "focus_area__plan", "responsible_partner")
        .prefetch_related(links)
        .order_by("focus_area__order", "order", "name")
    )
    return activities.prefetch_related("partners") if partners else activities


def activity_area_links(plan: Plan) -> list[tuple[int, str, int]]:
    """(activity id, responsible, area id) for every area an activity of the plan runs in:
    the plain data ``PlanAccess.registrable_pairs`` decides from (one query)."""
    return list(
        ActivityArea.objects.filter(activity__plan=plan)
        .order_by("activity_id", "area_id")
        .values_list("activity_id", "activity__responsible", "area_id")
    )


def last_registration(user: Any, plan: Plan) -> Registration | None:
    """The user's latest registration in the plan: its values prefill the next one."""
    return (
        Registration.objects.filter(plan=plan, registered_by=user)
        .prefetch_related("partners")
        .order_by("-registered_at", "-pk")
        .first()
    )


def recent_registrations(plan: Plan, limit: int = 50) -> list[Registration]:
    return list(
        Registration.objects.filter(plan=plan)
        .select_related("activity", "area", "plan")
        .order_by("-date", "-pk")[:limit]
    )


@dataclass
class DeliveryCell:
    planned: int | None = None
    delivered: int = 0
    pct: Decimal | None = None
    flag: str = ""  # under, over, ok, unplanned, running, ""

    @property
    def flag_class(self) -> str:
        return {"under": "bad", "over": "warn", "ok": "ok", "unplanned": "warn"}.get(self.flag, "")


@dataclass
class DeliveryRow:
    activity: Activity
    area: HousingArea
    quarters: list[DeliveryCell]
    total: DeliveryCell


@dataclass
class ActivityDelivery:
    activity: Activity
    rows: list[DeliveryRow] = field(default_factory=list)
    total: DeliveryCell = field(default_factory=DeliveryCell)
    is_demo_data: bool = False


@dataclass
class DeliveryReport:
    plan: Plan
    year: int
    settings: DeliverySettings
    activities: list[ActivityDelivery]
    closed_quarters: set[int]
    is_demo_data: bool


def _flag(cell: DeliveryCell, settings: DeliverySettings, ended: bool) -> None:
    if cell.planned:
        cell.pct = Decimal(cell.delivered) * 100 / Decimal(cell.planned)
    if not ended:
        cell.flag = "running" if cell.planned or cell.delivered else ""
    elif cell.planned:
        assert cell.pct is not None
        if cell.pct < settings.under_threshold:
            cell.flag = "under"
        elif cell.pct > settings.over_threshold:
            cell.flag = "over"
        else:
            cell.flag = "ok"
    elif cell.delivered:
        cell.flag = "unplanned"


def _quarter_end(year: int, quarter: int) -> date:
    return date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)


def delivery_report(plan: Plan, year: int, today: date | None = None) -> DeliveryReport:
    """Planned vs delivered per activity, area and quarter of ``year``.

    Delivered depends on the activity's unit: the number of registrations (events held),
    the sum of participants, or the sum of the registrations' quantity (another unit).
    A quarter is flagged only once it has ended; a quarter in progress shows "i gang".
    Six queries whatever the number of registrations (the aggregate is done in SQL, and
    says whether demonstration data is in it).
    """
    today = today or date.today()
    settings = delivery_settings_for(plan)
    activities = list(activities_for_plan(plan, partners=False))
    aggregates = (
        Registration.objects.filter(plan=plan, year=year)
        .values("activity_id", "area_id", "quarter")
        .annotate(
            events=Count("id"),
            participants_sum=Sum("participants"),
            quantity_sum=Sum("quantity"),
            demo=Count("id", filter=Q(is_demo_data=True)),
        )
        .order_by()
    )
    delivered: dict[tuple[int, int, int], dict[str, Any]] = {
        (a["activity_id"], a["area_id"], a["quarter"]): a for a in aggregates
    }
    planned: dict[tuple[int, int, int], PlannedQuantity] = {
        (p.activity_id, p.area_id, p.quarter): p
        for p in PlannedQuantity.objects.filter(activity__plan=plan, year=year)
    }
    demo = any(a["demo"] for a in delivered.values()) or any(
        p.is_demo_data for p in planned.values()
    )
    closed = set(
        QuarterClosure.objects.filter(plan=plan, year=year).values_list("quarter", flat=True)
    )
    unit_key: dict[str, str] = {
        Activity.Unit.EVENTS: "events",
        Activity.Unit.PARTICIPANTS: "participants_sum",
        Activity.Unit.OTHER: "quantity_sum",
    }
    ended = [_quarter_end(year, q) <= today for q in (1, 2, 3, 4)]
    result = []
    for activity in activities:
        block = ActivityDelivery(activity=activity)
        block_demo = False
        year_cells = [DeliveryCell() for _q in range(4)]
        for link in activity.area_links.all():
            cells = []
            for q in (1, 2, 3, 4):
                agg = delivered.get((activity.pk, link.area_id, q))
                plan_row = planned.get((activity.pk, link.area_id, q))
                if activity.end_date is not None and activity.end_date < date(year, 3 * q - 2, 1):
                    plan_row = None  # ended before the quarter: its plan is not held against it
                cell = DeliveryCell(
                    planned=plan_row.quantity if plan_row else None,
                    delivered=int((agg or {}).get(unit_key[activity.unit]) or 0),
                )
                block_demo = block_demo or bool(plan_row and plan_row.is_demo_data)
                _flag(cell, settings, ended[q - 1])
                cells.append(cell)
                total_q = year_cells[q - 1]
                total_q.delivered += cell.delivered
                if cell.planned is not None:
                    total_q.planned = (total_q.planned or 0) + cell.planned
            total = DeliveryCell(
                planned=sum(c.planned for c in cells if c.planned is not None)
                if any(c.planned is not None for c in cells)
                else None,
                delivered=sum(c.delivered for c in cells),
            )
            _flag(total, settings, ended[3])
            block.rows.append(
                DeliveryRow(activity=activity, area=link.area, quarters=cells, total=total)
            )
        block.total = DeliveryCell(
            planned=sum(c.planned for c in year_cells if c.planned is not None)
            if any(c.planned is not None for c in year_cells)
            else None,
            delivered=sum(c.delivered for c in year_cells),
        )
        _flag(block.total, settings, ended[3])
        block.is_demo_data = block_demo
        result.append(block)
    return DeliveryReport(
        plan=plan,
        year=year,
        settings=settings,
        activities=result,
        closed_quarters=closed,
        is_demo_data=demo,
    )


def delivery_by_activity(plan: Plan, year: int) -> dict[int, ActivityDelivery]:
    return {block.activity.pk: block for block in delivery_report(plan, year).activities}


def planned_rows(plan: Plan) -> list[PlannedQuantity]:
    return list(
        PlannedQuantity.objects.filter(activity__plan=plan)
        .select_related("activity", "area")
        .order_by("activity__order", "activity__name", "area__order", "year", "quarter")
    )


def quarters_for_plan(plan: Plan) -> list[tuple[int, int, QuarterClosure | None]]:
    closures = {
        (c.year, c.quarter): c
        for c in QuarterClosure.objects.filter(plan=plan).select_related("closed_by")
    }
    return [(year, q, closures.get((year, q))) for year in plan.years for q in (1, 2, 3, 4)]


def default_years(plan: Plan) -> list[int]:
    return list(plan.years)


STATUS_CLASS = {
    "met": "ok",
    "on_track": "ok",
    "not_met": "bad",
    "behind": "warn",
    "partly": "warn",
}


@dataclass
class CriterionSupport:
    criterion: Any
    status_label: str
    status_class: str
    status_year: int | None
    activities: list[ActivityDelivery]


@dataclass
class SupportMatrix:
    year: int
    groups: list[tuple[Any, list[CriterionSupport]]]
    unlinked: list[ActivityDelivery]
    is_demo_data: bool


def support_matrix(plan: Plan, year: int, today: date | None = None) -> SupportMatrix:
    """Which activities support which success criterion, with the criterion's latest status
    and each activity's delivery in ``year``: the board's second yearly assessment (§ 6)."""
    from helhedsplan.criteria.models import SuccessCriterion
    from helhedsplan.criteria.selectors import latest_status_by_criterion

    delivery = delivery_report(plan, year, today=today)
    by_activity = {block.activity.pk: block for block in delivery.activities}
    statuses = latest_status_by_criterion(plan, today)
    criteria = list(
        SuccessCriterion.objects.filter(plan=plan)
        .select_related("focus_area", "plan")
        .prefetch_related("activities")
        .order_by("focus_area__order", "order", "code")
    )
    linked: set[int] = set()
    groups: list[tuple[Any, list[CriterionSupport]]] = []
    for criterion in criteria:
        status = statuses.get(criterion.pk)
        activities = [by_activity[a.pk] for a in criterion.activities.all() if a.pk in by_activity]
        linked.update(a.activity.pk for a in activities)
        support = CriterionSupport(
            criterion=criterion,
            status_label=status_label(status.status) if status else "–",
            status_class=STATUS_CLASS.get(str(status.status), "") if status else "",
            status_year=status.year if status else None,
            activities=activities,
        )
        if groups and groups[-1][0] == criterion.focus_area:
            groups[-1][1].append(support)
        else:
            groups.append((criterion.focus_area, [support]))
    unlinked = [b for b in delivery.activities if b.activity.pk not in linked]
    return SupportMatrix(
        year=year, groups=groups, unlinked=unlinked, is_demo_data=delivery.is_demo_data
    )
