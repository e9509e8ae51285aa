"""The accounts' arithmetic (spending/rules.py): variance, the local share, the LBF share."""

from __future__ import annotations

from decimal import Decimal

import pytest

from helhedsplan.spending.rules import LbfDrawn, LocalShare, Variance, percent, spent, tkr_to_kroner

D = Decimal


@pytest.mark.parametrize(
    ("budget", "actual", "kroner", "pct", "over"),
    [
        (D("100000"), D("90000"), D("-10000"), D("-10"), False),
        (D("100000"), D("125000.50"), D("25000.50"), D("25.0005"), True),
        (D("100000"), D("100000"), D("0"), D("0"), False),
        (D("0"), D("1250.50"), D("1250.50"), None, True),  # no budget: no percent
        (D("0"), D("0"), D("0"), None, False),
        (D("1250.50"), D("0"), D("-1250.50"), D("-100"), False),
    ],
)
def test_variance(budget: D, actual: D, kroner: D, pct: D | None, over: bool) -> None:
    variance = Variance(budget=budget, spent=actual)
    assert variance.kroner == kroner
    assert variance.percent == pct
    assert variance.over_budget is over


@pytest.mark.parametrize(
    ("lbf", "local", "share", "below"),
    [
        (D(75), D(25), D(25), False),  # exactly the minimum holds
        (D(76), D(24), D(24), True),
        (D(0), D(0), None, False),  # nothing spent: no share, no warning
        (D(100), D(0), D(0), True),
        (D(0), D(10), D(100), False),
    ],
)
def test_local_share(lbf: D, local: D, share: D | None, below: bool) -> None:
    result = LocalShare(lbf=lbf, local=local)
    assert result.local_share == share
    assert result.below_minimum is below


def test_local_shares_add_up() -> None:
    total = LocalShare(lbf=D(80), local=D(10)) + LocalShare(lbf=D(0), local=D(30))
    assert total == LocalShare(lbf=D(80), local=D(40))
    assert not total.below_minimum


@pytest.mark.parametrize(
    ("drawn", "grant", "budget", "of_grant", "of_budget"),
    [
        (D(750000), D(3000000), D(1000000), D(25), D(75)),
        (D(0), D(3000000), D(0), D(0), None),
        (D(10), D(0), D(10), None, D(100)),
    ],
)
def test_lbf_drawn(drawn: D, grant: D, budget: D, of_grant: D | None, of_budget: D | None) -> None:
    result = LbfDrawn(spent=drawn, grant=grant, budget=budget)
    assert (result.of_grant, result.of_budget) == (of_grant, of_budget)
    assert result.grant_left == grant - drawn


def test_helpers() -> None:
    assert tkr_to_kroner(D(3000)) == D(3000000)
    assert spent(D("1000.00"), D("-1250.50")) == D("-250.50")
    assert percent(D(1), D(0)) is None
    assert percent(D(1), D(4)) == D(25)


def test_rules_import_no_django() -> None:
    import ast
    from pathlib import Path

    import helhedsplan.spending.rules as rules

    tree = ast.parse(Path(rules.__file__).read_text(encoding="utf-8"))
    imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)] + [
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    ]
    assert not [m for m in imported if m.startswith("django")]
