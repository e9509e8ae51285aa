from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helhedsplan.organisation.models import Body, Membership, Person
from helhedsplan.plans.models import Plan
from tests import factories


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_organisation_pages_queries_do_not_grow(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    board = Body.objects.get(plan=plan, kind=Body.Kind.BOARD)
    coordination = factories.BodyFactory(
        plan=plan, kind=Body.Kind.COORDINATION_GROUP, slug="koordinationsgruppe"
    )
    for seat in [board, board, coordination, coordination]:
        factories.OrganisationMembershipFactory(body=seat)
    client = client_for("secretariat")
    kwargs = {"slug": plan.slug}
    urls = [
        reverse("organisation:overview", kwargs=kwargs) + "?dato=2019-01-01",
        reverse("organisation:chart", kwargs=kwargs) + "?dato=2019-01-01",
        reverse("organisation:body", kwargs={**kwargs, "body": "koordinationsgruppe"}),
    ]
    small = [_count(client, url) for url in urls]
    group = Body.objects.get(plan=plan, slug="koordinationsgruppe")
    for n in range(10):
        person = Person.objects.create(plan=plan, name=f"Ekstra {n}", organisation_kind="other")
        Membership.objects.create(
            body=group, person=person, role="other", start_date=date(2018, 1, 1)
        )
    assert [_count(client, url) for url in urls] == small
