"""Validating the rule sets: clear Danish errors naming the file and what is wrong."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

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


def test_a_future_rule_set_can_be_added_only_when_the_open_one_is_closed(tmp_path: Path):
    (tmp_path / "x.json").write_text(
        json.dumps(_with(id="2030-", from_year=2030, to_year=None)), encoding="utf-8"
    )
    with pytest.raises(RuleSetError) as info:
        load_rule_sets([tmp_path])
    assert "2021-" in str(info.value) and "2030" in str(info.value)


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
