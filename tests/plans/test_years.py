"""Every page that takes a year (``?aar=``) opens on the latest year with data and offers every
year with data, baseline years before the plan's start included (``plans/years.py``).

On the factory plan (2018-2021; today is after it, as for the demo), except the tests marked
``demo`` about the seed's years."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from helhedsplan.criteria.models import Observation, ReferenceSeries, ReferenceValue
from helhedsplan.plans.models import Plan
from helhedsplan.plans.years import criteria_years, delivery_years, meeting_years
from helhedsplan.reports.exporters import export_url
from tests.factories import (
    ActivityFactory,
    MeetingFactory,
    ObservationFactory,
    PlannedQuantityFactory,
    RegistrationFactory,
    SuccessCriterionFactory,
    TargetFactory,
)

Clients = Callable[[str], Client]
BAD = ("?aar=abc", "?aar=1850", "?aar=20188", "?aar=2030", "?aar=")


def _page(client: Client, name: str, plan: Plan, query: str = "") -> Any:
    """The page's context as its body was rendered: on an empty cache (a page served from
    the cache renders only the frame around its cached body, plans.fragments)."""
    cache.clear()
    response = client.get(reverse(name, kwargs={"slug": plan.slug}) + query)
    assert response.status_code == 200
    return response.context


def _export_year(client: Client, plan: Plan, identifier: str, **params: Any) -> str:
    response = client.get(export_url(plan, identifier, "csv", **params))
    assert response.status_code == 200
    return response["Content-Disposition"].rsplit("-", 1)[1].split(".")[0]


def _approved(plan: Plan, year: int, **kwargs: Any) -> Observation:
    criterion = kwargs.pop("criterion", None) or SuccessCriterionFactory(plan=plan)
    return ObservationFactory(  # type: ignore[no-any-return]
        measure=criterion.measure, area=None, year=year, value=Decimal(20),
        state=Observation.State.APPROVED, **kwargs,
    )  # fmt: skip


# --- the scorecard, its export and the API --------------------------------------------------


def test_the_scorecard_opens_on_the_latest_year_with_approved_data(
    plan: Plan, client_for: Clients
) -> None:
    criterion = SuccessCriterionFactory(plan=plan)
    TargetFactory(criterion=criterion)
    _approved(plan, 2019, criterion=criterion)
    # A draft of a later year is offered (someone works on it) but is not opened on.
    ObservationFactory(measure=criterion.measure, area=None, year=2020, value=Decimal(1))
    client = client_for("board")
    card = _page(client, "criteria:scorecard", plan)["card"]
    assert card.year == 2019  # not today's year capped at the plan's end (2021)
    assert card.years == [2018, 2019, 2020, 2021]
    for bad in BAD:
        assert _page(client, "criteria:scorecard", plan, bad)["card"].year == 2019
    assert _page(client, "criteria:scorecard", plan, "?aar=2020")["card"].year == 2020
    assert _export_year(client, plan, "succeskriterier") == "2019"
    assert _export_year(client, plan, "succeskriterier", aar="abc") == "2019"
    assert _export_year(client, plan, "succeskriterier", aar="2018") == "2018"
    api = client.get(reverse("api:scorecard", kwargs={"slug": plan.slug})).json()
    assert api["year"] == 2019


def test_a_plan_without_approved_figures_opens_on_its_first_year(
    plan: Plan, client_for: Clients
) -> None:
    criterion = SuccessCriterionFactory(plan=plan)
    ObservationFactory(measure=criterion.measure, area=None, year=2020)  # a draft only
    client = client_for("secretariat")
    assert _page(client, "criteria:scorecard", plan)["card"].year == 2018
    assert _export_year(client, plan, "succeskriterier") == "2018"
    assert criteria_years(plan).default == 2018


def test_baseline_years_before_the_plan_are_offered(plan: Plan, client_for: Clients) -> None:
    criterion = SuccessCriterionFactory(plan=plan)
    _approved(plan, 2014, criterion=criterion)  # a baseline figure
    # A target from a 2016 baseline, compared with a reference series' 2015 figure; no
    # observation in 2016 or 2017 (as the seed's 2017 baselines): still years with data.
    series = ReferenceSeries.objects.create(
        plan=plan, measure=criterion.measure, slug="landet", name="Hele landet"
    )
    ReferenceValue.objects.create(series=series, year=2013, value=Decimal(9))
    TargetFactory(criterion=criterion, kind="direction", op="", value=None,
                  baseline_year=2016, first_year=2017)  # fmt: skip
    TargetFactory(criterion=criterion, kind="reference", op="lt", value=Decimal(10),
                  reference_series=series, reference_year=2015)  # fmt: skip
    offered = criteria_years(plan)
    assert offered.years == list(range(2013, 2022))
    assert offered.default == 2014  # the only approved figure
    client = client_for("board")
    card = _page(client, "criteria:scorecard", plan)["card"]
    assert card.years == list(range(2013, 2022)) and card.year == 2014
    page = client.get(reverse("criteria:scorecard", kwargs={"slug": plan.slug})).content.decode()
    assert '<option value="2017" >2017</option>' in page
    assert _page(client, "criteria:scorecard", plan, "?aar=2017")["card"].year == 2017
    assert _page(client, "criteria:scorecard", plan, "?aar=2012")["card"].year == 2014


def test_the_scorecard_years_cost_two_queries_whatever_the_data(
    plan: Plan, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):
        assert criteria_years(plan).years == [2018, 2019, 2020, 2021]
    for year in range(2010, 2022):
        criterion = SuccessCriterionFactory(plan=plan)
        TargetFactory(criterion=criterion, kind="direction", op="", value=None,
                      baseline_year=year - 1)  # fmt: skip
        _approved(plan, year, criterion=criterion)
    with django_assert_num_queries(2):
        assert criteria_years(plan).years == list(range(2009, 2022))


# --- delivery: the delivery measurement, its export, the activities x criteria page ---------


def test_delivery_opens_on_the_latest_year_with_registrations(
    plan: Plan, client_for: Clients
) -> None:
    area = plan.areas.get(slug="nord")
    activity = ActivityFactory(plan=plan, areas=[area])
    PlannedQuantityFactory(activity=activity, area=area, year=2020)
    RegistrationFactory(plan=plan, activity=activity, area=area, date=date(2019, 5, 14))
    client = client_for("secretariat")
    for name, key in (("activities:delivery", "report"), ("activities:criteria_support", "matrix")):
        context = _page(client, name, plan)
        assert context[key].year == 2019, name
        assert context["years"] == [2018, 2019, 2020, 2021]
        for bad in BAD:
            assert _page(client, name, plan, bad)[key].year == 2019, (name, bad)
        assert _page(client, name, plan, "?aar=2020")[key].year == 2020
    assert _export_year(client, plan, "leverancemaaling") == "2019"
    assert _export_year(client, plan, "leverancemaaling", aar="1999") == "2019"


def test_delivery_without_registrations_opens_on_the_first_year(
    plan: Plan, client_for: Clients
) -> None:
    area = plan.areas.get(slug="nord")
    PlannedQuantityFactory(activity=ActivityFactory(plan=plan, areas=[area]), area=area, year=2020)
    client = client_for("secretariat")
    assert _page(client, "activities:delivery", plan)["report"].year == 2018
    assert _export_year(client, plan, "leverancemaaling") == "2018"


def test_delivery_offers_a_planned_year_outside_the_plan_in_one_query(
    plan: Plan, django_assert_num_queries: Any
) -> None:
    area = plan.areas.get(slug="nord")
    activity = ActivityFactory(plan=plan, areas=[area])
    # Stored as a plan before the period could be (an imported activity plan, say).
    PlannedQuantityFactory(activity=activity, area=area, year=2017)
    for day in (date(2018, 2, 1), date(2020, 8, 1), date(2021, 3, 1)):
        RegistrationFactory(plan=plan, activity=activity, area=area, date=day)
    with django_assert_num_queries(1):
        offered = delivery_years(plan)
    assert offered.years == [2017, 2018, 2019, 2020, 2021] and offered.default == 2021


# --- the calendar of required meetings ------------------------------------------------------


def test_the_calendar_opens_on_the_latest_year_with_a_meeting_after_the_plan(
    plan: Plan, client_for: Clients
) -> None:
    client = client_for("secretariat")
    today = date.today()
    expected = min(max(today.year, 2018), 2021)  # none held: today's year within the plan
    assert _page(client, "meetings:calendar", plan)["year"] == expected
    MeetingFactory(plan=plan, date=date(2019, 3, 1))
    if today.year > 2021:  # the plan is over (as the demo's): the latest year with a meeting
        assert _page(client, "meetings:calendar", plan)["year"] == 2019
        for bad in BAD:
            assert _page(client, "meetings:calendar", plan, bad)["year"] == 2019
    assert _page(client, "meetings:calendar", plan, "?aar=2020")["year"] == 2020


def test_the_calendar_default_by_today(plan: Plan, django_assert_num_queries: Any) -> None:
    MeetingFactory(plan=plan, date=date(2019, 3, 1))
    MeetingFactory(plan=plan, date=date(2023, 3, 1))  # after the plan: not a plan year
    with django_assert_num_queries(0):  # while the plan runs: this year, what is due now
        assert meeting_years(plan, date(2020, 1, 5)).default == 2020
    with django_assert_num_queries(1):
        assert meeting_years(plan, date(2026, 6, 1)).default == 2019
    # Before the plan its 2019 meeting is planned, not held: the plan's year nearest today.
    assert meeting_years(plan, date(2017, 6, 1)).default == 2018
    assert meeting_years(plan, date(2026, 6, 1)).years == [2018, 2019, 2020, 2021]


def test_the_year_pages_query_counts_do_not_grow_with_years_of_data(
    plan: Plan, client_for: Clients
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("secretariat")
    urls = [
        reverse(name, kwargs={"slug": plan.slug})
        for name in ("criteria:scorecard", "activities:delivery", "meetings:calendar")
    ]
    area = plan.areas.get(slug="nord")
    activity = ActivityFactory(plan=plan, areas=[area])

    def more(years: range) -> None:
        for year in years:
            criterion = SuccessCriterionFactory(plan=plan)
            TargetFactory(criterion=criterion, kind="direction", op="", value=None,
                          baseline_year=year - 1, first_year=year)  # fmt: skip
            _approved(plan, year, criterion=criterion)
            RegistrationFactory(plan=plan, activity=activity, area=area, date=date(year, 5, 1))
            MeetingFactory(plan=plan, date=date(year, 3, 1))

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            found.append(len(ctx.captured_queries))
        return found

    more(range(2018, 2019))
    before = counts()
    more(range(2019, 2022))
    assert counts() == before


# --- the demo: the seed's baselines from 2013 -----------------------------------------------


@pytest.mark.demo  # about the seed's years: baselines 2013-2017, the plan 2018-2021
def test_the_demo_scorecard_offers_2013_to_2021(plan: Plan, client_for: Clients) -> None:
    latest = (
        Observation.objects.filter(measure__plan=plan, state="approved", variant="")
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    assert latest is not None and latest >= 2016  # the seed's figures run to 2016
    client = client_for("board")
    card = _page(client, "criteria:scorecard", plan)["card"]
    assert card.years == list(range(2013, 2022))  # 2017: the baseline year of the targets
    assert card.year == latest
    page = client.get(reverse("criteria:scorecard", kwargs={"slug": plan.slug})).content.decode()
    assert f"<h1>Succeskriterier {latest}</h1>" in page
    assert _page(client, "criteria:scorecard", plan, "?aar=2017")["card"].year == 2017
