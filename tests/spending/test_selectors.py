"""The accounts page's figures: per line the budget, spent (registered + corrections) and the
variance; totals; the LBF share drawn; the local share's warning; constant queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helhedsplan.finance.selectors import budget_by_line_year
from helhedsplan.spending import services
from helhedsplan.spending.selectors import accounts_overview, accounts_years
from tests import factories as f
from tests.files.samples import pdf_bytes, upload
from tests.spending.conftest import Money

pytestmark = pytest.mark.django_db
D = Decimal


def _spend(money: Money, year: int = 2018, **amounts: str) -> None:
    cells = {
        "staff_lbf": (money.staff.pk, money.lbf.pk),
        "staff_local": (money.staff.pk, money.local.pk),
        "act_lbf": (money.activities.pk, money.lbf.pk),
        "act_local": (money.activities.pk, money.local.pk),
    }
    services.spending_amounts_set(
        plan=money.plan, year=year, cells={cells[k]: D(v) for k, v in amounts.items()}
    )


def test_overview_per_line_with_corrections_and_totals(money: Money) -> None:
    _spend(money, staff_lbf="330000", staff_local="110000", act_lbf="100000", act_local="40000")
    services.accounts_close(plan=money.plan, year=2018, statement=_pdf(), today=date(2019, 3, 1))
    services.spending_correction_add(
        plan=money.plan, line=money.activities, source=money.local, year=2018,
        amount=D("-10000"), reason="Fejlkonteret",
    )  # fmt: skip
    overview = accounts_overview(money.plan, 2018)
    staff, activities = overview.lines
    assert (staff.budget, staff.spent) == (D(400000), D(440000))
    assert (staff.variance.kroner, staff.variance.percent) == (D(40000), D(10))
    assert (activities.registered, activities.corrections, activities.spent) == (
        D(140000), D(-10000), D(130000)
    )  # fmt: skip
    assert activities.variance.kroner == D(-70000)
    assert overview.total.budget == D(600000) and overview.total.spent == D(570000)
    assert [c.reason for c in overview.corrections] == ["Fejlkonteret"]
    assert overview.is_closed
    # LBF: 430.000 spent of a 3.000 t.kr. grant and a 450.000 budget for 2018.
    assert overview.lbf_year.spent == D(430000)
    assert overview.lbf_year.grant == D(3000000)
    assert overview.lbf_year.of_budget == D(430000) * 100 / D(450000)
    # Local: 140.000 of 570.000 = 24,6 %: below 25 %, a warning for 2018 and the period.
    assert [s.year for s in overview.warnings] == [2018]
    assert overview.period_share.below_minimum


def _pdf() -> SimpleUploadedFile:
    return upload("erklaering.pdf", pdf_bytes())


def test_no_warning_at_25_percent_or_without_spending(money: Money) -> None:
    assert accounts_overview(money.plan, 2018).warnings == []
    _spend(money, staff_lbf="75000", staff_local="25000")
    overview = accounts_overview(money.plan, 2018)
    assert overview.year_share.share.local_share == D(25)
    assert overview.warnings == [] and not overview.period_share.below_minimum


def test_a_line_without_budget_has_no_percent(money: Money) -> None:
    _spend(money, 2019, staff_lbf="1000")
    row = accounts_overview(money.plan, 2019).lines[0]
    assert row.budget == 0 and row.variance.kroner == D(1000) and row.variance.percent is None


def test_budget_by_line_year(money: Money) -> None:
    assert budget_by_line_year(money.plan) == {
        (money.staff.pk, 2018): D(400000),
        (money.activities.pk, 2018): D(200000),
    }


def test_years_open_on_the_latest_with_spending(money: Money) -> None:
    assert accounts_years(money.plan).default == 2018
    _spend(money, 2020, staff_lbf="1")
    years = accounts_years(money.plan)
    assert (years.years, years.default, years.pick("2031")) == (
        [2018, 2019, 2020, 2021],
        2020,
        2020,
    )


def _grow(money: Money, lines: int) -> None:
    """More lines, sources, years, spending and corrections."""
    source = f.FundingSourceFactory(plan=money.plan, kind="local", name=f"Boligselskab {lines}")
    for n in range(lines):
        line = f.BudgetLineFactory(plan=money.plan, name=f"Linje {lines}-{n}")
        for year in (2018, 2019, 2020):
            f.BudgetAmountFactory(line=line, source=source, year=year, amount=D(1000))
            f.ActualSpendingFactory(line=line, source=source, year=year, amount=D(900))
            f.SpendingCorrectionFactory(line=line, source=source, year=year, amount=D(5))
    f.AccountsClosingFactory(plan=money.plan, year=2019 + (lines % 2))


def _queries(fn: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_overview_queries_do_not_grow(money: Money) -> None:
    _grow(money, 1)
    small = _queries(lambda: accounts_overview(money.plan, 2018))
    _grow(money, 6)
    assert _queries(lambda: accounts_overview(money.plan, 2018)) == small == 6


def test_page_queries_do_not_grow(
    money: Money, factory_client_for: Callable[[str], Client]
) -> None:
    client = factory_client_for("auditor")
    url = reverse("spending:accounts", kwargs={"slug": money.plan.slug}) + "?aar=2019"
    _grow(money, 1)
    client.get(url)  # warm the session and the caches
    small = _queries(lambda: client.get(url))
    _grow(money, 6)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert len(ctx.captured_queries) == small, [q["sql"] for q in ctx.captured_queries]
