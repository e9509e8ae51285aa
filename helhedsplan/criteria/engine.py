"""Evaluation of success-criterion targets (succeskriterier).

A success criterion in a helhedsplan has one or more *targets* on a measure. This module is the
pure rule engine: it evaluates one target for one year against approved observations. It knows
nothing about Django, areas or storage; callers pass plain values. It writes no sentences: an
evaluation's ``detail`` is a ``Detail`` (a stable code and the values a sentence needs), and
``criteria.wording`` words it, and states a target, through gettext in the active language
(as ``organisation.rules`` leaves its breaches to the Django side).

Contracts shared by every function here:

* Numbers are ``Decimal`` and must be finite. ``percent`` is written as shown to users: ``10``
  means 10 % (or 10 percentage points), not 0.10.
* Statuses are decided by exact rational arithmetic (``Fraction``); ``Evaluation.target_value``
  is the exact requirement whenever it is a terminating decimal (otherwise 50 significant
  digits); the worded detail shows it rounded to at most 2 decimals.
* An agreed figure written in the target (``baseline_value``, a fixed reference ``value``) wins
  over an observation for the same year: the plan's figures are kept as written.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum
from fractions import Fraction
from typing import Any

__all__ = [
    "ChangeUnit",
    "Detail",
    "Direction",
    "Evaluation",
    "Op",
    "Rating",
    "Status",
    "Target",
    "TargetError",
    "TargetKind",
    "combine",
    "evaluate",
    "first_evaluation_year",
    "line_value",
]


class Status(StrEnum):
    """Status of one target (or one criterion) in one year. Values are stable storage keys."""

    MET = "met"
    NOT_MET = "not_met"
    #: Only from a qualitative rating of "delvist": part of the target was reached. It is final
    #: like MET/NOT_MET (not a forecast like ON_TRACK) and counts as not fully met.
    PARTLY = "partly"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    PENDING = "pending"
    NO_DATA = "no_data"
    NOT_DUE = "not_due"


class Direction(StrEnum):
    LOWER_IS_BETTER = "lower_is_better"
    HIGHER_IS_BETTER = "higher_is_better"


class ChangeUnit(StrEnum):
    """A relative change (``PERCENT``) or an absolute one (``PERCENTAGE_POINTS``)."""

    PERCENT = "percent"
    PERCENTAGE_POINTS = "percentage_points"


class Op(StrEnum):
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"

    @property
    def symbol(self) -> str:
        return {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}[self.value]

    @property
    def direction(self) -> Direction:
        """The direction an op aims at: "under 30" means lower is better."""
        lower = self in (Op.LT, Op.LE)
        return Direction.LOWER_IS_BETTER if lower else Direction.HIGHER_IS_BETTER

    def holds(self, left: Fraction, right: Fraction) -> bool:
        match self:
            case Op.LT:
                return left < right
            case Op.LE:
                return left <= right
            case Op.GT:
                return left > right
            case Op.GE:
                return left >= right
        raise AssertionError(self)  # pragma: no cover - exhaustive


def _at_or_better(direction: Direction) -> Op:
    return Op.LE if direction is Direction.LOWER_IS_BETTER else Op.GE


class Rating(StrEnum):
    """A person's rating of a qualitative target."""

    MET = "opfyldt"
    PARTLY = "delvist"
    NOT_MET = "ikke_opfyldt"


class TargetKind(StrEnum):
    THRESHOLD = "threshold"
    PATH = "path"
    YEAR_OVER_YEAR = "year_over_year"
    COMPOUNDED = "compounded"
    REFERENCE = "reference"
    PENDING_BASELINE = "pending_baseline"
    DIRECTION = "direction"
    QUALITATIVE = "qualitative"


# Kinds measured against a baseline year; they are evaluated only in years after it.
_BASELINE_KINDS = frozenset(
    {TargetKind.PATH, TargetKind.YEAR_OVER_YEAR, TargetKind.COMPOUNDED, TargetKind.DIRECTION}
)
# Optional fields each kind needs / may use. Any other optional field that is set is an error,
# because a stray value (a percent on a threshold) means the target was entered wrongly.
_REQUIRED: dict[TargetKind, frozenset[str]] = {
    TargetKind.THRESHOLD: frozenset({"op", "value"}),
    TargetKind.PATH: frozenset({"op", "value", "baseline_year", "direction"}),
    TargetKind.YEAR_OVER_YEAR: frozenset({"percent", "baseline_year", "direction"}),
    TargetKind.COMPOUNDED: frozenset({"percent", "baseline_year", "direction"}),
    TargetKind.REFERENCE: frozenset({"op", "reference_label"}),
    TargetKind.PENDING_BASELINE: frozenset({"baseline_year"}),
    TargetKind.DIRECTION: frozenset({"baseline_year", "direction"}),
    TargetKind.QUALITATIVE: frozenset(),
}
_OPTIONAL: dict[TargetKind, frozenset[str]] = {
    TargetKind.THRESHOLD: frozenset(),
    TargetKind.PATH: frozenset({"baseline_value"}),
    TargetKind.YEAR_OVER_YEAR: frozenset({"baseline_value"}),
    TargetKind.COMPOUNDED: frozenset({"baseline_value"}),
    TargetKind.REFERENCE: frozenset({"value", "reference_year"}),
    TargetKind.PENDING_BASELINE: frozenset({"resolved"}),
    TargetKind.DIRECTION: frozenset({"baseline_value"}),
    TargetKind.QUALITATIVE: frozenset(),
}


def fields_used(kind: TargetKind) -> frozenset[str]:
    """The optional fields a target of this kind uses (required or optional), for forms that
    show only those. ``direction`` belongs to the measure and ``resolved`` to the act of
    setting a pending target; neither is a field of the target's form."""
    return (_REQUIRED[kind] | _OPTIONAL[kind]) - {"direction", "resolved"}


_CHECKED_FIELDS = (
    "op", "value", "percent", "baseline_year", "baseline_value",
    "reference_label", "reference_year", "resolved",
)  # fmt: skip


@dataclass(frozen=True, kw_only=True)
class Target:
    """One target of a success criterion for a range of years (inclusive).

    Field use per kind (see ``validate``): ``value`` is the threshold, the path's end value or a
    fixed reference value; ``percent`` is the yearly change for year-over-year and compounded
    targets, in ``change_unit``; ``baseline_value`` may be left empty, in which case the
    observation for ``baseline_year`` is used; ``reference_year`` None means "the same year";
    ``resolved`` is the target set once a pending baseline has been registered.
    """

    kind: TargetKind
    first_year: int
    last_year: int
    direction: Direction | None = None
    op: Op | None = None
    value: Decimal | None = None
    percent: Decimal | None = None
    change_unit: ChangeUnit = ChangeUnit.PERCENT
    baseline_year: int | None = None
    baseline_value: Decimal | None = None
    reference_label: str | None = None
    reference_year: int | None = None
    resolved: Target | None = None
    unit_label: str | None = None

    def validate(self) -> None:
        """Raise ``TargetError`` (a ``ValueError``: a code, its values and an English
        message for developers) if the target is inconsistent."""
        name = f"A {self.kind.value} target"

        def error(code: str, message: str, **values: Any) -> TargetError:
            return TargetError(f"{name} {message}", code, {"kind": self.kind, **values})

        if self.first_year > self.last_year:
            raise error("ends_before_start", f"starts ({self.first_year}) after it ends "
                        f"({self.last_year})", first_year=self.first_year,
                        last_year=self.last_year)  # fmt: skip
        required, optional = _REQUIRED[self.kind], _OPTIONAL[self.kind]
        # The direction belongs to the measure, so any target may carry it; some need it.
        if "direction" in required and self.direction is None:
            raise error("needs", "needs direction", field="direction")
        for name_ in _CHECKED_FIELDS:
            present = getattr(self, name_) not in (None, "")
            if name_ in required and not present:
                raise error("needs", f"needs {name_}", field=name_)
            if present and name_ not in required | optional:
                raise error("unused", f"does not use {name_}", field=name_)
        for name_ in ("value", "percent", "baseline_value"):
            number = getattr(self, name_)
            if number is not None and not number.is_finite():
                raise error("not_finite", f"has a non-finite {name_}: {number}", field=name_)
        if self.percent is not None:
            if self.percent < 0:
                raise error("negative_percent", "needs percent >= 0 (the direction gives the sign)")
            if (
                self.change_unit is ChangeUnit.PERCENT
                and self.direction is Direction.LOWER_IS_BETTER
                and self.percent > 100
            ):
                raise error("falls_over_100", "cannot fall by more than 100 %")
        if self.kind in _BASELINE_KINDS:
            assert self.baseline_year is not None  # guaranteed by _REQUIRED
            if self.last_year <= self.baseline_year:
                raise error("ends_by_baseline", "must end after its baseline year "
                            f"{self.baseline_year}", baseline_year=self.baseline_year)  # fmt: skip
        if self.kind is TargetKind.PATH and self.op and self.op.direction != self.direction:
            raise error("op_contradicts_direction", f"with op {self.op.symbol} contradicts "
                        f"{self.direction}", op=self.op, direction=self.direction)  # fmt: skip
        fixed_reference = self.kind is TargetKind.REFERENCE and self.value is not None
        if fixed_reference and self.reference_year is None:
            raise error("reference_needs_year", "with a fixed reference value needs "
                        "reference_year")  # fmt: skip
        if self.resolved is not None:
            if self.resolved.kind in (TargetKind.PENDING_BASELINE, TargetKind.QUALITATIVE):
                raise error("bad_resolution", f"cannot resolve to a {self.resolved.kind.value} "
                            "target", resolved_kind=self.resolved.kind)  # fmt: skip
            self.resolved.validate()


class TargetError(ValueError):
    """An inconsistent target: ``code`` and ``values`` for the Django side to word
    (``criteria.wording.target_error_text``); ``str()`` is an English developer message.

    Codes: ``ends_before_start`` (first_year, last_year), ``needs``/``unused``/``not_finite``
    (field: an engine field name), ``negative_percent``, ``falls_over_100``,
    ``ends_by_baseline`` (baseline_year), ``op_contradicts_direction`` (op, direction),
    ``reference_needs_year``, ``bad_resolution`` (resolved_kind); every one has ``kind``.
    """

    def __init__(self, message: str, code: str, values: Mapping[str, Any]) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class Detail:
    """Why an evaluation came out as it did, as a code and the values a sentence needs.

    Codes and values (``criteria.wording.detail_text`` words each):

    * ``baseline_year`` (year, first), ``before_baseline`` (year, baseline_year, first),
      ``outside_period`` (year, first_year, last_year): NOT_DUE.
    * ``no_rating`` (year), ``rated`` (status): qualitative targets.
    * ``pending`` (baseline_year); ``no_value`` (year); ``no_reference`` (label, year);
      ``no_baseline`` (year) and ``no_previous`` (year): the comparison year has no value.
    * ``judged`` (value, holds, op, required, context): "34,2 er ikke under 30", where
      ``context`` is None or a Detail: ``reference`` (label, year), ``end_target``,
      ``path`` (base, base_year, end, last_year), ``change`` (percent, change_unit,
      direction, steps, base, year) or ``from_baseline`` (base, year).
    """

    code: str
    values: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Evaluation:
    """Outcome of one target in one year.

    ``value`` is the observation used, ``target_value`` what it had to beat or meet that year,
    ``compared_with_year`` the year of the baseline, previous year or reference it was measured
    against, and ``detail`` why (a code with values; ``criteria.wording`` words it).
    """

    status: Status
    value: Decimal | None = None
    target_value: Decimal | None = None
    compared_with_year: int | None = None
    detail: Detail | None = None


# --- numbers -------------------------------------------------------------------------------


def _to_decimal(number: Fraction) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 50
        return Decimal(number.numerator) / Decimal(number.denominator)


def line_value(start_year: int, start: Decimal, end_year: int, end: Decimal, year: int) -> Fraction:
    """The straight line from (start_year, start) to (end_year, end), exactly, at ``year``."""
    if end_year == start_year:
        raise ValueError("a line needs two different years")
    slope = (Fraction(end) - Fraction(start)) / (end_year - start_year)
    return Fraction(start) + slope * (year - start_year)


# --- evaluation ----------------------------------------------------------------------------


def first_evaluation_year(target: Target) -> int:
    """First year with a status: the baseline year itself is the starting point, not a test."""
    if target.kind in _BASELINE_KINDS and target.baseline_year is not None:
        return max(target.first_year, target.baseline_year + 1)
    return target.first_year


def evaluate(
    target: Target,
    year: int,
    observations: Mapping[int, Decimal],
    reference: Mapping[int, Decimal] | None = None,
    rating: Rating | None = None,
) -> Evaluation:
    """Evaluate ``target`` in ``year`` against approved observations (year -> value).

    ``reference`` is the reference series for reference targets, ``rating`` the recorded
    rating for qualitative targets; each is ignored by the other kinds. Raises ``ValueError``
    only for an invalid target. Missing data never raises: it gives NO_DATA with a detail
    naming the missing year (also when the missing value is the comparison year's).
    """
    target.validate()
    first = first_evaluation_year(target)
    if not first <= year <= target.last_year:
        # The baseline year is the starting point the target is measured from, also when it
        # lies before the target's years (2017 for targets over 2018-2021): say so.
        if year == target.baseline_year:
            why = Detail("baseline_year", {"year": year, "first": first})
        elif target.first_year <= year < first:
            base = target.baseline_year
            why = Detail("before_baseline", {"year": year, "baseline_year": base, "first": first})
        else:
            span = {"year": year, "first_year": target.first_year, "last_year": target.last_year}
            why = Detail("outside_period", span)
        return Evaluation(Status.NOT_DUE, detail=why)

    if target.kind is TargetKind.QUALITATIVE:
        if rating is None:
            return Evaluation(Status.NO_DATA, detail=Detail("no_rating", {"year": year}))
        rating = Rating(rating)  # a stray string fails loudly instead of reading as "ikke opfyldt"
        status = {Rating.MET: Status.MET, Rating.PARTLY: Status.PARTLY}.get(rating, Status.NOT_MET)
        return Evaluation(status, detail=Detail("rated", {"status": status}))
    if target.kind is TargetKind.PENDING_BASELINE:
        if target.resolved is None:
            why = Detail("pending", {"baseline_year": target.baseline_year})
            return Evaluation(Status.PENDING, detail=why)
        return evaluate(target.resolved, year, observations, reference, rating)

    value = observations.get(year)
    if value is None:
        return Evaluation(Status.NO_DATA, detail=Detail("no_value", {"year": year}))
    return _evaluate_numeric(target, year, value, observations, reference or {})


def _evaluate_numeric(
    target: Target,
    year: int,
    value: Decimal,
    observations: Mapping[int, Decimal],
    reference: Mapping[int, Decimal],
) -> Evaluation:
    if target.kind is TargetKind.THRESHOLD:
        assert target.op is not None and target.value is not None
        return _judge(value, target.op, Fraction(target.value), None, None)
    if target.kind is TargetKind.REFERENCE:
        assert target.op is not None
        ref_year = year if target.reference_year is None else target.reference_year
        ref = target.value if target.value is not None else reference.get(ref_year)
        label = target.reference_label
        if ref is None:
            detail = Detail("no_reference", {"label": label, "year": ref_year})
            return Evaluation(Status.NO_DATA, value, None, ref_year, detail)
        context = Detail("reference", {"label": label, "year": ref_year})
        return _judge(value, target.op, Fraction(ref), ref_year, context)

    # The remaining kinds compare with the baseline (or, year over year, with the year before).
    assert target.baseline_year is not None and target.direction is not None
    base_year = target.baseline_year
    compare_year = year - 1 if target.kind is TargetKind.YEAR_OVER_YEAR else base_year
    agreed = target.baseline_value if compare_year == base_year else None
    base = agreed if agreed is not None else observations.get(compare_year)
    if base is None:
        # Deliberately NO_DATA rather than NOT_MET: the observation may be fine, but without the
        # comparison year's value the rule cannot be applied. The detail names the missing year.
        what = "no_baseline" if compare_year == base_year else "no_previous"
        detail = Detail(what, {"year": compare_year})
        return Evaluation(Status.NO_DATA, value, None, compare_year, detail)

    match target.kind:
        case TargetKind.PATH:
            assert target.op is not None and target.value is not None
            if year == target.last_year:
                end_target = Detail("end_target")
                return _judge(value, target.op, Fraction(target.value), base_year, end_target)
            line = line_value(base_year, base, target.last_year, target.value, year)
            context = Detail("path", {
                "base": base, "base_year": base_year, "end": target.value,
                "last_year": target.last_year,
            })  # fmt: skip
            return _judge(
                value, _at_or_better(target.direction), line, base_year, context,
                passed=Status.ON_TRACK, failed=Status.BEHIND,
            )  # fmt: skip
        case TargetKind.YEAR_OVER_YEAR | TargetKind.COMPOUNDED:
            steps = year - compare_year
            required = _changed(target, base, steps)
            context = Detail("change", {
                "percent": target.percent, "change_unit": target.change_unit,
                "direction": target.direction, "steps": steps, "base": base, "year": compare_year,
            })  # fmt: skip
            return _judge(value, _at_or_better(target.direction), required, compare_year, context)
        case _:  # DIRECTION: strictly better than the baseline; equal is no improvement.
            op = Op.LT if target.direction is Direction.LOWER_IS_BETTER else Op.GT
            context = Detail("from_baseline", {"base": base, "year": base_year})
            return _judge(value, op, Fraction(base), base_year, context)


def _changed(target: Target, base: Decimal, steps: int) -> Fraction:
    """The baseline after ``steps`` yearly changes of ``percent`` in the better direction."""
    assert target.percent is not None
    sign = -1 if target.direction is Direction.LOWER_IS_BETTER else 1
    if target.change_unit is ChangeUnit.PERCENT:
        return Fraction(base) * (1 + sign * Fraction(target.percent) / 100) ** steps
    return Fraction(base) + sign * Fraction(target.percent) * steps


def _judge(
    value: Decimal,
    op: Op,
    required: Fraction,
    compared_with_year: int | None,
    context: Detail | None,
    *,
    passed: Status = Status.MET,
    failed: Status = Status.NOT_MET,
) -> Evaluation:
    ok = op.holds(Fraction(value), required)
    target_value = _to_decimal(required)
    detail = Detail("judged", {"value": value, "holds": ok, "op": op,
                               "required": target_value, "context": context})  # fmt: skip
    return Evaluation(passed if ok else failed, value, target_value, compared_with_year, detail)


_PRIORITY = (Status.NOT_MET, Status.BEHIND, Status.PARTLY, Status.NO_DATA, Status.PENDING)


def combine(evaluations: Iterable[Evaluation]) -> Status:
    """Overall status of a criterion in one cell (area x year) when several targets apply.

    The worst news wins: NOT_MET, then BEHIND, then PARTLY (a final "only partly"), then
    NO_DATA, then PENDING. Targets that are NOT_DUE do not count; if nothing else is left (or
    there are no evaluations) the result is NOT_DUE. Otherwise ON_TRACK if any target is only
    on track, else MET. The result does not depend on the order of the evaluations.
    """
    statuses = {evaluation.status for evaluation in evaluations}
    for status in _PRIORITY:
        if status in statuses:
            return status
    statuses.discard(Status.NOT_DUE)
    if not statuses:
        return Status.NOT_DUE
    return Status.ON_TRACK if Status.ON_TRACK in statuses else Status.MET
