"""GET /api/v1/plans/<slug>/lists?year=YYYY end to end: central measurements and national
figures from factories, the engine's answer as JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helhedsplan.plans.models import Plan
from tests.lists import scenario


def _url(plan: Plan) -> str:
    return reverse("api:lists", kwargs={"slug": plan.slug})


def _get(client: Client, plan: Plan, query: str = "") -> Any:
    response = client.get(_url(plan) + query)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def data(plan: Plan) -> None:
    scenario.values(plan.areas.get(slug="syd"), 2019, scenario.ON_LIST)
    scenario.values(plan.areas.get(slug="nord"), 2019, scenario.OFF_LIST)


def test_the_shape(data: None, plan: Plan, client_for: Callable[[str], Client]) -> None:
    scenario.threshold(2019)
    body = _get(client_for("lbf"), plan, "?year=2019")
    assert body["plan"] == plan.slug and body["year"] == 2019
    assert set(body["areas"]) == {"nord", "syd"}
    syd = body["areas"]["syd"]
    assert {"categories", "unknown", "criteria", "distances", "keeps_on_list", "rule_set",
            "residents_ok"} <= set(syd)  # fmt: skip
    assert syd["rule_set"] == "2018-2020"
    assert syd["residents_ok"] is True
    assert "udsat" in syd["categories"] and "ghetto" in syd["categories"]
    outside = syd["criteria"]["uden_arbejde_uddannelse_pct"]
    assert outside["value"] == "41.2" and outside["threshold"] == "40"
    assert outside["operator"] == ">" and outside["met"] is True
    assert syd["criteria"]["indkomst_pct_region"]["operator"] == "<"
    convicted = syd["criteria"]["doemte_pct"]  # 2,5 % against 3 × 0,66 % = 1,98 %
    assert (convicted["threshold"], convicted["operator"], convicted["met"]) == ("1.98", ">=", True)
    nord = body["areas"]["nord"]
    assert nord["categories"] == [] and nord["keeps_on_list"] is None
    for distance in syd["distances"]["uden_arbejde_uddannelse_pct"]:
        assert set(distance) == {"category", "threshold", "operator", "points", "people", "met"}
        assert isinstance(distance["people"], int | None)


def test_null_met_for_a_missing_threshold(
    data: None, plan: Plan, client_for: Callable[[str], Client]
) -> None:
    convicted = _get(client_for("board"), plan, "?year=2019")["areas"]["syd"]["criteria"][
        "doemte_pct"
    ]
    assert convicted["threshold"] is None and convicted["met"] is None
    assert "doemte_landsgennemsnit_pct" in convicted["missing"]


def test_unknown_history_is_unknown_not_false(
    data: None, plan: Plan, client_for: Callable[[str], Client]
) -> None:
    """A hard ghetto needs the earlier years, which have no values: unknown, not "no"."""
    syd = _get(client_for("board"), plan, "?year=2019")["areas"]["syd"]
    assert "haardt_ghetto" in syd["unknown"]
    assert "haardt_ghetto" not in syd["categories"]


def test_the_year_defaults_to_the_latest_with_data(
    data: None, plan: Plan, client_for: Callable[[str], Client]
) -> None:
    assert _get(client_for("board"), plan)["year"] == 2019


def test_no_data_no_year(plan: Plan, client_for: Callable[[str], Client]) -> None:
    assert _get(client_for("board"), plan) == {"plan": plan.slug, "year": None, "areas": {}}


@pytest.mark.parametrize("year", ["abc", "19", "20190", "2019.5"])
def test_a_malformed_year_is_400(
    plan: Plan, client_for: Callable[[str], Client], year: str
) -> None:
    response = client_for("board").get(_url(plan) + f"?year={year}")
    assert response.status_code == 400
    assert "listeår" in response.json()["error"]


def test_a_year_without_a_rule_set(plan: Plan, client_for: Callable[[str], Client]) -> None:
    body = _get(client_for("board"), plan, "?year=1990")
    for area in body["areas"].values():
        assert area["rule_set"] is None
        assert area["categories"] == []


def test_a_plan_without_a_role_is_404(plan: Plan, other_plan: Plan) -> None:
    client = Client()
    client.force_login(other_plan.memberships.get().user)
    assert client.get(_url(plan) + "?year=2019").status_code == 404
    response = Client().get(_url(plan) + "?year=2019")
    assert response.status_code == 401  # the API answers 401, never the login page


def _count(client: Client, plan: Plan) -> int:
    with CaptureQueriesContext(connection) as ctx:
        _get(client, plan, "?year=2019")
    return len(ctx)


def test_the_query_count_is_constant(
    data: None, plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for("lbf")
    _get(client, plan, "?year=2019")  # session and caches warm
    small = _count(client, plan)
    for area in scenario.more_areas(plan, 4):
        scenario.values(area, 2019, scenario.ON_LIST)
        scenario.values(area, 2018, scenario.ON_LIST)
    assert _count(client, plan) == small
