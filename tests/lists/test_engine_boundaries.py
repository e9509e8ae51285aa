"""Every criterion of every rule set at its boundary: the statute's operator decides."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from helhedsplan.lists.engine.evaluate import evaluate_area
from helhedsplan.lists.engine.types import Value
from tests.lists.engine_helpers import CLEAN, RULES, values, year

# (list year, category, criterion, the threshold's value, met exactly at it, a value just
# on the other side, met there). 0,66 is the national average: 3× = 1,98, 2× = 1,32.
BOUNDARIES = [
    (2010, "ghetto", "iv", "50", False, "50.01", True),
    (2010, "ghetto", "ua", "40", False, "40.01", True),
    (2010, "ghetto", "d", "2.70", False, "2.701", True),
    (2014, "ghetto", "ua", "40", False, "40.01", True),
    (2014, "ghetto", "iv", "50", False, "50.01", True),
    (2014, "ghetto", "d", "2.70", False, "2.701", True),
    (2014, "ghetto", "g", "50", False, "50.01", True),
    (2014, "ghetto", "ind", "55", False, "54.99", True),
    (2019, "udsat", "ua", "40", False, "40.01", True),
    (2019, "udsat", "d", "1.98", True, "1.979", False),
    (2019, "udsat", "g", "60", False, "60.01", True),
    (2019, "udsat", "ind", "55", False, "54.99", True),
    (2019, "ghetto", "iv", "50", False, "50.01", True),
    (2022, "udsat", "ua", "40", False, "40.01", True),
    (2022, "udsat", "d", "1.98", True, "1.979", False),
    (2022, "udsat", "g", "60", False, "60.01", True),
    (2022, "udsat", "ind", "55", False, "54.99", True),
    (2022, "parallelsamfund", "iv", "50", False, "50.01", True),
    (2022, "forebyggelse", "iv", "30", False, "30.01", True),
    (2022, "forebyggelse", "ua", "30", False, "30.01", True),
    (2022, "forebyggelse", "d", "1.32", True, "1.319", False),
    (2022, "forebyggelse", "g", "60", False, "60.01", True),
    (2022, "forebyggelse", "ind", "65", False, "64.99", True),
]


@pytest.mark.parametrize(("y", "category", "short", "at", "met_at", "past", "met_past"),
                         BOUNDARIES)  # fmt: skip
def test_boundary(y, category, short, at, met_at, past, met_past):
    code = values(**{short: 1}).popitem()[0]
    for value, met in ((at, met_at), (past, met_past)):
        result = year(y, **dict(CLEAN, **{short: value}))
        assert result.conditions_by_category[code][category].met is met, (value, met)


def test_every_criterion_of_every_rule_set_is_in_the_table():
    covered = {(y, cat, values(**{s: 1}).popitem()[0]) for y, cat, s, *_ in BOUNDARIES}
    for rule_set in RULES:
        y = {"2010-2012": 2010, "2013-2017": 2014, "2018-2020": 2019, "2021-": 2022}[rule_set.id]
        for category in rule_set.categories:
            for criterion in category.criteria:
                assert (y, category.code, criterion.code) in covered


def test_suppressed_value_is_missing_not_zero():
    result = year(2019, **dict(CLEAN, ua="x"))
    cond = result.criteria["uden_arbejde_uddannelse_pct"]
    assert cond.met is None and cond.missing == "value:uden_arbejde_uddannelse_pct"
    assert "value:uden_arbejde_uddannelse_pct" in result.missing


def test_people_for_under_threshold():
    """Income under 55 % with a numerator/denominator: it must rise to 55 to leave."""
    vals = values(**dict(CLEAN, ua=45))
    vals["indkomst_pct_region"] = Value(Decimal("54.5"), Decimal("545"), Decimal("1000"))
    r = evaluate_area({2019: vals}, {2019: {}}, RULES, [2019])[2019]
    (d,) = r.distances["indkomst_pct_region"]
    assert d.met is True and d.points == Decimal("0.5") and d.people == 5


def test_people_for_a_condition_not_met():
    r = year(2019, **dict(CLEAN, g=("58.0", 290, 500)))
    (d,) = r.distances["kun_grundskole_pct"]
    assert d.met is False and d.points == Decimal(2) and d.people == 11  # 301/500 > 60 %


def test_the_engine_imports_no_django():
    engine = Path(__file__).resolve().parents[2] / "helhedsplan" / "lists" / "engine"
    for path in engine.glob("*.py"):
        assert "django" not in path.read_text(encoding="utf-8"), path.name
