"""Building the engine's input in tests (pure, no database)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from helhedsplan.lists.engine.evaluate import evaluate_area
from helhedsplan.lists.engine.rules import load_rule_sets
from helhedsplan.lists.engine.types import AreaYearResult, Value

RULES = load_rule_sets()
AVG = "doemte_landsgennemsnit_pct"

# Names for the codes in tests.
SHORT = {
    "beboere": "beboere",
    "iv": "ikke_vestlige_pct",
    "ua": "uden_arbejde_uddannelse_pct",
    "d": "doemte_pct",
    "g": "kun_grundskole_pct",
    "ind": "indkomst_pct_region",
}


def values(**kw: Any) -> dict[str, Value]:
    """values(beboere=1500, ua="41.2", d=None) -> {code: Value}; a (value, num, den) tuple
    gives the numerator and denominator; None is a missing value; "x" a suppressed one."""
    out: dict[str, Value] = {}
    for short, raw in kw.items():
        code = SHORT[short]
        if raw == "x":
            out[code] = Value(None, suppressed=True)
        elif isinstance(raw, tuple):
            v, n, d = raw
            out[code] = Value(Decimal(str(v)), Decimal(str(n)), Decimal(str(d)))
        elif raw is None:
            continue
        else:
            out[code] = Value(Decimal(str(raw)))
    return out


# Typical areas: far from every threshold, and one on the 2018- udsat list (ua + ind).
CLEAN: dict[str, Any] = dict(beboere=1500, iv=20, ua=10, d="0.5", g=20, ind=90)
UDSAT: dict[str, Any] = dict(beboere=1500, iv=20, ua=45, d="0.5", g=20, ind=50)
GHETTO_2018: dict[str, Any] = dict(UDSAT, iv=60)
GHETTO_2013: dict[str, Any] = dict(beboere=1500, iv=60, ua=45, d="0.5", g=20, ind=50)


def year(y: int, **kw: Any) -> AreaYearResult:
    """The area's result for list year ``y`` with the values ``kw``; ``national`` (default
    "0.66", None: missing) is the national average of convicted for every year, ``history``
    the earlier years' values (year -> kwargs)."""
    national: str | None = kw.pop("national", "0.66")
    history: dict[int, dict[str, Any]] = kw.pop("history", None) or {}
    vals = {y: values(**kw)}
    for hy, hkw in history.items():
        vals[hy] = values(**hkw)
    nat = {yy: ({AVG: Decimal(national)} if national else {}) for yy in vals}
    return evaluate_area(vals, nat, RULES, [y])[y]
