"""Properties of the list engine (hypothesis): monotone, three-valued consistent, and the
smallest set of criteria that takes an area off the lists really does."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helhedsplan.lists.engine.evaluate import evaluate_area
from helhedsplan.lists.engine.types import AreaYearResult, Value
from tests.lists.engine_helpers import AVG, RULES

CODES = ("ikke_vestlige_pct", "uden_arbejde_uddannelse_pct", "doemte_pct",
         "kun_grundskole_pct", "indkomst_pct_region")  # fmt: skip
INCOME = "indkomst_pct_region"  # "under": lower is worse
# Values around every threshold the rule sets use (and 3×/2× 0,66).
EDGES = [
    Decimal(x)
    for x in ("0", "1.32", "1.98", "2.7", "2.71", "30", "30.1", "40", "40.1", "50", "50.1",
              "54.9", "55", "60", "60.1", "64.9", "65", "100")
]  # fmt: skip
value_st = st.one_of(
    st.sampled_from(EDGES),
    st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False),
)
maybe_value = st.one_of(st.none(), value_st)
residents_st = st.sampled_from([None, 999, 1000, 1500])
year_st = st.integers(min_value=2010, max_value=2026)


@st.composite
def area_year(draw: Any, known: bool = False) -> dict[str, Decimal | None]:
    vals: dict[str, Decimal | None] = {c: draw(value_st if known else maybe_value) for c in CODES}
    vals["beboere"] = draw(st.sampled_from([999, 1000, 1500]) if known else residents_st)
    return vals


def _values(vals: dict[str, Decimal | None]) -> dict[str, Value]:
    return {c: Value(None if v is None else Decimal(v)) for c, v in vals.items()}


def run(
    year: int,
    now: dict[str, Decimal | None],
    history: dict[int, dict[str, Decimal | None]],
    national: bool = True,
) -> AreaYearResult:
    values = {y: _values(v) for y, v in history.items()}
    values[year] = _values(now)
    nat = {y: ({AVG: Decimal("0.66")} if national else {}) for y in values}
    return evaluate_area(values, nat, RULES, [year])[year]


@st.composite
def case(draw: Any, known: bool = False) -> tuple[int, dict[str, Any], dict[int, Any]]:
    year = draw(year_st)
    now = draw(area_year(known))
    earlier = draw(st.lists(st.integers(1, 4), unique=True, max_size=4))
    history = {year - k: draw(area_year(known)) for k in earlier}
    return year, now, history


def _worse(code: str, value: Decimal | None, by: Decimal) -> Decimal | None:
    if value is None:
        return None
    return value - by if code == INCOME else value + by


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case(), st.sampled_from(CODES), st.decimals(min_value=0, max_value=20, places=1))
def test_worsening_a_value_never_removes_a_category(c, code, by):
    year, now, history = c
    before = run(year, now, history)
    after = run(year, dict(now, **{code: _worse(code, now[code], by)}), history)
    for cat, result in before.categories.items():
        if result.member and cat != "forebyggelse":  # forebyggelse gives way to udsat
            assert after.categories[cat].member is True, (cat, code)
    if before.on_list:
        assert after.on_list is True


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case(known=True), st.data())
def test_filling_an_unknown_never_flips_a_known_result(c, data):
    year, now, history = c
    drop_now = data.draw(st.sets(st.sampled_from([*CODES, "beboere"])))
    partial_now = {k: (None if k in drop_now else v) for k, v in now.items()}
    drop_years = data.draw(st.sets(st.sampled_from(sorted(history)))) if history else set()
    partial_history = {y: v for y, v in history.items() if y not in drop_years}
    national = data.draw(st.booleans())
    partial = run(year, partial_now, partial_history, national)
    full = run(year, now, history, national=True)
    assert full.categories.keys() == partial.categories.keys()
    for cat, result in partial.categories.items():
        if result.member is not None:
            assert result.member == full.categories[cat].member, cat
        for cond in result.conditions:
            if cond.met is not None:
                assert cond.met == full.conditions_by_category[cond.code][cat].met


def _off(code: str) -> Decimal:
    return Decimal(100) if code == INCOME else Decimal(0)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case(known=True))
def test_keeps_on_list_takes_the_area_off_and_no_smaller_set_does(c):
    year, now, history = c
    result = run(year, now, history)
    if not result.on_list:
        assert result.keeps_on_list is None
        return
    keep = result.keeps_on_list
    if keep is None:
        return
    was = set(result.member_of)
    changed = run(year, dict(now, **{k: _off(k) for k in keep}), history)
    assert not changed.member_of, (keep, changed.member_of)
    assert all(changed.categories[c].member is False for c in was)
    codes = [k for k in CODES if now[k] is not None]
    for size in range(1, len(keep)):
        for subset in itertools.combinations(codes, size):
            other = run(year, dict(now, **{k: _off(k) for k in subset}), history)
            assert other.member_of, (subset, keep)
