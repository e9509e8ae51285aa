"""Reads for the scorecard, the criterion page and the API: one computation for all three.

Everything is fetched in a fixed number of queries (``_load``) and evaluated in Python by the
pure engine, so the query count does not grow with the number of areas, criteria or years.
Only approved observations count; a total over areas is sum(numerators)/sum(denominators) for
rates and the sum for counts, never a mean of area rates; where the areas have only rates the
total cannot be derived and the cell says so.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Aggregate, CharField
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.criteria import engine, wording
from helhedsplan.criteria.models import (
    Measure,
    Observation,
    ReferenceValue,
    SeedNote,
    SuccessCriterion,
    Target,
    evaluation_date,
)
from helhedsplan.plans.models import FocusArea, HousingArea, Plan
from helhedsplan.plans.years import Years, criteria_years, criteria_years_of
from helhedsplan.statusreports import locking

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

    @property
    def rating_label(self) -> str:
        known = self.rating in Observation.Rating.values
        return str(Observation.Rating(self.rating).label) if known else self.rating


@dataclass
class TargetResult:
    target: Target
    sentence: str
    evaluation: engine.Evaluation

    @property
    def detail(self) -> str:
        """The evaluation's detail in words, in the active language."""
        return wording.detail_text(self.evaluation.detail)


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
    # Every target of the criterion (by id), whatever its agreement version: the ones in
    # force on a date are ``targets_on``'s, the history is ``target_history``'s.
    targets: dict[int, list[Target]] = field(default_factory=dict)
    notes: dict[int, list[SeedNote]] = field(default_factory=dict)  # by criterion id
    today: date = field(default_factory=date.today)
    _in_force: dict[tuple[int, date], list[Target]] = field(default_factory=dict)
    # (year, 1) per approved observation's year, (year, 0) per any other's: the years offered
    observed_years: set[tuple[int, int]] = field(default_factory=set)

    def offered_years(self) -> Years:
        """The years the scorecard offers and opens on (``plans.years.criteria_years``'
        rule), from the rows loaded: no query."""
        spans = {
            (t.first_year, t.last_year, t.baseline_year, t.reference_year)
            for targets in self.targets.values()
            for t in targets
        }
        references = {(y, 0) for values in self.references.values() for y in values}
        return criteria_years_of(self.plan, self.observed_years | references, spans)

    def targets_on(self, criterion_id: int, on: date) -> list[Target]:
        """The criterion's targets in force on ``on`` (``Target.in_force_on``), the one rule
        for the scorecard, the criterion page, the charts, the API and the exports.

        A target that awaits its baseline stops applying to an area once a target set from
        it for that area is in force (``Target.set_from``): the pending target is returned
        for the areas not yet set (a copy with fewer areas), or not at all."""
        key = (criterion_id, on)
        cached = self._in_force.get(key)
        if cached is not None:
            return cached
        in_force = [t for t in self.targets.get(criterion_id, []) if t.in_force_on(on)]
        set_areas: dict[int, set[int]] = defaultdict(set)
        for t in in_force:
            if t.set_from_id is not None:
                set_areas[t.set_from_id] |= t._area_ids  # type: ignore[attr-defined]
        result = []
        for t in in_force:
            covered = set_areas.get(t.pk)
            if covered:
                remaining = t._area_ids - covered  # type: ignore[attr-defined]
                if not remaining and not t.applies_to_total:
                    continue
                t = copy.copy(t)
                t._area_ids = remaining  # type: ignore[attr-defined]
            result.append(t)
        self._in_force[key] = result
        return result

    def targets_in_year(self, criterion_id: int, year: int) -> list[Target]:
        """The targets year ``year`` is evaluated with: those in force on 31 December of the
        year, or today if that is earlier (``criteria.models.evaluation_date``)."""
        return self.targets_on(criterion_id, evaluation_date(year, self.today))

    @property
    def columns(self) -> list[Column]:
        cols = [Column(a.slug, a.name, a) for a in self.areas]
        return [*cols, Column(TOTAL, str(_("Samlet")))]


def _norm(value: Decimal | None) -> Decimal | None:
    """58.3000 as stored -> 58.3 as written (never exponent notation for whole numbers)."""
    if value is None:
        return None
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


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


class _JoinedIds(Aggregate):
    """The ids of a to-many relation as one text, "3,7" ("" or NULL for none): STRING_AGG
    on PostgreSQL, GROUP_CONCAT on SQLite. Lets a row carry its relation's ids without a
    second query."""

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS TEXT), ',')"
    output_field = CharField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(
            compiler, connection, function="GROUP_CONCAT", template="%(function)s(%(expressions)s)"
        )


def _targets_by_criterion(plan: Plan, criteria: list[SuccessCriterion]) -> dict[int, list[Target]]:
    """Every target of the plan by criterion id, its areas in ``_area_ids`` (one query)."""
    by_id = {c.pk: c for c in criteria}
    # The areas' ids come with each target (aggregated), not by a prefetch: that would cost
    # a query and clone a queryset per criterion.
    targets: dict[int, list[Target]] = defaultdict(list)
    target_list = list(
        Target.objects.filter(criterion__plan=plan)
        .select_related("reference_series", "introduced_by", "superseded_by")
        .annotate(joined_area_ids=_JoinedIds("areas__id"))
        .order_by("criterion_id", "order", "pk")
    )
    for target in target_list:
        joined: str | None = target.joined_area_ids  # type: ignore[attr-defined]
        target.criterion = by_id[target.criterion_id]
        target._area_ids = {int(i) for i in joined.split(",")} if joined else set()  # type: ignore[attr-defined]
        targets[target.criterion_id].append(target)
    return targets


def load_targets(plan: Plan, today: date | None = None) -> PlanData:
    """The plan's areas, criteria (with their measures) and targets, without figures: what
    ``PlanData.targets_in_year`` needs, e.g. for the figures due (three queries)."""
    areas = list(HousingArea.objects.filter(plan=plan).order_by("order", "name"))
    criteria = list(
        SuccessCriterion.objects.filter(plan=plan)
        .select_related("measure", "focus_area")
        .order_by("order", "code")
    )
    targets = _targets_by_criterion(plan, criteria)
    return PlanData(
        plan, areas, [], criteria, {}, {}, {}, targets, {}, today or timezone.localdate()
    )


def load_plan_data(plan: Plan, today: date | None = None) -> PlanData:
    """Seven queries, whatever the size of the plan. ``today`` decides which targets are in
    force (default: today's date)."""
    areas = list(HousingArea.objects.filter(plan=plan).order_by("order", "name"))
    focus_areas = list(FocusArea.objects.filter(plan=plan).order_by("order", "code"))
    criteria = list(
        SuccessCriterion.objects.filter(plan=plan)
        .select_related("measure", "focus_area")
        .order_by("order", "code")
    )
    targets = _targets_by_criterion(plan, criteria)
    notes: dict[int, list[SeedNote]] = defaultdict(list)
    for note in SeedNote.objects.filter(criterion__plan=plan).order_by("order", "pk"):
        notes[note.criterion_id].append(note)
    for criterion in criteria:
        criterion.plan = plan  # for get_absolute_url without a query per row
        criterion.focus_area.plan = plan
    measures = {c.measure_id: c.measure for c in criteria}
    by_slug = {a.pk: a.slug for a in areas}
    series: dict[int, dict[str, dict[int, Point]]] = defaultdict(lambda: defaultdict(dict))
    # Every observation, for the years offered; only approved ones (not variants) count.
    # No ordering: the model's (by plan, measure and area names) joins three tables and sorts
    # by collation, which cost more than the rest of the query; the series are keyed dicts.
    rows = Observation.objects.filter(measure__plan=plan).order_by().values_list(
        "measure_id", "area_id", "year", "value", "numerator", "denominator",
        "source_note", "rating", "state", "variant",
    )  # fmt: skip
    approved = Observation.State.APPROVED
    observed_years: set[tuple[int, int]] = set()
    for measure_id, area_id, year, value, num, den, source_note, rating, state, variant in rows:
        if state != approved or variant:
            observed_years.add((year, 0))
            continue
        observed_years.add((year, 1))
        key = by_slug.get(area_id, TOTAL) if area_id else TOTAL
        # Stored scale (58.3000); the template filter and the API drop trailing zeros.
        series[measure_id][key][year] = Point(
            value, num, den, source_note=source_note, rating=rating
        )
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
        references[series_id][year] = _norm(value) or Decimal(0)
    return PlanData(
        plan, areas, focus_areas, criteria, series, not_derivable, references, targets, notes,
        today or timezone.localdate(), observed_years=observed_years,
    )  # fmt: skip


def _applies(target: Target, column: Column) -> bool:
    if column.area is None:
        return target.applies_to_total
    area_ids: set[int] | None = getattr(target, "_area_ids", None)
    if area_ids is None:
        area_ids = {a.pk for a in target.areas.all()}
        target._area_ids = area_ids  # type: ignore[attr-defined]
    return column.area.pk in area_ids


def _rating(stored: str) -> engine.Rating | None:
    """A stored rating the engine knows; anything else (written by hand) reads as none."""
    return engine.Rating(stored) if stored in engine.Rating._value2member_map_ else None


def evaluate_cell(data: PlanData, criterion: SuccessCriterion, column: Column, year: int) -> Cell:
    points = data.series.get(criterion.measure_id, {}).get(column.key, {})
    values = {y: p.value for y, p in points.items() if p.value is not None}
    point = points.get(year)
    rating = _rating(point.rating) if point else None
    cell = Cell(column=column, point=point)
    cell.not_derivable = column.key == TOTAL and year in data.not_derivable.get(
        criterion.measure_id, set()
    )
    for target in data.targets_in_year(criterion.pk, year):
        if not _applies(target, column):
            continue
        eng, sentence = _engine_target(target)
        ref = data.references.get(target.reference_series_id or 0, {})
        evaluation = engine.evaluate(eng, year, values, ref, rating)
        cell.results.append(TargetResult(target, sentence, evaluation))
    return cell


def _engine_target(target: Target) -> tuple[engine.Target, str]:
    """The engine target and its sentence, built once per loaded target, not once per cell."""
    cached: tuple[engine.Target, str] | None = getattr(target, "_engine_cache", None)
    if cached is None:
        eng = target.to_engine()
        cached = (eng, wording.describe(eng))
        target._engine_cache = cached  # type: ignore[attr-defined]
    return cached


def _row(data: PlanData, criterion: SuccessCriterion, columns: list[Column], year: int) -> Row:
    cells = [evaluate_cell(data, criterion, col, year) for col in columns]
    return Row(criterion, cells, data.notes.get(criterion.pk, []))


def scorecard_years(plan: Plan) -> list[int]:
    """The years the scorecard offers (``plans.years.criteria_years``: two queries)."""
    return criteria_years(plan).years


def scorecard(
    plan: Plan,
    year: int,
    *,
    focus_area: str | None = None,
    area: str | None = None,
    years: list[int] | None = None,
) -> Scorecard:
    """The plan's criteria (rows, by focus area) by areas and total (columns) in ``year``.

    ``focus_area`` (a code such as "5.2") and ``area`` (a slug or "total") filter the result.
    ``years`` are the years offered (``plans.years.criteria_years``, looked up if not given).
    """
    data = load_plan_data(plan)
    offered = scorecard_years(plan) if years is None else years
    return _scorecard(data, year, offered, focus_area, area)


def scorecard_asked(
    plan: Plan,
    asked: str | None,
    *,
    focus_area: str | None = None,
    area: str | None = None,
    data: PlanData | None = None,
) -> Scorecard:
    """The scorecard in the year ``asked`` (``?aar=``'s text) if offered, else the default
    year (``plans.years.criteria_years``' rule, from the rows loaded: no query of its own).
    ``data``: the plan's data loaded already (``load_plan_data``), for several views."""
    data = data or load_plan_data(plan)
    offered = data.offered_years()
    return _scorecard(data, offered.pick(asked), offered.years, focus_area, area)


def _scorecard(
    data: PlanData, year: int, years: list[int], focus_area: str | None, area: str | None
) -> Scorecard:
    columns = [c for c in data.columns if area in (None, "", c.key)]
    groups = []
    for fa in data.focus_areas:
        if focus_area and fa.code != focus_area:
            continue
        rows = [_row(data, c, columns, year) for c in data.criteria if c.focus_area_id == fa.pk]
        if rows:
            groups.append(Group(fa, rows))
    return Scorecard(
        plan=data.plan,
        year=year,
        years=years,
        columns=columns,
        groups=groups,
        focus_areas=data.focus_areas,
        areas=data.areas,
    )


@dataclass(frozen=True)
class CriterionStatus:
    status: engine.Status
    year: int | None


def default_year(plan: Plan) -> int:
    """The year the scorecard opens on: the latest with an approved observation
    (``plans.years.criteria_years``, where the rule is)."""
    return criteria_years(plan).default


def _latest_begun_year(plan: Plan, today: date | None = None) -> int:
    """The latest year of the plan that has begun (the plan's first year before it starts)."""
    today = today or date.today()
    years = list(plan.years)
    return max([y for y in years if y <= today.year] or [years[0]])


def latest_status_by_criterion(plan: Plan, today: date | None = None) -> dict[int, CriterionStatus]:
    """Per criterion id: the status of the latest year up to now that has one that is due."""
    data = load_plan_data(plan, today)
    last = _latest_begun_year(plan, today)
    result: dict[int, CriterionStatus] = {}
    for criterion in data.criteria:
        result[criterion.pk] = CriterionStatus(engine.Status.NOT_DUE, None)
        for year in range(last, plan.start_date.year - 1, -1):
            status = _row(data, criterion, data.columns, year).status
            if status is not engine.Status.NOT_DUE:
                result[criterion.pk] = CriterionStatus(status, year)
                break
    return result


# --- the criterion page --------------------------------------------------------------------


@dataclass
class YearRow:
    year: int
    cells: list[Cell]


@dataclass
class TargetLine:
    target: Target
    sentence: str
    where: list[str]


@dataclass
class CriterionDetail:
    criterion: SuccessCriterion
    columns: list[Column]
    targets: list[TargetLine]
    years: list[YearRow]
    charts: list[tuple[Column, Any]]  # (column, ChartSpec)
    history: list[Observation]
    context: list[tuple[Measure, list[Observation]]]
    references: list[tuple[Any, list[ReferenceValue]]]
    notes: list[SeedNote]
    shared_with: list[SuccessCriterion]
    target_history: list[Any] = field(default_factory=list)  # TargetHistoryLine

    @property
    def shows_target_history(self) -> bool:
        """Worth a history: a target was changed, proposed, ended or set from a baseline."""
        return any(
            h.state != "in_force" or h.target.introduced_by_id or h.target.set_from_id
            for h in self.target_history
        )


def chart_spec(data: PlanData, criterion: SuccessCriterion, column: Column) -> Any:
    """The chart of one column: observations, each applicable target's line, references."""
    from helhedsplan.charts import ChartSpec, Series

    measure = criterion.measure
    years = list(range(measure.first_year, measure.last_year + 1))
    points = data.series.get(measure.pk, {}).get(column.key, {})
    series = [Series(str(_("Observeret")), {y: p.value for y, p in points.items()})]
    values_by_year = {y: p.value for y, p in points.items() if p.value is not None}
    # Each target's line is drawn for the years evaluated with it (``targets_in_year``): a
    # target changed by an agreement version ends where its successor's line begins.
    in_year = {year: data.targets_in_year(criterion.pk, year) for year in years}
    crit_targets: list[Target] = []
    for year_targets in in_year.values():
        crit_targets += [t for t in year_targets if t not in crit_targets]
    for i, target in enumerate(t for t in crit_targets if _applies(t, column)):
        eng = target.to_engine()
        ref = data.references.get(target.reference_series_id or 0, {})
        values: dict[int, Decimal | None] = {}
        for year in years:
            if not any(t.pk == target.pk and _applies(t, column) for t in in_year[year]):
                continue
            # The requirement of a year does not depend on that year's own value, so a
            # stand-in value draws the line where nothing is observed yet.
            observed = {**values_by_year}
            observed.setdefault(year, Decimal(0))
            evaluation = engine.evaluate(eng, year, observed, ref, engine.Rating.MET)
            if evaluation.target_value is not None:
                values[year] = _norm(evaluation.target_value)
        if target.kind == engine.TargetKind.PATH and target.baseline_year and values:
            values.setdefault(target.baseline_year, target.baseline_value)
        if any(v is not None for v in values.values()):
            series.append(Series(f"{_('Mål')} {i + 1}", values, "target"))
    # A reference series is drawn only where a target using it applies (the police's SUB
    # average is 5.1.1's yardstick for Motalavej and Ringparken, not for Sydbyen).
    ref_series = {
        t.reference_series for t in crit_targets if t.reference_series and _applies(t, column)
    }
    for rs in sorted(ref_series, key=lambda r: r.name):
        ref_points: dict[int, Decimal | None] = dict(data.references.get(rs.pk, {}).items())
        series.append(Series(rs.name, ref_points, "reference"))
    title = f"{criterion.code} {column.label}"
    return ChartSpec(title=title, years=years, series=series, unit=measure.unit_label)


def criterion_detail(plan: Plan, code: str) -> CriterionDetail:
    data = load_plan_data(plan)
    criterion = next((c for c in data.criteria if c.code == code), None)
    if criterion is None:
        raise SuccessCriterion.DoesNotExist(code)
    columns = data.columns
    targets = [_target_line(data, t) for t in data.targets_on(criterion.pk, data.today)]
    measure = criterion.measure
    years = [
        YearRow(y, [evaluate_cell(data, criterion, c, y) for c in columns])
        for y in range(measure.first_year, measure.last_year + 1)
    ]
    relevant = [
        c for i, c in enumerate(columns)
        if any(r.cells[i].point or r.cells[i].results for r in years)
    ]  # fmt: skip
    charts = [(c, chart_spec(data, criterion, c)) for c in relevant]
    history = list(
        Observation.objects.filter(measure=measure)
        .select_related("area", "registered_by", "approved_by", "returned_by")
        .order_by("-year", "area__order", "variant")
    )
    # The background measures and their observations: two queries, however many there are.
    context_measures = list(criterion.context_measures.all().order_by("order"))
    by_measure: dict[int, list[Observation]] = defaultdict(list)
    if context_measures:
        for o in (
            Observation.objects.filter(measure__in=context_measures)
            .select_related("area")
            .order_by("year", "area__order", "pk")
        ):
            by_measure[o.measure_id].append(o)
    context = [(m, by_measure[m.pk]) for m in context_measures]
    # Figures an issued status report locks, and their corrections since (two queries).
    locking.mark_observations(plan, history + [o for _m, obs in context for o in obs])
    refs = [
        (s, list(s.values.all()))
        for s in measure.reference_series.all().order_by("name").prefetch_related("values")
    ]
    shared = [c for c in data.criteria if c.measure_id == measure.pk and c.pk != criterion.pk]
    return CriterionDetail(
        criterion, columns, targets, years, charts, history, context, refs,
        data.notes.get(criterion.pk, []), shared, target_history(data, criterion),
    )  # fmt: skip


def _target_line(data: PlanData, t: Target) -> TargetLine:
    where = [a.name for a in data.areas if _applies(t, Column(a.slug, a.name, a))]
    if t.applies_to_total:
        where.append(str(_("Samlet")))
    return TargetLine(t, _engine_target(t)[1], where)


@dataclass
class TargetHistoryLine:
    """One target of the criterion as the agreement versions set it: which version
    introduced it and from when, which superseded it and from when, and why."""

    line: TargetLine
    # "in_force"; "ends" (superseded from a later date); "coming" (approved, in force from a
    # later date); "proposed" (its version is not approved yet); "ended"
    state: str

    @property
    def target(self) -> Target:
        return self.line.target


def target_history(data: PlanData, criterion: SuccessCriterion) -> list[TargetHistoryLine]:
    """Every target of the criterion, newest version first; no query beyond ``load_plan_data``.

    A target introduced by a returned or draft version is a proposal; one superseded by an
    approved version that has started has ended, one whose superseding version starts
    later still is in force but ends."""
    lines = []
    for t in data.targets.get(criterion.pk, []):
        if t.is_proposal:
            state = "proposed"
        elif t.in_force_on(data.today):
            superseded = t.superseded_by
            state = "ends" if superseded and superseded.status == "approved" else "in_force"
        elif (
            t.introduced_by
            and t.introduced_by.in_force_from
            and (t.introduced_by.in_force_from > data.today)
        ):
            state = "coming"  # approved, in force from a later date
        else:
            state = "ended"
        lines.append(TargetHistoryLine(_target_line(data, t), state))
    order = {"proposed": 0, "coming": 0, "in_force": 1, "ends": 1, "ended": 2}
    lines.sort(key=lambda h: (order[h.state], -(h.target.introduced_by.number
                                                  if h.target.introduced_by else 0)))  # fmt: skip
    return lines


def criterion_chart(plan: Plan, code: str, column_key: str) -> Any:
    data = load_plan_data(plan)
    criterion = next((c for c in data.criteria if c.code == code), None)
    column = next((c for c in data.columns if c.key == column_key), None)
    if criterion is None or column is None:
        raise SuccessCriterion.DoesNotExist(code)
    return chart_spec(data, criterion, column)


def reasoned_changes(audit: list[Any]) -> list[Any]:
    """The audit entries that carry a reason, each reason once: one change of a target writes
    several entries (the new target, the old one superseded, its areas) with the same reason
    within a moment; the reader sees the reason once."""
    shown: list[Any] = []
    for entry in audit:
        if not entry.reason:
            continue
        last = shown[-1] if shown else None
        if (
            last is not None
            and (last.actor_id, last.object_repr, last.reason)
            == (entry.actor_id, entry.object_repr, entry.reason)
            and abs((last.timestamp - entry.timestamp).total_seconds()) < 60
        ):
            continue
        shown.append(entry)
    return shown


def criterion_audit(
    criterion: SuccessCriterion, limit: int = 50, detail: CriterionDetail | None = None
) -> list[Any]:
    """Changes to the criterion, its targets and its measure's observations, newest first.
    With the criterion page's ``detail`` (which holds every target and observation) one
    query, else three."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from helhedsplan.audit.models import AuditEntry

    ct = ContentType.objects.get_for_models(SuccessCriterion, Target, Observation)
    if detail is not None:
        target_ids = [str(h.target.pk) for h in detail.target_history]
        obs_ids = [str(o.pk) for o in detail.history]
    else:
        target_ids = [str(pk) for pk in criterion.targets.values_list("pk", flat=True)]
        obs_ids = [str(pk) for pk in Observation.objects.filter(
            measure_id=criterion.measure_id).values_list("pk", flat=True)]  # fmt: skip
    query = (
        Q(content_type=ct[SuccessCriterion], object_pk=str(criterion.pk))
        | Q(content_type=ct[Target], object_pk__in=target_ids)
        | Q(content_type=ct[Observation], object_pk__in=obs_ids)
    )
    return list(
        AuditEntry.objects.filter(query)
        .select_related("actor", "content_type")
        .order_by("-timestamp")[:limit]
    )


def pending_observations(plan: Plan) -> list[Observation]:
    return list(
        Observation.objects.filter(measure__plan=plan, state=Observation.State.DRAFT)
        .select_related("measure", "area", "registered_by", "approved_by", "returned_by")
        .prefetch_related("measure__criteria")
        .order_by("measure__order", "year", "area__order")
    )


@dataclass(frozen=True)
class Figure:
    """An approved figure shown beside a draft: its value (or rating) and year."""

    year: int
    value: Decimal | None
    rating: str = ""

    @property
    def rating_label(self) -> str:
        return str(Observation.Rating(self.rating).label) if self.rating else ""


@dataclass(frozen=True)
class ApprovalRow:
    """A draft on the approval page, with what it would change and the token it was shown at."""

    observation: Observation
    version: str
    approved: Figure | None  # the figure approved for the same measure, area and year
    last_year: Figure | None  # the approved figure of the year before


def _decimal(text: Any) -> Decimal | None:
    if text in (None, "None", ""):
        return None
    try:
        return Decimal(str(text))
    except ArithmeticError:
        return None


def _approved_before(obs: Observation, entries: list[Any]) -> Figure | None:
    """The figure that was approved before this draft, read back through the audit trail.

    A draft replaces its row, so the approved figure it corrects lives only in the trail:
    undo the field changes newest first until the row was approved."""
    state = {"state": obs.state, "value": obs.value, "rating": obs.rating}
    for entry in entries:  # newest first
        if entry.action == entry.Action.CREATE:
            return None
        if entry.action != entry.Action.UPDATE:
            continue
        for name, change in (entry.changes_dict or {}).items():
            if name in state and isinstance(change, list | tuple) and len(change) == 2:
                state[name] = change[0]
        if state["state"] == Observation.State.APPROVED:
            rating = "" if state["rating"] in (None, "None") else str(state["rating"])
            return Figure(obs.year, _decimal(state["value"]), rating)
    return None


def approval_rows(plan: Plan) -> list[ApprovalRow]:
    """The drafts to approve, each with the approved figure it would replace (if any) and
    last year's approved figure for the same measure and area. A fixed number of queries."""
    from django.contrib.contenttypes.models import ContentType

    from helhedsplan.audit.models import AuditEntry
    from helhedsplan.lib.concurrency import version_of

    pending = pending_observations(plan)
    ct = ContentType.objects.get_for_model(Observation)
    trail: dict[str, list[Any]] = defaultdict(list)
    for entry in AuditEntry.objects.filter(
        content_type=ct, object_pk__in=[str(o.pk) for o in pending]
    ).order_by("-timestamp", "-pk"):
        trail[entry.object_pk].append(entry)
    last_years = {
        (o.measure_id, o.area_id, o.year): o
        for o in Observation.objects.filter(
            measure__plan=plan, state=Observation.State.APPROVED, variant="",
            year__in={o.year - 1 for o in pending},
        )
    }  # fmt: skip
    rows = []
    for obs in pending:
        before = last_years.get((obs.measure_id, obs.area_id, obs.year - 1))
        rows.append(
            ApprovalRow(
                observation=obs,
                version=version_of(obs),
                approved=_approved_before(obs, trail[str(obs.pk)]),
                last_year=Figure(before.year, before.value, before.rating) if before else None,
            )
        )
    return rows


def previous_values(measure: Measure) -> list[Observation]:
    """Shown on the entry form: every earlier figure of the measure, approved or not, each
    marked where an issued status report locks it or it was corrected since."""
    found = list(
        Observation.objects.filter(measure=measure)
        .select_related("area", "registered_by", "returned_by")
        .order_by("-year", "area__order", "variant")
    )
    locking.mark_observations(measure.plan_id, found)
    return found


def measures_for_plan(plan: Plan) -> list[Measure]:
    """The plan's measures, each with ``observation_count`` and its criteria (and those it
    is background for) prefetched: two queries whatever the number of measures."""
    from django.db.models import Count, Prefetch

    ordered = SuccessCriterion.objects.order_by("order", "code").only("pk", "code", "measure_id")
    return list(
        Measure.objects.filter(plan=plan)
        .annotate(observation_count=Count("observations"))
        .prefetch_related(Prefetch("criteria", queryset=ordered))
        .order_by("order", "name")
    )
