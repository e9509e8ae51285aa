"""The audit package's page: who opens it, what it shows, a constant number of queries."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helhedsplan.accounts.access import PlanAccess
from helhedsplan.accounts.models import Role, User
from helhedsplan.auditpackage.selectors import package_years
from helhedsplan.plans.models import Plan
from tests.auditpackage.builders import year_of_everything

pytestmark = pytest.mark.django_db

Clients = Callable[[str], Client]


def _url(plan: Plan, year: int | None = None) -> str:
    url = reverse("auditpackage:year", kwargs={"slug": plan.slug})
    return f"{url}?aar={year}" if year else url


@pytest.mark.parametrize(
    ("role", "status"),
    [("secretariat", 200), ("board", 200), ("auditor", 200), ("coordinator", 403),
     ("municipal", 403), ("lbf", 403), ("outsider", 404)],
)  # fmt: skip
def test_who_opens_the_page(
    role: str, status: int, factory_plan: Plan, factory_client_for: Clients
) -> None:
    assert factory_client_for(role).get(_url(factory_plan)).status_code == status


def test_the_auditor_sees_the_approved_observations_and_the_downloads(
    factory_plan: Plan, persona: Callable[[str], User], factory_client_for: Clients
) -> None:
    year_of_everything(factory_plan, persona)
    page = factory_client_for("auditor").get(_url(factory_plan, 2018)).content.decode()
    assert "Godkendte observationer 2018" in page
    assert "5.1.1 Kriterium 1" in page and "Test secretariat" in page
    assert "Sydparken" not in page.split('data-testid="approved-observations"')[1]  # a draft
    assert f"/planer/{factory_plan.slug}/eksport/revisionspakke.pdf?aar=2018" in page
    assert f"/planer/{factory_plan.slug}/eksport/revisionspakke.xlsx?aar=2018" in page
    assert "bestyrelsesmøder: 1 · vurderinger: 1 · beslutninger: 1" in page
    assert 'data-testid="external-downloads"' not in page  # the auditor's copy is all they get
    secretariat = factory_client_for("secretariat").get(_url(factory_plan, 2018))
    assert "udgave=ekstern" in secretariat.content.decode()


def test_a_year_not_offered_shows_the_default(
    factory_plan: Plan, factory_client_for: Clients
) -> None:
    page = factory_client_for("auditor").get(_url(factory_plan, 1999))
    assert page.status_code == 200
    offered = package_years(factory_plan, timezone.localdate())
    assert page.context["package"].year == offered.default


def test_the_menu_and_the_start_page_link_to_it(
    factory_plan: Plan, factory_client_for: Clients
) -> None:
    start = factory_client_for("auditor").get(factory_plan.get_absolute_url()).content.decode()
    assert 'data-testid="audit-package-link"' in start
    assert _url(factory_plan) in start
    other = factory_client_for("coordinator").get(factory_plan.get_absolute_url()).content
    assert _url(factory_plan).encode() not in other


def _queries(client: Client, plan: Plan) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(_url(plan, 2018)).status_code == 200
    return len(captured)


def test_the_page_asks_the_same_number_of_queries_whatever_the_year_holds(
    factory_plan: Plan, persona: Callable[[str], User], factory_client_for: Clients
) -> None:
    client = factory_client_for("auditor")
    year_of_everything(factory_plan, persona, n=1)
    _queries(client, factory_plan)
    small = _queries(client, factory_plan)
    year_of_everything(factory_plan, persona, n=3, start=1)
    assert _queries(client, factory_plan) == small


def test_only_the_secretariat_reads_the_small_counts(factory_plan: Plan) -> None:
    def access(*roles: Role) -> PlanAccess:
        return PlanAccess(plan=factory_plan, roles=frozenset(roles))

    assert access(Role.SECRETARIAT).reads_audit_package_counts
    assert access(Role.SECRETARIAT, Role.AUDITOR).reads_audit_package_counts
    for role in (Role.AUDITOR, Role.BOARD, Role.COORDINATOR, Role.MUNICIPAL, Role.LBF):
        assert not access(role).reads_audit_package_counts
