"""The demo's money (issue 13).

The seed states the funding only as totals: Landsbyggefonden 25.000 t.kr. and the local
co-financing 19.450 t.kr. (44.450 t.kr. in all), loaded as the plan's funding sources by
``demo/plan.py``. It gives no split over years or budget lines, and it does not say how the
local co-financing divides between the municipality and the housing organisations: the
demo therefore leaves the budget empty (the budget page says the split is not entered) and
the local source's party "ikke fordelt på parter". Nothing is invented here.
"""

from __future__ import annotations

from helhedsplan.plans.models import Plan


def load(plan: Plan) -> None:
    """Nothing to load: the seed has no budget by year and line (see the module's text)."""
