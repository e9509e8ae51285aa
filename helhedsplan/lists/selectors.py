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

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

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
    "threshold_overview",
]

# How far back a history category looks at least (hård ghetto, omdannelse: 5 years running);
# a rule set with a longer history is read further back (``_history_years``).
HISTORY_YEARS = 5


def _history_years(sets: Iterable[rules.RuleSet]) -> int:
    years = [c.history.years for r in sets for c in r.categories if c.history is not None]
    return max([HISTORY_YEARS, *years])


def extra_rules_dirs() -> tuple[Path, ...]:
    extra = getattr(settings, "HELHEDSPLAN_LIST_RULES_DIR", None)
    return (Path(extra),) if extra else ()


@lru_cache(maxsize=4)
def _rule_sets(dirs: tuple[Path, ...]) -> tuple[rules.RuleSet, ...]:
    return rules.load_rule_sets(dirs)


def rule_sets() -> tuple[rules.RuleSet, ...]:
    """Every rule set, ordered by first list year (``RuleSetError`` when one is invalid)."""
    return _rule_sets(extra_rules_dirs())


@lru_cache(maxsize=4)
def _fingerprint(dirs: tuple[Path, ...]) -> str:
    return hashlib.sha1(repr(_rule_sets(dirs)).encode(), usedforsecurity=False).hexdigest()[:12]


def rules_fingerprint() -> str:
    """A short digest of every rule set as loaded: part of the key of any cached list status,
    so a release or a rules directory with other rules is never answered from a cache (a
    shared one outlives the app servers' restarts)."""
    return _fingerprint(extra_rules_dirs())


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
            back = _history_years(sets) - 1
            qs = qs.filter(year__gte=min(years) - back, year__lte=max(years))
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
    first = min(wanted) - (_history_years(sets) - 1)
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


@dataclass(frozen=True)
class FigureStatus:
    """One national figure a list year's rule set needs, and what is entered for it."""

    key: str
    value: Decimal | None = None
    source: str = ""
    entered_at: datetime | None = None
    entered_by: str = ""

    @property
    def label(self) -> str:
        from helhedsplan.lists import wording

        return wording.national_figure_name(self.key)

    @property
    def missing(self) -> bool:
        return self.value is None

    @property
    def value_text(self) -> str:
        """The value as entered, without the column's trailing zeros (0,66, not 0,6600)."""
        from helhedsplan.lib.numbers import fmt_number

        return fmt_number(self.value, trim=True)


@dataclass(frozen=True)
class YearFigures:
    year: int
    rule_set: str
    needed: tuple[FigureStatus, ...]
    # Entered for the year but not used by its rule set (e.g. a rule set changed since).
    unused: tuple[FigureStatus, ...] = ()

    @property
    def missing(self) -> list[str]:
        return [f.key for f in self.needed if f.missing]


def threshold_overview(last_year: int | None = None) -> list[YearFigures]:
    """Per list year with a rule set (the first rule set's first year to next year, or the
    last year entered), newest first: the national figures it needs and what is entered
    (one query)."""
    sets = rule_sets()
    if not sets:
        return []
    entered: dict[tuple[int, str], ListThreshold] = {
        (t.list_year, t.key): t for t in ListThreshold.objects.select_related("entered_by")
    }
    last = max([last_year or timezone.now().year + 1, *(y for y, _k in entered)])
    result: list[YearFigures] = []
    for year in range(last, sets[0].from_year - 1, -1):
        rule_set = rules.rule_set_for(sets, year)
        if rule_set is None:
            continue

        def status(key: str, year: int = year) -> FigureStatus:
            t = entered.get((year, key))
            if t is None:
                return FigureStatus(key)
            by = t.entered_by.get_full_name() or t.entered_by.username if t.entered_by else ""
            return FigureStatus(key, t.value, t.source, t.entered_at, by)

        needed = tuple(status(k) for k in rule_set.national_keys)
        unused = tuple(
            status(k) for (y, k) in sorted(entered) if y == year and k not in rule_set.national_keys
        )
        result.append(YearFigures(year, rule_set.id, needed, unused))
    return result
