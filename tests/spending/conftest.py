"""A factory plan with money: LBF 3.000 and local 1.000 t.kr., two budget lines with a
budget for 2018 (kroner), for the accounts' tests."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from helhedsplan.finance.models import BudgetLine, FundingSource, Party
from helhedsplan.plans.models import Plan
from tests import factories as f


@dataclass
class Money:
    plan: Plan
    lbf: FundingSource
    local: FundingSource
    staff: BudgetLine
    activities: BudgetLine


def make_money(plan: Plan) -> Money:
    lbf = f.FundingSourceFactory(
        plan=plan, kind="lbf", name="Landsbyggefonden", amount_tkr=Decimal(3000), party=Party.LBF
    )
    local = f.FundingSourceFactory(
        plan=plan, kind="local", name="Kommunen", amount_tkr=Decimal(1000),
        party=Party.MUNICIPALITY,
    )  # fmt: skip
    staff = f.BudgetLineFactory(plan=plan, kind="staff", name="Projektleder", order=1)
    activities = f.BudgetLineFactory(plan=plan, kind="activities", name="Aktiviteter 5.1", order=2)
    for line, source, amount in [
        (staff, lbf, "300000"),
        (staff, local, "100000"),
        (activities, lbf, "150000"),
        (activities, local, "50000"),
    ]:
        f.BudgetAmountFactory(line=line, source=source, year=2018, amount=Decimal(amount))
    return Money(plan, lbf, local, staff, activities)


@pytest.fixture
def money(factory_plan: Plan) -> Money:
    return make_money(factory_plan)
