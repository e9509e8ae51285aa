"""Writes for success criteria: registering, approving and importing observations, and
changing targets. Views, the import command and the API call these; nothing else writes.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.audit.context import audit_reason
from helhedsplan.audit.services import audit_event
from helhedsplan.criteria.models import Measure, Observation, SuccessCriterion, Target
from helhedsplan.lib import concurrency
from helhedsplan.lib.numbers import fmt_number
from helhedsplan.plans.models import HousingArea, Plan


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a value: which field, what, and a stable code."""

    field: str
    message: str
    code: str


def check_values(
    *,
    measure: Measure,
    year: int,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
    rating: str = "",
) -> tuple[Decimal | None, list[Problem]]:
    """Validate one observation's numbers against its measure; returns the value to store.

    For a rate with numerator and denominator and no value, the value is computed from them.
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
    if measure.value_kind == Measure.ValueKind.RATING:
        if not rating:
            problems.append(
                Problem(
                    "rating",
                    _("Vælg en vurdering for denne kvalitative måling."),
                    "rating_required",
                )
            )
        return None, problems
    for name, number in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        if number is not None and number < 0:
            message = (
                _("Et antal kan ikke være negativt (%(value)s).")
                if measure.value_kind == Measure.ValueKind.COUNT or name != "value"
                else _("Værdien kan ikke være negativ (%(value)s).")
            )
            problems.append(Problem(name, message % {"value": fmt_number(number)}, "negative"))
    if denominator is not None and denominator == 0:
        problems.append(Problem("denominator", _("Nævneren kan ikke være 0."), "zero_denominator"))
    if problems:
        return value, problems
    if (numerator is None) != (denominator is None):
        field = "denominator" if denominator is None else "numerator"
        problems.append(
            Problem(field, _("Angiv både tæller og nævner, eller ingen af dem."), "half_rate")
        )
    elif numerator is not None and denominator:
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
    return value, problems


def _raise(problems: list[Problem]) -> None:
    if problems:
        raise ValidationError(
            {p.field: [ValidationError(p.message, code=p.code)] for p in problems}
        )


def check_area_allowed(area: HousingArea | None, allowed_area_ids: Collection[int] | None) -> None:
    """``allowed_area_ids`` None means every area and the total (secretariat, municipality)."""
    if allowed_area_ids is None:
        return
    if area is None or area.pk not in allowed_area_ids:
        raise ValidationError(
            {"area": [ValidationError(_("Du kan kun registrere for dine egne områder."),
                                      code="area_not_allowed")]}
        )  # fmt: skip


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
    version: str | None = None,
) -> Observation:
    """Register (or correct) the main observation for measure, area and year, as a draft.

    A correction of an approved figure goes back to draft and must be approved again; a
    returned one becomes a draft again. ``version`` is the token the form was opened from
    (``concurrency.NEW`` when no observation existed): a changed one is refused with
    code ``stale_edit`` and nothing is written. None skips the check (no form).
    """
    if area is not None and area.plan_id != measure.plan_id:
        raise ValidationError({"area": _("Ukendt område.")}, code="unknown_area")
    check_area_allowed(area, allowed_area_ids)
    value, problems = check_values(
        measure=measure, year=year, value=value, numerator=numerator,
        denominator=denominator, rating=rating,
    )  # fmt: skip
    _raise(problems)
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
    obs.value, obs.numerator, obs.denominator = value, numerator, denominator
    obs.rating, obs.narrative, obs.source_note = rating, narrative, source_note
    obs.state = Observation.State.DRAFT
    obs.registered_by, obs.registered_at = user, timezone.now()
    obs.approved_by, obs.approved_at = None, None
    obs.return_comment, obs.returned_by, obs.returned_at = "", None, None
    obs.full_clean()
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
    (code ``stale_edit``)."""
    obs = _lock_draft(observation, version)
    obs.state = Observation.State.APPROVED
    obs.approved_by, obs.approved_at = user, timezone.now()
    obs.full_clean()
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
        raise ValidationError(
            _("Målet hænger ikke sammen: %(why)s") % {"why": exc}, code="invalid_target"
        ) from exc
    with audit_reason(reason):
        target.save(update_fields=list(changed))
    return target


# --- bulk import ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportRow:
    """One parsed row; ``line`` is the row number the user sees in their file."""

    line: int
    code: str
    area: str
    year: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    source: str


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
    "rating": "værdi", "area": "område",
}  # fmt: skip


@transaction.atomic
def observations_import(
    *,
    plan: Plan,
    rows: list[ImportRow],
    user: Any = None,
    allowed_area_ids: Collection[int] | None = None,
    approve: bool = False,
    file_name: str = "",
    progress: Any = None,
) -> int:
    """Import rows as observations, all or nothing. Returns the number written.

    Rows become drafts, or approved observations when ``approve`` (secretariat only; the
    caller checks). Existing observations for the same measure, area and year are replaced.
    Raises ``ImportFailed`` listing every error by row and column.
    """
    if not rows:
        raise ImportFailed([ImportError_(None, "", _("Filen har ingen datarækker."), "empty")])
    criteria = {
        c.code: c for c in SuccessCriterion.objects.filter(plan=plan).select_related("measure")
    }
    areas = {a.slug: a for a in HousingArea.objects.filter(plan=plan)}
    errors: list[ImportError_] = []
    seen: dict[tuple[int, int | None, int], int] = {}
    valid: list[tuple[ImportRow, Measure, HousingArea | None, Decimal | None]] = []
    for row in rows:
        if progress is not None:
            progress.update(1)
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
        measure = criterion.measure
        if measure.value_kind == Measure.ValueKind.RATING:
            errors.append(ImportError_(row.line, "kriterium", _(
                "Kvalitative vurderinger registreres i formularen, ikke ved import."
            ), "rating_not_importable"))  # fmt: skip
            continue
        value, problems = check_values(
            measure=measure, year=row.year, value=row.value, numerator=row.numerator,
            denominator=row.denominator,
        )  # fmt: skip
        for p in problems:
            errors.append(
                ImportError_(row.line, _COLUMN_OF.get(p.field, p.field), p.message, p.code)
            )
        key = (measure.pk, area.pk if area else None, row.year)
        if key in seen:
            errors.append(ImportError_(row.line, "", _(
                "Dubletrække: samme kriterium, område og år som række %(other)s."
            ) % {"other": seen[key]}, "duplicate_row"))  # fmt: skip
            continue
        seen[key] = row.line
        if not problems:
            valid.append((row, measure, area, value))
    if errors:
        raise ImportFailed(errors)
    return _write_import(plan, valid, user, approve, file_name)


def _write_import(
    plan: Plan,
    valid: list[tuple[ImportRow, Measure, HousingArea | None, Decimal | None]],
    user: Any,
    approve: bool,
    file_name: str,
) -> int:
    now = timezone.now()
    state = Observation.State.APPROVED if approve else Observation.State.DRAFT
    measure_ids = {m.pk for _, m, _, _ in valid}
    existing = {
        (o.measure_id, o.area_id, o.year): o
        for o in Observation.objects.filter(measure_id__in=measure_ids, variant="")
    }
    new, updated = [], []
    for row, measure, area, value in valid:
        obs = existing.get((measure.pk, area.pk if area else None, row.year))
        if obs is None:
            obs = Observation(measure=measure, area=area, year=row.year, variant="")
            new.append(obs)
        else:
            updated.append(obs)
        obs.value, obs.numerator, obs.denominator = value, row.numerator, row.denominator
        obs.source_note, obs.state = row.source, state
        obs.registered_by, obs.registered_at = user, now
        obs.approved_by, obs.approved_at = (user, now) if approve else (None, None)
    Observation.objects.bulk_create(new, batch_size=2000)
    Observation.objects.bulk_update(
        updated,
        ["value", "numerator", "denominator", "source_note", "state", "registered_by",
         "registered_at", "approved_by", "approved_at"],
        batch_size=2000,
    )  # fmt: skip
    # bulk writes bypass the per-row audit signals: one business event records the import.
    audit_event(
        instance=plan,
        event="observations.imported",
        actor=user,
        changes={"file": file_name, "created": len(new), "updated": len(updated),
                 "state": str(state)},
    )  # fmt: skip
    return len(new) + len(updated)
