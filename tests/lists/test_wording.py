"""The engine's codes in words, Danish and English."""

from __future__ import annotations

from django.utils import translation

from helhedsplan.lists import wording
from helhedsplan.lists.engine import rules
from helhedsplan.lists.engine.rules import RuleSetError
from tests.lists.engine_helpers import CLEAN, UDSAT, year


def test_rule_set_errors_are_worded_as_the_engine_words_them():
    """lists.wording's Danish messages are the engine's own, in every code."""
    params = {
        "detail": "d", "value": "v", "field": "f", "from_year": 1, "to_year": 2, "first": "a",
        "second": "b", "year": 3, "id": "i", "criterion": "c", "category": "k", "needed": 4,
        "count": 5,
    }  # fmt: skip
    with translation.override("da"):
        for code in rules.MESSAGES:
            error = RuleSetError("x.json", code, **params)
            assert wording.rule_set_error_text(error) == f"Regelsæt {error}"
    with translation.override("en"):
        error = RuleSetError("x.json", "overlap", first="a", second="b", year=2019)
        assert wording.rule_set_error_text(error) == (
            "Rule set x.json: The rule sets a and b both apply to the list year 2019."
        )


def test_condition_and_distance_texts():
    r = year(2019, **dict(UDSAT, ua=("41.2", 412, 1000)))
    cond = r.criteria["uden_arbejde_uddannelse_pct"]
    (dist,) = r.distances["uden_arbejde_uddannelse_pct"]
    with translation.override("da"):
        assert wording.condition_text(cond) == "41,2 % – overstiger 40 %: opfyldt"
        assert wording.distance_text(dist) == "12 beboere færre (1,2 procentpoint)"
        assert wording.category_name("omdannelse") == "Omdannelsesområde"
        assert "mindst 1,98 %" in wording.threshold_text(r.criteria["doemte_pct"])
    with translation.override("en"):
        assert wording.distance_text(dist) == "12 fewer residents (1.2 percentage points)"
    r = year(2019, national=None, **CLEAN)
    with translation.override("da"):
        assert "kan ikke afgøres" in wording.condition_text(r.criteria["doemte_pct"])
        assert wording.missing_text("threshold:doemte_landsgennemsnit_pct").startswith(
            "Landstallet"
        )
