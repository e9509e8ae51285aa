"""The list engine per rule set: each criterion at its boundary, k of n, unknowns, residents."""

from __future__ import annotations

from decimal import Decimal

import pytest

from helhedsplan.lists.engine.types import (
    FOREBYGGELSE,
    GHETTO,
    HAARDT_GHETTO,
    OMDANNELSE,
    PARALLELSAMFUND,
    UDSAT,
)
from tests.lists.engine_helpers import (
    CLEAN,
    GHETTO_2013,
    GHETTO_2018,
    RULES,
    year,
)
from tests.lists.engine_helpers import (
    UDSAT as UDSAT_AREA,
)


def test_rule_sets_cover_2010_onwards_without_gaps():
    assert [r.id for r in RULES] == ["2010-2012", "2013-2017", "2018-2020", "2021-"]
    assert year(2009, **CLEAN).rule_set is None
    assert year(2035, **CLEAN).rule_set == "2021-"


# --- 2010-2012: 2 of 3 ---


@pytest.mark.parametrize(
    ("kw", "member"),
    [
        (dict(iv=51, ua="40.1", d=1), True),
        (dict(iv=50, ua="40.1", d=1), False),  # 50,0 is not > 50
        (dict(iv=51, ua=40, d=1), False),  # 40,0 is not > 40
        (dict(iv=51, ua=10, d="2.71"), True),
        (dict(iv=51, ua=10, d="2.70"), False),  # 270 per 10.000 is not > 270
        (dict(iv=10, ua=41, d="2.71"), True),
        (dict(iv=51, ua=None, d=1), None),  # one unknown could make 2
        (dict(iv=10, ua=None, d=1), False),  # even if unknown is met: 1 of 3
    ],
)
def test_2010_two_of_three(kw, member):
    r = year(2011, beboere=1500, **kw)
    assert r.rule_set == "2010-2012"
    assert r.categories[GHETTO].member is member


# --- 2013-2017: 3 of 5 ---


def test_2013_three_of_five_boundaries():
    base = dict(beboere=1500, iv=51, ua=41, d=1, g=20, ind=90)
    assert year(2015, **base).categories[GHETTO].member is False  # 2 of 5
    assert year(2015, **dict(base, g="50.1")).categories[GHETTO].member is True
    assert year(2015, **dict(base, g=50)).categories[GHETTO].member is False
    assert year(2015, **dict(base, ind="54.9")).categories[GHETTO].member is True
    assert year(2015, **dict(base, ind=55)).categories[GHETTO].member is False  # not < 55
    assert year(2015, **dict(base, d="2.71")).categories[GHETTO].member is True
    assert year(2015, **dict(base, ind="x")).categories[GHETTO].member is None
    r = year(2015, **GHETTO_2013)
    assert r.categories[GHETTO].met_count == 3 and r.categories[GHETTO].needed == 3


# --- 2018-2020 ---


def test_2018_udsat_and_ghetto():
    r = year(2019, **UDSAT_AREA)
    assert r.member_of == [UDSAT]
    r = year(2019, **GHETTO_2018)
    assert r.member_of == [UDSAT, GHETTO]
    assert r.categories[HAARDT_GHETTO].member is None  # no earlier years known


def test_2018_convicted_exactly_three_times_the_average_meets_it():
    base = dict(CLEAN, ua=45)
    assert year(2019, national="0.66", **dict(base, d="1.98")).categories[UDSAT].member is True
    assert year(2019, national="0.66", **dict(base, d="1.97")).categories[UDSAT].member is False
    cond = year(2019, national="0.66", **dict(base, d="1.98")).criteria["doemte_pct"]
    assert cond.threshold == Decimal("1.98") and cond.met is True
    assert "doemte_landsgennemsnit_pct" in cond.basis


def test_2018_missing_national_figure_is_unknown_not_false():
    r = year(2019, national=None, **dict(CLEAN, ua=45, d=3))
    cond = r.criteria["doemte_pct"]
    assert cond.met is None and cond.threshold is None
    assert cond.missing == "threshold:doemte_landsgennemsnit_pct"
    assert r.categories[UDSAT].member is None
    assert "threshold:doemte_landsgennemsnit_pct" in r.missing
    # Two others met: udsat whatever the unknown one is.
    assert year(2019, national=None, **dict(UDSAT_AREA)).categories[UDSAT].member is True


def test_2018_basic_school_60_is_not_over_60():
    base = dict(CLEAN, ua=45)
    assert year(2020, **dict(base, g=60)).categories[UDSAT].member is False
    assert year(2020, **dict(base, g="60.1")).categories[UDSAT].member is True


# --- residents ---


@pytest.mark.parametrize(("beboere", "ok"), [(999, False), (1000, True), (None, None)])
def test_the_1000_resident_minimum(beboere, ok):
    r = year(2019, **dict(GHETTO_2018, beboere=beboere))
    assert r.residents_ok is ok
    assert r.categories[UDSAT].member is ok
    assert r.categories[GHETTO].member is ok


def test_missing_residents_do_not_make_a_false_unknown():
    r = year(2019, **dict(CLEAN, beboere=None))
    assert r.categories[UDSAT].member is False
    assert r.on_list is False


# --- history: hård ghetto, omdannelse ---


def _hist(start, end, kw):
    return {y: kw for y in range(start, end + 1)}


def test_haardt_ghetto_five_years_running_with_2013_17_ghetto_years():
    r = year(2018, history=_hist(2014, 2017, GHETTO_2013), **GHETTO_2018)
    assert r.categories[HAARDT_GHETTO].member is True
    assert r.categories[HAARDT_GHETTO].history == (
        (2017, True),
        (2016, True),
        (2015, True),
        (2014, True),
    )


def test_haardt_ghetto_four_years_is_not_enough():
    hist = _hist(2015, 2017, GHETTO_2013)
    hist[2014] = CLEAN
    assert year(2018, history=hist, **GHETTO_2018).categories[HAARDT_GHETTO].member is False


def test_haardt_ghetto_a_gap_breaks_it():
    hist = _hist(2015, 2019, GHETTO_2018)
    hist[2017] = CLEAN
    assert year(2020, history=hist, **GHETTO_2018).categories[HAARDT_GHETTO].member is False


def test_haardt_ghetto_unknown_earlier_year_is_unknown():
    hist = _hist(2016, 2019, GHETTO_2018)  # 2016 is judged by 2013-17: ghetto there too
    del hist[2017]  # no data for 2017
    r = year(2020, history=hist, **GHETTO_2018)
    assert r.categories[HAARDT_GHETTO].member is None
    assert "history:2017" in r.categories[HAARDT_GHETTO].missing
    assert r.on_list is True  # still a ghetto


def test_omdannelse_counts_2017_ghetto_and_2018_20_ghetto():
    hist = {2017: GHETTO_2013, 2018: GHETTO_2018, 2019: GHETTO_2018, 2020: GHETTO_2018}
    r = year(2021, history=hist, **GHETTO_2018)
    assert r.member_of == [UDSAT, PARALLELSAMFUND, OMDANNELSE]
    hist[2017] = CLEAN
    assert year(2021, history=hist, **GHETTO_2018).categories[OMDANNELSE].member is False


def test_not_in_the_category_this_year_is_false_whatever_the_history():
    r = year(2021, **UDSAT_AREA)
    assert r.categories[OMDANNELSE].member is False


# --- forebyggelse ---


def test_forebyggelse_needs_non_western_over_30_and_two_of_four_and_not_udsat():
    base = dict(beboere=1500, iv=31, ua=31, d="0.5", g=20, ind=64)
    assert year(2022, **base).member_of == [FOREBYGGELSE]
    assert year(2022, **dict(base, iv=30)).categories[FOREBYGGELSE].member is False
    assert year(2022, **dict(base, ua=30)).categories[FOREBYGGELSE].member is False
    # doemte >= 2 × average
    assert year(2022, **dict(base, ua=10, d="1.32")).categories[FOREBYGGELSE].member is True
    # udsat (ua > 40 and ind < 55): on the udsat list instead
    r = year(2022, **dict(base, ua=41, ind=54))
    assert r.member_of == [UDSAT]
    assert r.categories[FOREBYGGELSE].member is False


def test_forebyggelse_counts_two_of_four_beside_the_non_western_condition():
    """The non-western share is a condition of its own: "2 of 4", not "2 of 5"."""
    category = year(2022, beboere=1500, iv=31, ua=31, d="0.5", g=20, ind=64).categories[
        FOREBYGGELSE
    ]
    assert (category.needed, category.counted, len(category.conditions)) == (2, 4, 5)
    assert category.met_count == 2  # ua > 30 and ind < 65; the non-western share not counted


def test_forebyggelse_unknown_when_udsat_is_unknown():
    base = dict(beboere=1500, iv=31, ua=35, d=None, g=20, ind=54)
    r = year(2022, national="0.66", **base)
    assert r.categories[UDSAT].member is None  # ua not > 40, ind < 55, d unknown
    assert r.categories[FOREBYGGELSE].member is None


# --- distances and keeps_on_list ---


def test_distance_in_people():
    r = year(2019, **dict(UDSAT_AREA, ua=("41.2", 412, 1000)))
    (d,) = r.distances["uden_arbejde_uddannelse_pct"]
    assert d.met is True and d.points == Decimal("-1.2") and d.people == -12
    r = year(2019, **dict(UDSAT_AREA, ua=("40.0", 400, 1000)))
    (d,) = r.distances["uden_arbejde_uddannelse_pct"]
    assert d.met is False and d.people == 1  # 401 of 1.000 is over 40 %


def test_distance_for_mindst_and_under():
    r = year(2019, national="0.66", **dict(UDSAT_AREA, d=("1.98", 198, 10000)))
    (d,) = r.distances["doemte_pct"]
    assert d.met is True and d.people == -1  # 197 of 10.000 is below 1,98 %
    r = year(2019, **UDSAT_AREA)
    (d,) = r.distances["indkomst_pct_region"]
    assert d.met is True and d.points == Decimal(5) and d.people is None


def test_keeps_on_list():
    assert year(2019, **CLEAN).keeps_on_list is None
    r = year(2019, **dict(UDSAT_AREA, ua=41, ind=30))
    assert r.keeps_on_list == ("uden_arbejde_uddannelse_pct",)  # the nearer one
    r = year(2019, **dict(UDSAT_AREA, ua=45, g=61, ind=50))  # 3 of 4: two must go
    assert r.keeps_on_list is not None and len(r.keeps_on_list) == 2
    r = year(2019, **GHETTO_2018)  # ghetto: ikke_vestlige alone takes off ghetto, not udsat
    assert r.keeps_on_list is not None and "ikke_vestlige_pct" not in r.keeps_on_list


def test_basis_names_the_national_figure_and_its_value():
    cond = year(2019, national="0.6600", **CLEAN).criteria["doemte_pct"]
    assert cond.basis == "3 × doemte_landsgennemsnit_pct (0,66 %)"
    assert cond.threshold == Decimal("1.98")
