"""Validating the rule sets: clear Danish errors naming the file and what is wrong."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helhedsplan.lists.engine import rules
from helhedsplan.lists.engine.rules import RuleSetError, load_rule_sets, parse_rule_set

BASE = json.loads((rules.RULES_DIR / "2018-2020.json").read_text(encoding="utf-8"))


def _with(**changes):
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data


def _error(data) -> RuleSetError:
    with pytest.raises(RuleSetError) as info:
        parse_rule_set(data, "ny.json")
    assert info.value.file == "ny.json"
    assert str(info.value).startswith("ny.json: ")
    return info.value


def test_package_rule_sets_are_valid():
    assert len(load_rule_sets()) == 4


def test_two_rule_sets_on_one_year(tmp_path: Path):
    (tmp_path / "x.json").write_text(
        json.dumps(_with(id="2019-2022", from_year=2019, to_year=2022)), encoding="utf-8"
    )
    with pytest.raises(RuleSetError) as info:
        load_rule_sets([tmp_path])
    assert info.value.code == "overlap"
    assert "gælder begge for listeåret" in str(info.value)


def test_a_future_rule_set_takes_over_from_the_open_ended_one(tmp_path: Path):
    (tmp_path / "x.json").write_text(
        json.dumps(_with(id="2030-", from_year=2030, to_year=None)), encoding="utf-8"
    )
    sets = load_rule_sets([tmp_path])
    assert [(r.id, r.from_year, r.to_year) for r in sets][-2:] == [
        ("2021-", 2021, 2029),
        ("2030-", 2030, None),
    ]
    assert rules.rule_set_for(sets, 2029).id == "2021-"  # type: ignore[union-attr]
    assert rules.rule_set_for(sets, 2031).id == "2030-"  # type: ignore[union-attr]


def test_a_future_rule_set_inside_a_closed_one_is_refused(tmp_path: Path):
    (tmp_path / "x.json").write_text(
        json.dumps(_with(id="2020-", from_year=2020, to_year=None)), encoding="utf-8"
    )
    with pytest.raises(RuleSetError) as info:
        load_rule_sets([tmp_path])
    assert "Regelsættene 2018-2020 og 2020- gælder begge for listeåret 2020" in str(info.value)


def test_unknown_operator():
    data = copy.deepcopy(BASE)
    data["categories"][0]["criteria"][0]["operator"] = "=>"
    err = _error(data)
    assert err.code == "operator" and "»=>«" in str(err)


def test_unknown_criterion():
    data = copy.deepcopy(BASE)
    data["categories"][0]["criteria"][0]["code"] = "arbejdsloese_pct"
    assert _error(data).code == "criterion"


def test_needed_more_than_criteria():
    data = copy.deepcopy(BASE)
    data["categories"][0]["needed"] = 5
    err = _error(data)
    assert err.code == "needed" and "kræver 5 kriterier, men har kun 4" in str(err)


def test_unknown_category_in_requires_and_history():
    data = copy.deepcopy(BASE)
    data["categories"][1]["requires"] = ["parallelsamfund"]
    assert _error(data).code == "reference"
    data = copy.deepcopy(BASE)
    data["categories"][2]["history"]["counts"] = ["ghettoen"]
    assert _error(data).code == "reference"


def test_from_after_to():
    err = _error(_with(from_year=2021, to_year=2020))
    assert err.code == "years" and "2021" in str(err)


def test_invalid_json(tmp_path: Path):
    (tmp_path / "x.json").write_text("{", encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        load_rule_sets([tmp_path])
    assert info.value.code == "json" and info.value.file == "x.json"


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 3000) | st.floats(allow_nan=True)
    | st.text(max_size=5) | st.sampled_from([">", ">=", "<", "udsat", "doemte_pct", "ghetto"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["code", "operator", "threshold", "factor", "national", "needed",
                         "criteria", "requires", "excludes", "history", "years", "counts",
                         "counted", "name", "source"]),
        inner, max_size=6,
    ),
    max_leaves=20,
)  # fmt: skip


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_malformed_rule_sets_raise_rule_set_error_only(data):
    """Any damage to a valid rule set gives a RuleSetError (or still parses), never a crash."""
    rule_set = copy.deepcopy(BASE)
    where = data.draw(st.sampled_from(["top", "category", "criterion", "history"]))
    key = data.draw(
        st.sampled_from(
            {
                "top": ["format", "id", "from_year", "to_year", "source", "min_residents",
                        "categories"],
                "category": ["code", "needed", "criteria", "requires", "excludes", "history"],
                "criterion": ["code", "operator", "threshold", "factor", "national", "counted"],
                "history": ["years", "counts"],
            }[where]
        )
    )  # fmt: skip
    target = {
        "top": rule_set,
        "category": rule_set["categories"][0],
        "criterion": rule_set["categories"][0]["criteria"][1],
        "history": rule_set["categories"][2]["history"],
    }[where]
    target[key] = data.draw(_json)
    try:
        parse_rule_set(rule_set, "x.json")
    except RuleSetError as exc:
        assert str(exc).startswith("x.json: ")
