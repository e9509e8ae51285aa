"""The lists endpoint's JSON for one area and year, from hand-built engine results."""

from __future__ import annotations

from helhedsplan.api.views import area_year_json
from tests.lists.results import off_list_2019, on_list_2019


def test_the_shape() -> None:
    body = area_year_json(on_list_2019())
    assert set(body) == {
        "categories", "unknown", "criteria", "distances", "keeps_on_list", "rule_set",
        "residents_ok", "missing",
    }  # fmt: skip
    assert body["categories"] == ["udsat", "ghetto"]
    assert body["unknown"] == ["haardt_ghetto"]
    assert body["rule_set"] == "2018-2020"
    assert body["residents_ok"] is True
    assert body["keeps_on_list"] == ["uden_arbejde_uddannelse_pct", "kun_grundskole_pct"]
    assert body["criteria"]["uden_arbejde_uddannelse_pct"] == {
        "value": "41.2", "threshold": "40", "operator": ">", "met": True, "missing": None,
    }  # fmt: skip
    assert body["distances"]["uden_arbejde_uddannelse_pct"] == [
        {"category": "udsat", "threshold": "40", "operator": ">", "points": "-1.2",
         "people": -12, "met": True}
    ]  # fmt: skip
    assert body["distances"]["indkomst_pct_region"][0]["people"] is None


def test_a_missing_threshold_is_null_met_never_false() -> None:
    convicted = area_year_json(on_list_2019())["criteria"]["doemte_pct"]
    assert convicted == {
        "value": "2.1", "threshold": None, "operator": ">=", "met": None,
        "missing": "threshold:doemte_landsgennemsnit_pct",
    }  # fmt: skip


def test_unknown_history_is_unknown_not_false() -> None:
    body = area_year_json(on_list_2019())
    assert "haardt_ghetto" in body["unknown"]
    assert "haardt_ghetto" not in body["categories"]
    assert "history:2016" in body["missing"]


def test_off_the_list() -> None:
    body = area_year_json(off_list_2019())
    assert body["categories"] == [] and body["unknown"] == []
    assert body["keeps_on_list"] is None
    assert body["criteria"]["uden_arbejde_uddannelse_pct"]["met"] is False
