"""About the seed's content: the Slagelse demo's export, imported under a new slug, gives the
same scorecard (API v1) for every year as the original, and round-trips to the same document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from helhedsplan.plans.models import Plan
from helhedsplan.transfer.services import plan_export, plan_import
from tests.transfer.helpers import comparable, document_of

pytestmark = [pytest.mark.demo, pytest.mark.django_db]


def _without_ids(answer: Any) -> Any:
    """The answer without database ids (a target's "id"): the same plan, other rows."""
    if isinstance(answer, dict):
        return {k: _without_ids(v) for k, v in answer.items() if k != "id"}
    if isinstance(answer, list):
        return [_without_ids(v) for v in answer]
    return answer


def test_the_demo_imported_gives_the_same_scorecard_every_year(
    demo_plan: Plan, demo_client_for: Callable[[str], Client]
) -> None:
    data = plan_export(demo_plan)
    copy = plan_import(data=data, slug="slagelse-kopi")
    client = demo_client_for("secretariat")
    years = range(demo_plan.start_date.year - 3, demo_plan.end_date.year + 1)
    for year in years:
        original = client.get(f"/api/v1/plans/{demo_plan.slug}/scorecard?year={year}")
        imported = client.get(f"/api/v1/plans/{copy.slug}/scorecard?year={year}")
        assert original.status_code == imported.status_code == 200
        expected = {**_without_ids(original.json()), "plan": copy.slug}
        assert _without_ids(imported.json()) == expected, year
        assert expected["criteria"], year
    assert comparable(document_of(plan_export(copy))) == comparable(document_of(data))
