"""The plan's overview is read from a cache keyed by the plan's data version (issue 15):
read again it costs the same few queries however much the plan holds, a write shows at
once, and each reader has their own copy (what is due differs by role)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from helhedsplan.duties.lists import due_list
from helhedsplan.plans.models import HousingArea, Plan
from tests.plans.test_overview import more_of_everything
from tests.queries import read_again

pytestmark = pytest.mark.django_db
LIMIT = 10


def test_the_overview_read_again_costs_the_same_few_queries(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for("secretariat")
    small = read_again(client, plan.get_absolute_url())
    more_of_everything(plan)
    assert read_again(client, plan.get_absolute_url()) == small <= LIMIT
    # The session, the user, and the membership with the plan and both data versions (the
    # plan's and the installation's, which the overview is keyed by too): nothing else.
    assert small == 3


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
