"""The plan's overview is read from a cache keyed by the plan's data version (issue 15):
read again it costs the same few queries however much the plan holds, a write shows at
once, and each reader has their own copy (what is due differs by role)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from helhedsplan.duties.lists import due_list
from helhedsplan.plans.models import FocusArea, HousingArea, Plan, SubArea

pytestmark = pytest.mark.django_db
LIMIT = 10


def _read_again(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_overview_read_again_costs_the_same_few_queries(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for("secretariat")
    small = _read_again(client, plan.get_absolute_url())
    for n in range(10):
        area = HousingArea.objects.create(plan=plan, slug=f"extra{n}", name=f"Ekstra {n}")
        SubArea.objects.create(area=area, name="Del A")
        area.populations.create(year=2018, residents=1000 + n)
        FocusArea.objects.create(plan=plan, code=f"9.{n}", name=f"Ekstra {n}")
    assert _read_again(client, plan.get_absolute_url()) == small <= LIMIT


def test_a_write_shows_at_once(plan: Plan, client_for: Callable[[str], Client]) -> None:
    client = client_for("secretariat")
    before = client.get(plan.get_absolute_url()).content.decode()
    HousingArea.objects.create(plan=plan, slug="nyt", name="Helt nyt boligområde")
    after = client.get(plan.get_absolute_url()).content.decode()
    assert "Helt nyt boligområde" in after and "Helt nyt boligområde" not in before


def test_each_reader_reads_their_own_copy(plan: Plan, client_for: Callable[[str], Client]) -> None:
    """The secretariat reads first (and fills the cache); the board then gets its own due
    list, not the secretariat's."""
    roles = ("secretariat", "board")
    pages = {role: client_for(role).get(plan.get_absolute_url()) for role in roles}
    for page in pages.values():
        fresh = due_list(page.context["access"], timezone.localdate())
        assert [i.key for i in page.context["due"].items] == [i.key for i in fresh.items]
