"""Reading the lists for a plan: the engine's input from the central measurements and the
national figures, and its results per area and list year.

Contract (implemented by the engine work; the pages, the API, the status report, the vision
panel and the national overview read only these):

- ``list_years(plan) -> list[int]``: the list years with a rule set for which any area of the
  plan has a list-criterion value, ascending.
- ``area_results(plan, years=None) -> dict[int, dict[int, AreaYearResult]]``: per area id,
  per list year (all of ``list_years`` when None), the engine's result, history included.
  A constant number of queries, whatever the number of areas and years.
- ``plan_list_status(plan, year) -> dict[int, AreaYearResult]``: one list year's results per
  area id.

Also: ``rule_sets()`` (the package's rule sets plus those in the setting
``HELHEDSPLAN_LIST_RULES_DIR``, read once), ``rule_set_for(year)``,
``needed_national_figures(year)`` (the ListThreshold keys the year's rule set uses) and
``national_figures(years)`` (per list year, key -> value).

The values are the plan's areas' ``CentralMeasurement`` rows whose indicator's code is a list
criterion (``measurements.catalogue.LIST_CODES``), whatever the indicator's framework; a
year's value is the one published for that list year. A suppressed value is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from helhedsplan.lists.engine import rules
from helhedsplan.lists.engine.evaluate import evaluate_area
from helhedsplan.lists.engine.types import AreaYearResult, Value
from helhedsplan.lists.models import ListThreshold
from helhedsplan.measurements.catalogue import LIST_CODES
from helhedsplan.measurements.models import CentralMeasurement
from helhedsplan.plans.models import Plan

__all__ = [
    "area_results",
    "list_years",
    "national_figures",
    "needed_national_figures",
    "plan_list_status",
    "rule_set_for",
    "rule_sets",
]

# How far back a history category looks (hård ghetto, omdannelse: 5 years running).
HISTORY_YEARS = 5


def extra_rules_dirs() -> tuple[Path, ...]:
    extra = getattr(settings, "HELHEDSPLAN_LIST_RULES_DIR", None)
    return (Path(extra),) if extra else ()


@lru_cache(maxsize=4)
def _rule_sets(dirs: tuple[Path, ...]) -> tuple[rules.RuleSet, ...]:
    return rules.load_rule_sets(dirs)


def rule_sets() -> tuple[rules.RuleSet, ...]:
    """Every rule set, ordered by first list year (``RuleSetError`` when one is invalid)."""
    return _rule_sets(extra_rules_dirs())


def rule_set_for(year: int) -> rules.RuleSet | None:
    return rules.rule_set_for(rule_sets(), year)


def needed_national_figures(year: int) -> tuple[str, ...]:
    """The national figures (ListThreshold keys) the list year's rule set needs."""
    rule_set = rule_set_for(year)
    return rule_set.national_keys if rule_set else ()


def national_figures(years: Iterable[int] | None = None) -> dict[int, dict[str, Decimal]]:
    """Per list year, the entered national figures (one query)."""
    qs = ListThreshold.objects.all()
    if years is not None:
        qs = qs.filter(list_year__in=list(years))
    result: dict[int, dict[str, Decimal]] = {}
    for year, key, value in qs.values_list("list_year", "key", "value"):
        result.setdefault(year, {})[key] = value
    return result


def _measurements(plan: Plan) -> QuerySet[CentralMeasurement]:
    return CentralMeasurement.objects.filter(
        area__plan=plan, indicator__code__in=LIST_CODES
    ).order_by("area_id", "year", "indicator__framework")


def list_years(plan: Plan) -> list[int]:
    sets = rule_sets()
    years = _measurements(plan).values_list("year", flat=True).distinct()
    return sorted({y for y in years if rules.rule_set_for(sets, y) is not None})


def area_results(
    plan: Plan, years: Iterable[int] | None = None
) -> dict[int, dict[int, AreaYearResult]]:
    """Per area id of the plan, per list year, the engine's result (three queries)."""
    sets = rule_sets()
    area_ids = list(plan.areas.order_by("order", "name").values_list("id", flat=True))
    qs = _measurements(plan)
    if years is not None:
        years = list(years)
        if years:
            qs = qs.filter(year__gte=min(years) - (HISTORY_YEARS - 1), year__lte=max(years))
    rows = list(
        qs.values_list(
            "area_id",
            "year",
            "indicator__code",
            "value",
            "numerator",
            "denominator",
            "suppressed",
        )
    )
    if years is None:
        wanted = sorted({r[1] for r in rows if rules.rule_set_for(sets, r[1]) is not None})
    else:
        wanted = sorted(set(years))
    if not wanted:
        return {area_id: {} for area_id in area_ids}
    first = min(wanted) - (HISTORY_YEARS - 1)
    values: dict[int, dict[int, dict[str, Value]]] = {a: {} for a in area_ids}
    for area_id, year, code, value, numerator, denominator, suppressed in rows:
        if year < first or year > max(wanted):
            continue
        per_year = values.setdefault(area_id, {}).setdefault(year, {})
        # One value per code and year; a known value wins over a missing one (a plan's
        # areas may carry the code under more than one framework's indicator).
        if code in per_year and per_year[code].value is not None:
            continue
        per_year[code] = Value(
            value=None if suppressed else value,
            numerator=numerator,
            denominator=denominator,
            suppressed=suppressed,
        )
    national = national_figures(range(first, max(wanted) + 1))
    return {
        area_id: evaluate_area(values.get(area_id, {}), national, sets, wanted)
        for area_id in area_ids
    }


def plan_list_status(plan: Plan, year: int) -> dict[int, AreaYearResult]:
    return {area_id: by_year[year] for area_id, by_year in area_results(plan, [year]).items()}
