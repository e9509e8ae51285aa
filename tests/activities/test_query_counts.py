"""The activities pages run a fixed number of queries, however much data there is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helhedsplan.activities.models import (
    Activity,
    ActivityArea,
    Partner,
    PlannedQuantity,
    Registration,
)
from helhedsplan.plans.models import FocusArea, HousingArea, Plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seedlike")]


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _more_data(plan: Plan, n: int) -> None:
    focus = FocusArea.objects.get(plan=plan, code="5.1")
    areas = list(HousingArea.objects.filter(plan=plan))
    partner = Partner.objects.create(plan=plan, name=f"Ekstra partner {n}")
    for i in range(n):
        activity = Activity.objects.create(
            plan=plan, focus_area=focus, slug=f"ekstra-{n}-{i}", name=f"Ekstra {n}-{i}"
        )
        activity.partners.add(partner)
        for area in areas:
            ActivityArea.objects.create(activity=activity, area=area, note="note")
            PlannedQuantity.objects.create(
                activity=activity, area=area, year=2018, quarter=1, quantity=3
            )
            reg = Registration.objects.create(
                plan=plan,
                activity=activity,
                area=area,
                date=date(2018, 2, 1),
                year=2018,
                quarter=1,
                participants=0,
            )
            reg.partners.add(partner)


@pytest.mark.parametrize(
    "name",
    [
        "activities:list",
        "activities:plan",
        "activities:registrations",
        "activities:delivery",
        "activities:criteria_support",
    ],
)
def test_query_count_is_flat(name: str, plan: Plan, client_for: Callable[[str], Client]) -> None:
    client = client_for("secretariat")
    url = reverse(name, args=[plan.slug]) + "?aar=2018"
    _more_data(plan, 1)  # some of everything first, as the demo has: then three times more
    before = _count(client, url)
    _more_data(plan, 3)
    assert _count(client, url) == before
