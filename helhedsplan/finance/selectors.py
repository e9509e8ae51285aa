from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from helhedsplan.finance.models import FundingSource
from helhedsplan.finance.rules import FundingSummary


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
