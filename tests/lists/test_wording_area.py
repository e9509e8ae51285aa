"""The list page's sentences, from hand-built engine results (no database)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils import translation

from helhedsplan.lists import wording_area as w
from helhedsplan.lists.engine.types import UDSAT, Distance, Operator
from tests.lists.results import off_list_2019, on_list_2019

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def _danish() -> None:
    translation.activate("da")


def test_category_and_operator_words() -> None:
    assert w.category_name("haardt_ghetto") == "hårdt ghettoområde"
    assert w.category_name("omdannelse") == "omdannelsesområde"
    assert w.category_name("forebyggelse") == "forebyggelsesområde"
    assert [w.operator_word(op) for op in Operator] == ["overstiger", "mindst", "under"]
    assert w.member_word(None) == "ukendt"


def test_met_not_met_and_missing_threshold() -> None:
    result = on_list_2019()
    outside = result.criteria["uden_arbejde_uddannelse_pct"]
    assert w.condition_status(outside, 2019) == "opfyldt"
    assert w.condition_sentence(outside, 2019) == (
        f"18-64-årige uden for arbejde eller uddannelse: 41,2{NBSP}% "
        f"(grænse: overstiger 40{NBSP}%): opfyldt"
    )
    convicted = result.criteria["doemte_pct"]
    assert w.condition_status(convicted, 2019) == (
        "kan ikke afgøres: landsgennemsnittet for dømte mangler for listeåret 2019"
    )
    assert w.threshold_text(convicted) == "mindst –"
    off = off_list_2019().criteria["uden_arbejde_uddannelse_pct"]
    assert w.condition_status(off, 2019) == "ikke opfyldt"


def test_distance_in_residents_for_overstiger() -> None:
    d = on_list_2019().distances["uden_arbejde_uddannelse_pct"][0]
    assert w.distance_sentence(d) == (
        f"12 beboere færre uden for arbejde eller uddannelse ville bringe andelen ned på 40{NBSP}%"
    )


def test_distance_for_mindst_goes_under_and_singular() -> None:
    d = Distance("doemte_pct", UDSAT, Operator.GE, D("1.98"), D("2.1"), True, D("-0.13"), -1)
    assert w.distance_sentence(d) == (f"1 dømt færre ville bringe andelen under 1,98{NBSP}%")


def test_distance_not_met_rises_over() -> None:
    d = off_list_2019().distances["uden_arbejde_uddannelse_pct"][0]
    assert w.distance_sentence(d) == (
        f"1 beboer flere uden for arbejde eller uddannelse ville bringe andelen over 40{NBSP}%"
    )


def test_income_distance_in_points() -> None:
    d = on_list_2019().distances["indkomst_pct_region"][0]
    assert w.distance_sentence(d) == (
        f"indkomsten skal stige 2,3 procentpoint til 55{NBSP}% af regionens"
    )


def test_points_only_without_people() -> None:
    d = on_list_2019().distances["kun_grundskole_pct"][0]
    assert w.distance_sentence(d) == f"andelen skal falde 1 procentpoint ned på 60{NBSP}%"


def test_residents_distance() -> None:
    d = Distance("beboere", UDSAT, Operator.GE, D("1000"), D("1150"), True, D("-151"), -151)
    assert w.distance_sentence(d) == "151 beboere færre ville bringe området under 1.000"


def test_what_keeps_the_area_on_the_list() -> None:
    assert w.keeps_on_list_sentence(on_list_2019()) == (
        "Området forlader listen, hvis alle disse ændres: uden for arbejde eller uddannelse og "
        "kun grundskole."
    )
    assert w.keeps_on_list_sentence(off_list_2019()) == ""


def test_the_whole_view() -> None:
    view = w.area_year_view(on_list_2019())
    assert view.summary == "Udsat boligområde og ghettoområde; ukendt: hårdt ghettoområde"
    assert view.missing == [
        "landsgennemsnittet for dømte mangler for listeåret 2019",
        "områdets listestatus for 2016 kendes ikke",
    ]
    udsat = view.categories[0]
    assert udsat.rule == "2 af 4 skal være opfyldt (opfyldt: 3)"
    assert [r.symbol for r in udsat.rows] == ["✓", "?", "✓", "✓"]
    hard = view.categories[2]
    assert (hard.member, hard.member_word, hard.symbol) == (None, "ukendt", "?")
    assert w.area_year_view(off_list_2019()).summary == "På ingen liste"


def test_an_under_not_met_exactly_at_the_threshold_must_fall() -> None:
    d = Distance("indkomst_pct_region", UDSAT, Operator.LT, D("55"), D("55"), False, D("0"))
    assert w.distance_sentence(d) == (
        f"indkomsten skal falde 0 procentpoint til under 55{NBSP}% af regionens"
    )
    d = Distance("kun_grundskole_pct", UDSAT, Operator.GT, D("60"), D("60"), False, D("0"), 1)
    assert w.distance_sentence(d) == (
        f"1 beboer flere med kun grundskoleuddannelse ville bringe andelen over 60{NBSP}%"
    )


def test_a_threshold_from_a_national_figure_names_it() -> None:
    from dataclasses import replace

    convicted = on_list_2019().criteria["doemte_pct"]
    assert w.basis_text(replace(convicted, basis="3 × doemte_landsgennemsnit_pct (0,66)")) == (
        f"3 × landsgennemsnittet for dømte (0,66{NBSP}%)"
    )
    assert w.basis_text(replace(convicted, basis="2 × doemte_landsgennemsnit_pct")) == (
        "2 × landsgennemsnittet for dømte"
    )
    assert w.basis_text(on_list_2019().criteria["kun_grundskole_pct"]) == ""


def test_the_national_figure_is_written_in_the_pages_language() -> None:
    """The engine writes "0,725 %"; the English page writes 0.725%."""
    from dataclasses import replace

    convicted = on_list_2019().criteria["doemte_pct"]
    basis = "2 × doemte_landsgennemsnit_pct (0,725 %)"
    assert w.basis_text(replace(convicted, basis=basis)).endswith(f"(0,725{NBSP}%)")
    with translation.override("en"):
        text = w.basis_text(replace(convicted, basis=basis))
    assert text.endswith("(0.725%)"), text
