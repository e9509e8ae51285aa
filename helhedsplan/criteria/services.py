"""Writes for success criteria: registering, approving and importing observations, and
changing targets. Views, the import command and the API call these; nothing else writes.

Every observation, whichever way it arrives (the form, an import, the demo loader), passes
the one validation in ``observation_problems``: the measure's rules (``check_values``) and
the model's field limits and validators (``full_clean``).
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import allows_area
from helhedsplan.audit.context import audit_reason
from helhedsplan.audit.services import audit_changes, audit_event
from helhedsplan.criteria import wording
from helhedsplan.criteria.engine import TargetError
from helhedsplan.criteria.models import (
    Measure,
    Observation,
    ReferenceSeries,
    ReferenceValue,
    SeedNote,
    SuccessCriterion,
    Target,
)
from helhedsplan.lib import concurrency
from helhedsplan.lib.cpr import CODE as CPR_CODE
from helhedsplan.lib.cpr import contains_cpr, cpr_message, file_name_error
from helhedsplan.lib.numbers import fmt_number
from helhedsplan.plans.closing import ensure_plan_open
from helhedsplan.plans.models import FocusArea, HousingArea, Plan


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a value: which field, what, and a stable code."""

    field: str
    message: str
    code: str


NUMBER_FIELDS = ("value", "numerator", "denominator")
# What an observation says; a change to any of them on an approved figure is a correction.
CONTENT_FIELDS = ("value", "numerator", "denominator", "rating", "narrative", "source_note")


def _limit_problem(name: str, number: Decimal) -> Problem | None:
    """The model field's limits (max_digits, decimal_places), before any arithmetic."""
    model_field = Observation._meta.get_field(name)
    assert isinstance(model_field, models.DecimalField)
    if not number.is_finite():
        return Problem(name, _("Angiv et tal."), "not_a_number")
    whole = (model_field.max_digits or 0) - (model_field.decimal_places or 0)
    if abs(number) >= Decimal(10) ** whole:
        return Problem(
            name,
            _("Tallet er for stort: der må højst være %(digits)s cifre før kommaet.")
            % {"digits": whole},
            "number_too_large",
        )
    try:
        model_field.run_validators(number)
    except ValidationError as exc:
        return Problem(name, " ".join(exc.messages), exc.error_list[0].code or "invalid")
    return None


def check_values(
    *,
    measure: Measure,
    year: int,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    rating: str = "",
) -> tuple[Decimal | None, list[Problem]]:
    """The measure's rules for one observation's figures; returns the value to store.

    A rating measure takes a rating and no numbers, a numeric measure numbers and no
    rating. Numbers stay within the field's limits; counts (a count's value, every numerator
    and denominator) are whole and not negative; a denominator is above 0 and at least the
    numerator; a share is at most 100 and a rate per 1000 at most 1000. For a rate with
    numerator and denominator and no value, the value is computed from them.
    """
    problems: list[Problem] = []
    if not measure.first_year <= year <= measure.last_year:
        problems.append(
            Problem(
                "year",
                _("Året %(year)s ligger uden for målingens år (%(first)s-%(last)s).")
                % {"year": year, "first": measure.first_year, "last": measure.last_year},
                "year_outside_measure",
            )
        )
    numbers = {"value": value, "numerator": numerator, "denominator": denominator}
    if measure.value_kind == Measure.ValueKind.RATING:
        for name, number in numbers.items():
            if number is not None:
                message = _(
                    "Målingen er en kvalitativ vurdering og har ingen tal. Angiv en vurdering "
                    "(opfyldt, delvist opfyldt eller ikke opfyldt)."
                )
                problems.append(Problem(name, message, "number_for_rating"))
        if not rating:
            problems.append(
                Problem(
                    "rating",
                    _("Vælg en vurdering for denne kvalitative måling."),
                    "rating_required",
                )
            )
        return None, problems
    if rating:
        problems.append(Problem("rating", _(
            "Målingen er en talmåling; en vurdering kan ikke registreres for den. Angiv en værdi."
        ), "rating_for_number"))  # fmt: skip
    for name, number in numbers.items():
        if number is None:
            continue
        limit = _limit_problem(name, number)
        if limit is not None:
            problems.append(limit)
        elif number < 0:
            message = (
                _("Et antal kan ikke være negativt (%(value)s).")
                if measure.value_kind == Measure.ValueKind.COUNT or name != "value"
                else _("Værdien kan ikke være negativ (%(value)s).")
            )
            problems.append(Problem(name, message % {"value": fmt_number(number)}, "negative"))
        elif (
            name != "value" or measure.value_kind == Measure.ValueKind.COUNT
        ) and number != number.to_integral_value():
            problems.append(Problem(name, _("Et antal skal være et helt tal (%(value)s).")
                                    % {"value": fmt_number(number)}, "not_whole"))  # fmt: skip
    if denominator is not None and denominator == 0:
        problems.append(Problem("denominator", _("Nævneren skal være over 0."), "zero_denominator"))
    if problems:
        return value, problems
    if (numerator is None) != (denominator is None):
        field_name = "denominator" if denominator is None else "numerator"
        problems.append(
            Problem(field_name, _("Angiv både tæller og nævner, eller ingen af dem."), "half_rate")
        )
    elif numerator is not None and denominator:
        if numerator > denominator:
            problems.append(Problem("numerator", _(
                "Tælleren (%(numerator)s) kan ikke være større end nævneren (%(denominator)s)."
            ) % {"numerator": fmt_number(numerator), "denominator": fmt_number(denominator)},
                "numerator_over_denominator"))  # fmt: skip
            return value, problems
        computed = (numerator * measure.scale / denominator).quantize(Decimal("0.01"))
        if value is None:
            value = computed
        elif abs(value - computed) > Decimal("0.1"):
            problems.append(
                Problem(
                    "value",
                    _("Værdien %(value)s passer ikke med tæller/nævner (%(computed)s).")
                    % {"value": fmt_number(value), "computed": fmt_number(computed)},
                    "value_mismatch",
                )
            )
    if value is None and not problems:
        problems.append(Problem("value", _("Angiv en værdi."), "value_required"))
    if value is not None and measure.value_kind == Measure.ValueKind.PERCENT and value > 100:
        problems.append(
            Problem(
                "value",
                _("En andel kan ikke være over 100 %% (%(value)s).") % {"value": fmt_number(value)},
                "share_over_100",
            )
        )
    if (
        value is not None
        and measure.value_kind == Measure.ValueKind.PER_THOUSAND
        and (value > 1000)
    ):
        problems.append(Problem("value", _(
            "En rate pr. 1000 kan ikke være over 1000 (%(value)s).") % {
            "value": fmt_number(value)}, "rate_over_1000"))  # fmt: skip
    return value, problems


# Looked up by the import per row; the import resolves them itself, so no query per row.
_RELATED = ("measure", "area", "registered_by", "approved_by")


def observation_problems(obs: Observation, *, database_checks: bool = True) -> list[Problem]:
    """Everything wrong with ``obs`` (its ``measure`` set); empty when it may be saved.

    The one validation of an observation: the measure's rules (``check_values``), then the
    model's ``full_clean`` (field limits, choices, the CPR guard on the texts, constraints).
    Fills in the value of a rate given by numerator and denominator. ``database_checks``
    False skips what needs a query per row (foreign keys, uniqueness, constraints): for an
    import that resolved the measure and area itself, finds duplicates within the file and
    updates existing rows instead of adding them; the check constraints (not negative,
    denominator above 0, a value or a rating) are rules of ``check_values`` as well.
    """
    value, problems = check_values(
        measure=obs.measure, year=obs.year, value=obs.value, numerator=obs.numerator,
        denominator=obs.denominator, rating=obs.rating,
    )  # fmt: skip
    obs.value = value
    exclude = {p.field for p in problems}
    if not database_checks:
        exclude.update(_RELATED)
    try:
        obs.full_clean(
            exclude=sorted(exclude),
            validate_unique=database_checks,
            validate_constraints=database_checks,
        )
    except ValidationError as exc:
        for name, errors in exc.error_dict.items():
            for error in errors:
                problems.append(Problem(name, " ".join(error.messages), error.code or "invalid"))
    return problems


def _raise(problems: list[Problem]) -> None:
    if problems:
        errors: dict[str, list[ValidationError]] = {}
        for p in problems:
            errors.setdefault(p.field, []).append(ValidationError(p.message, code=p.code))
        raise ValidationError(errors)


def observation_validate(obs: Observation, *, database_checks: bool = True) -> None:
    """``observation_problems`` as a ValidationError by field (for forms and loaders)."""
    _raise(observation_problems(obs, database_checks=database_checks))


def check_area_allowed(area: HousingArea | None, allowed_area_ids: Collection[int] | None) -> None:
    """``allowed_area_ids`` (``PlanAccess.observation_area_ids``): None means every area and
    the total; otherwise only those areas."""
    if not allows_area(allowed_area_ids, area.pk if area is not None else None):
        raise ValidationError(
            {"area": [ValidationError(_("Du kan kun registrere for dine egne områder."),
                                      code="area_not_allowed")]}
        )  # fmt: skip


def _content(obs: Observation) -> dict[str, Any]:
    return {name: getattr(obs, name) for name in CONTENT_FIELDS}


def display_figure(obs_or_values: Observation | dict[str, Any]) -> str:
    """The figure as the reader knows it: "58,3", "21 (42/200)" or "Delvist opfyldt"."""
    values = obs_or_values if isinstance(obs_or_values, dict) else _content(obs_or_values)
    rating = values.get("rating")
    if rating:
        known = rating in Observation.Rating.values
        return str(Observation.Rating(rating).label) if known else str(rating)
    text = _fmt(values.get("value"))
    if values.get("numerator") is not None and values.get("denominator") is not None:
        text += f" ({_fmt(values['numerator'])}/{_fmt(values['denominator'])})"
    return text


def _fmt(number: Decimal | None) -> str:
    return fmt_number(number, trim=True)


def _where(obs: Observation) -> str:
    return f"{obs.area.name if obs.area else _('Samlet')} {obs.year}"


FIGURE_FIELDS = ("value", "numerator", "denominator", "rating")


def text_changes(old: dict[str, Any], new: dict[str, Any]) -> str:
    """The texts a change touches besides the figure: "kilden (»A« → »B«)", "beskrivelsen"."""
    parts = []
    if old["source_note"] != new["source_note"]:
        parts.append(_("kilden (»%(old)s« → »%(new)s«)")
                     % {"old": old["source_note"], "new": new["source_note"]})  # fmt: skip
    if old["narrative"] != new["narrative"]:
        parts.append(_("beskrivelsen"))
    return _(" og ").join(parts)


def _figure_changes(old: dict[str, Any], new: dict[str, Any]) -> bool:
    return any(old[name] != new[name] for name in FIGURE_FIELDS)


def _approved_message(obs: Observation, new: dict[str, Any], figure: str, text: str) -> str:
    """``figure`` when the change touches the figure, else ``text`` (the texts changed)."""
    old = _content(obs)
    values = {"where": _where(obs), "old": display_figure(obs), "new": display_figure(new),
              "what": text_changes(old, new)}  # fmt: skip
    return (figure if _figure_changes(old, new) else text) % values


def _approved_locked(obs: Observation, new: dict[str, Any]) -> str:
    return _approved_message(
        obs,
        new,
        _(
            "Tallet for %(where)s er godkendt (%(old)s) og ville blive ændret til %(new)s. Kun "
            "sekretariatet kan rette et godkendt tal, og kun med en begrundelse."
        ),
        _(
            "Observationen for %(where)s er godkendt (%(old)s), og %(what)s ville blive ændret. "
            "Kun sekretariatet kan rette en godkendt observation, og kun med en begrundelse."
        ),
    )


def _reason_required(obs: Observation, new: dict[str, Any]) -> str:
    return _approved_message(
        obs,
        new,
        _(
            "Tallet for %(where)s er godkendt (%(old)s). Rettelsen til %(new)s kræver en "
            "begrundelse."
        ),
        _(
            "Observationen for %(where)s er godkendt (%(old)s). Rettelsen af %(what)s kræver en "
            "begrundelse."
        ),
    )


@transaction.atomic
def observation_register(
    *,
    measure: Measure,
    area: HousingArea | None,
    year: int,
    value: Decimal | None = None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    rating: str = "",
    narrative: str = "",
    source_note: str = "",
    user: Any = None,
    allowed_area_ids: Collection[int] | None = None,
    may_correct_approved: bool = False,
    reason: str = "",
    version: str | None = None,
) -> Observation:
    """Register the main observation for measure, area and year, as a draft.

    A draft (or a returned observation) is replaced and becomes a draft. An approved
    observation changes only as a correction: by whoever may approve
    (``may_correct_approved``, the secretariat) and with a written ``reason`` (code
    ``approved_locked`` / ``reason_required`` otherwise); the reason goes on the audit entry
    and the corrected figure stays approved. Registering what is already stored changes
    nothing. ``version`` is the token the form was opened from (``concurrency.NEW`` when no
    observation existed): a changed one is refused with code ``stale_edit`` and nothing is
    written. None skips the check (no form).
    """
    if area is not None and area.plan_id != measure.plan_id:
        raise ValidationError({"area": _("Ukendt område.")}, code="unknown_area")
    check_area_allowed(area, allowed_area_ids)
    obs = (
        Observation.objects.select_for_update()
        .filter(measure=measure, area=area, year=year, variant="")
        .order_by("pk")  # the default ordering joins the area, which FOR UPDATE refuses
        .first()
    )
    concurrency.check(
        concurrency.snapshot(obs) if obs else None, version, what=observation_what(area, year)
    )
    obs = obs or Observation(measure=measure, area=area, year=year, variant="")
    obs.measure, obs.area = measure, area
    before = _content(obs) if obs.pk else None
    was_approved = obs.pk is not None and obs.state == Observation.State.APPROVED
    was_returned = obs.pk is not None and obs.state == Observation.State.RETURNED
    old = copy.copy(obs)
    obs.value, obs.numerator, obs.denominator = value, numerator, denominator
    obs.rating, obs.narrative, obs.source_note = rating, narrative, source_note
    _raise(observation_problems(obs))
    if before is not None and _content(obs) == before and not was_returned:
        return old  # nothing to change: no write, no audit entry, a draft stays a draft
    now = timezone.now()
    reason = reason.strip()
    if was_approved:
        if not may_correct_approved:
            locked = ValidationError(_approved_locked(old, _content(obs)), code="approved_locked")
            raise ValidationError({NON_FIELD_ERRORS: [locked]})
        if not reason:
            raise ValidationError({"reason": [ValidationError(
                _reason_required(old, _content(obs)), code="reason_required")]})  # fmt: skip
        obs.approved_by, obs.approved_at = user, now
    else:
        obs.state = Observation.State.DRAFT
        obs.approved_by, obs.approved_at = None, None
        reason = ""
    obs.return_comment, obs.returned_by, obs.returned_at = "", None, None
    obs.registered_by, obs.registered_at = user, now
    with audit_reason(reason):
        obs.save()
    return obs


def observation_what(area: HousingArea | None, year: int) -> str:
    """How a refusal names an observation: "Observationen for Motalavej 2016"."""
    return _("Observationen for %(area)s %(year)s") % {
        "area": area.name if area else _("Samlet"),
        "year": year,
    }


def _lock_draft(observation: Observation, version: str | None) -> Observation:
    """The observation's row locked, checked against ``version``, and still a draft."""
    obs = concurrency.lock(observation)
    area = HousingArea.objects.filter(pk=obs.area_id).first() if obs.area_id else None
    concurrency.check(concurrency.snapshot(obs), version, what=observation_what(area, obs.year))
    if obs.state == Observation.State.APPROVED:
        raise ValidationError(_("Observationen er allerede godkendt."), code="already_approved")
    if obs.state == Observation.State.RETURNED:
        raise ValidationError(
            _("Observationen er returneret til registranten og skal registreres igen først."),
            code="already_returned",
        )
    return obs


@transaction.atomic
def observation_approve(
    *, observation: Observation, user: Any, version: str | None = None
) -> Observation:
    """The secretariat approves a draft; from then on it counts on the scorecard.

    ``version`` is the token the approval page showed; a draft changed since is refused
    (code ``stale_edit``). The draft passes the same validation as when it was registered,
    so a figure stored before a rule existed cannot be approved."""
    obs = _lock_draft(observation, version)
    observation_validate(obs)
    obs.state = Observation.State.APPROVED
    obs.approved_by, obs.approved_at = user, timezone.now()
    obs.save(update_fields=["state", "approved_by", "approved_at"])
    return obs


@transaction.atomic
def observation_return(
    *, observation: Observation, user: Any, comment: str, version: str | None = None
) -> Observation:
    """The secretariat sends a draft back to its registrar with a comment (required).

    The observation becomes *returned*: it leaves the approval list, counts nowhere, and
    shows the comment on the criterion page and the entry form until it is registered
    again. The comment is the reason on the audit entry. Codes: ``comment_required``,
    ``stale_edit``, ``already_approved``, ``already_returned``."""
    comment = comment.strip()
    if not comment:
        raise ValidationError(
            {"comment": [ValidationError(
                _("Skriv en bemærkning til registranten: hvad skal rettes?"),
                code="comment_required",
            )]}
        )  # fmt: skip
    obs = _lock_draft(observation, version)
    obs.state = Observation.State.RETURNED
    obs.return_comment, obs.returned_by, obs.returned_at = comment, user, timezone.now()
    obs.full_clean()
    with audit_reason(comment):
        obs.save(update_fields=["state", "return_comment", "returned_by", "returned_at"])
    return obs


# Fields of a target whose change alters what counts as met: with observations, a reason.
TARGET_FIELDS = (
    "kind", "first_year", "last_year", "op", "value", "percent", "change_unit",
    "baseline_year", "baseline_value", "reference_year", "applies_to_total",
)  # fmt: skip


def criterion_has_observations(criterion: SuccessCriterion) -> bool:
    return Observation.objects.filter(measure_id=criterion.measure_id).exists()


def _invalid_target(exc: ValueError) -> ValidationError:
    """The engine's refusal of a target, worded in the active language."""
    why = wording.target_error_text(exc) if isinstance(exc, TargetError) else str(exc)
    return ValidationError(
        _("Målet hænger ikke sammen: %(why)s") % {"why": why}, code="invalid_target"
    )


@transaction.atomic
def target_update(
    *,
    target: Target,
    user: Any = None,
    reason: str = "",
    version: str | None = None,
    **fields: Any,
) -> Target:
    """Change a target (or its baseline). When the criterion already has observations a
    written reason is required (code ``reason_required``); it goes into the audit trail.
    ``version`` is the token the form was opened from (code ``stale_edit`` if changed)."""
    unknown = set(fields) - set(TARGET_FIELDS)
    if unknown:
        raise ValueError(f"unknown target fields: {sorted(unknown)}")
    if version is not None:
        locked = concurrency.lock_and_check(target, version, what=_("Målet"))
        for name in TARGET_FIELDS:  # compare with what is persisted, not a stale copy
            setattr(target, name, getattr(locked, name))
    changed = {k: v for k, v in fields.items() if getattr(target, k) != v}
    if not changed:
        return target
    reason = reason.strip()
    if not reason and criterion_has_observations(target.criterion):
        raise ValidationError(
            {"reason": [ValidationError(
                _("Kriteriet har allerede observationer. Skriv en begrundelse for ændringen."),
                code="reason_required",
            )]}
        )  # fmt: skip
    before = {name: getattr(target, name) for name in changed}
    for name, value in changed.items():
        setattr(target, name, value)
    try:
        target.full_clean()
        target.to_engine().validate()
    except (ValidationError, ValueError) as exc:
        for name, value in before.items():  # a refused change leaves the object as it was
            setattr(target, name, value)
        if isinstance(exc, ValidationError):
            raise
        raise _invalid_target(exc) from exc
    with audit_reason(reason):
        target.save(update_fields=list(changed))
    return target


# --- bulk import ---------------------------------------------------------------------------
#
# Reading a file into ``ImportRow``s is ``criteria/importing.py``; validating and writing them
# is here. ``observations_import_preview`` says what a file would do (rows to create, rows to
# change with old and new figure, rows unchanged) without writing; ``observations_import``
# writes the same plan, all or nothing, and refuses when the data changed since the preview.


@dataclass(frozen=True)
class ImportRow:
    """One parsed row; ``line`` is the row number the user sees in their file.

    ``rating`` is the file's text (opfyldt, delvist opfyldt, ikke opfyldt, or the English
    names), read into ``Observation.Rating`` by the import's validation."""

    line: int
    code: str
    area: str
    year: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    source: str
    rating: str = ""
    narrative: str = ""


@dataclass(frozen=True)
class ImportError_:
    line: int | None
    column: str
    message: str
    code: str

    def __str__(self) -> str:
        where = _("Række %(line)s") % {"line": self.line} if self.line else _("Filen")
        if self.column:
            where += ", " + _("kolonne »%(column)s«") % {"column": self.column}
        return f"{where}: {self.message}"


class ImportFailed(Exception):
    """All-or-nothing: raised with every error found; nothing has been written."""

    def __init__(self, errors: list[ImportError_]) -> None:
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = errors


_COLUMN_OF = {
    "year": "år", "value": "værdi", "numerator": "tæller", "denominator": "nævner",
    "rating": "vurdering", "narrative": "beskrivelse", "source_note": "kilde", "area": "område",
    NON_FIELD_ERRORS: "",
}  # fmt: skip

_RATING_WORDS = {
    "opfyldt": Observation.Rating.MET, "met": Observation.Rating.MET,
    "delvist": Observation.Rating.PARTLY, "delvist opfyldt": Observation.Rating.PARTLY,
    "partly": Observation.Rating.PARTLY, "partly met": Observation.Rating.PARTLY,
    "partially met": Observation.Rating.PARTLY,
    "ikke opfyldt": Observation.Rating.NOT_MET, "not met": Observation.Rating.NOT_MET,
}  # fmt: skip


def parse_rating(text: str) -> str | None:
    """ "Delvist opfyldt", "DELVIST", "partly met", "ikke_opfyldt" -> the stored rating."""
    key = " ".join(text.replace("_", " ").lower().split())
    found = _RATING_WORDS.get(key)
    return found.value if found is not None else None


CREATE, CHANGE, UNCHANGED = "create", "change", "unchanged"


@dataclass
class PlannedRow:
    """What the import does with one row: create, change (old -> new) or leave unchanged."""

    line: int
    code: str
    observation: Observation  # the stored one (not yet changed) or the new, unsaved one
    action: str
    new: dict[str, Any]
    state: str  # after the import
    old: dict[str, Any] | None = None
    old_state: str = ""
    correction: bool = False  # a change of an approved figure, by the secretariat

    @property
    def where(self) -> str:
        return _where(self.observation)

    @property
    def old_display(self) -> str:
        return display_figure(self.old) if self.old is not None else ""

    @property
    def new_display(self) -> str:
        return display_figure(self.new)

    @property
    def text_changes(self) -> str:
        return text_changes(self.old, self.new) if self.old is not None else ""

    @property
    def old_state_label(self) -> str:
        return str(Observation.State(self.old_state).label) if self.old_state else ""

    @property
    def state_label(self) -> str:
        return str(Observation.State(self.state).label)

    def changed_fields(self) -> list[str]:
        if self.old is None:
            return [name for name in CONTENT_FIELDS if self.new[name] not in (None, "")]
        return [name for name in CONTENT_FIELDS if self.old[name] != self.new[name]]


def _plain(values: dict[str, Any] | None) -> Any:
    if values is None:
        return None
    return {k: str(v.normalize()) if isinstance(v, Decimal) else v for k, v in values.items()}


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)

    def _of(self, action: str) -> list[PlannedRow]:
        return [r for r in self.rows if r.action == action]

    @property
    def created(self) -> list[PlannedRow]:
        return self._of(CREATE)

    @property
    def changed(self) -> list[PlannedRow]:
        return self._of(CHANGE)

    @property
    def unchanged(self) -> list[PlannedRow]:
        return self._of(UNCHANGED)

    @property
    def corrected(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.correction]

    @property
    def writes(self) -> int:
        return len(self.rows) - len(self.unchanged)

    @property
    def fingerprint(self) -> str:
        """Changes when what the import would do changes (another write in between)."""
        data = [[r.line, r.action, _plain(r.old), _plain(r.new), r.old_state, r.state]
                for r in self.rows]  # fmt: skip
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


class ImportChanged(Exception):
    """The stored data changed between the preview and the confirmation; nothing written.

    ``plan`` is the import as it would be now: show it as a new preview."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__("the data changed since the preview")
        self.plan = plan


def _plan_import(
    *,
    plan: Plan,
    rows: list[ImportRow],
    allowed_area_ids: Collection[int] | None,
    approve: bool,
    may_correct_approved: bool,
    reason: str,
    file_name: str = "",
    progress: Any = None,
    lock: bool = False,
) -> ImportPlan:
    if not rows:
        raise ImportFailed([ImportError_(None, "", _("Filen har ingen datarækker."), "empty")])
    criteria = {
        c.code: c for c in SuccessCriterion.objects.filter(plan=plan).select_related("measure")
    }
    areas = {a.slug: a for a in HousingArea.objects.filter(plan=plan)}
    errors: list[ImportError_] = []
    seen: dict[tuple[int, int | None, int], int] = {}
    candidates: list[tuple[ImportRow, Observation]] = []
    if contains_cpr(file_name):
        errors.append(ImportError_(None, "", " ".join(file_name_error().messages), CPR_CODE))
    for row in rows:
        if progress is not None:
            progress.update(1)
        # The guard of every free-text field (lib/cpr.py), cell by cell: the key columns
        # here; the text columns (kilde, beskrivelse) through observation_problems' full_clean.
        texts = {"kriterium": row.code, "område": row.area}
        cpr_in = [column for column, text in texts.items() if contains_cpr(text)]
        errors.extend(ImportError_(row.line, c, cpr_message(), CPR_CODE) for c in cpr_in)
        if {"kriterium", "område"} & set(cpr_in):
            continue  # "unknown criterion/area" would repeat the number
        criterion = criteria.get(row.code)
        if criterion is None:
            errors.append(ImportError_(row.line, "kriterium", _("Ukendt kriterium »%(code)s«.")
                                       % {"code": row.code}, "unknown_criterion"))  # fmt: skip
            continue
        area: HousingArea | None = None
        if row.area != "total":
            area = areas.get(row.area)
            if area is None:
                errors.append(ImportError_(row.line, "område", _(
                    "Ukendt område »%(area)s«. Brug et af: %(known)s eller total."
                ) % {"area": row.area, "known": ", ".join(areas)}, "unknown_area"))  # fmt: skip
                continue
        try:
            check_area_allowed(area, allowed_area_ids)
        except ValidationError:
            errors.append(ImportError_(row.line, "område", _(
                "Du kan kun registrere for dine egne områder."), "area_not_allowed"))  # fmt: skip
            continue
        rating = ""
        if row.rating.strip():
            parsed = parse_rating(row.rating)
            if parsed is None:
                message = _(
                    "»%(text)s« er ikke en vurdering. Brug opfyldt, delvist opfyldt eller "
                    "ikke opfyldt."
                ) % {"text": row.rating.strip()[:40]}
                errors.append(ImportError_(row.line, "vurdering", message, "unknown_rating"))
                continue
            rating = parsed
        obs = Observation(
            measure=criterion.measure, area=area, year=row.year, variant="", value=row.value,
            numerator=row.numerator, denominator=row.denominator, rating=rating,
            narrative=row.narrative, source_note=row.source,
        )  # fmt: skip
        problems = observation_problems(obs, database_checks=False)
        for p in problems:
            errors.append(
                ImportError_(row.line, _COLUMN_OF.get(p.field, p.field), p.message, p.code)
            )
        key = (criterion.measure_id, area.pk if area else None, row.year)
        if key in seen:
            errors.append(ImportError_(row.line, "", _(
                "Dubletrække: samme kriterium, område og år som række %(other)s."
            ) % {"other": seen[key]}, "duplicate_row"))  # fmt: skip
            continue
        seen[key] = row.line
        if not problems:
            candidates.append((row, obs))
    if errors:
        raise ImportFailed(errors)
    return _compare(candidates, areas, approve, may_correct_approved, reason.strip(), lock)


def _compare(
    candidates: list[tuple[ImportRow, Observation]],
    areas: dict[str, HousingArea],
    approve: bool,
    may_correct_approved: bool,
    reason: str,
    lock: bool,
) -> ImportPlan:
    """The valid rows against what is stored: create, change or unchanged; approved
    figures change only as a correction (secretariat, with a reason)."""
    measures = {obs.measure_id: obs.measure for _row, obs in candidates}
    stored = Observation.objects.filter(
        measure_id__in=measures, year__in={obs.year for _row, obs in candidates}, variant=""
    ).order_by("pk")
    if lock:
        stored = stored.select_for_update()
    area_by_pk = {a.pk: a for a in areas.values()}
    existing: dict[tuple[int, int | None, int], Observation] = {}
    for found in stored:
        found.measure = measures[found.measure_id]
        found.area = area_by_pk.get(found.area_id) if found.area_id else None
        existing[(found.measure_id, found.area_id, found.year)] = found
    target = Observation.State.APPROVED if approve else Observation.State.DRAFT
    result = ImportPlan()
    errors: list[ImportError_] = []
    for row, obs in candidates:
        new = _content(obs)
        current = existing.get((obs.measure_id, obs.area_id, obs.year))
        if current is None:
            result.rows.append(PlannedRow(row.line, row.code, obs, CREATE, new, target))
            continue
        old = _content(current)
        planned = PlannedRow(row.line, row.code, current, CHANGE, new, target, old, current.state)
        if old == new:
            if not (approve and current.state == Observation.State.DRAFT):
                planned.action, planned.state = UNCHANGED, current.state
            result.rows.append(planned)
            continue
        if current.state == Observation.State.APPROVED:
            column = _COLUMN_OF.get(planned.changed_fields()[0], "")
            if not may_correct_approved:
                errors.append(ImportError_(row.line, column, _approved_locked(current, new),
                                           "approved_locked"))  # fmt: skip
                continue
            if not reason:
                errors.append(ImportError_(row.line, column, _reason_required(current, new),
                                           "reason_required"))  # fmt: skip
                continue
            planned.state, planned.correction = Observation.State.APPROVED, True
        result.rows.append(planned)
    if errors:
        raise ImportFailed(errors)
    return result


def observations_import_preview(
    *,
    plan: Plan,
    rows: list[ImportRow],
    allowed_area_ids: Collection[int] | None = None,
    approve: bool = False,
    may_correct_approved: bool = False,
    reason: str = "",
    file_name: str = "",
    progress: Any = None,
) -> ImportPlan:
    """What ``observations_import`` with the same arguments would write; writes nothing.

    Raises ``ImportFailed`` listing every error by row and column."""
    return _plan_import(
        plan=plan, rows=rows, allowed_area_ids=allowed_area_ids, approve=approve,
        may_correct_approved=may_correct_approved, reason=reason, file_name=file_name,
        progress=progress,
    )  # fmt: skip


@transaction.atomic
def observations_import(
    *,
    plan: Plan,
    rows: list[ImportRow],
    user: Any = None,
    allowed_area_ids: Collection[int] | None = None,
    approve: bool = False,
    may_correct_approved: bool = False,
    reason: str = "",
    file_name: str = "",
    progress: Any = None,
    expected_fingerprint: str | None = None,
) -> int:
    """Import rows as observations, all or nothing. Returns the number created or changed.

    Every row passes ``observation_problems`` (the form's validation). New rows become
    drafts, or approved when ``approve`` (secretariat only; the caller checks); a stored
    draft is replaced; an identical row changes nothing. An approved figure changes only as
    a correction: ``may_correct_approved`` (the secretariat) and a ``reason``, which goes on
    the correction's audit entry; otherwise the row is refused. Every observation created
    or changed gets its own audit entry (old and new values), and the import one
    ``observations.imported`` event. With ``expected_fingerprint`` (the preview's) it raises
    ``ImportChanged`` when the stored data changed since. Raises ``ImportFailed`` listing
    every error by row and column.
    """
    import_plan = _plan_import(
        plan=plan, rows=rows, allowed_area_ids=allowed_area_ids, approve=approve,
        may_correct_approved=may_correct_approved, reason=reason, file_name=file_name,
        progress=progress, lock=True,
    )  # fmt: skip
    if expected_fingerprint is not None and import_plan.fingerprint != expected_fingerprint:
        raise ImportChanged(import_plan)
    return _write_import(plan, import_plan, user, approve, file_name, reason.strip())


def _write_import(
    plan: Plan, import_plan: ImportPlan, user: Any, approve: bool, file_name: str, reason: str
) -> int:
    ensure_plan_open(plan.pk)  # bulk writes skip the closed-plan guard's signals
    now = timezone.now()
    new: list[Observation] = []
    updated: list[tuple[Observation, Observation]] = []  # (before, after)
    corrected: list[tuple[Observation, Observation]] = []
    for planned in import_plan.rows:
        if planned.action == UNCHANGED:
            continue
        obs = planned.observation
        before = copy.copy(obs)
        for name, value in planned.new.items():
            setattr(obs, name, value)
        if planned.old is None or planned.old != planned.new:
            obs.registered_by, obs.registered_at = user, now
        obs.state = planned.state
        if planned.state != Observation.State.APPROVED:
            obs.approved_by, obs.approved_at = None, None
        elif planned.old_state != Observation.State.APPROVED or planned.correction:
            obs.approved_by, obs.approved_at = user, now
        if planned.action == CREATE:
            new.append(obs)
        else:
            (corrected if planned.correction else updated).append((before, obs))
    Observation.objects.bulk_create(new, batch_size=2000)
    Observation.objects.bulk_update(
        [obs for _before, obs in updated + corrected],
        ["value", "numerator", "denominator", "rating", "narrative", "source_note", "state",
         "registered_by", "registered_at", "approved_by", "approved_at"],
        batch_size=2000,
    )  # fmt: skip
    # Bulk writes bypass auditlog's signals: the entries are written here, one per
    # observation, with the same field diff the signals would have stored.
    created: list[tuple[Observation | None, Observation]] = [(None, obs) for obs in new]
    audit_changes(changes=created + list(updated), actor=user)
    audit_changes(changes=corrected, actor=user, reason=reason)
    state = Observation.State.APPROVED if approve else Observation.State.DRAFT
    audit_event(
        instance=plan,
        event="observations.imported",
        actor=user,
        changes={"file": file_name, "created": len(new), "updated": len(updated) + len(corrected),
                 "corrected": len(corrected), "unchanged": len(import_plan.unchanged),
                 "state": str(state)},
        reason=reason if corrected else "",
    )  # fmt: skip
    return len(new) + len(updated) + len(corrected)


@transaction.atomic
def observations_register(
    *,
    plan: Plan,
    observations: Sequence[Observation],
    user: Any = None,
    approve: bool = False,
    allowed_area_ids: Collection[int] | None = None,
    source_name: str = "",
) -> int:
    """Register several figures at once (unsaved ``Observation``s giving measure, area,
    year and content), all or nothing, as the import does: the same validation
    (``observation_problems``), the same writes (drafts, or approved when ``approve``: the
    secretariat's choice, the caller checks), one audit entry per observation and one
    ``observations.imported`` event naming ``source_name``. Unlike the import it takes
    any measure of the plan, also the background figures no criterion is measured by.
    Returns the number created or changed. Raises ``ImportFailed`` (row numbers count
    from 1 in the order given): ``other_plan``, ``area_not_allowed``, ``duplicate_row``,
    the validation's codes, ``approved_locked``."""
    areas = {a.slug: a for a in HousingArea.objects.filter(plan=plan)}
    errors: list[ImportError_] = []
    seen: dict[tuple[int, int | None, int], int] = {}
    candidates: list[tuple[ImportRow, Observation]] = []
    for line, obs in enumerate(observations, start=1):
        measure, area = obs.measure, obs.area
        row = ImportRow(line, measure.slug, area.slug if area else "total", obs.year,
                        obs.value, obs.numerator, obs.denominator, obs.source_note)  # fmt: skip
        if measure.plan_id != plan.pk or (area is not None and area.plan_id != plan.pk):
            message = _("Målingen eller området hører til en anden plan.")
            errors.append(ImportError_(line, "", message, "other_plan"))
            continue
        try:
            check_area_allowed(area, allowed_area_ids)
        except ValidationError:
            errors.append(ImportError_(line, "område", _(
                "Du kan kun registrere for dine egne områder."), "area_not_allowed"))  # fmt: skip
            continue
        problems = observation_problems(obs, database_checks=False)
        errors.extend(
            ImportError_(line, _COLUMN_OF.get(p.field, p.field), p.message, p.code)
            for p in problems
        )
        key = (measure.pk, area.pk if area else None, obs.year)
        if key in seen:
            errors.append(ImportError_(line, "", _(
                "Dubletrække: samme måling, område og år som række %(other)s."
            ) % {"other": seen[key]}, "duplicate_row"))  # fmt: skip
            continue
        seen[key] = line
        if not problems:
            candidates.append((row, obs))
    if errors:
        raise ImportFailed(errors)
    import_plan = _compare(candidates, areas, approve, False, "", lock=True)
    return _write_import(plan, import_plan, user, approve, source_name, "")


# --- setting up a plan's criteria -----------------------------------------------------------
#
# What the agreement states (measures, reference series, success criteria, their targets and
# the notes on the agreement's wording) is created here: the demo builds the seed's plan with
# these, and the guided plan setup will too.


def _of_plan(plan: Plan, field_name: str, objs: Iterable[Any], what: str) -> None:
    """Refuse (code ``other_plan``) an object of another plan under ``field_name``."""
    stray = [obj for obj in objs if obj is not None and obj.plan_id != plan.pk]
    if stray:
        raise ValidationError(
            {
                field_name: ValidationError(
                    _("%(what)s »%(name)s« hører til en anden plan.")
                    % {"what": what, "name": stray[0]},
                    code="other_plan",
                )
            }
        )


@transaction.atomic
def measure_create(
    *,
    plan: Plan,
    slug: str,
    name: str,
    value_kind: str,
    first_year: int,
    last_year: int,
    unit: str = "",
    direction: str = "",
    is_rate: bool = False,
    numerator_label: str = "",
    denominator_label: str = "",
    data_source: str = "",
    delivered_by: str = "",
    frequency: str = Measure.Frequency.YEARLY,
    description: str = "",
    order: int = 0,
) -> Measure:
    """A measure of the plan: what is counted, in which unit, from which source.

    Refused: a slug in use in the plan (``unique``), the model's constraints (a rate
    needs its numerator and denominator labels, years in order), a CPR number."""
    measure = Measure(
        plan=plan,
        slug=slug,
        name=name,
        value_kind=value_kind,
        unit=unit,
        direction=direction,
        is_rate=is_rate,
        numerator_label=numerator_label,
        denominator_label=denominator_label,
        data_source=data_source,
        delivered_by=delivered_by,
        frequency=frequency,
        first_year=first_year,
        last_year=last_year,
        description=description,
        order=order,
    )
    measure.full_clean()
    measure.save()
    return measure


@transaction.atomic
def reference_series_create(
    *,
    plan: Plan,
    measure: Measure,
    slug: str,
    name: str,
    source: str = "",
    values: Mapping[int, Decimal] | None = None,
) -> ReferenceSeries:
    """A series to compare with (a national or SUB average), with its values by year.

    Refused: a measure of another plan (``other_plan``), a slug in use (``unique``)."""
    _of_plan(plan, "measure", [measure], _("Målingen"))
    series = ReferenceSeries(plan=plan, measure=measure, slug=slug, name=name, source=source)
    series.full_clean()
    series.save()
    for year, value in (values or {}).items():
        reference_value = ReferenceValue(series=series, year=year, value=value)
        reference_value.full_clean()
        reference_value.save()
    return series


@transaction.atomic
def success_criterion_create(
    *,
    plan: Plan,
    focus_area: FocusArea,
    code: str,
    title: str,
    text: str,
    measure: Measure,
    data_source_text: str = "",
    context_measures: Iterable[Measure] = (),
    order: int = 0,
) -> SuccessCriterion:
    """A success criterion as the agreement words it, measured by ``measure``;
    ``context_measures`` are background figures shown with it.

    Refused: a focus area or measure of another plan (``other_plan``), a code in use in
    the plan (``unique``), a CPR number in the texts (``cpr_number``)."""
    context = list(context_measures)
    _of_plan(plan, "focus_area", [focus_area], _("Indsatsområdet"))
    _of_plan(plan, "measure", [measure, *context], _("Målingen"))
    criterion = SuccessCriterion(
        plan=plan,
        focus_area=focus_area,
        code=code,
        title=title,
        text=text,
        data_source_text=data_source_text,
        measure=measure,
        order=order,
    )
    criterion.full_clean()
    criterion.save()
    if context:
        criterion.context_measures.set(context)
    return criterion


@transaction.atomic
def target_create(
    *,
    criterion: SuccessCriterion,
    kind: str,
    first_year: int,
    last_year: int,
    areas: Iterable[HousingArea] = (),
    applies_to_total: bool = False,
    op: str = "",
    value: Decimal | None = None,
    percent: Decimal | None = None,
    change_unit: str = "percent",
    baseline_year: int | None = None,
    baseline_value: Decimal | None = None,
    reference_series: ReferenceSeries | None = None,
    reference_year: int | None = None,
    source_text: str = "",
    order: int = 0,
) -> Target:
    """A target of the criterion for ``areas`` and/or the total, for the years given.

    The target passes the engine's own check (``invalid_target``: a threshold without a
    value, a reference target without its series ...) and the model's; an area or series
    of another plan is refused (``other_plan``), as is a target for nothing
    (``no_scope``: neither areas nor the total)."""
    areas = list(areas)
    plan = criterion.plan
    _of_plan(plan, "areas", areas, _("Området"))
    _of_plan(plan, "reference_series", [reference_series], _("Sammenligningsserien"))
    if not areas and not applies_to_total:
        raise ValidationError(
            {
                "areas": ValidationError(
                    _("Angiv de områder, målet gælder, eller det samlede område."),
                    code="no_scope",
                )
            }
        )
    target = Target(
        criterion=criterion,
        kind=kind,
        first_year=first_year,
        last_year=last_year,
        applies_to_total=applies_to_total,
        op=op,
        value=value,
        percent=percent,
        change_unit=change_unit,
        baseline_year=baseline_year,
        baseline_value=baseline_value,
        reference_series=reference_series,
        reference_year=reference_year,
        source_text=source_text,
        order=order,
    )
    target.full_clean()
    try:
        target.to_engine().validate()
    except ValueError as exc:
        raise _invalid_target(exc) from exc
    target.save()
    if areas:
        target.areas.set(areas)
    return target


@transaction.atomic
def seed_note_create(
    *, criterion: SuccessCriterion, kind: str, title: str, text: str, order: int = 0
) -> SeedNote:
    """A note on the agreement's wording (a contradiction, an undated figure, context),
    quoted so nothing is corrected that the agreement does not correct.

    Refused: the same title twice on the criterion (``unique``), a CPR number."""
    note = SeedNote(criterion=criterion, kind=kind, title=title, text=text, order=order)
    note.full_clean()
    note.save()
    return note
