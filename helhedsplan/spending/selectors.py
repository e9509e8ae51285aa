"""Reading the accounts: per line and year the budget, what was spent, the variance; the LBF
share drawn; the local share of the spending. A constant number of queries whatever the
plan holds (``tests/spending/test_selectors.py``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max

from helhedsplan.finance.models import BudgetLine, FundingSource, Party
from helhedsplan.finance.selectors import budget_cells
from helhedsplan.plans.models import Plan
from helhedsplan.plans.years import Years
from helhedsplan.spending.models import AccountsClosing, ActualSpending, SpendingCorrection
from helhedsplan.spending.rules import ZERO, LbfDrawn, LocalShare, Variance, tkr_to_kroner

Cell = tuple[int, int, int]  # (line id, source id, year)


def is_lbf(source: FundingSource) -> bool:
    """LBF's money: a source of kind LBF or paid by LBF (the party); the rest is local."""
    return source.kind == FundingSource.Kind.LBF or source.party == Party.LBF


def accounts_years(plan: Plan) -> Years:
    """The accounts page's years: the plan's (the import refuses others). Opens on the latest
    year with registered spending, else the plan's first year (one query)."""
    latest = ActualSpending.objects.filter(line__plan=plan).aggregate(latest=Max("year"))["latest"]
    years = list(plan.years)
    default = latest if latest in years else years[0]
    return Years(years, default)


def spending_cells(plan: Plan, year: int) -> dict[tuple[int, int], ActualSpending]:
    """The registered spending of ``year`` per (line, source) (one query)."""
    rows = ActualSpending.objects.filter(line__plan=plan, year=year).select_related(
        "line", "source"
    )
    return {(r.line_id, r.source_id): r for r in rows.order_by()}


def closing_for(plan: Plan, year: int) -> AccountsClosing | None:
    return (
        AccountsClosing.objects.filter(plan=plan, year=year)
        .select_related("auditor_statement", "approved_by")
        .first()
    )


@dataclass(frozen=True)
class LineRow:
    """One budget line in the chosen year (also the totals row, ``line`` None)."""

    line: BudgetLine | None
    budget: Decimal
    registered: Decimal
    corrections: Decimal

    @property
    def spent(self) -> Decimal:
        return self.registered + self.corrections

    @property
    def variance(self) -> Variance:
        return Variance(budget=self.budget, spent=self.spent)


@dataclass(frozen=True)
class YearShare:
    """The local share of one year's spending, and whether the year is closed."""

    year: int
    share: LocalShare
    closed: bool


@dataclass
class AccountsOverview:
    plan: Plan
    year: int
    lines: list[LineRow]
    total: LineRow
    sources: list[FundingSource]
    closing: AccountsClosing | None
    closings: dict[int, AccountsClosing]
    corrections: list[SpendingCorrection]
    shares: list[YearShare]
    period_share: LocalShare
    lbf_year: LbfDrawn
    lbf_period: LbfDrawn
    budget_years: set[int] = field(default_factory=set)

    @property
    def is_closed(self) -> bool:
        return self.closing is not None

    @property
    def year_share(self) -> YearShare:
        return next(s for s in self.shares if s.year == self.year)

    @property
    def warnings(self) -> list[YearShare]:
        """The years whose local share of the spending is below the minimum."""
        return [s for s in self.shares if s.share.below_minimum]


def accounts_overview(plan: Plan, year: int) -> AccountsOverview:
    """The accounts of ``year`` against the budget, and the period so far (six queries)."""
    lines = list(BudgetLine.objects.filter(plan=plan).order_by("order", "pk"))
    sources = list(FundingSource.objects.filter(plan=plan).order_by("order", "pk"))
    lbf_ids = {s.pk for s in sources if is_lbf(s)}
    budget = budget_cells(plan)
    registered = dict(
        ((line, source, y), amount)
        for line, source, y, amount in ActualSpending.objects.filter(line__plan=plan)
        .values_list("line_id", "source_id", "year", "amount")
        .order_by()
    )
    all_corrections = list(
        SpendingCorrection.objects.filter(plan=plan)
        .select_related("line", "source", "corrected_by")
        .order_by("year", "corrected_at", "pk")
    )
    corrected: dict[Cell, Decimal] = defaultdict(Decimal)
    for c in all_corrections:
        corrected[(c.line_id, c.source_id, c.year)] += c.amount
    closings = {
        c.year: c
        for c in AccountsClosing.objects.filter(plan=plan).select_related(
            "auditor_statement", "approved_by"
        )
    }

    def by_line(cells: dict[Cell, Decimal]) -> dict[int, Decimal]:
        sums: dict[int, Decimal] = defaultdict(Decimal)
        for (line, _source, y), amount in cells.items():
            if y == year:
                sums[line] += amount
        return sums

    line_budget, line_registered, line_corrected = (
        by_line(budget),
        by_line(registered),
        by_line(corrected),
    )
    rows = [
        LineRow(
            line=line,
            budget=line_budget.get(line.pk, ZERO),
            registered=line_registered.get(line.pk, ZERO),
            corrections=line_corrected.get(line.pk, ZERO),
        )
        for line in lines
    ]
    total = LineRow(
        line=None,
        budget=sum((r.budget for r in rows), ZERO),
        registered=sum((r.registered for r in rows), ZERO),
        corrections=sum((r.corrections for r in rows), ZERO),
    )

    spent_by_year: dict[int, dict[bool, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for cells in (registered, corrected):
        for (_line, source, y), amount in cells.items():
            spent_by_year[y][source in lbf_ids] += amount
    lbf_budget_by_year: dict[int, Decimal] = defaultdict(Decimal)
    for (_line, source, y), amount in budget.items():
        if source in lbf_ids:
            lbf_budget_by_year[y] += amount
    shares = [
        YearShare(
            year=y,
            share=LocalShare(lbf=spent_by_year[y][True], local=spent_by_year[y][False]),
            closed=y in closings,
        )
        for y in plan.years
    ]
    period_share = sum((s.share for s in shares), LocalShare(lbf=ZERO, local=ZERO))
    grant = tkr_to_kroner(sum((s.amount_tkr for s in sources if s.pk in lbf_ids), ZERO))
    lbf_year = LbfDrawn(
        spent=spent_by_year[year][True], grant=grant, budget=lbf_budget_by_year[year]
    )
    lbf_period = LbfDrawn(
        spent=period_share.lbf, grant=grant, budget=sum(lbf_budget_by_year.values(), ZERO)
    )
    return AccountsOverview(
        plan=plan,
        year=year,
        lines=rows,
        total=total,
        sources=sources,
        closing=closings.get(year),
        closings=closings,
        corrections=[c for c in all_corrections if c.year == year],
        shares=shares,
        period_share=period_share,
        lbf_year=lbf_year,
        lbf_period=lbf_period,
        budget_years={y for (_l, _s, y) in budget},
    )
