"""The budget grid: totals per year, line, source and period, LBF's rule per year, what the
budget distributes of each source; a constant number of queries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from helhedsplan.finance import selectors, services
from tests import factories
from tests.finance.budget_helpers import Budget, budget_plan

pytestmark = pytest.mark.django_db


def _fill(b: Budget) -> None:
    services.budget_amounts_set(
        plan=b.plan,
        cells={
            (b.staff.pk, b.lbf.pk, 2018): Decimal("600000"),
            (b.staff.pk, b.local.pk, 2018): Decimal("100000"),  # 2018: 14,3 % local
            (b.activities.pk, b.lbf.pk, 2019): Decimal("300000"),
            (b.activities.pk, b.local.pk, 2019): Decimal("300000"),
        },
    )


def test_totals_per_year_line_source_and_period() -> None:
    b = budget_plan()
    _fill(b)
    grid = selectors.budget_grid(b.plan)
    assert grid.years == [2018, 2019, 2020, 2021]
    overview = grid.tables[0]
    assert [g.kind for g in overview.groups] == ["staff", "activities"]
    staff_row = overview.groups[0].rows[0]
    assert (staff_row.label, staff_row.cells, staff_row.total) == (
        "Løn: koordinator",
        [Decimal(700000), None, None, None],
        Decimal(700000),
    )
    assert overview.totals.cells == [Decimal(700000), Decimal(600000), None, None]
    assert [t.title for t in grid.tables[1:]] == ["Landsbyggefonden", "Kommunen"]
    assert grid.tables[2].totals.total == Decimal(400000)
    assert [r.total for r in grid.by_source] == [Decimal(900000), Decimal(400000)]
    assert grid.total == Decimal(1300000)
    assert grid.year_totals == [Decimal(700000), Decimal(600000), 0, 0]
    assert grid.period.local_share is not None and round(grid.period.local_share, 1) == Decimal(
        "30.8"
    )
    assert grid.warning_years == [2018]
    assert not grid.year_shares[2].warning  # nothing budgeted is no warning


def test_the_budget_is_compared_with_each_sources_funding() -> None:
    b = budget_plan()
    _fill(b)
    lbf, local = selectors.budget_grid(b.plan).comparisons
    assert lbf.difference == Decimal(2100000)
    assert lbf.sentence == (
        "Budgettet fordeler 900.000 kr. af Landsbyggefondens 3.000\u00a0t.kr. "
        "2.100.000 kr. er ikke fordelt."
    )
    amounts = {b.lbf.pk: Decimal(900), b.local.pk: Decimal(300)}
    services.funding_amounts_set(plan=b.plan, amounts=amounts)
    lbf, local = selectors.budget_grid(b.plan).comparisons
    assert lbf.sentence.endswith("900 t.kr. Hele beløbet er fordelt.")
    assert local.sentence.endswith("Budgettet er 100.000 kr. højere end kilden.")


def test_by_line_year_and_by_source_year() -> None:
    b = budget_plan()
    _fill(b)
    assert selectors.budget_by_line_year(b.plan) == {
        (b.staff.pk, 2018): Decimal(700000),
        (b.activities.pk, 2019): Decimal(600000),
    }
    assert selectors.budget_by_source_year(b.plan) == {
        (b.lbf.pk, 2018): Decimal(600000),
        (b.local.pk, 2018): Decimal(100000),
        (b.lbf.pk, 2019): Decimal(300000),
        (b.local.pk, 2019): Decimal(300000),
    }


def test_an_empty_budget_has_no_amounts_and_no_warning() -> None:
    grid = selectors.budget_grid(budget_plan().plan)
    assert not grid.has_amounts and grid.warning_years == [] and grid.total == 0


@pytest.mark.parametrize("size", [1, 6])
def test_the_grid_takes_three_queries_whatever_it_holds(
    size: int, django_assert_num_queries: Any
) -> None:
    b = budget_plan()
    for i in range(size):
        line = factories.BudgetLineFactory(plan=b.plan, name=f"Post {i}", kind="other")
        focus = factories.BudgetLineFactory(
            plan=b.plan, name=f"Aktivitet {i}", kind="activities",
            focus_area=b.plan.focus_areas.first(),
        )  # fmt: skip
        for year in b.plan.years:
            factories.BudgetAmountFactory(line=line, source=b.lbf, year=year, amount=1000)
            factories.BudgetAmountFactory(line=focus, source=b.local, year=year, amount=500)
    b.plan.refresh_from_db()
    with django_assert_num_queries(3):
        grid = selectors.budget_grid(b.plan)
        for table in grid.tables:
            for group in table.groups:
                for row in group.rows:
                    assert row.line is not None
                    str(row.line.focus_area)
        [c.source.housing_organisation for c in grid.comparisons]
    assert len(grid.amounts) == 2 * size * 4
