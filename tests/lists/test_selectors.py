"""The selectors: the engine's input from the central measurements, in constant queries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from helhedsplan.lists import selectors
from helhedsplan.lists.engine.types import GHETTO, HAARDT_GHETTO, UDSAT
from tests import factories as f

pytestmark = pytest.mark.django_db

GHETTO_VALUES = {
    "beboere": 1500,
    "ikke_vestlige_pct": 60,
    "uden_arbejde_uddannelse_pct": 45,
    "doemte_pct": Decimal("0.5"),
    "kun_grundskole_pct": 20,
    "indkomst_pct_region": 50,
}


def _put(area, year, vals, framework="2015-18"):
    for code, value in vals.items():
        f.CentralMeasurementFactory(
            area=area, indicator=f.indicator(code, framework), year=year, value=value
        )


def test_area_results_reads_measurements_and_history():
    plan = f.small_plan()
    syd = plan.areas.get(slug="syd")
    nord = plan.areas.get(slug="nord")
    for y in range(2014, 2019):
        _put(syd, y, GHETTO_VALUES)
    f.ListThresholdFactory(list_year=2018, value=Decimal("0.66"))
    _put(nord, 2018, {"beboere": 800, "ikke_vestlige_pct": 60})
    results = selectors.area_results(plan, [2018])
    assert set(results) == {syd.id, nord.id}
    r = results[syd.id][2018]
    assert r.member_of == [UDSAT, GHETTO, HAARDT_GHETTO]
    assert results[nord.id][2018].on_list is False  # under 1.000 residents
    assert selectors.list_years(plan) == [2014, 2015, 2016, 2017, 2018]
    assert set(selectors.area_results(plan)[syd.id]) == {2014, 2015, 2016, 2017, 2018}
    assert selectors.plan_list_status(plan, 2018)[syd.id].rule_set == "2018-2020"


def test_suppressed_value_is_unknown_and_other_framework_counts():
    plan = f.small_plan()
    syd = plan.areas.get(slug="syd")
    _put(syd, 2019, {"beboere": 1500, "uden_arbejde_uddannelse_pct": 45}, framework="2019-26")
    f.CentralMeasurementFactory(
        area=syd, indicator=f.indicator("indkomst_pct_region"), year=2019, value=None,
        suppressed=True,
    )  # fmt: skip
    r = selectors.plan_list_status(plan, 2019)[syd.id]
    assert r.criteria["indkomst_pct_region"].met is None
    assert r.categories[UDSAT].member is None


def test_needed_national_figures():
    assert selectors.needed_national_figures(2019) == ("doemte_landsgennemsnit_pct",)
    assert selectors.needed_national_figures(2015) == ()
    assert selectors.needed_national_figures(2000) == ()


@pytest.mark.parametrize("areas", [1, 6])
def test_constant_queries(areas, django_assert_num_queries):
    plan = f.small_plan()
    for i in range(areas):
        area = f.HousingAreaFactory(plan=plan, slug=f"a{i}", name=f"A{i}", order=10 + i)
        for y in range(2016, 2016 + areas):
            _put(area, y, GHETTO_VALUES)
    for y in range(2016, 2022):
        f.ListThresholdFactory(list_year=y)
    with django_assert_num_queries(3):
        selectors.area_results(plan)
    with django_assert_num_queries(3):
        selectors.plan_list_status(plan, 2020)
