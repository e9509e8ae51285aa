"""Evaluation of success-criterion targets (succeskriterier).

A success criterion in a helhedsplan has one or more *targets* on a measure. This module is the
pure rule engine: it evaluates one target for one year against approved observations and produces
the Danish (or English) sentence that states the target. It knows nothing about Django, areas or
storage; callers pass plain values.

Contracts shared by every function here:

* Numbers are ``Decimal`` and must be finite. ``percent`` is written as shown to users: ``10``
  means 10 % (or 10 percentage points), not 0.10.
* Statuses are decided by exact rational arithmetic (``Fraction``); ``Evaluation.target_value``
  is the exact requirement whenever it is a terminating decimal (otherwise 50 significant
  digits), and the ``detail`` text shows it rounded to at most 2 decimals.
* An agreed figure written in the target (``baseline_value``, a fixed reference ``value``) wins
  over an observation for the same year: the plan's figures are kept as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum
from fractions import Fraction
from typing import Literal

__all__ = [
    "ChangeUnit",
    "Direction",
    "Evaluation",
    "Op",
    "Rating",
    "Status",
    "Target",
    "TargetKind",
    "combine",
    "describe",
    "evaluate",
    "first_evaluation_year",
    "format_number",
    "line_value",
    "parse_number",
]

Lang = Literal["da", "en"]


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

    def label(self, lang: Lang = "da") -> str:
        return _STATUS_LABELS[lang][self]


_STATUS_LABELS: dict[str, dict[Status, str]] = {
    "da": {
        Status.MET: "Opfyldt",
        Status.NOT_MET: "Ikke opfyldt",
        Status.PARTLY: "Delvist opfyldt",
        Status.ON_TRACK: "På vej",
        Status.BEHIND: "Bagud",
        Status.PENDING: "Afventer nulpunkt",
        Status.NO_DATA: "Mangler data",
        Status.NOT_DUE: "Ikke aktuel",
    },
    "en": {
        Status.MET: "Met",
        Status.NOT_MET: "Not met",
        Status.PARTLY: "Partly met",
        Status.ON_TRACK: "On track",
        Status.BEHIND: "Behind",
        Status.PENDING: "Awaiting baseline",
        Status.NO_DATA: "No data",
        Status.NOT_DUE: "Not due",
    },
}


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

    def word(self, lang: Lang = "da") -> str:
        return _WORDS[lang]["op"][self.value]

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
        """Raise ``ValueError`` with a readable message if the target is inconsistent."""
        name = f"A {self.kind.value} target"
        if self.first_year > self.last_year:
            raise ValueError(f"{name} starts ({self.first_year}) after it ends ({self.last_year})")
        required, optional = _REQUIRED[self.kind], _OPTIONAL[self.kind]
        # The direction belongs to the measure, so any target may carry it; some need it.
        if "direction" in required and self.direction is None:
            raise ValueError(f"{name} needs direction")
        for field in _CHECKED_FIELDS:
            present = getattr(self, field) not in (None, "")
            if field in required and not present:
                raise ValueError(f"{name} needs {field}")
            if present and field not in required | optional:
                raise ValueError(f"{name} does not use {field}")
        for field in ("value", "percent", "baseline_value"):
            number = getattr(self, field)
            if number is not None and not number.is_finite():
                raise ValueError(f"{name} has a non-finite {field}: {number}")
        if self.percent is not None:
            if self.percent < 0:
                raise ValueError(f"{name} needs percent >= 0 (the direction gives the sign)")
            if (
                self.change_unit is ChangeUnit.PERCENT
                and self.direction is Direction.LOWER_IS_BETTER
                and self.percent > 100
            ):
                raise ValueError(f"{name} cannot fall by more than 100 %")
        if self.kind in _BASELINE_KINDS:
            assert self.baseline_year is not None  # guaranteed by _REQUIRED
            if self.last_year <= self.baseline_year:
                raise ValueError(f"{name} must end after its baseline year {self.baseline_year}")
        if self.kind is TargetKind.PATH and self.op and self.op.direction != self.direction:
            raise ValueError(f"{name} with op {self.op.symbol} contradicts {self.direction}")
        fixed_reference = self.kind is TargetKind.REFERENCE and self.value is not None
        if fixed_reference and self.reference_year is None:
            raise ValueError(f"{name} with a fixed reference value needs reference_year")
        if self.resolved is not None:
            if self.resolved.kind in (TargetKind.PENDING_BASELINE, TargetKind.QUALITATIVE):
                raise ValueError(f"{name} cannot resolve to a {self.resolved.kind.value} target")
            self.resolved.validate()


@dataclass(frozen=True)
class Evaluation:
    """Outcome of one target in one year.

    ``value`` is the observation used, ``target_value`` what it had to beat or meet that year,
    ``compared_with_year`` the year of the baseline, previous year or reference it was measured
    against, and ``detail`` a short Danish explanation.
    """

    status: Status
    value: Decimal | None = None
    target_value: Decimal | None = None
    compared_with_year: int | None = None
    detail: str = ""


# --- numbers -------------------------------------------------------------------------------


def format_number(value: Decimal, max_decimals: int | None = None) -> str:
    """Danish number format: 30.65 -> "30,65", 44450 -> "44.450", 72.40 -> "72,4".

    Trailing zeros are dropped; with ``max_decimals`` the value is first rounded half up.
    """
    if not value.is_finite():
        raise ValueError(f"cannot format {value}")
    if max_decimals is not None:
        with localcontext() as ctx:
            ctx.prec = max(28, value.adjusted() + max_decimals + 2)
            value = value.quantize(Decimal(1).scaleb(-max_decimals), rounding=ROUND_HALF_UP)
    whole, _, fraction = format(abs(value), "f").partition(".")
    fraction = fraction.rstrip("0")
    sign = "-" if value < 0 and (whole.strip("0") or fraction) else ""
    return sign + f"{int(whole):,}".replace(",", ".") + ("," + fraction if fraction else "")


_DANISH_NUMBER = re.compile(r"-?(\d{1,3}(\.\d{3})*|\d+)(,\d+)?")


def parse_number(text: str) -> Decimal:
    """Inverse of ``format_number``. Only Danish format: "30.65" is rejected, not read as 3065."""
    text = text.strip()
    if not _DANISH_NUMBER.fullmatch(text):
        raise ValueError(f"not a Danish number: {text!r}")
    return Decimal(text.replace(".", "").replace(",", "."))


def _to_decimal(number: Fraction) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 50
        return Decimal(number.numerator) / Decimal(number.denominator)


def _shown(number: Decimal) -> str:
    """A requirement for the detail text; "ca." marks that rounding hid digits."""
    text = format_number(number, 2)
    return text if parse_number(text) == number else f"ca. {text}"


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
            why = f"{year} er målets basisår (nulpunkt); målet vurderes fra {first}"
        elif target.first_year <= year < first:
            base = target.baseline_year
            why = f"{year} ligger før målets basisår {base}; målet vurderes fra {first}"
        else:
            why = f"{year} ligger uden for målets periode ({_years(target)})"
        return Evaluation(Status.NOT_DUE, detail=why)

    if target.kind is TargetKind.QUALITATIVE:
        if rating is None:
            why = f"Der er ikke registreret en vurdering for {year}"
            return Evaluation(Status.NO_DATA, detail=why)
        rating = Rating(rating)  # a stray string fails loudly instead of reading as "ikke opfyldt"
        status = {Rating.MET: Status.MET, Rating.PARTLY: Status.PARTLY}.get(rating, Status.NOT_MET)
        return Evaluation(status, detail=f"Vurderet som {status.label().lower()}")
    if target.kind is TargetKind.PENDING_BASELINE:
        if target.resolved is None:
            return Evaluation(
                Status.PENDING, detail=f"Målet afventer nulpunktet for {target.baseline_year}"
            )
        return evaluate(target.resolved, year, observations, reference, rating)

    value = observations.get(year)
    if value is None:
        return Evaluation(Status.NO_DATA, detail=f"Der mangler en godkendt værdi for {year}")
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
        return _judge(value, target.op, Fraction(target.value), None, "")
    if target.kind is TargetKind.REFERENCE:
        assert target.op is not None
        ref_year = year if target.reference_year is None else target.reference_year
        ref = target.value if target.value is not None else reference.get(ref_year)
        if ref is None:
            detail = f"Referenceværdien ({target.reference_label}) for {ref_year} mangler"
            return Evaluation(Status.NO_DATA, value, None, ref_year, detail)
        context = f"{target.reference_label} {ref_year}"
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
        what = "Nulpunktet for" if compare_year == base_year else "Sammenligningsåret"
        detail = f"{what} {compare_year} mangler en godkendt værdi"
        return Evaluation(Status.NO_DATA, value, None, compare_year, detail)
    shown_base = f"{format_number(base)} i {compare_year}"

    match target.kind:
        case TargetKind.PATH:
            assert target.op is not None and target.value is not None
            if year == target.last_year:
                return _judge(value, target.op, Fraction(target.value), base_year, "slutmålet")
            line = line_value(base_year, base, target.last_year, target.value, year)
            end = f"{format_number(target.value)} i {target.last_year}"
            context = f"linjen fra {shown_base} til {end}"
            return _judge(
                value, _at_or_better(target.direction), line, base_year, context,
                passed=Status.ON_TRACK, failed=Status.BEHIND,
            )  # fmt: skip
        case TargetKind.YEAR_OVER_YEAR | TargetKind.COMPOUNDED:
            steps = year - compare_year
            required = _changed(target, base, steps)
            change = _change_text(target, "da")
            side = "under" if target.direction is Direction.LOWER_IS_BETTER else "over"
            per_year = "" if steps == 1 else f" om året i {steps} år"
            context = f"{change}{per_year} {side} {shown_base}"
            return _judge(value, _at_or_better(target.direction), required, compare_year, context)
        case _:  # DIRECTION: strictly better than the baseline; equal is no improvement.
            op = Op.LT if target.direction is Direction.LOWER_IS_BETTER else Op.GT
            return _judge(value, op, Fraction(base), base_year, f"nulpunktet {shown_base}")


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
    context: str,
    *,
    passed: Status = Status.MET,
    failed: Status = Status.NOT_MET,
) -> Evaluation:
    ok = op.holds(Fraction(value), required)
    target_value = _to_decimal(required)
    verb = "er" if ok else "er ikke"
    detail = f"{format_number(value)} {verb} {op.word()} {_shown(target_value)}"
    if context:
        detail += f" ({context})"
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


# --- sentences -----------------------------------------------------------------------------

_WORDS: dict[str, dict[str, dict[str, str]]] = {
    "da": {
        "op": {"lt": "under", "le": "højst", "gt": "over", "ge": "mindst"},
        "ref_op": {"lt": "ligge under", "le": "ligge på eller under",
                   "gt": "ligge over", "ge": "ligge på eller over"},
        "text": {
            "threshold": "Værdien skal være {op} {value} {years}",
            "path": "Værdien skal {move} fra {base} i {base_year} til {op} {value} i {last_year}",
            "year_over_year": "Værdien skal hvert år være mindst {change} {comparative} end"
            " året før, første år i forhold til nulpunktet ({baseline})",
            "compounded": "Værdien skal {move} med mindst {change} om året{compound} fra"
            " nulpunktet ({baseline})",
            "reference": "Værdien skal {ref_op} referencen ({label}{ref_value})",
            "pending_baseline": "Målet fastlægges på baggrund af nulpunktet for {base_year}",
            "resolved": "{sentence} (fastlagt på baggrund af nulpunktet for {base_year})",
            "direction": "Værdien skal være {comparative} end nulpunktet ({baseline})",
            "qualitative": "Målopfyldelsen vurderes kvalitativt (opfyldt, delvist opfyldt eller"
            " ikke opfyldt) {years}",
            "every_year": "hvert år i {years}", "one_year": "i {years}", "in": "i",
            "the_baseline": "nulpunktet", "same_year": "samme år", "compound": " (renters rente)",
            "lower": "falde", "higher": "stige", "lower_comp": "lavere", "higher_comp": "højere",
            "percent": "%", "percentage_points": "procentpoint",
        },
    },
    "en": {
        "op": {"lt": "below", "le": "at most", "gt": "above", "ge": "at least"},
        "ref_op": {"lt": "be below", "le": "be at or below",
                   "gt": "be above", "ge": "be at or above"},
        "text": {
            "threshold": "The value must be {op} {value} {years}",
            "path": "The value must {move} from {base} in {base_year}"
            " to {op} {value} in {last_year}",
            "year_over_year": "Every year the value must be at least {change} {comparative} than"
            " the year before, the first year compared with the baseline ({baseline})",
            "compounded": "The value must {move} by at least {change} a year{compound} from the"
            " baseline ({baseline})",
            "reference": "The value must {ref_op} the reference ({label}{ref_value})",
            "pending_baseline": "The target will be set from the baseline for {base_year}",
            "resolved": "{sentence} (set from the baseline for {base_year})",
            "direction": "The value must be {comparative} than the baseline ({baseline})",
            "qualitative": "Achievement is rated qualitatively (met, partly met or not met)"
            " {years}",
            "every_year": "every year in {years}", "one_year": "in {years}", "in": "in",
            "the_baseline": "the baseline", "same_year": "same year", "compound": " (compounded)",
            "lower": "fall", "higher": "rise", "lower_comp": "lower", "higher_comp": "higher",
            "percent": "%", "percentage_points": "percentage points",
        },
    },
}  # fmt: skip


def _years(target: Target) -> str:
    if target.first_year == target.last_year:
        return str(target.first_year)
    return f"{target.first_year}-{target.last_year}"


def _number(value: Decimal, lang: Lang, unit: str | None = None) -> str:
    text = format_number(value)
    if lang == "en":
        text = text.translate(str.maketrans(",.", ".,"))
    return f"{text} {unit}" if unit else text


def _change_text(target: Target, lang: Lang) -> str:
    assert target.percent is not None
    return _number(target.percent, lang, _WORDS[lang]["text"][target.change_unit.value])


def describe(target: Target, lang: Lang = "da") -> str:
    """The sentence that states ``target`` to users, in Danish (``"da"``) or English (``"en"``)."""
    target.validate()
    if lang not in _WORDS:
        raise ValueError(f"unsupported language: {lang!r}")
    words = _WORDS[lang]["text"]
    unit = target.unit_label
    single = target.first_year == target.last_year
    fields: dict[str, str] = {
        "years": words["one_year" if single else "every_year"].format(years=_years(target)),
        "base_year": str(target.baseline_year),
        "last_year": str(target.last_year),
    }
    if target.op is not None:
        fields["op"] = target.op.word(lang)
        fields["ref_op"] = _WORDS[lang]["ref_op"][target.op.value]
    if target.value is not None:
        fields["value"] = _number(target.value, lang, unit)
    if target.percent is not None:
        fields["change"] = _change_text(target, lang)
        compound = target.change_unit is ChangeUnit.PERCENT
        fields["compound"] = words["compound"] if compound else ""
    if target.direction is not None:
        lower = target.direction is Direction.LOWER_IS_BETTER
        fields["move"] = words["lower" if lower else "higher"]
        fields["comparative"] = words["lower_comp" if lower else "higher_comp"]
    if target.baseline_value is not None:
        fields["base"] = _number(target.baseline_value, lang, unit)
        fields["baseline"] = f"{fields['base']} {words['in']} {target.baseline_year}"
    else:
        fields["base"] = words["the_baseline"]
        fields["baseline"] = str(target.baseline_year)
    if target.kind is TargetKind.REFERENCE:
        fields["label"] = str(target.reference_label)
        if target.reference_year is None:
            fields["ref_value"] = f", {words['same_year']}"
        elif target.value is None:
            fields["ref_value"] = f", {target.reference_year}"
        else:
            fields["ref_value"] = f": {fields['value']} {words['in']} {target.reference_year}"
    if target.kind is TargetKind.PENDING_BASELINE and target.resolved is not None:
        sentence = describe(target.resolved, lang)
        return words["resolved"].format(sentence=sentence, base_year=target.baseline_year)
    return words[target.kind.value].format(**fields)
