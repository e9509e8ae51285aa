"""A small plan with a budget to work on: LBF 3.000 t.kr. and the municipality's 1.000 t.kr.,
a staff line and an activities line (focus area 5.1)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from helhedsplan.finance.models import BudgetLine, FundingSource, Party
from helhedsplan.plans.models import Plan
from tests import factories


@dataclass
class Budget:
    plan: Plan
    lbf: FundingSource
    local: FundingSource
    staff: BudgetLine
    activities: BudgetLine


def budget_plan(plan: Plan | None = None) -> Budget:
    plan = plan or factories.small_plan()
    lbf = factories.FundingSourceFactory(
        plan=plan, kind=FundingSource.Kind.LBF, name="Landsbyggefonden", amount_tkr=Decimal(3000),
        party=Party.LBF, order=0,
    )  # fmt: skip
    local = factories.FundingSourceFactory(
        plan=plan, kind=FundingSource.Kind.LOCAL, name="Kommunen", amount_tkr=Decimal(1000),
        party=Party.MUNICIPALITY, order=1,
    )  # fmt: skip
    staff = factories.BudgetLineFactory(
        plan=plan, kind=BudgetLine.Kind.STAFF, name="Løn: koordinator", order=0
    )
    activities = factories.BudgetLineFactory(
        plan=plan, kind=BudgetLine.Kind.ACTIVITIES, name="Aktiviteter 5.1", order=1,
        focus_area=plan.focus_areas.get(code="5.1"),
    )  # fmt: skip
    return Budget(plan, lbf, local, staff, activities)
