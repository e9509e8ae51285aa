"""Changes follow the agreement (seed § 11: every change to the strategic agreement needs
LBF's approval; § 5's success criteria are part of it).

On a plan whose agreement has an approved version (``under_agreement``) a change to a focus
area's or a success criterion's text, or to a target, is made in the open draft agreement
version (draft or returned: ``open_draft``) with a reason, and takes effect from the date that
version comes into force after LBF's approval:

* targets are rows introduced and superseded by the version (``criteria.Target``); the
  scorecard reads the ones in force on each date, so nothing needs applying;
* texts are ``ProposedChange`` rows, applied to the focus area or criterion by
  ``agreement_changes_apply`` when the version is approved and in force: at LBF's decision
  when the version starts that day or earlier, else by ``manage.py apply_agreement_changes``
  (a daily timer; applying twice changes nothing).

On a plan without an approved version the plan is still being written: edits apply in place.
The services of the criteria and plans apps call these; views never do.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.agreements.models import AgreementVersion, ProposedChange, VersionStatus
from helhedsplan.audit.context import audit_reason
from helhedsplan.criteria.models import SuccessCriterion
from helhedsplan.lib import concurrency
from helhedsplan.plans.models import FocusArea, Plan

# The texts whose change is an agreement change, per kind of object.
FOCUS_AREA_FIELDS = ("name", "purpose", "sub_goals", "target_groups")
CRITERION_FIELDS = ("title", "text", "data_source_text")
EDITABLE = (VersionStatus.DRAFT, VersionStatus.RETURNED)


def under_agreement(plan: Plan) -> bool:
    """The plan's agreement has an approved version: changes go through a draft version."""
    return AgreementVersion.objects.filter(plan=plan, status=VersionStatus.APPROVED).exists()


def open_draft(plan: Plan, *, lock: bool = False) -> AgreementVersion | None:
    """The version that takes changes: a draft, or a returned version being reworked."""
    versions = AgreementVersion.objects.filter(plan=plan, status__in=EDITABLE)
    if lock:
        versions = versions.select_for_update()
    return versions.order_by("-number").first()


def require_draft(plan: Plan) -> AgreementVersion:
    """The open draft, locked; refused (code ``draft_version_required``) without one."""
    draft = open_draft(plan, lock=True)
    if draft is None:
        raise ValidationError(
            _(
                "Samarbejdsaftalen er godkendt af Landsbyggefonden, så ændringen skal indgå i "
                "en ny version af aftalen. Opret en kladde til en ny version først."
            ),
            code="draft_version_required",
        )
    return draft


def require_reason(reason: str, what: str) -> str:
    """A change of the approved agreement states why (code ``reason_required``)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Skriv en begrundelse for ændringen af %(what)s: den følger ændringen til "
                      "Landsbyggefonden.") % {"what": what},
                    code="reason_required",
                )
            }
        )  # fmt: skip
    return reason


def _subject_filter(obj: FocusArea | SuccessCriterion) -> dict[str, Any]:
    return {"focus_area": obj} if isinstance(obj, FocusArea) else {"criterion": obj}


def _pending_approved(obj: FocusArea | SuccessCriterion) -> list[ProposedChange]:
    """Approved proposals on ``obj`` not applied yet (their version starts later)."""
    return list(
        ProposedChange.objects.filter(
            version__status=VersionStatus.APPROVED, applied_at__isnull=True, **_subject_filter(obj)
        ).order_by("version__in_force_from", "version__number")
    )


def expected_values(obj: FocusArea | SuccessCriterion, names: Iterable[str]) -> dict[str, Any]:
    """The texts ``obj`` will have once the approved versions not yet in force have started:
    what a new proposal changes from."""
    values = {name: getattr(obj, name) for name in names}
    for change in _pending_approved(obj):
        values.update({k: v for k, v in change.new_values.items() if k in values})
    return values


def edit_parts(obj: FocusArea | SuccessCriterion) -> list[concurrency.Part]:
    """What the edit form of a focus area or criterion was opened at (``lib.concurrency``):
    its fields and, under an approved agreement with a draft, what the draft proposes for it,
    so that a second person's proposal made meanwhile is not overwritten unseen."""
    parts = concurrency.snapshot(obj)
    if under_agreement(obj.plan):
        draft = open_draft(obj.plan)
        if draft is not None:
            change = ProposedChange.objects.filter(version=draft, **_subject_filter(obj)).first()
            values = change.new_values if change else {}
            parts.append(concurrency.Part(
                "proposal", _("forslaget i version %(n)s") % {"n": draft.number}, values
            ))  # fmt: skip
    return parts


def edit_version(obj: FocusArea | SuccessCriterion) -> str:
    return concurrency.token(edit_parts(obj))


def lock_and_check(obj: Any, submitted: str | None, *, what: str) -> Any:
    """``concurrency.lock_and_check`` over ``edit_parts``: the object and its proposal."""
    locked = concurrency.lock(obj)
    concurrency.check(edit_parts(locked), submitted, what=what)
    return locked


@transaction.atomic
def proposed_change_record(
    *,
    obj: FocusArea | SuccessCriterion,
    values: Mapping[str, Any],
    reason: str,
    actor: Any = None,
) -> ProposedChange | None:
    """Record in the open draft version that ``obj``'s texts are to become ``values``.

    One proposal per object and version: proposing again changes the proposal (its old
    values stay what the version changes from); proposing the texts in force withdraws it
    (returns None). Refused: no open draft (``draft_version_required``), no reason
    (``reason_required``), a text the model refuses (the model's validation, as if saved)."""
    plan = obj.plan
    draft = require_draft(plan)
    what = str(obj)
    reason = require_reason(reason, what)
    names = FOCUS_AREA_FIELDS if isinstance(obj, FocusArea) else CRITERION_FIELDS
    base = expected_values(obj, names)
    # The proposed texts must be valid texts of the object (lengths, the CPR guard).
    probe = type(obj).objects.get(pk=obj.pk)
    for name, value in values.items():
        setattr(probe, name, value)
    probe.full_clean()
    existing = ProposedChange.objects.filter(version=draft, **_subject_filter(obj)).first()
    old = dict(existing.old_values) if existing else {}
    new = dict(existing.new_values) if existing else {}
    for name, value in values.items():
        if name not in names:
            raise ValueError(f"not a text of the agreement: {name}")
        old.setdefault(name, base[name])
        new[name] = value
    changed = {k for k in new if new[k] != old.get(k)}
    old = {k: v for k, v in old.items() if k in changed}
    new = {k: v for k, v in new.items() if k in changed}
    with audit_reason(reason):
        if not changed:
            if existing is not None:
                existing.delete()
            return None
        change = existing or ProposedChange(version=draft, created_by=actor, **_subject_filter(obj))
        change.old_values, change.new_values, change.reason = old, new, reason
        change.full_clean()
        change.save()
    return change


def conflicts(version: AgreementVersion) -> list[str]:
    """Why the version's proposals no longer fit the plan, in Danish (empty: they fit).

    A proposal conflicts when the text it changes from is no longer what the plan will have
    (changed since by a newer change); a target change conflicts when the target it replaces
    was superseded by another version meanwhile."""
    problems = []
    for change in version.proposed_changes.filter(applied_at__isnull=True).select_related(
        "focus_area", "criterion"
    ):
        obj = change.subject
        assert isinstance(obj, FocusArea | SuccessCriterion)
        base = expected_values(obj, change.old_values)
        if base != change.old_values:
            problems.append(
                _("%(what)s er ændret, efter ændringen blev foreslået i version %(n)s.")
                % {"what": obj, "n": version.number}
            )
    for target in version.introduced_targets.select_related("replaces", "criterion"):
        old = target.replaces
        if old is not None and old.superseded_by_id not in (None, version.pk):
            problems.append(
                _("Målet for %(code)s, som version %(n)s ændrer, er allerede ændret af en anden "
                  "version.") % {"code": target.criterion.code, "n": version.number}
            )  # fmt: skip
    return problems


def check_conflicts(version: AgreementVersion) -> None:
    """Refuse (code ``proposal_conflict``) a version whose proposals conflict."""
    problems = conflicts(version)
    if problems:
        raise ValidationError(
            _("Versionens foreslåede ændringer passer ikke længere: %(why)s Ret forslagene i en "
              "kladde.") % {"why": " ".join(problems)},
            code="proposal_conflict",
        )  # fmt: skip


@transaction.atomic
def agreement_changes_apply(*, plan: Plan | None = None, today: date | None = None) -> int:
    """Apply the text changes of approved versions in force by ``today`` (default: today),
    oldest first, each once (``applied_at``); audited with the proposal's reason. Returns the
    number applied. Safe to run any number of times."""
    today = today or timezone.localdate()
    # Lock only the proposals (of=("self",)): PostgreSQL refuses FOR UPDATE on the nullable
    # side of the outer joins select_related makes to the focus area and the criterion.
    due = ProposedChange.objects.select_for_update(of=("self",)).filter(
        version__status=VersionStatus.APPROVED,
        version__in_force_from__lte=today,
        applied_at__isnull=True,
    )
    if plan is not None:
        due = due.filter(version__plan=plan)
    count = 0
    for change in due.select_related("version", "focus_area", "criterion").order_by(
        "version__in_force_from", "version__number", "pk"
    ):
        obj: models.Model | None = change.subject  # type: ignore[assignment]
        assert isinstance(obj, FocusArea | SuccessCriterion)
        for name, value in change.new_values.items():
            setattr(obj, name, value)
        obj.full_clean()
        reason = _("Version %(n)s af samarbejdsaftalen: %(reason)s") % {
            "n": change.version.number, "reason": change.reason}  # fmt: skip
        with audit_reason(reason):
            obj.save(update_fields=list(change.new_values))
            change.applied_at = timezone.now()
            change.save(update_fields=["applied_at"])
        count += 1
    return count
