"""Reading the central measurements: the values page (per indicator, per area, by year, with
a trend chart each) and the values at the plan's start (attachment 7).

A reader of released copies (Landsbyggefonden, ``PlanAccess.reads_released_copies``) gets
small numbers suppressed by the rules of ``reports.smallnumbers``: a numerator or a count of
people of 1-4 is shown as ``<5``, a denominator under 5 too, and a share whose numerator or
denominator is small is hidden (``x``). Three queries whatever the plan holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from helhedsplan.charts.lines import TrendSpec, trend_chart
from helhedsplan.lib.numbers import MISSING, fmt_number, language
from helhedsplan.measurements.models import CentralMeasurement, Indicator
from helhedsplan.plans.models import HousingArea, Plan
from helhedsplan.reports import smallnumbers

SUPPRESSED_TEXT = "diskretioneret"


@dataclass(frozen=True)
class Cell:
    """One value as shown: the value's text, numerator and denominator's, and why it is
    missing (``mark``: "diskretioneret" by the source, ``<5``/``x`` for small numbers)."""

    year: int
    value: Decimal | None  # what the chart draws (None: no point)
    text: str
    numerator: str = ""
    denominator: str = ""
    mark: str = ""
    source: str = ""


@dataclass
class AreaRow:
    area: HousingArea
    cells: dict[int, Cell] = field(default_factory=dict)
    chart: str = ""
    # The cells in the page's years (None: no value that year), for the table.
    line: list[Cell | None] = field(default_factory=list)


@dataclass
class IndicatorBlock:
    indicator: Indicator
    rows: list[AreaRow]
    years: list[int]

    @property
    def has_values(self) -> bool:
        return any(r.cells for r in self.rows)

    @property
    def sources(self) -> list[str]:
        return sorted({c.source for r in self.rows for c in r.cells.values() if c.source})


@dataclass
class ValuesPage:
    blocks: list[IndicatorBlock]
    years: list[int]
    released: bool

    @property
    def has_values(self) -> bool:
        return bool(self.years)


def unit_suffix(indicator: Indicator) -> str:
    suffixes: dict[str, str] = {
        Indicator.Unit.PERCENT: "%",
        Indicator.Unit.PER_1000: "‰",
        Indicator.Unit.AMOUNT: "kr.",
    }
    return suffixes.get(str(indicator.unit), "")


def _number_text(value: Decimal | None, indicator: Indicator) -> str:
    if value is None:
        return MISSING
    if indicator.unit == Indicator.Unit.COUNT:
        places = 0
    else:
        # The decimals the value has (stored with four), and at least one for a share, so
        # that 40,0 % and 43,1 % stand side by side (not "40 %").
        places = max(-int(value.normalize().as_tuple().exponent), 0)
        if indicator.unit in (Indicator.Unit.PERCENT, Indicator.Unit.PER_1000):
            places = max(places, 1)
    text = fmt_number(value, places)
    suffix = unit_suffix(indicator)
    return f"{text}\u00a0{suffix}" if suffix else text


def _part(value: Decimal | None) -> str:
    return "" if value is None else fmt_number(value, trim=True)


def cell_for(m: CentralMeasurement, indicator: Indicator, *, released: bool) -> Cell:
    """``m`` as shown; ``released``: small numbers suppressed."""
    source = m.source or indicator.source
    numerator, denominator = _part(m.numerator), _part(m.denominator)
    if m.suppressed:
        return Cell(m.year, None, _("diskretioneret"), numerator, denominator,
                    SUPPRESSED_TEXT, source)  # fmt: skip
    value = m.value
    if released:
        num = float(m.numerator) if m.numerator is not None else None
        den = float(m.denominator) if m.denominator is not None else None
        if num is not None and smallnumbers.is_small(num):
            numerator = smallnumbers.SMALL_MARK
        if den is not None and smallnumbers.is_small(den):
            denominator = smallnumbers.SMALL_MARK
        if indicator.is_rate and smallnumbers.suppress_rate(num, den):
            return Cell(m.year, None, smallnumbers.HIDDEN_MARK, numerator, denominator,
                        smallnumbers.HIDDEN_MARK, source)  # fmt: skip
        if (
            indicator.unit == Indicator.Unit.COUNT
            and value is not None
            and smallnumbers.is_small(float(value))
        ):
            return Cell(m.year, None, smallnumbers.SMALL_MARK, "", "", smallnumbers.SMALL_MARK,
                        source)  # fmt: skip
    return Cell(m.year, value, _number_text(value, indicator), numerator, denominator, "", source)


def direction_label(indicator: Indicator) -> str:
    return (
        ""
        if indicator.direction == Indicator.Direction.NONE
        else str(indicator.get_direction_display())
    )


def chart_for(indicator: Indicator, row: AreaRow, years: list[int], prefix: str) -> str:
    cells = row.cells
    points = {y: cells[y].value if y in cells else None for y in years}
    marks = {y: cells[y].mark for y in years if y in cells and cells[y].mark}
    shown = [f"{y}: {cells[y].text}" for y in years if y in cells]
    spec = TrendSpec(
        title=f"{indicator.name} – {row.area.name}",
        description=_("Udviklingen %(first)s-%(last)s: %(values)s.")
        % {"first": years[0], "last": years[-1], "values": "; ".join(shown)}
        if years and shown
        else _("Ingen værdier."),
        years=years,
        points=points,
        unit=unit_suffix(indicator),
        direction=indicator.direction,
        direction_label=direction_label(indicator),
        marks=marks,
        cap_top=Decimal(100) if indicator.is_rate else None,
        empty_text=_("Ingen værdier"),
        lang=language(),
        id_prefix=prefix,
    )
    return trend_chart(spec)


def values_page(plan: Plan, *, released: bool = False, charts: bool = True) -> ValuesPage:
    """Every indicator of the plan's framework (catalogue order) x every area of the plan,
    the values by year; a chart per indicator and area with values."""
    indicators = list(Indicator.objects.filter(framework=plan.framework))
    areas = list(HousingArea.objects.filter(plan=plan).order_by("order", "name"))
    measurements = list(
        CentralMeasurement.objects.filter(area__plan=plan, indicator__framework=plan.framework)
        .order_by("year")
        .only(
            "area_id", "indicator_id", "year", "value", "numerator", "denominator",
            "suppressed", "source",
        )
    )  # fmt: skip
    years = sorted({m.year for m in measurements})
    by_key: dict[tuple[int, int], list[CentralMeasurement]] = {}
    for m in measurements:
        by_key.setdefault((m.indicator_id, m.area_id), []).append(m)
    blocks = []
    for indicator in indicators:
        rows = []
        for area in areas:
            row = AreaRow(area)
            for m in by_key.get((indicator.pk, area.pk), []):
                row.cells[m.year] = cell_for(m, indicator, released=released)
            row.line = [row.cells.get(y) for y in years]
            if charts and row.cells:
                row.chart = chart_for(indicator, row, years, f"trend-{indicator.pk}-{area.pk}")
            rows.append(row)
        blocks.append(IndicatorBlock(indicator, rows, years))
    return ValuesPage(blocks, years, released)


# --- the values at the plan's start (attachment 7) --------------------------------------------


def start_years(plan: Plan) -> tuple[int, int]:
    """The plan's start year, and the year before (LBF's yearly status at the start)."""
    first = plan.start_date.year
    return first, first - 1


def start_year_with_values(plan: Plan) -> int | None:
    """The start year if it has values, else the year before if that has; else None."""
    found = set(
        CentralMeasurement.objects.filter(
            area__plan=plan, indicator__framework=plan.framework, year__in=start_years(plan)
        )
        .values_list("year", flat=True)
        .distinct()
    )
    return next((y for y in start_years(plan) if y in found), None)
