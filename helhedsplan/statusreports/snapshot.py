"""The snapshot of a status report: the numbers as they were when it was issued.

``build(report)`` reads the plan through the selectors the pages use (the scorecard's
``load_plan_data``/``evaluate_cell``/``chart_spec``, ``delivery_report``, the meetings and
funding) and returns plain JSON (``FORMAT`` says its shape). It is stored on the report when
issued, and the report's document (``statusreports.document``) is drawn from it alone, so a
later correction never changes an issued report. Statuses are stored as the engine's codes
(worded when drawn); sentences (targets, evaluation details) and names as they read in Danish
when issued. A fixed number of queries whatever the size of the plan or the period.

The scorecard is the year of the period's end (2018 for 2018's second half-year): the
criteria are measured yearly, so a half-year report shows the year it ends in.

Format 2 added the vision panel (``vision``: ``lists.vision.panel_json`` over the lists
published by the period's end) and the board's follow-up of LBF's centrally generated
measurements (``central_measurements``: per indicator with values for the plan's areas, the
report year's value and the year before's, the change and whether it went the indicator's
better way). A format-1 snapshot lacks both keys: the document leaves the sections out.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone, translation

from helhedsplan.activities.models import AGE_BANDS, COUNT_FIELDS, SEXES, Evaluation, Registration
from helhedsplan.activities.selectors import delivery_report
from helhedsplan.criteria import engine
from helhedsplan.criteria.models import Measure, Observation
from helhedsplan.criteria.selectors import (
    TOTAL,
    PlanData,
    chart_spec,
    evaluate_cell,
    load_plan_data,
)
from helhedsplan.finance.models import FundingSource
from helhedsplan.finance.selectors import funding_summary
from helhedsplan.lists.vision import panel_json, vision_panel
from helhedsplan.measurements.models import CentralMeasurement, Indicator
from helhedsplan.meetings.models import Dispute, Meeting, Notice
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import FocusArea, HousingArea, Plan
from helhedsplan.statusreports.models import PeriodCorrection, StatusNarrative, StatusReport

FORMAT = 2


def _num(value: Decimal | int | None) -> str | None:
    """A number as JSON text without trailing zeros (58.3000 -> "58.3")."""
    if value is None:
        return None
    d = Decimal(value).normalize()
    return str(d.quantize(Decimal(1)) if d == d.to_integral_value() else d)


def _user(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def _quarters(start: date, end: date) -> list[tuple[int, int]]:
    """(year, quarter) of every quarter that overlaps the period."""
    result = []
    for year in range(start.year, end.year + 1):
        for q in (1, 2, 3, 4):
            q_start, q_end = date(year, 3 * q - 2, 1), _quarter_last(year, q)
            if q_start <= end and q_end >= start:
                result.append((year, q))
    return result


def _quarter_last(year: int, quarter: int) -> date:
    return date(year, 3 * quarter, 31 if quarter in (1, 4) else 30)


def build(report: StatusReport, *, today: date | None = None) -> dict[str, Any]:
    """The report's content now, as JSON (see the module's docstring)."""
    plan = report.plan
    with translation.override("da"):
        data = load_plan_data(plan, today)
        year = report.period_end.year
        scorecard, charts = _scorecard(data, year)
        snap: dict[str, Any] = {
            "format": FORMAT,
            "plan": {"name": plan.name, "slug": plan.slug},
            "period": {
                "start": report.period_start.isoformat(),
                "end": report.period_end.isoformat(),
                "label": report.period_label,
            },
            "year": year,
            "built_at": timezone.now().isoformat(),
            "scorecard": scorecard,
            "charts": charts,
            "delivery": _delivery(plan, report.period_start, report.period_end, today),
            "participants": _participants(plan, report.period_start, report.period_end),
            "evaluations": _evaluations(plan, report.period_start, report.period_end),
            "ratings": _ratings(data, year),
            "group_evaluations": _group_evaluations(plan, report.period_start, report.period_end),
            "notices": _notices(plan, report.period_start, report.period_end),
            "disputes": _disputes(plan, report.period_start, report.period_end),
            "funding": _funding(plan),
            "vision": panel_json(vision_panel(plan, until=report.period_end)),
            "central_measurements": _central_measurements(plan, year),
            "narratives": _narratives(report, data.focus_areas),
            "included": _included(plan, report.period_start, report.period_end),
        }
        previous = previous_issued(report)
        snap["previous"] = (
            {"id": previous.pk, "version": previous.version, "period": previous.period_label}
            if previous is not None
            else None
        )
        snap["corrections"] = _corrections(plan, previous)
        snap["changes"] = changes_between(previous.snapshot if previous else None, snap)
    return snap


def previous_issued(report: StatusReport) -> StatusReport | None:
    """The plan's last issued report before ``report`` (the one it supersedes included)."""
    found = StatusReport.objects.filter(plan_id=report.plan_id, version__isnull=False).exclude(
        pk=report.pk
    )
    if report.version is not None:
        found = found.filter(version__lt=report.version)
    return found.order_by("-version").first()


# --- the scorecard and its charts ------------------------------------------------------------


def _scorecard(data: PlanData, year: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    columns = data.columns
    groups = []
    charts = []
    for fa in data.focus_areas:
        rows = []
        for criterion in (c for c in data.criteria if c.focus_area_id == fa.pk):
            cells = [evaluate_cell(data, criterion, col, year) for col in columns]
            status = engine.combine(r.evaluation for c in cells for r in c.results)
            rows.append(
                {
                    "criterion_id": criterion.pk,
                    "code": criterion.code,
                    "title": criterion.title,
                    "unit": criterion.measure.unit_label,
                    "status": str(status),
                    "cells": [
                        {
                            "column": cell.column.key,
                            "value": _num(cell.point.value) if cell.point else None,
                            "rating": cell.point.rating_label if cell.point else "",
                            "derived": bool(cell.point and cell.point.derived),
                            "not_derivable": cell.not_derivable,
                            "status": str(cell.status) if cell.status else None,
                            "targets": [
                                {
                                    "sentence": r.sentence,
                                    "status": str(r.evaluation.status),
                                    "detail": r.detail,
                                }
                                for r in cell.results
                            ],
                        }
                        for cell in cells
                    ],
                }
            )
            charts.append(_chart(data, criterion, columns, cells))
        if rows:
            groups.append(
                {"focus_area": {"id": fa.pk, "code": fa.code, "name": str(fa)}, "rows": rows}
            )
    scorecard = {
        "year": year,
        "columns": [{"key": c.key, "label": c.label} for c in columns],
        "groups": groups,
    }
    return scorecard, charts


def _chart(data: PlanData, criterion: Any, columns: list[Any], cells: list[Any]) -> dict[str, Any]:
    """The criterion's chart as the criterion page draws it (``chart_spec``): the total's
    when it has figures or targets, else the first area's that has."""
    series = data.series.get(criterion.measure_id, {})
    relevant = [
        c for c, cell in zip(columns, cells, strict=True) if series.get(c.key) or cell.results
    ]
    column = next((c for c in relevant if c.key == TOTAL), relevant[0] if relevant else columns[-1])
    spec = chart_spec(data, criterion, column)
    return {
        "code": criterion.code,
        "column": column.key,
        "title": spec.title,
        "years": list(spec.years),
        "unit": spec.unit,
        "series": [
            {
                "label": s.label,
                "style": s.style,
                "points": {str(y): _num(v) for y, v in sorted(s.points.items())},
            }
            for s in spec.series
        ],
    }


# --- activities ------------------------------------------------------------------------------


def _delivery(plan: Plan, start: date, end: date, today: date | None) -> dict[str, Any]:
    quarters = _quarters(start, end)
    activities: dict[int, dict[str, Any]] = {}
    for year in sorted({y for y, _q in quarters}):
        wanted = [q for y, q in quarters if y == year]
        for block in delivery_report(plan, year, today).activities:
            entry = activities.setdefault(
                block.activity.pk,
                {
                    "activity_id": block.activity.pk,
                    "name": block.activity.name,
                    "focus_area_id": block.activity.focus_area_id,
                    "unit": block.activity.unit_display,
                    "areas": {},
                },
            )
            for row in block.rows:
                area = entry["areas"].setdefault(
                    row.area.pk, {"area": row.area.name, "planned": None, "delivered": 0}
                )
                for q in wanted:
                    cell = row.quarters[q - 1]
                    area["delivered"] += cell.delivered
                    if cell.planned is not None:
                        area["planned"] = (area["planned"] or 0) + cell.planned
    result = []
    for entry in activities.values():
        areas = list(entry.pop("areas").values())
        planned = [a["planned"] for a in areas if a["planned"] is not None]
        entry["rows"] = areas
        entry["planned"] = sum(planned) if planned else None
        entry["delivered"] = sum(a["delivered"] for a in areas)
        result.append(entry)
    return {"quarters": [f"{y} K{q}" for y, q in quarters], "activities": result}


def _participants(plan: Plan, start: date, end: date) -> list[dict[str, Any]]:
    """Participants summed per activity and area over the period, by age band and sex:
    one aggregate query."""
    rows = (
        Registration.objects.filter(plan=plan, date__gte=start, date__lte=end)
        .values("activity_id", "activity__name", "activity__focus_area_id", "area_id", "area__name")
        .annotate(
            events=Count("id"), total=Sum("participants"), **{f: Sum(f) for f in COUNT_FIELDS}
        )
        .order_by("activity__order", "activity__name", "area__order", "area__name")
    )
    return [
        {
            "activity_id": r["activity_id"],
            "activity": r["activity__name"],
            "focus_area_id": r["activity__focus_area_id"],
            "area_id": r["area_id"],
            "area": r["area__name"],
            "events": r["events"],
            "total": r["total"] or 0,
            "counts": {f.removeprefix("n_"): r[f] or 0 for f in COUNT_FIELDS},
        }
        for r in rows
    ]


BANDS = [band for band, _label in AGE_BANDS]
SEX_CODES = [sex for sex, _label in SEXES]


def _evaluations(plan: Plan, start: date, end: date) -> list[dict[str, Any]]:
    found = (
        Evaluation.objects.filter(activity__plan=plan, period_start__lte=end, period_end__gte=start)
        .select_related("activity")
        .order_by("activity__order", "activity__name", "period_start", "pk")
    )
    return [
        {
            "activity": e.activity.name,
            "period_start": e.period_start.isoformat(),
            "period_end": e.period_end.isoformat(),
            "rating": str(e.get_rating_display()),
            "narrative": e.narrative,
            "evaluated_on": e.evaluated_on.isoformat(),
        }
        for e in found
    ]


def _ratings(data: PlanData, year: int) -> list[dict[str, Any]]:
    """The year's approved observations of rating measures, with their narrative."""
    codes: dict[int, list[str]] = defaultdict(list)
    for c in data.criteria:
        codes[c.measure_id].append(c.code)
    found = (
        Observation.objects.filter(
            measure__plan=data.plan,
            measure__value_kind=Measure.ValueKind.RATING,
            state=Observation.State.APPROVED,
            year=year,
        )
        .select_related("measure", "area")
        .order_by("measure__order", "area__order", "pk")
    )
    return [
        {
            "criteria": codes.get(o.measure_id, []),
            "measure": o.measure.name,
            "area": o.area.name if o.area else "",
            "year": o.year,
            "rating": str(o.get_rating_display()) if o.rating else "",
            "narrative": o.narrative,
        }
        for o in found
    ]


# --- LBF's centrally generated measurements (seed § 4: the board follows them) -------------

BETTER, WORSE, SAME = "better", "worse", "same"


def _measurement(m: CentralMeasurement | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {
        "value": _num(m.value),
        "numerator": _num(m.numerator),
        "denominator": _num(m.denominator),
        "suppressed": m.suppressed,
    }


def _trend(direction: str, before: Decimal | None, now: Decimal | None) -> str | None:
    """Whether the value moved the indicator's better way (None: no direction, or a value
    missing)."""
    if before is None or now is None or direction == Indicator.Direction.NONE:
        return None
    if now == before:
        return SAME
    lower = now < before
    return BETTER if lower == (direction == Indicator.Direction.DOWN) else WORSE


def _central_measurements(plan: Plan, year: int) -> dict[str, Any]:
    """Per indicator with a value for one of the plan's areas in the report year or the year
    before: per area both values, the change and its direction. Two queries."""
    areas = list(HousingArea.objects.filter(plan=plan).order_by("order", "name"))
    found = CentralMeasurement.objects.filter(
        area__plan=plan, year__in=(year - 1, year)
    ).select_related("indicator")
    by_indicator: dict[int, dict[tuple[int, int], CentralMeasurement]] = defaultdict(dict)
    indicators: dict[int, Indicator] = {}
    for m in found:
        indicators[m.indicator_id] = m.indicator
        by_indicator[m.indicator_id][(m.area_id, m.year)] = m
    result = []
    for indicator in sorted(indicators.values(), key=lambda i: (i.order, i.code)):
        values = by_indicator[indicator.pk]
        rows = []
        for area in areas:
            before, now = values.get((area.pk, year - 1)), values.get((area.pk, year))
            if before is None and now is None:
                continue
            old = before.value if before is not None else None
            new = now.value if now is not None else None
            rows.append(
                {
                    "area": area.name,
                    "slug": area.slug,
                    "before": _measurement(before),
                    "now": _measurement(now),
                    "change": _num(new - old) if new is not None and old is not None else None,
                    "trend": _trend(indicator.direction, old, new),
                }
            )
        result.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.unit,
                "is_rate": indicator.is_rate,
                "numerator_label": indicator.numerator_label,
                "denominator_label": indicator.denominator_label,
                "direction": indicator.direction,
                "source": indicator.source,
                "rows": rows,
            }
        )
    return {"year": year, "year_before": year - 1, "indicators": result}


# --- meetings, notices, disputes, funding ------------------------------------------------------


def _group_evaluations(plan: Plan, start: date, end: date) -> list[dict[str, Any]]:
    """The coordination group's and the follow-up groups' evaluation meetings (seed § 6)."""
    found = (
        Meeting.objects.filter(
            plan=plan,
            kind=Meeting.Kind.EVALUATION,
            body__kind__in=[Body.Kind.COORDINATION_GROUP, Body.Kind.FOLLOW_UP_GROUP],
            date__gte=start,
            date__lte=end,
        )
        .select_related("body")
        .order_by("date", "pk")
    )
    return [
        {
            "body": str(m.body),
            "date": m.date.isoformat(),
            "title": m.display_title,
            "minutes": m.minutes_text,
            "minutes_file": m.minutes_file_id is not None,
        }
        for m in found
    ]


def _notices(plan: Plan, start: date, end: date) -> list[dict[str, Any]]:
    found = Notice.objects.filter(plan=plan, occurred_on__gte=start, occurred_on__lte=end)
    return [
        {
            "occurred_on": n.occurred_on.isoformat(),
            "subject": n.subject,
            "description": n.description,
            "informed_board": n.informed_board,
            "informed_partners": n.informed_partners,
        }
        for n in found.order_by("occurred_on", "pk")
    ]


def _disputes(plan: Plan, start: date, end: date) -> list[dict[str, Any]]:
    found = Dispute.objects.filter(plan=plan, raised_on__gte=start, raised_on__lte=end)
    return [
        {
            "raised_on": d.raised_on.isoformat(),
            "raised_by": d.raised_by,
            "subject": d.subject,
            "status": str(d.get_status_display()),
            "handling": d.handling,
        }
        for d in found.order_by("raised_on", "pk")
    ]


def _funding(plan: Plan) -> dict[str, Any]:
    summary = funding_summary(plan.pk)
    sources = FundingSource.objects.filter(plan=plan).order_by("order", "pk")
    return {
        "sources": [
            {"name": s.name, "kind": str(s.get_kind_display()), "amount_tkr": _num(s.amount_tkr)}
            for s in sources
        ],
        "lbf": _num(summary.lbf),
        "local": _num(summary.local),
        "total": _num(summary.total),
        "local_share": _num(summary.local_share) if summary.local_share is not None else None,
    }


def _narratives(report: StatusReport, focus_areas: list[FocusArea]) -> list[dict[str, Any]]:
    texts = dict(StatusNarrative.objects.filter(report=report).values_list("focus_area_id", "text"))
    return [
        {"focus_area_id": fa.pk, "code": fa.code, "name": str(fa), "text": texts.get(fa.pk, "")}
        for fa in focus_areas
    ]


def _included(plan: Plan, start: date, end: date) -> dict[str, list[int]]:
    """What the report stands on: the approved observations of the period's years and the
    registrations dated in the period (the period locking reads these)."""
    observations = Observation.objects.filter(
        measure__plan=plan,
        state=Observation.State.APPROVED,
        year__gte=start.year,
        year__lte=end.year,
    ).order_by("pk")
    registrations = Registration.objects.filter(plan=plan, date__gte=start, date__lte=end)
    return {
        "observations": list(observations.values_list("pk", flat=True)),
        "registrations": list(registrations.order_by("pk").values_list("pk", flat=True)),
    }


def _corrections(plan: Plan, previous: StatusReport | None) -> list[dict[str, Any]]:
    """The corrections of locked figures since the previous issued report."""
    if previous is None or previous.issued_at is None:
        return []
    found = (
        PeriodCorrection.objects.filter(plan=plan, corrected_at__gt=previous.issued_at)
        .select_related("corrected_by", "report")
        .order_by("corrected_at", "pk")
    )
    return [
        {
            "kind": str(c.get_kind_display()),
            "label": c.label,
            "old": c.old,
            "new": c.new,
            "reason": c.reason,
            "by": _user(c.corrected_by),
            "at": c.corrected_at.isoformat(),
            "locked_by": c.report.period_label,
        }
        for c in found
    ]


# --- the change since the last report --------------------------------------------------------


def changes_between(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, Any]:
    """What changed from the previous report's snapshot to this one: the status of each
    criterion per column (column "" is the criterion's overall status), its value, and
    each activity's delivery. Pure (plain JSON in and
    out). ``{"compared": False}`` when there is no previous report."""
    if not before:
        return {"compared": False, "status": [], "values": [], "delivery": []}
    labels = {c["key"]: c["label"] for c in after["scorecard"]["columns"]}
    old_cells = _cells(before)
    status: list[dict[str, Any]] = []
    values: list[dict[str, Any]] = []
    for (code, column), (title, cell, total_status) in _cells(after).items():
        old = old_cells.get((code, column))
        if old is None:
            continue
        _old_title, old_cell, old_total = old
        where = labels.get(column, column)
        if column == TOTAL and old_total != total_status:
            status.append(
                {"code": code, "title": title, "column": "",
                 "before": old_total, "after": total_status}
            )  # fmt: skip
        if (old_cell.get("status") or None) != (cell.get("status") or None):
            status.append(
                {"code": code, "title": title, "column": where,
                 "before": old_cell.get("status"), "after": cell.get("status")}
            )  # fmt: skip
        after_value = cell.get("value") or cell.get("rating") or None
        new_year_without_figure = after_value is None and before["year"] != after["year"]
        if not new_year_without_figure and (old_cell.get("value"), old_cell.get("rating")) != (
            cell.get("value"),
            cell.get("rating"),
        ):
            values.append(
                {"code": code, "title": title, "column": where,
                 "before": old_cell.get("value") or old_cell.get("rating") or None,
                 "after": cell.get("value") or cell.get("rating") or None}
            )  # fmt: skip
    old_delivery = {a["activity_id"]: a for a in before["delivery"]["activities"]}
    delivery: list[dict[str, Any]] = []
    for activity in after["delivery"]["activities"]:
        old_a = old_delivery.get(activity["activity_id"])
        if old_a is None:
            continue
        if (old_a["planned"], old_a["delivered"]) != (activity["planned"], activity["delivered"]):
            delivery.append(
                {"activity": activity["name"], "unit": activity["unit"],
                 "planned_before": old_a["planned"], "planned_after": activity["planned"],
                 "delivered_before": old_a["delivered"], "delivered_after": activity["delivered"]}
            )  # fmt: skip
    return {
        "compared": True,
        "year_before": before["year"],
        "year_after": after["year"],
        "period_before": before["period"]["label"],
        "quarters_before": before["delivery"]["quarters"],
        "status": status,
        "values": values,
        "delivery": delivery,
    }


def _cells(snap: dict[str, Any]) -> dict[tuple[str, str], tuple[str, dict[str, Any], str]]:
    found = {}
    for group in snap["scorecard"]["groups"]:
        for row in group["rows"]:
            for cell in row["cells"]:
                found[(row["code"], cell["column"])] = (row["title"], cell, row["status"])
    return found
