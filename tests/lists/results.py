"""Hand-built engine results (``AreaYearResult``) for the tests of the words and the JSON:
they test the presentation alone, whatever the engine answers."""

from __future__ import annotations

from decimal import Decimal as D

from helhedsplan.lists.engine.types import (
    GHETTO,
    HAARDT_GHETTO,
    UDSAT,
    AreaYearResult,
    CategoryResult,
    Condition,
    Distance,
    Operator,
)


def on_list_2019() -> AreaYearResult:
    """An udsat area and ghetto in 2019 whose convicted threshold is missing, and whose
    hard-ghetto status depends on an unknown 2016."""
    outside = Condition("uden_arbejde_uddannelse_pct", Operator.GT, D("40"), D("41.2"), True)
    convicted = Condition(
        "doemte_pct",
        Operator.GE,
        None,
        D("2.1"),
        None,
        missing="threshold:doemte_landsgennemsnit_pct",
    )
    school = Condition("kun_grundskole_pct", Operator.GT, D("60"), D("61.0"), True)
    income = Condition("indkomst_pct_region", Operator.LT, D("55"), D("52.7"), True)
    western = Condition("ikke_vestlige_pct", Operator.GT, D("50"), D("55.5"), True)
    udsat = CategoryResult(
        UDSAT, True, (outside, convicted, school, income), needed=2, met_count=3, unknown_count=1
    )
    ghetto = CategoryResult(GHETTO, True, (western,), requires=(UDSAT,))
    hard = CategoryResult(
        HAARDT_GHETTO,
        None,
        (),
        requires=(GHETTO,),
        history=((2016, None), (2017, True), (2018, True)),
        missing=("history:2016",),
    )
    distances = {
        "uden_arbejde_uddannelse_pct": [
            Distance(
                "uden_arbejde_uddannelse_pct", UDSAT, Operator.GT, D("40"), D("41.2"), True,
                D("-1.2"), -12,
            )
        ],
        "indkomst_pct_region": [
            Distance(
                "indkomst_pct_region", UDSAT, Operator.LT, D("55"), D("52.7"), True, D("2.3")
            )
        ],
        "kun_grundskole_pct": [
            Distance("kun_grundskole_pct", UDSAT, Operator.GT, D("60"), D("61.0"), True, D("-1.0"))
        ],
    }  # fmt: skip
    return AreaYearResult(
        year=2019,
        rule_set="2018-2020",
        residents_ok=True,
        categories={UDSAT: udsat, GHETTO: ghetto, HAARDT_GHETTO: hard},
        criteria={c.code: c for c in (outside, convicted, school, income, western)},
        conditions_by_category={
            UDSAT: {c.code: c for c in udsat.conditions},
            GHETTO: {western.code: western},
        },
        distances=distances,
        keeps_on_list=("uden_arbejde_uddannelse_pct", "kun_grundskole_pct"),
        missing=("threshold:doemte_landsgennemsnit_pct", "history:2016"),
    )


def off_list_2019() -> AreaYearResult:
    outside = Condition("uden_arbejde_uddannelse_pct", Operator.GT, D("40"), D("40.0"), False)
    udsat = CategoryResult(UDSAT, False, (outside,), needed=2, met_count=0)
    return AreaYearResult(
        year=2019,
        rule_set="2018-2020",
        residents_ok=True,
        categories={UDSAT: udsat, GHETTO: CategoryResult(GHETTO, False, requires=(UDSAT,))},
        criteria={outside.code: outside},
        distances={
            outside.code: [
                Distance(outside.code, UDSAT, Operator.GT, D("40"), D("40.0"), False, D("0.1"), 1)
            ]
        },
        keeps_on_list=None,
    )
