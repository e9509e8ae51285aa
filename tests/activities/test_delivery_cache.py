"""The delivery page is read from a cache keyed by the plan's data version (issue 15): a
page read again costs the same few queries however many registrations there are, and a
write shows at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from helhedsplan.activities.models import Activity, Registration
from helhedsplan.plans.models import Plan
from tests.activities.test_query_counts import _more_data
from tests.queries import read_again

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seedlike")]
LIMIT = 10


def test_a_page_read_again_costs_the_same_few_queries(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for("secretariat")
    url = reverse("activities:delivery", args=[plan.slug]) + "?aar=2018"
    _more_data(plan, 1)
    small = read_again(client, url)
    _more_data(plan, 3)
    assert read_again(client, url) == small <= LIMIT


def _delivered(client: Client, url: str, activity: Activity) -> int | None:
    """The activity's delivered total as the page computed it; None when the page came
    from the cache (its body was not rendered: no report in the context)."""
    response = client.get(url)
    if "report" not in response.context:
        return None
    block = next(b for b in response.context["report"].activities if b.activity.pk == activity.pk)
    return int(block.total.delivered)


def test_a_registration_shows_at_once(plan: Plan, client_for: Callable[[str], Client]) -> None:
    client = client_for("secretariat")
    url = reverse("activities:delivery", args=[plan.slug]) + "?aar=2018"
    activity = Activity.objects.filter(plan=plan, unit=Activity.Unit.EVENTS).first()
    assert activity is not None
    link = activity.area_links.first()
    assert link is not None
    before = _delivered(client, url, activity)
    assert before is not None
    assert _delivered(client, url, activity) is None  # from the cache
    Registration.objects.create(
        plan=plan, activity=activity, area=link.area, date=date(2018, 5, 1), year=2018,
        quarter=2, participants=0,
    )  # fmt: skip
    assert _delivered(client, url, activity) == before + 1
