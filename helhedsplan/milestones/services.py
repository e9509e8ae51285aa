"""Writing the milestone plan: create, update, delete, mark done. All or nothing, audited.

Every date of a milestone (when it starts, when it is due) lies in the plan's period
(``start_date``..``end_date``): the milestone plan is "for den samlede projektperiode". The
proof of a milestone (a meeting, a status report, an agreement version, a programme
evaluation) belongs to the same plan. A refusal names the field, says what is wrong and that
nothing was written; its ``code`` is what the tests assert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.lib import concurrency
from helhedsplan.lib.numbers import fmt_date
from helhedsplan.milestones.models import Milestone
from helhedsplan.plans.models import Plan

if TYPE_CHECKING:
    from helhedsplan.agreements.models import AgreementVersion
    from helhedsplan.meetings.models import Meeting
    from helhedsplan.programmeevaluations.models import ProgrammeEvaluation
    from helhedsplan.statusreports.models import StatusReport

# The proof fields of a milestone, in the order the forms offer them.
PROOF_FIELDS = (
    "proof_meeting",
    "proof_status_report",
    "proof_agreement_version",
    "proof_evaluation",
)


@dataclass(frozen=True)
class Proofs:
    """What proves a milestone reached: at most one of each kind, all optional."""

    meeting: Meeting | None = None
    status_report: StatusReport | None = None
    agreement_version: AgreementVersion | None = None
    evaluation: ProgrammeEvaluation | None = None

    def by_field(self) -> dict[str, Any]:
        return {
            "proof_meeting": self.meeting,
            "proof_status_report": self.status_report,
            "proof_agreement_version": self.agreement_version,
            "proof_evaluation": self.evaluation,
        }


NO_PROOF = Proofs()


def _label(field: str) -> str:
    return verbose_name(field).capitalize()


def verbose_name(field: str) -> str:
    """A field's name as the forms and messages say it ("dato")."""
    found = cast("models.Field[Any, Any]", Milestone._meta.get_field(field))
    return str(found.verbose_name)


def _check_dates(plan: Plan, *, starts_on: date | None, due_on: date | None) -> None:
    errors: dict[str, ValidationError] = {}
    period = {"start": fmt_date(plan.start_date), "end": fmt_date(plan.end_date)}
    if due_on is None:
        errors["due_on"] = ValidationError(
            _("%(field)s: milepælen skal have en dato. Intet er gemt.")
            % {"field": _label("due_on")},
            code="due_on_required",
        )
    for field, day in (("starts_on", starts_on), ("due_on", due_on)):
        if day is not None and not plan.start_date <= day <= plan.end_date:
            errors[field] = ValidationError(
                _(
                    "%(field)s: %(day)s ligger uden for planperioden (%(start)s – %(end)s). "
                    "Milepælsplanen gælder den samlede projektperiode. Intet er gemt."
                )
                % {"field": _label(field), "day": fmt_date(day), **period},
                code="outside_period",
            )
    if (
        starts_on is not None
        and due_on is not None
        and "starts_on" not in errors
        and "due_on" not in errors
        and starts_on > due_on
    ):
        errors["starts_on"] = ValidationError(
            _("%(field)s: %(start)s er efter milepælens dato %(due)s. Intet er gemt.")
            % {"field": _label("starts_on"), "start": fmt_date(starts_on), "due": fmt_date(due_on)},
            code="starts_after_due",
        )
    if errors:
        raise ValidationError(errors)


def _check_proofs(plan: Plan, proofs: Proofs) -> None:
    errors = {}
    for field, obj in proofs.by_field().items():
        if obj is not None and obj.plan_id != plan.pk:
            errors[field] = ValidationError(
                _("%(field)s: %(what)s hører til en anden plan. Intet er gemt.")
                % {"field": _label(field), "what": obj},
                code="proof_other_plan",
            )
    if errors:
        raise ValidationError(errors)


def _apply(milestone: Milestone, proofs: Proofs | None, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(milestone, name, value)
    if proofs is not None:
        for name, value in proofs.by_field().items():
            setattr(milestone, name, value)


@transaction.atomic
def milestone_create(
    *,
    plan: Plan,
    title: str,
    due_on: date | None,
    owner: str,
    done_when: str,
    kind: str = Milestone.Kind.OTHER,
    starts_on: date | None = None,
    timing_text: str = "",
    source: str = "",
    proofs: Proofs = NO_PROOF,
) -> Milestone:
    """A milestone of the plan. Codes: ``outside_period`` (a date outside the plan's
    period), ``starts_after_due``, ``due_on_required``, ``proof_other_plan``."""
    _check_dates(plan, starts_on=starts_on, due_on=due_on)
    _check_proofs(plan, proofs)
    milestone = Milestone(plan=plan)
    _apply(
        milestone,
        proofs,
        title=title,
        kind=kind,
        starts_on=starts_on,
        due_on=due_on,
        timing_text=timing_text,
        owner=owner,
        done_when=done_when,
        source=source,
    )
    milestone.full_clean()
    milestone.save()
    return milestone


def milestone_version(milestone: Milestone) -> str:
    """The token an edit form of ``milestone`` carries (``lib.concurrency``)."""
    return concurrency.version_of(milestone)


def _locked(milestone: Milestone, version: str | None) -> Milestone:
    return concurrency.lock_and_check(
        milestone, version, what=_("Milepælen %(title)s") % {"title": milestone.title}
    )


@transaction.atomic
def milestone_update(
    *,
    milestone: Milestone,
    title: str,
    due_on: date | None,
    owner: str,
    done_when: str,
    kind: str = Milestone.Kind.OTHER,
    starts_on: date | None = None,
    timing_text: str = "",
    source: str = "",
    proofs: Proofs | None = None,
    version: str | None = None,
) -> Milestone:
    """Change what the milestone is (its proofs only when given). ``version``: the token the
    form was opened from (``stale_edit`` when it changed since); the other codes are
    ``milestone_create``'s."""
    locked = _locked(milestone, version)
    plan = milestone.plan
    _check_dates(plan, starts_on=starts_on, due_on=due_on)
    if proofs is not None:
        _check_proofs(plan, proofs)
    locked.plan = plan
    _apply(
        locked,
        proofs,
        title=title,
        kind=kind,
        starts_on=starts_on,
        due_on=due_on,
        timing_text=timing_text,
        owner=owner,
        done_when=done_when,
        source=source,
    )
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def milestone_mark_done(
    *,
    milestone: Milestone,
    done_on: date | None,
    actor: Any = None,
    proofs: Proofs = NO_PROOF,
    version: str | None = None,
    today: date | None = None,
) -> Milestone:
    """Record the milestone as reached on ``done_on`` by ``actor``, with what proves it.
    ``done_on`` is not after today (code ``done_in_future``) and is required
    (``done_on_required``); the proofs belong to the plan (``proof_other_plan``)."""
    locked = _locked(milestone, version)
    today = today or timezone.localdate()
    field = _label("done_on")
    if done_on is None:
        raise ValidationError(
            {
                "done_on": ValidationError(
                    _("%(field)s: skriv datoen, milepælen blev nået. Intet er gemt.")
                    % {"field": field},
                    code="done_on_required",
                )
            }
        )
    if done_on > today:
        raise ValidationError(
            {
                "done_on": ValidationError(
                    _("%(field)s: %(day)s er efter i dag. En milepæl markeres nået, når den "
                      "er nået. Intet er gemt.")
                    % {"field": field, "day": fmt_date(done_on)},
                    code="done_in_future",
                )
            }
        )  # fmt: skip
    plan = milestone.plan
    _check_proofs(plan, proofs)
    locked.plan = plan
    locked.done_on = done_on
    locked.done_by = actor if actor is not None and actor.is_authenticated else None
    _apply(locked, proofs)
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def milestone_reopen(*, milestone: Milestone, version: str | None = None) -> Milestone:
    """The milestone is not reached after all (marked by mistake): its date and who marked
    it are cleared; what proves it stays for when it is reached."""
    locked = _locked(milestone, version)
    locked.plan = milestone.plan
    locked.done_on = None
    locked.done_by = None
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def milestone_delete(*, milestone: Milestone) -> None:
    """Remove the milestone from the plan (the audit trail keeps what it was)."""
    milestone.delete()
