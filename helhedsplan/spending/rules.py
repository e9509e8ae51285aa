"""The accounts' arithmetic, as plain Python (no Django) so the page, the export and the
tests agree: variance against the budget, the LBF share drawn, the local share of spending.

Amounts are kroner (``Decimal``); the funding sources are t.kr. and are converted once, by
``tkr_to_kroner``. A percentage is ``None`` where its base is zero (a line without budget
has no variance in percent; nothing spent has no local share).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from helhedsplan.finance.rules import MIN_LOCAL_SHARE

ZERO = Decimal(0)
THOUSAND = Decimal(1000)


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` of ``whole`` in percent; None when ``whole`` is zero."""
    if whole == 0:
        return None
    return part * 100 / whole


def tkr_to_kroner(amount_tkr: Decimal) -> Decimal:
    """A funding source's amount (whole thousands of kroner) in kroner."""
    return amount_tkr * THOUSAND


@dataclass(frozen=True)
class Variance:
    """Spent against budget: ``kroner`` over (+) or under (-) the budget, and that in
    percent of the budget (None for a budget of 0)."""

    budget: Decimal
    spent: Decimal

    @property
    def kroner(self) -> Decimal:
        return self.spent - self.budget

    @property
    def percent(self) -> Decimal | None:
        return percent(self.kroner, self.budget)

    @property
    def over_budget(self) -> bool:
        return self.spent > self.budget


def spent(registered: Decimal, corrections: Decimal) -> Decimal:
    """Spent = registered + the corrections (a correction may be negative)."""
    return registered + corrections


@dataclass(frozen=True)
class LocalShare:
    """The actual spending split in LBF's money and the local co-financing; the local
    share must be at least ``MIN_LOCAL_SHARE`` % (LBF's rule, as for the budget)."""

    lbf: Decimal
    local: Decimal

    @property
    def total(self) -> Decimal:
        return self.lbf + self.local

    @property
    def local_share(self) -> Decimal | None:
        return percent(self.local, self.total)

    @property
    def below_minimum(self) -> bool:
        """True only when something was spent and the local share is under the minimum."""
        share = self.local_share
        return share is not None and share < MIN_LOCAL_SHARE

    def __add__(self, other: LocalShare) -> LocalShare:
        return LocalShare(lbf=self.lbf + other.lbf, local=self.local + other.local)


@dataclass(frozen=True)
class LbfDrawn:
    """What was spent of LBF's money, against LBF's grant (the funding, in kroner) and
    against the budget's LBF part."""

    spent: Decimal
    grant: Decimal
    budget: Decimal

    @property
    def of_grant(self) -> Decimal | None:
        return percent(self.spent, self.grant)

    @property
    def of_budget(self) -> Decimal | None:
        return percent(self.spent, self.budget)

    @property
    def grant_left(self) -> Decimal:
        return self.grant - self.spent


__all__ = [
    "MIN_LOCAL_SHARE",
    "LbfDrawn",
    "LocalShare",
    "Variance",
    "percent",
    "spent",
    "tkr_to_kroner",
]
