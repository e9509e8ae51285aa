"""Reads for the scorecard, the criterion page and the API: one computation for all three.

Everything is fetched in a fixed number of queries (``_load``) and evaluated in Python by the
pure engine, so the query count does not grow with the number of areas, criteria or years.
Only approved observations count; a total over areas is sum(numerators)/sum(denominators) for
rates and the sum for counts, never a mean of area rates; where the areas have only rates the
total cannot be derived and the cell says so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch

from helhedsplan.criteria import engine
from helhedsplan.criteria.models import (
    Measure,
    Observation,
    ReferenceValue,
    SeedNote,
    SuccessCriterion,
    Target,
)
from helhedsplan.plans.models import FocusArea, HousingArea, Plan

TOTAL = "total"


@dataclass(frozen=True)
class Column:
    key: str  # area slug or "total"
    label: str
    area: HousingArea | None = None


@dataclass
class Point:
    """One year's value in a column: stored, derived from the areas, or missing."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    derived: bool = False
    source_note: str = ""
    rating: str = ""


@dataclass
class TargetResult:
    target: Target
    sentence: str
    evaluation: engine.Evaluation


@dataclass
class Cell:
    column: Column
    point: Point | None
    results: list[TargetResult] = field(default_factory=list)
    not_derivable: bool = False

    @property
    def status(self) -> engine.Status | None:
        """None when no target applies to this column."""
        if not self.results:
            return None
        return engine.combine(r.evaluation for r in self.results)


@dataclass
class Row:
    criterion: SuccessCriterion
    cells: list[Cell]
    notes: list[SeedNote]

    @property
    def has_contradiction(self) -> bool:
        return any(n.kind == SeedNote.Kind.CONTRADICTION for n in self.notes)

    @property
    def status(self) -> engine.Status:
        return engine.combine(r.evaluation for c in self.cells for r in c.results)


@dataclass
class Group:
    focus_area: FocusArea
    rows: list[Row]


@dataclass
class Scorecard:
    plan: Plan
    year: int
    years: list[int]
    columns: list[Column]
    groups: list[Group]
    focus_areas: list[FocusArea]
    areas: list[HousingArea]


@dataclass
class PlanData:
    """Everything the scorecard needs for one plan, fetched once."""

    plan: Plan
    areas: list[HousingArea]
    focus_areas: list[FocusArea]
    criteria: list[SuccessCriterion]
    # measure id -> column key -> year -> point
    series: dict[int, dict[str, dict[int, Point]]]
    # measure id -> years where the total could not be derived from the areas
    not_derivable: dict[int, set[int]]
    references: dict[int, dict[int, Decimal]]

    @property
    def columns(self) -> list[Column]:
        cols = [Column(a.slug, a.name, a) for a in self.areas]
        return [*cols, Column(TOTAL, "Samlet")]


def _point(obs: Observation) -> Point:
    return Point(
        value=obs.value,
        numerator=obs.numerator,
        denominator=obs.denominator,
        source_note=obs.source_note,
        rating=obs.rating,
    )


def derive_total(measure: Measure, points: list[Point | None]) -> Point | None:
    """The total of the areas' points for one year, or None when it cannot be derived.

    Rates: sum(numerators) / sum(denominators) x scale, needing both for every area. Counts:
    the sum of the values. Anything else (shares given only as rates, ratings): None.
    """
    if not points or any(p is None for p in points):
        return None
    present = [p for p in points if p is not None]
    if measure.is_rate:
        if any(p.numerator is None or p.denominator is None for p in present):
            return None
        num = sum((p.numerator for p in present if p.numerator is not None), Decimal(0))
        den = sum((p.denominator for p in present if p.denominator is not None), Decimal(0))
        if den == 0:
            return None
        value = (num * measure.scale / den).quantize(Decimal("0.01"))
        return Point(value=value, numerator=num, denominator=den, derived=True)
    if measure.value_kind == Measure.ValueKind.COUNT:
        values = [p.value for p in present]
        if any(v is None for v in values):
            return None
        total = sum((v for v in values if v is not None), Decimal(0))
        return Point(value=total, derived=True)
    return None


def load_plan_data(plan: Plan) -> PlanData:
    """Seven queries, whatever the size of the plan."""
    areas = list(HousingArea.objects.filter(plan=plan).order_by("order", "name"))
    focus_areas = list(FocusArea.objects.filter(plan=plan).order_by("order", "code"))
    criteria = list(
        SuccessCriterion.objects.filter(plan=plan)
        .select_related("measure", "focus_area")
        .prefetch_related(
            Prefetch(
                "targets",
                queryset=Target.objects.select_related("reference_series").prefetch_related(
                    "areas"
                ),
            ),
            "notes",
        )
        .order_by("order", "code")
    )
    measures = {c.measure_id: c.measure for c in criteria}
    by_slug = {a.pk: a.slug for a in areas}
    series: dict[int, dict[str, dict[int, Point]]] = defaultdict(lambda: defaultdict(dict))
    observations = Observation.objects.filter(
        measure__plan=plan, state=Observation.State.APPROVED, variant=""
    ).only(
        "measure_id", "area_id", "year", "value", "numerator", "denominator",
        "source_note", "rating",
    )  # fmt: skip
    for obs in observations:
        key = by_slug.get(obs.area_id, TOTAL) if obs.area_id else TOTAL
        series[obs.measure_id][key][obs.year] = _point(obs)
    not_derivable: dict[int, set[int]] = defaultdict(set)
    for measure_id, measure in measures.items():
        by_col = series[measure_id]
        years = {y for key, points in by_col.items() if key != TOTAL for y in points}
        for year in years:
            if year in by_col[TOTAL]:
                continue
            total = derive_total(measure, [by_col[a.slug].get(year) for a in areas])
            if total is None:
                not_derivable[measure_id].add(year)
            else:
                by_col[TOTAL][year] = total
    references: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for series_id, year, value in ReferenceValue.objects.filter(series__plan=plan).values_list(
        "series_id", "year", "value"
    ):
        references[series_id][year] = value
    return PlanData(plan, areas, focus_areas, criteria, series, not_derivable, references)


def _applies(target: Target, column: Column) -> bool:
    if column.area is None:
        return target.applies_to_total
    return any(a.pk == column.area.pk for a in target.areas.all())


def evaluate_cell(data: PlanData, criterion: SuccessCriterion, column: Column, year: int) -> Cell:
    points = data.series.get(criterion.measure_id, {}).get(column.key, {})
    values = {y: p.value for y, p in points.items() if p.value is not None}
    point = points.get(year)
    rating = engine.Rating(point.rating) if point and point.rating else None
    cell = Cell(column=column, point=point)
    cell.not_derivable = column.key == TOTAL and year in data.not_derivable.get(
        criterion.measure_id, set()
    )
    for target in criterion.targets.all():
        if not _applies(target, column):
            continue
        eng = target.to_engine()
        ref = data.references.get(target.reference_series_id or 0, {})
        evaluation = engine.evaluate(eng, year, values, ref, rating)
        cell.results.append(TargetResult(target, engine.describe(eng), evaluation))
    return cell


def _row(data: PlanData, criterion: SuccessCriterion, columns: list[Column], year: int) -> Row:
    cells = [evaluate_cell(data, criterion, col, year) for col in columns]
    return Row(criterion, cells, list(criterion.notes.all()))


def scorecard_years(plan: Plan, data: PlanData | None = None) -> list[int]:
    years = set(plan.years)
    if data is not None:
        for by_col in data.series.values():
            for points in by_col.values():
                years.update(points)
    return sorted(years)


def scorecard(
    plan: Plan, year: int, *, focus_area: str | None = None, area: str | None = None
) -> Scorecard:
    """The plan's criteria (rows, by focus area) by areas and total (columns) in ``year``.

    ``focus_area`` (a code such as "5.2") and ``area`` (a slug or "total") filter the result.
    """
    data = load_plan_data(plan)
    columns = [c for c in data.columns if area in (None, "", c.key)]
    groups = []
    for fa in data.focus_areas:
        if focus_area and fa.code != focus_area:
            continue
        rows = [_row(data, c, columns, year) for c in data.criteria if c.focus_area_id == fa.pk]
        if rows:
            groups.append(Group(fa, rows))
    return Scorecard(
        plan=plan,
        year=year,
        years=scorecard_years(plan, data),
        columns=columns,
        groups=groups,
        focus_areas=data.focus_areas,
        areas=data.areas,
    )


@dataclass(frozen=True)
class CriterionStatus:
    status: engine.Status
    year: int | None


def default_year(plan: Plan, today: date | None = None) -> int:
    """The latest year of the plan that has begun (the plan's first year before it starts)."""
    today = today or date.today()
    years = list(plan.years)
    return max([y for y in years if y <= today.year] or [years[0]])


def latest_status_by_criterion(plan: Plan, today: date | None = None) -> dict[int, CriterionStatus]:
    """Per criterion id: the status of the latest year up to now that has one that is due."""
    data = load_plan_data(plan)
    last = default_year(plan, today)
    result: dict[int, CriterionStatus] = {}
    for criterion in data.criteria:
        result[criterion.pk] = CriterionStatus(engine.Status.NOT_DUE, None)
        for year in range(last, plan.start_date.year - 1, -1):
            status = _row(data, criterion, data.columns, year).status
            if status is not engine.Status.NOT_DUE:
                result[criterion.pk] = CriterionStatus(status, year)
                break
    return result
