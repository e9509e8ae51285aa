"""The list page end to end: central measurements and national figures from factories, the
engine's answer in words on /planer/<slug>/lister/."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helhedsplan.plans.models import Plan
from tests.lists import scenario


def _url(plan: Plan, query: str = "") -> str:
    return reverse("lists:overview", kwargs={"slug": plan.slug}) + query


@pytest.fixture
def data(plan: Plan) -> None:
    for year in (2018, 2019):
        scenario.values(plan.areas.get(slug="syd"), year, scenario.ON_LIST)
        scenario.values(plan.areas.get(slug="nord"), year, scenario.OFF_LIST)
    scenario.threshold(2019)


def test_the_year_and_the_areas(
    data: None, plan: Plan, client_for: Callable[[str], Client]
) -> None:
    response = client_for("lbf").get(_url(plan))
    assert response.status_code == 200
    assert response.context["years"] == [2018, 2019]
    assert response.context["year"] == 2019
    text = response.content.decode()
    assert "Udsat boligområde og ghettoområde" in text
    assert "reglerne for 2018-2020" in text
    assert "mindst 1,98" in text  # 3 × the national average
    assert "3 × landsgennemsnittet for dømte (0,66" in text
    # 412 of 1.000 outside work: down to 400 is 12 fewer (LBF reads them unsuppressed).
    assert (
        "12 beboere færre uden for arbejde eller uddannelse ville bringe andelen ned på 40" in text
    )
    assert "indkomsten skal stige 2,3 procentpoint til 55" in text
    assert "Området forlader listen, hvis" in text
    assert "På ingen liste" in text  # nord


def test_a_missing_national_figure_is_named(
    data: None, plan: Plan, client_for: Callable[[str], Client]
) -> None:
    text = client_for("board").get(_url(plan, "?aar=2018")).content.decode()
    assert "landsgennemsnittet for dømte mangler for listeåret 2018" in text
    assert "kan ikke afgøres" in text


def test_unknown_history_is_told(
    data: None, plan: Plan, client_for: Callable[[str], Client]
) -> None:
    text = client_for("board").get(_url(plan)).content.decode()
    assert "ukendt: hårdt ghettoområde" in text
    assert 'data-testid="history-syd"' in text


def test_the_staff_link_to_the_national_figures(
    data: None, plan: Plan, client_for: Callable[[str], Client]
) -> None:
    from helhedsplan.lists.views import thresholds_url

    client = client_for("secretariat")
    user = plan.memberships.get(role="secretariat").user
    user.is_staff = True
    user.save()
    text = client.get(_url(plan, "?aar=2018")).content.decode()
    if thresholds_url():
        assert thresholds_url() in text


def _count(client: Client, plan: Plan) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(_url(plan)).status_code == 200
    return len(ctx)


def test_the_query_count_is_constant(
    data: None, plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for("lbf")
    client.get(_url(plan))
    small = _count(client, plan)
    for area in scenario.more_areas(plan, 5):
        for year in (2016, 2017, 2018, 2019):
            scenario.values(area, year, scenario.ON_LIST)
    assert _count(client, plan) == small
