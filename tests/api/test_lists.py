"""The API's lists: pagination (``limit``/``offset``, ``count``), the ``year`` and ``area``
filters, registrations only as counts, the number of queries constant in the amount of
data (asserted at two sizes), and the OpenAPI schema that documents every path."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from helhedsplan.activities.models import COUNT_FIELDS, Registration
from helhedsplan.plans.models import Plan
from tests.api.conftest import TokenClient, body, fill
from tests.api.test_access import LISTS


def _get(client: Client, plan: Plan, what: str, query: str = "") -> Any:
    return body(client.get(f"/api/v1/plans/{plan.slug}/{what}{query}"))


def test_pagination_counts_the_whole_list(filled: Plan, api_client: TokenClient) -> None:
    client = api_client("secretariat")
    whole = _get(client, filled, "decisions")
    assert whole["count"] == 2 and len(whole["items"]) == 2
    first = _get(client, filled, "decisions", "?limit=1")
    second = _get(client, filled, "decisions", "?limit=1&offset=1")
    assert first["count"] == second["count"] == 2 and (first["limit"], second["offset"]) == (1, 1)
    assert [first["items"][0], second["items"][0]] == whole["items"]
    assert _get(client, filled, "decisions", "?offset=5")["items"] == []
    for bad in ("?limit=0", "?limit=201", "?offset=-1", "?limit=x"):
        assert client.get(f"/api/v1/plans/{filled.slug}/decisions{bad}").status_code == 422


def test_year_and_area_filters(filled: Plan, api_client: TokenClient) -> None:
    client = api_client("secretariat")
    observations = _get(client, filled, "observations", "?year=2019&area=nord")
    assert [(o["year"], o["area"]) for o in observations["items"]] == [(2019, "nord")]
    assert _get(client, filled, "observations", "?year=2020")["count"] == 2
    assert _get(client, filled, "registrations", "?area=syd")["count"] == 2  # Q2 and Q3
    assert _get(client, filled, "registrations", "?area=syd&per=year")["count"] == 1
    assert _get(client, filled, "meetings", "?year=2018")["count"] == 0
    assert _get(client, filled, "targets", "?year=1990")["count"] == 0
    unknown = client.get(f"/api/v1/plans/{filled.slug}/observations?area=findes-ikke")
    assert unknown.status_code == 404


def test_registrations_are_counts_never_rows(filled: Plan, api_client: TokenClient) -> None:
    rows = _get(api_client("secretariat"), filled, "registrations", "?per=year")["items"]
    assert {r["area"]: r["registrations"] for r in rows} == {"nord": 2, "syd": 2}
    assert all(r["participants"] == 10 for r in rows)  # 2 registrations of 5
    for row in rows:
        assert not set(row) & {"id", "note", "registered_by", "date", *COUNT_FIELDS}
    assert Registration.objects.filter(plan=filled).count() == 4


def test_a_coordinator_sees_approved_figures_and_the_drafts_of_their_areas(
    filled: Plan, api_client: TokenClient
) -> None:
    seen = _get(api_client("coordinator"), filled, "observations")["items"]
    drafts = {o["area"] for o in seen if o["state"] == "draft"}
    assert drafts == {"nord"}
    assert {o["area"] for o in seen if o["state"] == "approved"} == {"nord", "syd"}
    board = _get(api_client("board"), filled, "observations")["items"]
    assert {o["state"] for o in board} == {"approved"}


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200, path
    return len(ctx)


@pytest.mark.parametrize("what", [*LISTS, "", "scorecard"])
def test_the_query_count_is_constant(what: str, filled: Plan, api_client: TokenClient) -> None:
    client = api_client("secretariat")
    path = f"/api/v1/plans/{filled.slug}" + (f"/{what}" if what else "")
    _queries(client, path)  # the token's "last used" written once
    small = _queries(client, path)
    fill(filled, areas=4)
    assert _queries(client, path) == small, what
    # The scorecard's own count is the scorecard page's (tests/criteria); the API adds none.
    assert small <= 10 or what == "scorecard", what


def test_the_plans_list_query_count_is_constant(
    filled: Plan, other_plan: Plan, api_client: TokenClient
) -> None:
    client = api_client("secretariat")
    _queries(client, "/api/v1/plans")
    small = _queries(client, "/api/v1/plans")
    from tests.factories import PlanMembershipFactory, small_plan

    user = filled.memberships.get(role="secretariat").user
    for n in range(3):
        PlanMembershipFactory(user=user, plan=small_plan(slug=f"mere-{n}"), role="board")
    assert _queries(client, "/api/v1/plans") == small


def test_the_openapi_schema_documents_every_path(db: None) -> None:
    from django.urls import get_resolver

    schema = body(Client().get("/api/v1/openapi.json"))
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["version"] == "1"
    paths = set(schema["paths"])
    for what in [*LISTS, "scorecard", "lists"]:
        assert f"/api/v1/plans/{{slug}}/{what}" in paths, what
    assert {"/api/v1/plans", "/api/v1/plans/{slug}"} <= paths
    assert set(schema["paths"]["/api/v1/plans/{slug}/observations"]) == {"get", "post"}
    assert set(schema["paths"]["/api/v1/plans/{slug}/registrations"]) == {"get", "post"}
    # Every operation says how to authenticate.
    assert {"TokenAuth", "SessionAuth"} <= set(schema["components"]["securitySchemes"])
    for item in schema["paths"].values():
        for operation in item.values():
            assert operation.get("security"), operation["operationId"]
    assert get_resolver().resolve("/api/v1/docs").url_name == "openapi-view"


def test_the_docs_page_loads_swagger_from_our_own_static(db: None) -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
