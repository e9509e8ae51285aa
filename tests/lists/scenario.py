"""Criterion values for the factory plan's areas, as a test of the list page and the API
enters them: central measurements with the catalogue's fixed codes (``f.indicator(code)``)
and the national figures (``ListThresholdFactory``)."""

from __future__ import annotations

from decimal import Decimal

from helhedsplan.plans.models import HousingArea, Plan
from tests import factories as f

# An udsat area and ghetto under the 2018-2020 rules: outside work 41,2 % > 40 %, basic
# school 61 % > 60 %, income 52,7 % < 55 % (3 of 4), non-western 55 % > 50 %.
ON_LIST: dict[str, tuple[str, str | None, str | None]] = {
    "beboere": ("1200", None, None),
    "ikke_vestlige_pct": ("55", "660", "1200"),
    "uden_arbejde_uddannelse_pct": ("41.2", "412", "1000"),
    "doemte_pct": ("2.5", "25", "1000"),
    "kun_grundskole_pct": ("61", "305", "500"),
    "indkomst_pct_region": ("52.7", None, None),
}
# Off every list: only the outside-work criterion met.
OFF_LIST: dict[str, tuple[str, str | None, str | None]] = {
    "beboere": ("1100", None, None),
    "ikke_vestlige_pct": ("20", "220", "1100"),
    "uden_arbejde_uddannelse_pct": ("41", "410", "1000"),
    "doemte_pct": ("0.5", "5", "1000"),
    "kun_grundskole_pct": ("30", "150", "500"),
    "indkomst_pct_region": ("80", None, None),
}


def _d(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None else None


def values(
    area: HousingArea, year: int, rows: dict[str, tuple[str, str | None, str | None]]
) -> None:
    framework = area.plan.framework
    for code, (value, numerator, denominator) in rows.items():
        f.CentralMeasurementFactory(
            area=area,
            indicator=f.indicator(code, framework=framework),
            year=year,
            value=_d(value),
            numerator=_d(numerator),
            denominator=_d(denominator),
        )


def threshold(year: int, value: str = "0.66") -> None:
    f.ListThresholdFactory(list_year=year, key="doemte_landsgennemsnit_pct", value=Decimal(value))


def more_areas(plan: Plan, count: int) -> list[HousingArea]:
    return [
        f.HousingAreaFactory(plan=plan, slug=f"ekstra-{n}", name=f"Ekstra {n}", order=10 + n)
        for n in range(count)
    ]
