"""What the list engine answers: the contract every reader of the lists uses.

Three-valued throughout: ``met``/``member`` is True, False or None (unknown: a value or a
threshold is missing, or a category depends on a year whose result is unknown). Unknown is
never reported as False.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Operator(StrEnum):
    GT = ">"  # "overstiger"
    GE = ">="  # "mindst", "udgør mindst"
    LT = "<"  # "under", "mindre end"


# The category codes (the API's and the pages').
UDSAT = "udsat"
GHETTO = "ghetto"
HAARDT_GHETTO = "haardt_ghetto"
PARALLELSAMFUND = "parallelsamfund"
OMDANNELSE = "omdannelse"
FOREBYGGELSE = "forebyggelse"
CATEGORY_CODES = (UDSAT, GHETTO, HAARDT_GHETTO, PARALLELSAMFUND, OMDANNELSE, FOREBYGGELSE)


@dataclass(frozen=True)
class Value:
    """One criterion's value for an area and list year (from a CentralMeasurement).

    ``value`` None: missing or suppressed by the source (``suppressed``).
    """

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    suppressed: bool = False


@dataclass(frozen=True)
class Condition:
    """One criterion of a category, evaluated: ``value operator threshold``."""

    code: str  # the criterion's code (measurements.catalogue.LIST_CODES)
    operator: Operator
    threshold: Decimal | None  # None: the national figure it is computed from is missing
    value: Decimal | None
    met: bool | None
    # Why ``met`` is None: the missing national figure's key (``threshold:<key>``) or the
    # missing value (``value:<code>``); "" when known.
    missing: str = ""
    # How the threshold was reached, e.g. "3 × doemte_landsgennemsnit_pct (0,67 %)".
    basis: str = ""


@dataclass(frozen=True)
class Distance:
    """How far one value is from flipping one condition, in the area's own terms.

    ``points``: the change in the value (percentage points for a share) that flips it,
    signed (negative: the value must fall). ``people``: the change in the numerator (whole
    residents) that flips it, where the numerator and denominator are known, else None.
    """

    code: str
    category: str
    operator: Operator
    threshold: Decimal
    value: Decimal
    met: bool
    points: Decimal
    people: int | None = None


@dataclass(frozen=True)
class CategoryResult:
    code: str  # one of CATEGORY_CODES
    member: bool | None
    conditions: tuple[Condition, ...] = ()
    # "k of n": how many of the conditions marked as counted must be met (0: all).
    needed: int = 0
    # How many of ``conditions`` count towards the k (forebyggelse's non-western share is a
    # condition of its own, not one of the "2 of 4").
    counted: int = 0
    met_count: int = 0
    unknown_count: int = 0
    # The categories this one requires (parallelsamfund requires udsat) and, for the
    # history-dependent ones, the earlier list years it depends on with their result.
    requires: tuple[str, ...] = ()
    history: tuple[tuple[int, bool | None], ...] = ()
    # What is missing for an unknown result ("threshold:<key>", "value:<code>",
    # "history:<year>").
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class AreaYearResult:
    """An area's list status for one list year."""

    year: int
    rule_set: str | None  # the rule set's id ("2018-2020"); None: no rule set for the year
    # The 1.000-resident minimum: True/False, None when the residents are missing.
    residents_ok: bool | None
    categories: dict[str, CategoryResult] = field(default_factory=dict)
    # Per criterion code: its condition in the first category that uses it (the API's
    # "criteria"), and every condition on it, by category.
    criteria: dict[str, Condition] = field(default_factory=dict)
    conditions_by_category: dict[str, dict[str, Condition]] = field(default_factory=dict)
    distances: dict[str, list[Distance]] = field(default_factory=dict)
    # The smallest set of criterion codes whose change takes the area off every list it is
    # on this year (None: it is on no list, or that cannot be known).
    keeps_on_list: tuple[str, ...] | None = None
    missing: tuple[str, ...] = ()

    @property
    def member_of(self) -> list[str]:
        """The categories the area is in (member True), in CATEGORY_CODES order."""
        return [c for c in CATEGORY_CODES if c in self.categories and self.categories[c].member]

    @property
    def unknown(self) -> list[str]:
        return [
            c for c in CATEGORY_CODES if c in self.categories and self.categories[c].member is None
        ]

    @property
    def on_list(self) -> bool | None:
        """On any list this year: True, False, or None when that cannot be known."""
        if self.member_of:
            return True
        if self.unknown:
            return None
        return False
