"""The staff's national view (/administration/landsoversigt/): staff only; the installation's
plans by status and framework, areas, active users by role, and per plan its overdue items
(every role's, each once). Factory plans."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helhedsplan.accounts.access import get_plan_access
from helhedsplan.accounts.models import Membership, Role
from helhedsplan.duties.items import Urgency
from helhedsplan.duties.lists import due_items
from helhedsplan.plans.models import Plan
from helhedsplan.plans.services import plan_close
from tests import factories

pytestmark = pytest.mark.django_db

PAGE = reverse("national:staff_overview")


@pytest.fixture
def staff() -> Client:
    client = Client()
    client.force_login(factories.UserFactory(username="admin", is_staff=True))
    return client


def test_staff_only(staff: Client, persona: Any) -> None:
    assert staff.get(PAGE).status_code == 200
    for role in ("secretariat", "lbf"):
        client = Client()
        client.force_login(persona(role))
        assert client.get(PAGE).status_code == 403, role
    response = Client().get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_staff_home_links_it(staff: Client) -> None:
    assert PAGE in staff.get(reverse("accounts:staff_home")).content.decode()


def test_counts_of_the_installation(staff: Client) -> None:
    """Counted against what the installation held before (a worker's test database may hold
    the demo plan: the counts are the installation's, not the test's)."""
    before = staff.get(PAGE).context["o"]
    roles_before = dict(before.users_by_role)
    a = factories.small_plan(name="Anemone")
    factories.small_plan(name="Birk", framework="2019-26")
    factories.small_plan(name="Cedertræ", status=Plan.Status.DRAFT)
    for role in ("secretariat", "coordinator", "lbf"):
        factories.persona(a, role)
    gone = factories.persona(a, "board")
    gone.is_active = False
    gone.save()
    o = staff.get(PAGE).context["o"]
    assert (o.plans - before.plans, o.areas - before.areas) == (3, 6)
    assert {"2015-18", "2019-26"} <= set(o.frameworks)
    ours = {r.plan.name: r for r in o.rows if r.plan.name in {"Anemone", "Birk", "Cedertræ"}}
    assert list(ours) == ["Anemone", "Birk", "Cedertræ"]
    by_role = dict(o.users_by_role)
    assert by_role["Sekretariat"] - roles_before.get("Sekretariat", 0) == 1
    assert by_role["Landsbyggefonden"] - roles_before.get("Landsbyggefonden", 0) == 1
    assert by_role["Bestyrelsesmedlem"] == roles_before.get("Bestyrelsesmedlem", 0)  # deactivated
    assert o.users_inactive - before.users_inactive == 1
    if not before.plans:  # a clean installation: the whole tables
        assert o.frameworks == ["2015-18", "2019-26"]
        rows = {label: (counts, total) for label, counts, total in o.status_rows}
        assert rows["Aktiv"] == ([1, 1], 2) and rows["Under udarbejdelse"] == ([1, 0], 1)
        assert o.framework_totals == [2, 1]


def _row(response: Any, plan: Plan) -> Any:
    (row,) = [r for r in response.context["o"].rows if r.plan.pk == plan.pk]
    return row


def test_overdue_per_plan_is_every_roles_items_once(staff: Client) -> None:
    """A plan's overdue count is the union of what is overdue on each role's due list (a
    coordinator of every area): an item that falls to several users counts once."""
    plan = factories.small_plan(name="Anemone")
    users = [factories.persona(plan, role) for role in Role if role != Role.COORDINATOR]
    coordinator = factories.UserFactory(username="koordinator-alle")
    factories.PlanMembershipFactory(
        user=coordinator, plan=plan, role=Role.COORDINATOR, areas=list(plan.areas.all())
    )
    factories.agreement_version(plan, "submitted")  # waits for LBF's decision
    today = timezone.localdate()
    expected = {
        item.key
        for user in [*users, coordinator]
        for item in due_items(get_plan_access(user, plan.slug), today)
        if item.urgency(today) is Urgency.OVERDUE
    }
    assert expected, "the factory plan has overdue duties (its years have passed)"
    response = staff.get(PAGE)
    assert _row(response, plan).overdue == len(expected)
    others = sum(r.overdue for r in response.context["o"].rows if r.plan.pk != plan.pk)
    assert response.context["o"].overdue == len(expected) + others
    assert Membership.objects.filter(plan=plan).count() == 6


def test_a_closed_plan_has_nothing_overdue(staff: Client) -> None:
    plan = factories.small_plan(name="Anemone")
    Plan.objects.filter(pk=plan.pk).update(closed_at=timezone.now(), status="closed")
    assert _row(staff.get(PAGE), plan).overdue == 0


def test_the_plan_rows_link_the_staff_plan_page(staff: Client) -> None:
    plan = factories.small_plan(name="Anemone")
    page = staff.get(PAGE).content.decode()
    assert reverse("accounts:staff_plan", kwargs={"slug": plan.slug}) in page


def test_the_counts_take_the_same_queries_and_the_due_lists_a_fixed_number_per_plan(
    staff: Client,
) -> None:
    """The counts are a fixed number of queries; each plan adds its due list's sources (a
    fixed number, whatever the plan holds) when the cache holds no count under the plan's
    data version and the day; warm, the page is the same queries at 2 and at 4 plans."""

    def count(*, cold: bool) -> int:
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert staff.get(PAGE).status_code == 200
        return len(ctx.captured_queries)

    factories.small_plan()
    factories.small_plan()
    two = count(cold=True)
    warm_two = count(cold=False)
    factories.small_plan()
    three = count(cold=True)
    plan = factories.small_plan()
    four = count(cold=True)
    warm_four = count(cold=False)
    assert four - three == three - two
    assert warm_four == warm_two <= 10, (warm_two, warm_four)
    # Never stale: closing the plan empties its overdue items at once on a warm page.
    assert _row(staff.get(PAGE), plan).overdue > 0
    plan_close(plan=plan, actor=None, reason="Perioden er slut")
    assert _row(staff.get(PAGE), plan).overdue == 0
