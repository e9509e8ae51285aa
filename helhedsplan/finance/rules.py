"""LBF's funding rule, as plain Python so the model, the service and the page agree.

The local co-financing must be at least 25 % of the total budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

MIN_LOCAL_SHARE = Decimal(25)


@dataclass(frozen=True)
class FundingSummary:
    lbf: Decimal
    local: Decimal

    @property
    def total(self) -> Decimal:
        return self.lbf + self.local

    @property
    def local_share(self) -> Decimal | None:
        """Local co-financing in percent of the total; None for an empty budget."""
        if self.total == 0:
            return None
        return self.local * 100 / self.total

    @property
    def meets_minimum(self) -> bool:
        share = self.local_share
        return share is not None and share >= MIN_LOCAL_SHARE

    @property
    def below_minimum(self) -> bool:
        """Money is there and the local share is under the minimum (an empty budget is not)."""
        return self.total > 0 and not self.meets_minimum
