"""The catalogue's starting rows: LBF's register-based indicators that are known here. Pure
Python, no Django.

Landsbyggefonden's own choice of indicators for the boligsociale indsatser (Boligsociale Data)
is not public here: the seed (§ 4) says only that they are register-based, common to every
plan of the 2015-18 funds and available to the board through lbf.dk. What is known are the
government's list criteria (almenboligloven § 61 a and b), which LBF's Beboerdata delivers as
the *parallelsamfundskriterieværdier*: those six are the catalogue's fixed codes, read by the
list engine (``lists.engine``). Further indicators are added on the catalogue page as LBF
names them; nothing is invented here.

The values of the list criteria are as published for the list year (two-year averages where
the statute says so): the engine does not re-average.
"""

from __future__ import annotations

from dataclasses import dataclass

SOURCE = "Danmarks Statistik via Landsbyggefonden"

# The fixed codes of the list criteria (lists.engine reads these).
RESIDENTS = "beboere"
NON_WESTERN = "ikke_vestlige_pct"
OUTSIDE_WORK = "uden_arbejde_uddannelse_pct"
CONVICTED = "doemte_pct"
BASIC_SCHOOL = "kun_grundskole_pct"
INCOME = "indkomst_pct_region"
LIST_CODES = (RESIDENTS, NON_WESTERN, OUTSIDE_WORK, CONVICTED, BASIC_SCHOOL, INCOME)

# Units (measurements.models.Indicator.Unit) and directions (Indicator.Direction).
PERCENT = "pct"
COUNT = "antal"
DOWN = "down"  # lower is better
UP = "up"  # higher is better
NONE = "none"


@dataclass(frozen=True)
class Start:
    code: str
    name: str
    unit: str
    is_rate: bool
    numerator_label: str
    denominator_label: str
    direction: str
    description: str = ""


LIST_INDICATORS: tuple[Start, ...] = (
    Start(RESIDENTS, "Beboere pr. 1. januar", COUNT, False, "", "", NONE,
          "Listerne omfatter kun boligområder med mindst 1.000 beboere."),
    Start(NON_WESTERN, "Indvandrere og efterkommere fra ikke-vestlige lande", PERCENT, True,
          "Indvandrere og efterkommere fra ikke-vestlige lande", "Beboere", DOWN),
    Start(OUTSIDE_WORK, "18-64-årige uden tilknytning til arbejdsmarked eller uddannelse",
          PERCENT, True, "18-64-årige uden arbejde eller uddannelse", "Beboere 18-64 år", DOWN,
          "Gennemsnit over de seneste 2 år (2010: 4 år), som offentliggjort for listeåret."),
    Start(CONVICTED, "Dømte for overtrædelse af straffeloven, våbenloven eller lov om "
          "euforiserende stoffer", PERCENT, True, "Dømte", "Beboere på 18 år og derover", DOWN,
          "Andel af beboere på 18 år og derover; gennemsnit over de seneste 2 år (2010: 4 år)."),
    Start(BASIC_SCHOOL, "30-59-årige med alene en grundskoleuddannelse", PERCENT, True,
          "30-59-årige med alene grundskole (uoplyst medregnet)", "Beboere 30-59 år", DOWN),
    Start(INCOME, "Gennemsnitlig bruttoindkomst for 15-64-årige (ekskl. uddannelsessøgende) "
          "i pct. af regionens gennemsnit", PERCENT, False, "", "", UP),
)  # fmt: skip

# Which frameworks get the starting rows (frameworks.catalogue codes).
FRAMEWORKS = ("2015-18", "2019-26")

# The default column layout of an import (logical key -> header), as issue 14 names it.
DEFAULT_COLUMNS: dict[str, str] = {
    "area": "område",
    "year": "år",
    "indicator": "indikator",
    "value": "værdi",
    "numerator": "tæller",
    "denominator": "nævner",
    "source": "kilde",
}
# What a source writes for a value it has suppressed (diskretioneret), lower-cased.
SUPPRESSED_MARKS = frozenset({"diskretioneret", "diskretion", "d", "x", ".."})
