from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from helhedsplan.finance.models import BudgetAmount, BudgetLine, FundingSource
from helhedsplan.finance.rules import FundingSummary
from helhedsplan.lib.numbers import fmt_amount, fmt_number
from helhedsplan.plans.models import Plan


def funding_summary(plan_id: int) -> FundingSummary:
    sums = dict(
        FundingSource.objects.filter(plan_id=plan_id)
        .values_list("kind")
        .annotate(total=Sum("amount_tkr"))
        .values_list("kind", "total")
    )
    return FundingSummary(
        lbf=sums.get(FundingSource.Kind.LBF) or Decimal(0),
        local=sums.get(FundingSource.Kind.LOCAL) or Decimal(0),
    )


# --- the budget ------------------------------------------------------------------------------
#
# Reused by the accounts (spending app: variance against budget) and the yearly audit
# package: keep the names and the shapes.


def budget_cells(plan: Plan) -> dict[tuple[int, int, int], Decimal]:
    """The budget in kroner by (budget line id, funding source id, year): every cell with
    money (one query). The accounts compare their spending with these."""
    rows = BudgetAmount.objects.filter(line__plan=plan).values_list(
        "line_id", "source_id", "year", "amount"
    )
    return {(line, source, year): amount for line, source, year, amount in rows.order_by()}


def budget_by_line_year(plan: Plan) -> dict[tuple[int, int], Decimal]:
    """The budget in kroner by (budget line id, year), over all funding sources. One query;
    only cells with money are keys."""
    rows = (
        BudgetAmount.objects.filter(line__plan=plan)
        .order_by()
        .values_list("line_id", "year")
        .annotate(total=Sum("amount"))
    )
    return {(line_id, year): total for line_id, year, total in rows}


def budget_by_source_year(plan: Plan) -> dict[tuple[int, int], Decimal]:
    """The budget in kroner by (funding source id, year), over all lines. One query; only
    cells with money are keys."""
    rows = (
        BudgetAmount.objects.filter(line__plan=plan)
        .order_by()
        .values_list("source_id", "year")
        .annotate(total=Sum("amount"))
    )
    return {(source_id, year): total for source_id, year, total in rows}


@dataclass(frozen=True)
class GridRow:
    """A row of a budget table: an amount per year (None: nothing there) and the total."""

    label: str
    cells: list[Decimal | None]
    total: Decimal
    line: BudgetLine | None = None


@dataclass(frozen=True)
class GridGroup:
    """The lines of one kind (staff, activities, ...) and their subtotal."""

    kind: str
    label: str
    rows: list[GridRow]
    subtotal: GridRow


@dataclass(frozen=True)
class GridTable:
    """Lines x years for one funding source (``source`` None: all sources together)."""

    title: str
    groups: list[GridGroup]
    totals: GridRow
    source: FundingSource | None = None


@dataclass(frozen=True)
class YearShare:
    """LBF's rule on one year's budget: a year below 25 % is a warning (LBF enforces the
    whole period)."""

    year: int
    summary: FundingSummary

    @property
    def warning(self) -> bool:
        return self.summary.below_minimum


def _kroner(value: Decimal) -> str:
    """Kroner as a sentence writes them: whole kroner without decimals, else with øre."""
    return fmt_number(value, 0 if value == value.to_integral_value() else 2)


@dataclass(frozen=True)
class SourceComparison:
    """What the budget distributes of a funding source's amount (t.kr. x 1000)."""

    source: FundingSource
    budgeted: Decimal  # kroner
    funded: Decimal  # kroner: the source's amount_tkr x 1000
    row: GridRow | None = None  # its budget per year

    @property
    def difference(self) -> Decimal:
        """Funded minus budgeted: positive is not yet distributed, negative is over."""
        return self.funded - self.budgeted

    @property
    def sentence(self) -> str:
        text = _(
            # No final full stop: the Danish amount ends with "t.kr.".
            "Budgettet fordeler %(budgeted)s kr. af %(name)ss %(funded)s"
        ) % {
            "budgeted": _kroner(self.budgeted),
            "name": self.source.name,
            "funded": fmt_amount(self.source.amount_tkr),
        }
        if self.difference > 0:
            return text + " " + _("%(rest)s kr. er ikke fordelt.") % {
                "rest": _kroner(self.difference)}  # fmt: skip
        if self.difference < 0:
            return text + " " + _("Budgettet er %(over)s kr. højere end kilden.") % {
                "over": _kroner(-self.difference)}  # fmt: skip
        return text + " " + _("Hele beløbet er fordelt.")


@dataclass(frozen=True)
class BudgetGrid:
    """The plan's budget for the page, the export and the reports (``budget_grid``).

    ``amounts``: kroner by (line id, source id, year), only cells with money. ``years``:
    the plan's years (and any year the budget holds outside them, so nothing is hidden).
    """

    lines: list[BudgetLine]
    years: list[int]
    sources: list[FundingSource]
    amounts: dict[tuple[int, int, int], Decimal]
    tables: list[GridTable]
    by_source: list[GridRow]  # a row per source: its amount per year and in all
    year_totals: list[Decimal]
    total: Decimal
    period: FundingSummary
    year_shares: list[YearShare]
    comparisons: list[SourceComparison]
    outside_years: list[int] = field(default_factory=list)

    @property
    def has_amounts(self) -> bool:
        return bool(self.amounts)

    @property
    def warning_years(self) -> list[int]:
        return [share.year for share in self.year_shares if share.warning]

    def amount(self, line_id: int, source_id: int, year: int) -> Decimal | None:
        return self.amounts.get((line_id, source_id, year))


def _row(label: str, values: list[Decimal], line: BudgetLine | None = None) -> GridRow:
    return GridRow(label, [v or None for v in values], sum(values, Decimal(0)), line)


def _table(
    title: str,
    lines: list[BudgetLine],
    years: list[int],
    amount: Callable[[int, int], Decimal],
    source: FundingSource | None = None,
) -> GridTable:
    groups = []
    for kind, label in BudgetLine.Kind.choices:
        of_kind = [line for line in lines if line.kind == kind]
        if not of_kind:
            continue
        rows = [_row(line.name, [amount(line.pk, y) for y in years], line) for line in of_kind]
        subtotal = [
            sum((r.cells[i] or Decimal(0) for r in rows), Decimal(0)) for i in range(len(years))
        ]
        groups.append(GridGroup(kind, str(label), rows, _row(str(label), subtotal)))
    totals = [sum((amount(line.pk, y) for line in lines), Decimal(0)) for y in years]
    return GridTable(title, groups, _row(_("I alt"), totals), source)


def budget_grid(plan: Plan) -> BudgetGrid:
    """The plan's budget: lines grouped by kind x years, all sources and per source, the
    totals per year, line, source and period, LBF's rule per year and for the period, and
    each source's budget against its funding. Three queries whatever the budget holds."""
    lines = list(BudgetLine.objects.filter(plan=plan).select_related("focus_area"))
    sources = list(
        FundingSource.objects.filter(plan=plan)
        .select_related("housing_organisation")
        .order_by("order", "pk")
    )
    amounts = {
        (line_id, source_id, year): amount
        for line_id, source_id, year, amount in BudgetAmount.objects.filter(line__plan=plan)
        .order_by()
        .values_list("line_id", "source_id", "year", "amount")
    }
    period_years = list(plan.years)
    outside = sorted({year for _l, _s, year in amounts} - set(period_years))
    years = sorted(period_years + outside)
    zero = Decimal(0)

    def all_sources(line_id: int, year: int) -> Decimal:
        return sum((amounts.get((line_id, s.pk, year), zero) for s in sources), zero)

    tables = [_table(str(_("Alle finansieringskilder")), lines, years, all_sources)]

    def one_source(pk: int) -> Callable[[int, int], Decimal]:
        return lambda line_id, year: amounts.get((line_id, pk, year), zero)

    for source in sources:
        tables.append(_table(source.name, lines, years, one_source(source.pk), source))
    by_source_year: dict[tuple[int, int], Decimal] = {}
    for (_line, source_id, year), amount in amounts.items():
        key = (source_id, year)
        by_source_year[key] = by_source_year.get(key, zero) + amount
    by_source = [
        _row(s.name, [by_source_year.get((s.pk, y), zero) for y in years]) for s in sources
    ]
    lbf_ids = {s.pk for s in sources if s.kind == FundingSource.Kind.LBF}

    def summary(only: int | None = None) -> FundingSummary:
        lbf = local = zero
        for (source_id, year), amount in by_source_year.items():
            if only is not None and year != only:
                continue
            if source_id in lbf_ids:
                lbf += amount
            else:
                local += amount
        return FundingSummary(lbf=lbf, local=local)

    year_totals = [sum((r.cells[i] or zero for r in by_source), zero) for i in range(len(years))]
    return BudgetGrid(
        lines=lines,
        years=years,
        sources=sources,
        amounts=amounts,
        tables=tables,
        by_source=by_source,
        year_totals=year_totals,
        total=sum(year_totals, zero),
        period=summary(),
        year_shares=[YearShare(year, summary(year)) for year in years],
        comparisons=[
            SourceComparison(s, row.total, s.amount_tkr * 1000, row)
            for s, row in zip(sources, by_source, strict=True)
        ],
        outside_years=outside,
    )
