"""A plan with central measurements of the list criteria over three list years (2018-2020)
and the national figures for two of them, for the vision panel's tests.

Nordparken is an udsat boligområde in every year (outside work and basic school both over
the line; 2 of 4 needed). Sydparken is one in 2018, off in 2019, and in 2020 it cannot be
determined: the national figure for the convicted share is not entered for 2020, and with
one criterion met the convicted one decides."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from helhedsplan.plans.models import HousingArea, Plan
from tests import factories as f

ON = {
    "beboere": 1500,
    "ikke_vestlige_pct": 40,
    "uden_arbejde_uddannelse_pct": 45,
    "doemte_pct": Decimal("0.5"),
    "kun_grundskole_pct": 65,
    "indkomst_pct_region": 60,
}
OFF = {**ON, "uden_arbejde_uddannelse_pct": 38, "kun_grundskole_pct": 55}
ONE_MET = {**OFF, "uden_arbejde_uddannelse_pct": 45}

NORD = {2018: ON, 2019: ON, 2020: ON}
SYD = {2018: ON, 2019: OFF, 2020: ONE_MET}


def put(area: HousingArea, year: int, values: dict[str, Any]) -> None:
    for code, value in values.items():
        f.CentralMeasurementFactory(area=area, indicator=f.indicator(code), year=year, value=value)


def listed_plan(extra_areas: int = 0, *, vision: bool = True, **kwargs: Any) -> Plan:
    plan = f.small_plan(**kwargs)
    nord, syd = plan.areas.get(slug="nord"), plan.areas.get(slug="syd")
    for year in (2018, 2019, 2020):
        put(nord, year, NORD[year])
        put(syd, year, SYD[year])
    for n in range(extra_areas):
        area = f.HousingAreaFactory(plan=plan, slug=f"ekstra-{n}", name=f"Ekstra {n}", order=10 + n)
        for year in (2018, 2019, 2020):
            put(area, year, NORD[year])
    for year in (2018, 2019):
        f.ListThresholdFactory(list_year=year, value=Decimal("0.66"))
    if vision:
        f.ListVisionFactory(
            plan=plan, after_year=2025, text="Ingen af områderne på listen efter 2025."
        )
    return plan
