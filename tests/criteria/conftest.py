"""The criteria tests run on a factory plan with one criterion of each kind of figure.

Tests marked ``demo`` (about the seed's criteria) get the demo's criteria instead.
"""

from __future__ import annotations

import pytest

from helhedsplan.criteria.models import SuccessCriterion
from helhedsplan.plans.models import Plan
from tests import factories


@pytest.fixture(autouse=True)
def criteria(request: pytest.FixtureRequest) -> dict[str, SuccessCriterion]:
    """5.1.2 (a share, a rate), 5.2.2 (per 1000), 5.2.3 (a count), 5.4.1 and 5.4.2 (ratings)."""
    if request.node.get_closest_marker("demo") or "db" not in request.fixturenames:
        return {}
    plan: Plan = request.getfixturevalue("plan")
    return factories.criteria_by_kind(plan)
