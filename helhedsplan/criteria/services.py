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
from helhedsplan.agreements import changes
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
from helhedsplan.lib.slugs import free_slug
from helhedsplan.plans import versions
from helhedsplan.plans.closing import ensure_plan_open
from helhedsplan.plans.models import FocusArea, HousingArea, Plan
from helhedsplan.statusreports import locking


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
    and the corrected figure stays approved. An approved figure an issued status report
    locks (``statusreports.locking``) is refused without a reason with code ``period_locked``
    naming the report; with one, the correction is also stored as a ``PeriodCorrection``.
    Registering what is already stored changes nothing. ``version`` is the token the form
    was opened from (``concurrency.NEW`` when no observation existed): a changed one is
    refused with code ``stale_edit`` and nothing is written. None skips the check (no form).
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
    lock = None
    if was_approved:
        if not may_correct_approved:
            locked = ValidationError(_approved_locked(old, _content(obs)), code="approved_locked")
            raise ValidationError({NON_FIELD_ERRORS: [locked]})
        lock = locking.observation_lock(old)
        if lock is not None and not reason:
            raise locking.refusal(lock)
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
        if lock is not None:
            locking.correction_record(
                report=lock, kind=locking.OBSERVATION, object_id=obs.pk,
                label=observation_label(obs), old=before or {}, new=_content(obs),
                reason=reason, user=user,
            )  # fmt: skip
    return obs


def observation_label(obs: Observation) -> str:
    """How a correction names an observation: "Tryghed (politiets måling): Motalavej 2016"."""
    return f"{obs.measure.name}: {_where(obs)}"


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
    ``version`` is the token the form was opened from (code ``stale_edit`` if changed).

    On a plan under an approved agreement (``agreements.changes``) the target is not edited:
    the change is a new target introduced by the open draft version, which supersedes this
    one, both from the day that version comes into force (a reason is required; codes
    ``draft_version_required``, ``already_changed``). A target that is itself a proposal of
    the open draft (or returned) version is edited in place. Returns the target as changed
    (the new row under an agreement)."""
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
    if "first_year" in changed or "last_year" in changed:
        _within_plan(target.criterion.plan, target.criterion.measure,
                     changed.get("first_year", target.first_year),
                     changed.get("last_year", target.last_year))  # fmt: skip
    if _versioned(target):
        return _target_replace(target, changed, reason, user)
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


def _versioned(target: Target) -> bool:
    """Changes to this target go through an agreement version: the plan is under an
    approved agreement and the target is not a proposal of the version being drafted."""
    introduced = target.introduced_by
    if introduced is not None and introduced.status in changes.EDITABLE:
        return False
    return changes.under_agreement(target.criterion.plan)


def _not_current(target: Target) -> ValidationError | None:
    superseded = target.superseded_by
    if superseded is None:
        return None
    return ValidationError(
        _("Målet er allerede ændret eller afsluttet i version %(n)s af aftalen (%(status)s). "
          "Ret det nye mål i stedet.")
        % {"n": superseded.number, "status": superseded.get_status_display().lower()},
        code="already_changed",
    )  # fmt: skip


def _supersede(target: Target, draft: Any, reason: str, end: bool) -> None:
    """Mark ``target`` (and the targets set from it, if it awaited a baseline) superseded
    by ``draft``."""
    for t in [target, *target.set_targets.filter(superseded_by__isnull=True)]:
        t.superseded_by = draft
        if end:
            t.end_reason = reason
        t.save(update_fields=["superseded_by", "end_reason"])


def _target_replace(target: Target, changed: dict[str, Any], reason: str, user: Any) -> Target:
    draft = changes.require_draft(target.criterion.plan)
    reason = changes.require_reason(reason, _("målet for %(code)s") % {
        "code": target.criterion.code})  # fmt: skip
    problem = _not_current(target)
    if problem is not None:
        raise problem
    # A fresh row with the old one's values (not a copy of the instance: its cache of
    # related objects would be shared with the old row).
    new = Target(**{
        f.attname: getattr(target, f.attname)
        for f in Target._meta.concrete_fields if not f.primary_key
    })  # fmt: skip
    for name, value in changed.items():
        setattr(new, name, value)
    new.introduced_by, new.superseded_by, new.replaces = draft, None, target
    new.change_reason, new.end_reason = reason, ""
    try:
        new.full_clean()
        new.to_engine().validate()
    except ValueError as exc:
        raise _invalid_target(exc) from exc
    with audit_reason(reason):
        new.save()
        new.areas.set(target.areas.all())
        _supersede(target, draft, reason, end=False)
    return new


@transaction.atomic
def target_end(
    *, target: Target, reason: str = "", user: Any = None, version: str | None = None
) -> Target | None:
    """End a target: under an approved agreement it is superseded by the open draft version
    (from the day that version comes into force; a reason is required); a proposal of the
    draft is withdrawn (deleted, and the target it would replace stays); on a plan without an
    approved agreement it is deleted (with a reason when the criterion has observations).
    Returns the target when it stays (superseded), None when deleted.
    Codes: ``draft_version_required``, ``reason_required``, ``already_changed``,
    ``stale_edit`` (``version``: the token the page was opened at)."""
    if version is not None:
        concurrency.lock_and_check(target, version, what=_("Målet"))
    target = (
        Target.objects.select_for_update(of=("self",))
        .select_related("criterion__plan", "introduced_by", "superseded_by", "replaces")
        .get(pk=target.pk)
    )
    code = target.criterion.code
    if _versioned(target):
        draft = changes.require_draft(target.criterion.plan)
        reason = changes.require_reason(reason, _("målet for %(code)s") % {"code": code})
        problem = _not_current(target)
        if problem is not None:
            raise problem
        with audit_reason(reason):
            _supersede(target, draft, reason, end=True)
        return target
    reason = reason.strip()
    proposal = target.introduced_by is not None
    if not proposal and not reason and criterion_has_observations(target.criterion):
        raise ValidationError(
            {"reason": [ValidationError(
                _("Kriteriet har allerede observationer. Skriv en begrundelse for ændringen."),
                code="reason_required",
            )]}
        )  # fmt: skip
    with audit_reason(reason):
        replaced = target.replaces
        if (
            proposal
            and replaced is not None
            and replaced.superseded_by_id == target.introduced_by_id
        ):
            for t in [replaced, *replaced.set_targets.filter(superseded_by=target.introduced_by)]:
                t.superseded_by = None
                t.save(update_fields=["superseded_by"])
        for t in target.set_targets.all():
            t.delete()
        target.delete()
    return None


@transaction.atomic
def success_criterion_update(
    *,
    criterion: SuccessCriterion,
    title: str,
    text: str,
    data_source_text: str | None = None,
    reason: str = "",
    user: Any = None,
    version: str | None = None,
) -> SuccessCriterion:
    """Change a criterion's title and text (and the agreement's data-source text).

    Under an approved agreement the change is proposed in the open draft version
    (``agreements.changes.proposed_change_record``) and applies when that version is in
    force; the criterion is returned unchanged. Otherwise it applies in place, with a
    reason when the criterion has observations. Codes: ``stale_edit``,
    ``draft_version_required``, ``reason_required``."""
    if version is not None:
        criterion = changes.lock_and_check(
            criterion, version, what=_("Succeskriteriet %(code)s") % {"code": criterion.code}
        )
    values = {"title": title, "text": text}
    if data_source_text is not None:
        values["data_source_text"] = data_source_text
    if changes.under_agreement(criterion.plan):
        changes.proposed_change_record(obj=criterion, values=values, reason=reason, actor=user)
        return criterion
    changed = {k: v for k, v in values.items() if getattr(criterion, k) != v}
    if not changed:
        return criterion
    reason = reason.strip()
    if not reason and criterion_has_observations(criterion):
        raise ValidationError(
            {"reason": [ValidationError(
                _("Kriteriet har allerede observationer. Skriv en begrundelse for ændringen."),
                code="reason_required",
            )]}
        )  # fmt: skip
    for name, value in changed.items():
        setattr(criterion, name, value)
    criterion.full_clean()
    with audit_reason(reason):
        criterion.save(update_fields=list(changed))
    return criterion


# The kinds a pending baseline may be set to, and how the baseline enters each.
SET_KINDS = (
    Target.Kind.THRESHOLD, Target.Kind.DIRECTION, Target.Kind.PATH,
    Target.Kind.COMPOUNDED, Target.Kind.YEAR_OVER_YEAR,
)  # fmt: skip


def _same_pending(target: Target) -> list[Target]:
    """The pending targets that are "the same target" as ``target`` on every criterion
    measured by the same measure: same years, baseline year, areas and total. 5.1.1 and
    5.2.1 carry one pending target each; setting one sets both."""
    area_ids = set(target.areas.values_list("pk", flat=True))
    candidates = (
        Target.objects.select_for_update(of=("self",))
        .filter(
            criterion__measure_id=target.criterion.measure_id,
            kind=Target.Kind.PENDING_BASELINE,
            first_year=target.first_year,
            last_year=target.last_year,
            baseline_year=target.baseline_year,
            applies_to_total=target.applies_to_total,
            superseded_by__isnull=True,
        )
        .select_related("criterion__measure", "introduced_by", "superseded_by")
        .order_by("criterion__order", "criterion__code", "pk")
    )
    return [t for t in candidates if set(t.areas.values_list("pk", flat=True)) == area_ids]


def pending_siblings(target: Target) -> list[Target]:
    """The pending targets set together with ``target`` (itself included), for the form."""
    with transaction.atomic():
        return _same_pending(target)


@transaction.atomic
def target_set_from_baseline(
    *,
    target: Target,
    area: HousingArea,
    kind: str,
    reason: str,
    op: str = "",
    value: Decimal | None = None,
    percent: Decimal | None = None,
    change_unit: str = "percent",
    user: Any = None,
) -> list[Target]:
    """ "Fastlæg mål ud fra nulpunktet": set a pending-baseline target for one area from the
    registered (approved) baseline of its baseline year, on every criterion of the same
    measure that carries the same pending target, in one transaction (5.1.1 and 5.2.1 cannot
    drift apart). Each new target keeps the link (``set_from``) and replaces the pending one
    for that area; the baseline is written into it as agreed (``baseline_value``).

    Not an agreement change: the agreement itself prescribes that the target is set from
    the baseline, so no draft version is needed; it is an audited act with a reason.
    Codes: ``not_pending``, ``area_not_in_target``, ``already_set``, ``no_baseline``,
    ``kind_not_allowed``, ``reason_required``, ``invalid_target``."""
    target = Target.objects.select_related("criterion__measure", "criterion__plan").get(
        pk=target.pk
    )
    if target.kind != Target.Kind.PENDING_BASELINE or target.superseded_by_id is not None:
        raise ValidationError(_("Målet afventer ikke et nulpunkt."), code="not_pending")
    if not target.areas.filter(pk=area.pk).exists():
        raise ValidationError(
            {"area": ValidationError(_("Målet gælder ikke %(area)s.") % {"area": area.name},
                                     code="area_not_in_target")}
        )  # fmt: skip
    if kind not in SET_KINDS:
        raise ValidationError(
            {"kind": ValidationError(_("Vælg tærskel, retning, forløb eller årlig ændring."),
                                     code="kind_not_allowed")}
        )  # fmt: skip
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Skriv en begrundelse: den gemmes i revisionssporet."),
                                       code="reason_required")}
        )  # fmt: skip
    measure = target.criterion.measure
    assert target.baseline_year is not None  # a pending target has one (the engine's rule)
    baseline = Observation.objects.filter(
        measure=measure, area=area, year=target.baseline_year, variant="",
        state=Observation.State.APPROVED, value__isnull=False,
    ).first()  # fmt: skip
    if baseline is None:
        raise ValidationError(
            _("Der er intet godkendt nulpunkt for %(area)s i %(year)s på »%(measure)s«. "
              "Registrér og godkend tallet først.")
            % {"area": area.name, "year": target.baseline_year, "measure": measure.name},
            code="no_baseline",
        )  # fmt: skip
    uses_baseline = kind != Target.Kind.THRESHOLD
    created = []
    with audit_reason(reason):
        for pending in _same_pending(target):
            if pending.set_targets.filter(areas=area, superseded_by__isnull=True).exists():
                raise ValidationError(
                    _("Målet for %(code)s i %(area)s er allerede fastlagt ud fra nulpunktet.")
                    % {"code": pending.criterion.code, "area": area.name},
                    code="already_set",
                )
            new = Target(
                criterion=pending.criterion, kind=kind, first_year=pending.first_year,
                last_year=pending.last_year, op=op, value=value, percent=percent,
                change_unit=change_unit,
                baseline_year=pending.baseline_year if uses_baseline else None,
                baseline_value=baseline.value if uses_baseline else None,
                source_text=pending.source_text, order=pending.order,
                introduced_by=pending.introduced_by, superseded_by=pending.superseded_by,
                set_from=pending, change_reason=reason,
            )  # fmt: skip
            new.full_clean()
            try:
                new.to_engine().validate()
            except ValueError as exc:
                raise _invalid_target(exc) from exc
            new.save()
            new.areas.set([area])
            audit_event(
                instance=pending, event="target.set_from_baseline", actor=user,
                changes={"area": area.name, "baseline": str(baseline.value),
                         "target": new.describe()},
                reason=reason,
            )  # fmt: skip
            created.append(new)
    return created


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
    return _compare(plan, candidates, areas, approve, may_correct_approved, reason.strip(), lock)


def _compare(
    plan: Plan,
    candidates: list[tuple[ImportRow, Observation]],
    areas: dict[str, HousingArea],
    approve: bool,
    may_correct_approved: bool,
    reason: str,
    lock: bool,
) -> ImportPlan:
    """The valid rows against what is stored: create, change or unchanged; approved
    figures change only as a correction (secretariat, with a reason), and one an issued
    status report locks not at all: an import gives no reason per row (``period_locked``)."""
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
    locks = locking.locked_periods(plan)
    approved = [o.pk for o in existing.values() if o.state == Observation.State.APPROVED]
    corrected = locking.corrections_for(plan, locking.OBSERVATION, approved if locks else [])
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
            report = locks.observation(
                current, [c.report_id for c in corrected.get(current.pk, [])]
            )
            if report is not None:
                errors.append(ImportError_(row.line, column, _period_locked(current, new, report),
                                           locking.CODE))  # fmt: skip
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


def _period_locked(obs: Observation, new: dict[str, Any], report: Any) -> str:
    old = _content(obs)
    values = {"where": _where(obs), "old": display_figure(obs), "new": display_figure(new),
              "what": text_changes(old, new), "report": locking.report_name(report)}  # fmt: skip
    if _figure_changes(old, new):
        message = _(
            "Tallet for %(where)s (%(old)s) er låst af %(report)s og ville blive ændret til "
            "%(new)s. En indlæsning kan ikke give en begrundelse pr. række: ret tallet på "
            "kriteriets side med en begrundelse for rettelsen."
        )
    else:
        message = _(
            "Observationen for %(where)s (%(old)s) er låst af %(report)s, og %(what)s ville "
            "blive ændret. En indlæsning kan ikke give en begrundelse pr. række: ret den på "
            "kriteriets side med en begrundelse for rettelsen."
        )
    return message % values


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


@versions.batched()  # the entries' raise and the event's: the plan's version raised once
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
        # A created observation's entry diffs it against nothing: no copy of the before.
        before = copy.copy(obs) if planned.action != CREATE else None
        for name, value in planned.new.items():
            setattr(obs, name, value)
        if planned.old is None or planned.old != planned.new:
            obs.registered_by, obs.registered_at = user, now
        obs.state = planned.state
        if planned.state != Observation.State.APPROVED:
            obs.approved_by, obs.approved_at = None, None
        elif planned.old_state != Observation.State.APPROVED or planned.correction:
            obs.approved_by, obs.approved_at = user, now
        if before is None:
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
    import_plan = _compare(plan, candidates, areas, approve, False, "", lock=True)
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


# A measure may hold baseline years before the plan (the seed's figures go back to 2013 for
# a plan from 2018), at most this many; it ends within the plan's years.
BASELINE_YEARS = 10
NO_DIRECTION = "none"  # the forms' explicit choice of "no direction" (stored as "")


def _field_error(field_name: str, message: str, code: str) -> ValidationError:
    return ValidationError({field_name: ValidationError(message, code=code)})


def _check_measure(plan: Plan, measure: Measure) -> None:
    """A measure's rules beyond the model's fields, each refused on its field in Danish:
    the years within the plan (baseline years before it allowed), a rate's labels, no
    rate for a qualitative rating, the slug once per plan."""
    first_allowed = plan.start_date.year - BASELINE_YEARS
    if measure.first_year > measure.last_year:
        raise _field_error(
            "last_year",
            _("Sidste år (%(last)s) ligger før første år (%(first)s).")
            % {"first": measure.first_year, "last": measure.last_year},
            "years_order",
        )
    if measure.last_year not in plan.years:
        raise _field_error(
            "last_year",
            _("Sidste år skal ligge i planens år (%(first)s-%(last)s).")
            % {"first": plan.years[0], "last": plan.years[-1]},
            "years_outside_plan",
        )
    if measure.first_year < first_allowed:
        raise _field_error(
            "first_year",
            _(
                "Første år kan højst ligge %(n)s år før planens start (tidligst %(year)s); "
                "nulpunkter før planen er i orden."
            )
            % {"n": BASELINE_YEARS, "year": first_allowed},
            "years_outside_plan",
        )
    if measure.is_rate and measure.value_kind == Measure.ValueKind.RATING:
        raise _field_error(
            "is_rate",
            _("En kvalitativ vurdering kan ikke være en rate med tæller og nævner."),
            "rate_for_rating",
        )
    if measure.is_rate:
        for name, label in (
            ("numerator_label", _("tælleren")),
            ("denominator_label", _("nævneren")),
        ):
            if not getattr(measure, name).strip():
                raise _field_error(
                    name,
                    _("En rate skal have navnet på %(what)s, fx »fraflytninger« og »boliger«.")
                    % {"what": label},
                    "rate_labels_required",
                )
    if Measure.objects.filter(plan=plan, slug=measure.slug).exclude(pk=measure.pk).exists():
        raise _field_error(
            "slug",
            _("Planen har allerede en måling med det korte navn »%(slug)s«.")
            % {"slug": measure.slug},
            "unique",
        )


def measure_slug_for(plan: Plan, name: str) -> str:
    """A free slug from the measure's name: "paasatte-brande", then "-2", "-3" ..."""
    taken = set(Measure.objects.filter(plan=plan).values_list("slug", flat=True))
    return free_slug(name, taken, fallback="maaling")


@transaction.atomic
def measure_create(
    *,
    plan: Plan,
    slug: str = "",
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
    data_owner: str = Measure.DataOwner.SECRETARIAT,
    frequency: str = Measure.Frequency.YEARLY,
    description: str = "",
    order: int = 0,
) -> Measure:
    """A measure of the plan: what is counted, in which unit, from which source, who
    delivers it, who registers it (``data_owner``: whose due list it is on), how often and
    which way is better (``direction`` empty: none, for
    qualitative ratings and background figures; a criterion's measure needs one unless it
    is a rating, see ``success_criterion_create``). ``slug`` empty: made from the name.

    Refused (on the field, in Danish): a slug in use in the plan (``unique``), years out
    of order (``years_order``), a last year outside the plan's years or a first year more
    than ``BASELINE_YEARS`` before its start (``years_outside_plan``), a rate without its
    numerator and denominator labels (``rate_labels_required``), a rating as a rate
    (``rate_for_rating``), the model's rules, a CPR number."""
    measure = Measure(
        plan=plan,
        slug=slug or measure_slug_for(plan, name),
        name=name,
        value_kind=value_kind,
        unit=unit,
        direction="" if direction == NO_DIRECTION else direction,
        is_rate=is_rate,
        numerator_label=numerator_label,
        denominator_label=denominator_label,
        data_source=data_source,
        delivered_by=delivered_by,
        data_owner=data_owner,
        frequency=frequency,
        first_year=first_year,
        last_year=last_year,
        description=description,
        order=order,
    )
    _check_measure(plan, measure)
    measure.full_clean()
    measure.save()
    return measure


# What ``measure_update`` may change. The meaning of stored figures rests on the first
# three (and on the years holding them): with observations they are refused.
MEASURE_MEANING = ("value_kind", "is_rate")
MEASURE_FIELDS = (
    "value_kind", "is_rate", "first_year", "last_year", "name", "unit", "direction",
    "numerator_label", "denominator_label", "data_source", "delivered_by", "data_owner",
    "frequency", "description",
)  # fmt: skip


@transaction.atomic
def measure_update(
    *,
    measure: Measure,
    reason: str = "",
    version: str | None = None,
    **fields: Any,
) -> Measure:
    """Change a measure. Name, unit, source, who delivers it, frequency, labels and the
    description may always change; every change is in the audit trail with old and new
    values (and ``reason`` on the entry).

    On a measure with observations (the figures would change meaning): a change of value
    kind or rate is refused (``has_observations``), years that would leave an observation
    outside are refused (``observations_outside_years``; widening is allowed), and a
    change of direction needs a ``reason`` (``reason_required``: it changes what counts as
    met). A measure that a criterion is measured by keeps a direction unless it is a rating
    (``direction_required``). Also the create's rules, and ``stale_edit`` against
    ``version``."""
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise ValueError(f"unknown measure fields: {sorted(unknown)}")
    if fields.get("direction") == NO_DIRECTION:
        fields["direction"] = ""
    locked = concurrency.lock_and_check(measure, version, what=_("Målingen"))
    changed = {k: v for k, v in fields.items() if getattr(locked, k) != v}
    if not changed:
        return locked
    observations = Observation.objects.filter(measure=locked)
    if observations.exists():
        meaning = [name for name in MEASURE_MEANING if name in changed]
        if meaning:
            labels = ", ".join(
                str(getattr(Measure._meta.get_field(n), "verbose_name", n)) for n in meaning
            )
            raise _field_error(
                meaning[0],
                _(
                    "Målingen har allerede observationer: %(what)s kan ikke ændres, for så "
                    "ville de registrerede tal skifte betydning. Opret en ny måling i stedet."
                )
                % {"what": labels},
                "has_observations",
            )
        first = fields.get("first_year", locked.first_year)
        last = fields.get("last_year", locked.last_year)
        outside = observations.exclude(year__gte=first, year__lte=last).order_by("year")
        years = sorted(set(outside.values_list("year", flat=True)))
        if years:
            raise _field_error(
                "first_year" if years[0] < first else "last_year",
                _(
                    "Målingen har observationer for %(years)s, som ville falde uden for "
                    "årene %(first)s-%(last)s. Årene kan udvides, ikke indsnævres forbi "
                    "registrerede tal."
                )
                % {"years": ", ".join(str(y) for y in years), "first": first, "last": last},
                "observations_outside_years",
            )
        if "direction" in changed and not reason.strip():
            raise _field_error(
                "reason",
                _(
                    "Målingen har allerede observationer, og retningen afgør, hvad der "
                    "tæller som opfyldt. Skriv en begrundelse for ændringen."
                ),
                "reason_required",
            )
    for name, value in changed.items():
        setattr(locked, name, value)
    if (
        not locked.direction
        and locked.value_kind != Measure.ValueKind.RATING
        and SuccessCriterion.objects.filter(measure=locked).exists()
    ):
        raise _field_error(
            "direction",
            _("Målingen bruges af et succeskriterium og skal have en retning."),
            "direction_required",
        )
    _check_measure(locked.plan, locked)
    locked.full_clean()
    with audit_reason(reason.strip()):
        locked.save(update_fields=list(changed))
    for name in changed:
        setattr(measure, name, getattr(locked, name))
    return locked


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


# Words of the criteria URLs (/succeskriterier/ny/, .../import/): no criterion's code.
RESERVED_CODES = frozenset({"ny", "import", "godkendelser", "maalinger", "observationer"})


def agreement_is_approved(plan: Plan) -> bool:
    """The plan's strategic agreement has an approved version: from then on its success
    criteria change only in a draft version of the agreement (seed §11)."""
    from helhedsplan.agreements.models import AgreementVersion, VersionStatus

    return AgreementVersion.objects.filter(plan=plan, status=VersionStatus.APPROVED).exists()


def next_criterion_code(plan: Plan, focus_area: FocusArea | None) -> str:
    """The focus area's code and the next free number: 5.1.3 after 5.1.1 and 5.1.2."""
    if focus_area is None:
        return ""
    prefix = f"{focus_area.code}."
    codes = set(
        SuccessCriterion.objects.filter(plan=plan, code__startswith=prefix).values_list(
            "code", flat=True
        )
    )
    numbers = [int(c[len(prefix) :]) for c in codes if c[len(prefix) :].isdigit()]
    n = max(numbers, default=0) + 1
    while f"{prefix}{n}" in codes:
        n += 1
    return f"{prefix}{n}"


@transaction.atomic
def success_criterion_create(
    *,
    plan: Plan,
    focus_area: FocusArea,
    code: str,
    title: str,
    text: str,
    measure: Measure | None = None,
    new_measure: Mapping[str, Any] | None = None,
    data_source_text: str = "",
    context_measures: Iterable[Measure] = (),
    order: int | None = None,
) -> SuccessCriterion:
    """A success criterion as the agreement words it, measured by ``measure`` or by a
    measure created with it from ``new_measure`` (``measure_create``'s arguments; one of
    the two); ``context_measures`` are background figures shown with it. ``order`` None:
    after the plan's criteria.

    Refused (nothing written, the new measure neither): a plan whose agreement has an
    approved version (``agreement_approved``: the criterion is then added in a draft
    version of the agreement), a focus area or measure of another plan (``other_plan``), a
    code in use in the plan (``unique``), no measure or two (``measure_required``), a
    measure without a direction unless it is a qualitative rating (``direction_required``),
    the measure's own rules, a CPR number in the texts (``cpr_number``)."""
    if agreement_is_approved(plan):
        raise ValidationError(
            _(
                "Planens strategiske aftale er godkendt af Landsbyggefonden. Et nyt "
                "succeskriterium er en ændring af aftalen og tilføjes i en kladde til en ny "
                "version af aftalen, som Landsbyggefonden godkender."
            ),
            code="agreement_approved",
        )
    context = list(context_measures)
    _of_plan(plan, "focus_area", [focus_area], _("Indsatsområdet"))
    _of_plan(plan, "measure", [measure, *context], _("Målingen"))
    code = code.strip()
    if code.casefold() in RESERVED_CODES:
        raise _field_error(
            "code",
            _("»%(code)s« kan ikke bruges som nummer; brug fx 5.1.3.") % {"code": code},
            "reserved_code",
        )
    if code and SuccessCriterion.objects.filter(plan=plan, code=code).exists():
        raise _field_error(
            "code",
            _("Planen har allerede et succeskriterium med nummeret %(code)s.") % {"code": code},
            "unique",
        )
    if (measure is None) == (new_measure is None):
        raise _field_error(
            "measure",
            _("Vælg den måling, kriteriet måles på, eller opret en ny."),
            "measure_required",
        )
    if measure is None:
        assert new_measure is not None
        measure = measure_create(plan=plan, **new_measure)
    if not measure.direction and measure.value_kind != Measure.ValueKind.RATING:
        raise _field_error(
            "direction" if new_measure is not None else "measure",
            _(
                "Målingen »%(measure)s« har ingen retning. Et succeskriterium skal vide, om "
                "lavere eller højere er bedre (kun kvalitative vurderinger er uden)."
            )
            % {"measure": measure.name},
            "direction_required",
        )
    if order is None:
        top = SuccessCriterion.objects.filter(plan=plan).aggregate(top=models.Max("order"))
        order = (top["top"] or 0) + 1
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
    reason: str = "",
    user: Any = None,
) -> Target:
    """A target of the criterion for ``areas`` and/or the total, for the years given.

    The target passes the engine's own check (``invalid_target``: a threshold without a
    value, a reference target without its series ...) and the model's; its years lie within
    the plan's (``outside_plan``); an area or series of another plan is refused
    (``other_plan``), as is a target for nothing (``no_scope``: neither areas nor the total).
    On a plan under an approved agreement the target is introduced by the open draft version
    and applies from the day that version comes into force; a ``reason`` is required
    (codes ``draft_version_required``, ``reason_required``)."""
    areas = list(areas)
    plan = criterion.plan
    draft = None
    if changes.under_agreement(plan):
        draft = changes.require_draft(plan)
        reason = changes.require_reason(reason, _("målene for %(code)s") % {
            "code": criterion.code})  # fmt: skip
    _within_plan(plan, criterion.measure, first_year, last_year)
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
        introduced_by=draft,
        change_reason=reason.strip(),
    )
    target.full_clean()
    try:
        target.to_engine().validate()
    except ValueError as exc:
        raise _invalid_target(exc) from exc
    with audit_reason(reason.strip()):
        target.save()
        if areas:
            target.areas.set(areas)
    return target


def _within_plan(plan: Plan, measure: Measure, first_year: int, last_year: int) -> None:
    """A target's years lie within the plan's years (code ``outside_plan``). A target may
    start before the plan as far back as its measure's first year: agreements set targets
    from figures before the plan starts (the seed's 5.2.2 runs 2017-2021 in a 2018-21 plan);
    it never ends after the plan."""
    years = list(plan.years)
    if not years:
        return
    earliest = min(years[0], measure.first_year)
    if first_year < earliest or last_year > years[-1]:
        raise ValidationError(
            {"first_year" if first_year < earliest else "last_year": ValidationError(
                _("Målets år (%(first)s-%(last)s) ligger uden for planens år "
                  "(%(plan_first)s-%(plan_last)s).")
                % {"first": first_year, "last": last_year, "plan_first": years[0],
                   "plan_last": years[-1]},
                code="outside_plan",
            )}
        )  # fmt: skip


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
