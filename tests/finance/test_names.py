"""The money's rows are named with Danish numbers: the audit trail keeps an object's name as
it was written ("Landsbyggefonden: 25.000 t.kr.", never "25000 t.kr." or "-1250.50")."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_funding_budget_spending_and_corrections_read_as_danish_numbers() -> None:
    line = f.BudgetLineFactory(name="Administration")
    source = f.FundingSourceFactory(plan=line.plan, name="Landsbyggefonden", amount_tkr=25000)
    assert str(source) == "Landsbyggefonden: 25.000 t.kr."
    amount = f.BudgetAmountFactory(line=line, source=source, year=2018, amount=Decimal("1250.5"))
    assert str(amount) == "Administration 2018: 1.250,50 kr."
    spent = f.ActualSpendingFactory(line=line, source=source, year=2018, amount=Decimal("900"))
    assert str(spent) == "Administration 2018: 900,00 kr."
    down = f.SpendingCorrectionFactory(line=line, source=source, amount=Decimal("-1250.50"))
    up = f.SpendingCorrectionFactory(line=line, source=source, amount=Decimal("500"))
    assert str(down) == f"Administration {down.year}: -1.250,50 kr."
    assert str(up) == f"Administration {up.year}: +500,00 kr."
