"""The list engine: an area's list status per list year, from its values and the rule sets.

Pure Python, no Django. Three-valued (Kleene) throughout: a condition is None when its value
(missing or suppressed) or its threshold (a national figure missing) is missing; "k of n" is
True when at least k are met, False when even the unknown ones could not make k, else None;
AND (requires, history, the resident minimum) and NOT (excludes) likewise. Unknown is never
reported as False.

``evaluate_area(values, national, rule_sets)`` takes per list year the ``Value`` per
criterion code and per list year the national figures (key -> Decimal), and returns per list
year an ``AreaYearResult``. History categories (hårdt ghettoområde, omdannelsesområde) read
the area's earlier years, each judged by its own year's rule set.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from helhedsplan.lists.engine.rules import Category, Criterion, RuleSet, rule_set_for
from helhedsplan.lists.engine.types import (
    AreaYearResult,
    CategoryResult,
    Condition,
    Distance,
    Operator,
    Value,
)
from helhedsplan.measurements.catalogue import RESIDENTS

__all__ = ["and3", "compare", "evaluate_area", "evaluate_year", "k_of_n"]

Values = Mapping[str, Value]
HUNDRED = Decimal(100)


def and3(*parts: bool | None) -> bool | None:
    """Kleene AND: False if any is False, else None if any is unknown, else True."""
    if any(p is False for p in parts):
        return False
    if any(p is None for p in parts):
        return None
    return True


def not3(part: bool | None) -> bool | None:
    return None if part is None else not part


def k_of_n(met: int, unknown: int, k: int) -> bool | None:
    if met >= k:
        return True
    if met + unknown < k:
        return False
    return None


def compare(value: Decimal, operator: Operator, threshold: Decimal) -> bool:
    if operator == Operator.GT:
        return value > threshold
    if operator == Operator.GE:
        return value >= threshold
    return value < threshold


def _fmt(number: Decimal) -> str:
    return format(number.normalize(), "f").replace(".", ",")


def condition(
    criterion: Criterion,
    values: Values,
    national: Mapping[str, Decimal],
    forced: frozenset[str] = frozenset(),
) -> Condition:
    threshold = criterion.threshold_for(national)
    basis = ""
    if criterion.factor is not None:
        figure = national.get(criterion.national)
        unit = " %" if criterion.national.endswith("_pct") else ""
        basis = f"{_fmt(criterion.factor)} × {criterion.national}" + (
            f" ({_fmt(figure)}{unit})" if figure is not None else ""
        )
    found = values.get(criterion.code)
    value = found.value if found is not None else None
    if criterion.code in forced:
        # A hypothetical change (keeps_on_list): the value moved to the not-met side.
        return Condition(criterion.code, criterion.operator, threshold, value, False, "", basis)
    missing = ""
    met: bool | None = None
    if value is None:
        missing = f"value:{criterion.code}"
    elif threshold is None:
        missing = f"threshold:{criterion.national}"
    else:
        met = compare(value, criterion.operator, threshold)
    return Condition(criterion.code, criterion.operator, threshold, value, met, missing, basis)


def _people(cond: Condition, found: Value | None) -> int | None:
    """The change in whole residents of the numerator that flips ``cond``."""
    if found is None or found.numerator is None or not found.denominator:
        return None
    assert cond.threshold is not None and cond.met is not None
    numerator, denominator = found.numerator, found.denominator
    boundary = cond.threshold * denominator / HUNDRED  # the numerator at the threshold
    floor, ceil = math.floor(boundary), math.ceil(boundary)
    if cond.operator == Operator.GT:
        # met: must come down to the threshold; not met: must rise strictly above it.
        target = floor if cond.met else floor + 1
    elif cond.operator == Operator.GE:
        # met ("mindst"): must go strictly below; not met: must reach it.
        target = ceil - 1 if cond.met else ceil
    else:
        # met ("under"): must rise to the threshold; not met: must go strictly below.
        target = ceil if cond.met else ceil - 1
    if target < 0 or target > denominator:
        return None
    return int(target - numerator)


def distance(cond: Condition, category: str, found: Value | None) -> Distance | None:
    if cond.met is None or cond.value is None or cond.threshold is None:
        return None
    return Distance(
        code=cond.code,
        category=category,
        operator=cond.operator,
        threshold=cond.threshold,
        value=cond.value,
        met=cond.met,
        points=cond.threshold - cond.value,
        people=_people(cond, found),
    )


def _residents(values: Values, min_residents: int) -> bool | None:
    found = values.get(RESIDENTS)
    if found is None or found.value is None:
        return None
    return found.value >= min_residents


class _Area:
    """One area's evaluation across years (memoised, for the history categories)."""

    def __init__(
        self,
        values: Mapping[int, Values],
        national: Mapping[int, Mapping[str, Decimal]],
        rule_sets: Sequence[RuleSet],
    ) -> None:
        self.values = values
        self.national = national
        self.rule_sets = rule_sets
        self.memo: dict[int, dict[str, CategoryResult]] = {}

    def categories(
        self, year: int, forced: frozenset[str] = frozenset()
    ) -> dict[str, CategoryResult] | None:
        """The category results for ``year`` (None: no rule set for the year)."""
        if not forced and year in self.memo:
            return self.memo[year]
        rule_set = rule_set_for(self.rule_sets, year)
        if rule_set is None:
            return None
        values = self.values.get(year, {})
        national = self.national.get(year, {})
        residents = _residents(values, rule_set.min_residents)
        results: dict[str, CategoryResult] = {}
        for category in rule_set.categories:
            results[category.code] = self._category(
                category, year, values, national, residents, results, forced
            )
        if not forced:
            self.memo[year] = results
        return results

    def _category(
        self,
        category: Category,
        year: int,
        values: Values,
        national: Mapping[str, Decimal],
        residents: bool | None,
        same_year: Mapping[str, CategoryResult],
        forced: frozenset[str],
    ) -> CategoryResult:
        conditions = tuple(condition(c, values, national, forced) for c in category.criteria)
        counted = [cond for cond, c in zip(conditions, category.criteria, strict=True) if c.counted]
        required = [
            cond for cond, c in zip(conditions, category.criteria, strict=True) if not c.counted
        ]
        met_count = sum(1 for c in counted if c.met)
        unknown_count = sum(1 for c in counted if c.met is None)
        parts: list[bool | None] = [k_of_n(met_count, unknown_count, category.k)]
        parts.extend(c.met for c in required)
        missing: list[str] = [c.missing for c in conditions if c.missing]
        parts.extend(same_year[r].member for r in category.requires)
        parts.extend(not3(same_year[e].member) for e in category.excludes)
        history: list[tuple[int, bool | None]] = []
        if category.history is not None:
            counts = category.history.counts
            now = [same_year[c].member for c in counts if c in same_year]
            parts.append(_any3(now) if now else None)
            for earlier in range(year - 1, year - category.history.years, -1):
                member = self._counted(earlier, counts)
                history.append((earlier, member))
                if member is None:
                    missing.append(f"history:{earlier}")
                parts.append(member)
        if residents is None:
            missing.append(f"value:{RESIDENTS}")
        parts.append(residents)
        return CategoryResult(
            code=category.code,
            member=and3(*parts),
            conditions=conditions,
            needed=category.k,
            counted=len(counted),
            met_count=met_count,
            unknown_count=unknown_count,
            requires=category.requires,
            history=tuple(history),
            missing=tuple(dict.fromkeys(missing)),
        )

    def _counted(self, year: int, counts: tuple[str, ...]) -> bool | None:
        """Whether one of ``counts`` was met in an earlier ``year``; None without data."""
        if not self.values.get(year):
            return None
        results = self.categories(year)
        if results is None:
            return None
        members = [results[c].member for c in counts if c in results]
        return _any3(members) if members else None


def _any3(parts: Iterable[bool | None]) -> bool | None:
    parts = list(parts)
    if any(p is True for p in parts):
        return True
    if any(p is None for p in parts):
        return None
    return False


def _relative(cond: Condition) -> Decimal:
    assert cond.value is not None and cond.threshold is not None
    gap = abs(cond.threshold - cond.value)
    return gap / abs(cond.threshold) if cond.threshold else gap


def _keeps_on_list(
    area: _Area, year: int, results: Mapping[str, CategoryResult]
) -> tuple[str, ...] | None:
    on = [code for code, r in results.items() if r.member]
    if not on:
        return None
    # Candidates: codes with a known value meeting at least one condition this year.
    cost: dict[str, Decimal] = {}
    for r in results.values():
        for cond in r.conditions:
            if cond.met and cond.value is not None and cond.threshold is not None:
                cost[cond.code] = max(cost.get(cond.code, Decimal(0)), _relative(cond))
    codes = list(cost)
    for size in range(1, len(codes) + 1):
        found: list[tuple[Decimal, tuple[str, ...]]] = []
        for subset in itertools.combinations(codes, size):
            changed = area.categories(year, frozenset(subset))
            assert changed is not None
            off = all(changed[c].member is False for c in on) and not any(
                changed[c].member for c in changed if c not in on
            )
            if off:
                found.append((sum((cost[c] for c in subset), Decimal(0)), subset))
        if found:
            return min(found)[1]
    return None


def evaluate_year(area: _Area, year: int) -> AreaYearResult:
    rule_set = rule_set_for(area.rule_sets, year)
    values = area.values.get(year, {})
    if rule_set is None:
        return AreaYearResult(
            year=year,
            rule_set=None,
            residents_ok=_residents(values, 1000),
        )
    results = area.categories(year)
    assert results is not None
    criteria: dict[str, Condition] = {}
    by_category: dict[str, dict[str, Condition]] = {}
    distances: dict[str, list[Distance]] = {}
    missing: list[str] = []
    for code, result in results.items():
        for cond in result.conditions:
            criteria.setdefault(cond.code, cond)
            by_category.setdefault(cond.code, {})[code] = cond
            d = distance(cond, code, values.get(cond.code))
            if d is not None:
                distances.setdefault(cond.code, []).append(d)
        missing.extend(result.missing)
    return AreaYearResult(
        year=year,
        rule_set=rule_set.id,
        residents_ok=_residents(values, rule_set.min_residents),
        categories=dict(results),
        criteria=criteria,
        conditions_by_category=by_category,
        distances=distances,
        keeps_on_list=_keeps_on_list(area, year, results),
        missing=tuple(dict.fromkeys(missing)),
    )


def evaluate_area(
    values: Mapping[int, Values],
    national: Mapping[int, Mapping[str, Decimal]],
    rule_sets: Sequence[RuleSet],
    years: Iterable[int] | None = None,
) -> dict[int, AreaYearResult]:
    """Per list year (``years``, else every year in ``values``) the area's result."""
    area = _Area(values, national, rule_sets)
    wanted = sorted(set(values) if years is None else set(years))
    return {year: evaluate_year(area, year) for year in wanted}
