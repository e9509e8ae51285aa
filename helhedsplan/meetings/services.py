"""Writing meetings, minutes, decisions, notices and disputes. All or nothing, audited."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.files.services import stored_file_create
from helhedsplan.lib import concurrency
from helhedsplan.lib.numbers import fmt_date
from helhedsplan.meetings.models import (
    ASSESSMENT_KINDS,
    DECISION_TARGETS,
    WORKFLOW_DECISION_TARGETS,
    AgendaItem,
    BoardAssessment,
    Decision,
    Dispute,
    Meeting,
    Notice,
)
from helhedsplan.meetings.selectors import members_on, settling_decisions
from helhedsplan.organisation.models import Body, Person
from helhedsplan.plans.models import FocusArea, Plan
from helhedsplan.statusreports.models import StatusReport

MINUTES_KINDS = frozenset({"pdf", "docx"})

BOARD_KINDS = ASSESSMENT_KINDS
EVALUATION_BODIES = {Body.Kind.COORDINATION_GROUP, Body.Kind.FOLLOW_UP_GROUP}


def _check_meeting(
    plan: Plan, body: Body, kind: str, on: date | None, attendees: list[Person]
) -> None:
    if on is None:
        raise ValidationError(
            {
                "date": ValidationError(
                    _("Mødet skal have en dato. Intet er gemt."), code="date_required"
                )
            }
        )
    if body.plan_id != plan.pk:
        raise ValidationError(_("Organet hører ikke til planen."), code="body_other_plan")
    if kind in BOARD_KINDS and body.kind != Body.Kind.BOARD:
        raise ValidationError(
            {
                "kind": ValidationError(
                    _("Bestyrelsens vurderinger holdes på bestyrelsesmøder, ikke i %(body)s.")
                    % {"body": body},
                    code="assessment_not_board",
                )
            }
        )
    if kind == Meeting.Kind.EVALUATION and body.kind not in EVALUATION_BODIES:
        raise ValidationError(
            {
                "kind": ValidationError(
                    _(
                        "Årlige evalueringsmøder holdes i koordinationsgruppen og de lokale "
                        "følgegrupper."
                    ),
                    code="evaluation_wrong_body",
                )
            }
        )
    members = set(members_on(body, on).values_list("pk", flat=True))
    outsiders = sorted(p.name for p in attendees if p.pk not in members)
    if outsiders:
        raise ValidationError(
            {
                "attendees": ValidationError(
                    _("%(names)s var ikke medlem af %(body)s den dag. Intet er gemt.")
                    % {"names": ", ".join(outsiders), "body": body},
                    code="attendee_not_member",
                )
            }
        )


def _check_status_report(
    plan: Plan, kind: str, report: StatusReport | None, current: StatusReport | None = None
) -> None:
    """The report a meeting assesses: only on the board's assessment "på grundlag af
    statusrapport", an issued report of the plan. A meeting keeps the report it already
    links when that report is later superseded (``current``)."""
    if report is None:
        return
    if kind != Meeting.Kind.BOARD_STATUS_ASSESSMENT:
        raise ValidationError(
            {
                "status_report": ValidationError(
                    _(
                        "Kun bestyrelsens vurdering på grundlag af statusrapporten knyttes til "
                        "en statusrapport. Vælg den mødetype, eller fjern rapporten. Intet er gemt."
                    ),
                    code="status_report_wrong_kind",
                )
            }
        )
    if report.plan_id != plan.pk:
        raise ValidationError(
            {
                "status_report": ValidationError(
                    _("Statusrapporten hører til en anden plan. Intet er gemt."),
                    code="status_report_other_plan",
                )
            }
        )
    if current is not None and report.pk == current.pk:
        return
    if report.state != StatusReport.State.ISSUED:
        raise ValidationError(
            {
                "status_report": ValidationError(
                    _(
                        "%(report)s er ikke udsendt (%(state)s). Bestyrelsen vurderer på "
                        "grundlag af en udsendt statusrapport. Intet er gemt."
                    )
                    % {"report": report, "state": report.get_state_display()},
                    code="status_report_not_issued",
                )
            }
        )


def _set_agenda(meeting: Meeting, agenda: Iterable[str]) -> None:
    items = [t.strip() for t in agenda if t.strip()]
    existing = {a.order: a for a in meeting.agenda.all()}
    for order, title in enumerate(items, start=1):
        item = existing.pop(order, None) or AgendaItem(meeting=meeting, order=order)
        if item.title != title or item.pk is None:
            item.title = title
            item.full_clean()
            item.save()
    for item in existing.values():
        item.delete()


@transaction.atomic
def meeting_create(
    *,
    plan: Plan,
    body: Body,
    kind: str = Meeting.Kind.ORDINARY,
    date: date | None,
    title: str = "",
    location: str = "",
    agenda: Iterable[str] = (),
    attendees: Iterable[Person] = (),
    minutes_text: str = "",
    status_report: StatusReport | None = None,
) -> Meeting:
    """A meeting of ``body``. Codes: ``date_required``, ``assessment_not_board``,
    ``evaluation_wrong_body``, ``attendee_not_member``; for ``status_report`` (the issued
    report a board meeting of kind ``board_status_assessment`` assesses):
    ``status_report_wrong_kind``, ``status_report_other_plan``, ``status_report_not_issued``."""
    attendees = list(attendees)
    _check_meeting(plan, body, kind, date, attendees)
    _check_status_report(plan, kind, status_report)
    assert date is not None  # checked above
    meeting = Meeting(
        plan=plan,
        body=body,
        kind=kind,
        date=date,
        title=title,
        location=location,
        minutes_text=minutes_text,
        status_report=status_report,
    )
    meeting.full_clean()
    meeting.save()
    meeting.attendees.set(attendees)
    _set_agenda(meeting, agenda)
    return meeting


def _meeting_parts(meeting: Meeting) -> list[concurrency.Part]:
    """A meeting's version covers its fields, its agenda and who attended."""
    agenda = [a.title for a in AgendaItem.objects.filter(meeting=meeting).order_by("order")]
    return [
        *concurrency.snapshot(meeting),
        concurrency.Part("agenda", _("dagsordenen"), agenda),
        concurrency.related_part("attendees", _("deltagerne"), meeting.attendees.all()),
    ]


def meeting_version(meeting: Meeting) -> str:
    """The token the meeting form carries (lib.concurrency)."""
    return concurrency.token(_meeting_parts(meeting))


@transaction.atomic
def meeting_update(
    *,
    meeting: Meeting,
    body: Body,
    kind: str,
    date: date | None,
    title: str = "",
    location: str = "",
    agenda: Iterable[str] = (),
    attendees: Iterable[Person] = (),
    minutes_text: str = "",
    status_report: StatusReport | None = None,
    version: str | None = None,
) -> Meeting:
    """``version``: the meeting's token when the form was opened; a meeting changed since
    (fields, agenda or attendees) is refused with code ``stale_edit``. The other codes are
    ``meeting_create``'s."""
    locked = concurrency.lock(meeting)
    concurrency.check(
        _meeting_parts(locked), version,
        what=_("Mødet %(meeting)s") % {"meeting": locked},
    )  # fmt: skip
    attendees = list(attendees)
    _check_meeting(meeting.plan, body, kind, date, attendees)
    _check_status_report(meeting.plan, kind, status_report, current=locked.status_report)
    meeting.body, meeting.kind, meeting.date = body, kind, date  # type: ignore[assignment]
    meeting.title, meeting.location, meeting.minutes_text = title, location, minutes_text
    meeting.status_report = status_report
    meeting.full_clean()
    meeting.save()
    if {p.pk for p in meeting.attendees.all()} != {p.pk for p in attendees}:
        meeting.attendees.set(attendees)
    _set_agenda(meeting, agenda)
    return meeting


@transaction.atomic
def meeting_minutes_upload(*, meeting: Meeting, upload: UploadedFile, actor: Any) -> Meeting:
    """Attach the minutes as PDF or DOCX (checked by content; see files.validation)."""
    stored = stored_file_create(
        plan=meeting.plan, upload=upload, allowed=MINUTES_KINDS, actor=actor
    )
    meeting.minutes_file = stored
    meeting.save(update_fields=["minutes_file"])
    return meeting


def _target_allowed(obj: models.Model) -> bool:
    label = obj._meta.label_lower
    return label in DECISION_TARGETS or label in WORKFLOW_DECISION_TARGETS


@transaction.atomic
def decision_create(
    *,
    meeting: Meeting,
    text: str,
    concerns: models.Model | None = None,
    concerns_label: str = "",
    actor: Any = None,
    body_kinds: Collection[str] | None = None,
) -> Decision:
    """Record a decision on a meeting of a body of one of ``body_kinds``
    (``PlanAccess.decision_body_kinds``: a board member's are the board's; None: any).

    Codes: ``decision_not_board_meeting``, ``decision_target_not_allowed``,
    ``decision_target_other_plan``.
    """
    if body_kinds is not None and meeting.body.kind not in body_kinds:
        raise ValidationError(
            _(
                "Bestyrelsesmedlemmer registrerer beslutninger på bestyrelsesmøder; "
                "dette er et møde i %(body)s."
            )
            % {"body": meeting.body},
            code="decision_not_board_meeting",
        )
    decision = Decision(
        meeting=meeting,
        text=text,
        concerns_label=concerns_label,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if concerns is not None:
        if not _target_allowed(concerns):
            raise ValidationError(
                _("En beslutning kan ikke vedrøre denne type."), code="decision_target_not_allowed"
            )
        # A child model (a sub-agreement version) reaches its plan along ``plan_path``.
        concerns_plan_id = getattr(concerns, "audit_plan_id", None)
        if concerns_plan_id is None:
            concerns_plan_id = getattr(concerns, "plan_id", meeting.plan_id)
        if concerns_plan_id != meeting.plan_id:
            raise ValidationError(
                _("Det, beslutningen vedrører, hører til en anden plan."),
                code="decision_target_other_plan",
            )
        decision.concerns_content_type = ContentType.objects.get_for_model(concerns)
        decision.concerns_object_id = str(concerns.pk)
        decision.concerns_label = concerns_label or str(concerns)
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def board_assessment_record(
    *,
    meeting: Meeting,
    focus_area: FocusArea,
    rating: str,
    text: str,
    actor: Any = None,
    version: str | None = None,
    today: date | None = None,
) -> BoardAssessment:
    """The board's assessment of ``focus_area`` at one of its two yearly assessment meetings
    (seed § 6): created, or the one recorded before replaced (the audit trail keeps both).

    ``version``: the assessment's token when the form was opened (``NEW`` where none was
    recorded); one changed or recorded since is refused (``stale_edit``). Codes:
    ``assessment_wrong_meeting`` (not a board assessment meeting), ``assessment_future_meeting``
    (the meeting has not been held), ``assessment_focus_area_other_plan``,
    ``assessment_text_required``.
    """
    today = today or timezone.localdate()
    if meeting.kind not in ASSESSMENT_KINDS or meeting.body.kind != Body.Kind.BOARD:
        raise ValidationError(
            _(
                "Bestyrelsens vurdering registreres på et af bestyrelsens to årlige "
                "vurderingsmøder; %(meeting)s er et %(kind)s. Intet er gemt."
            )
            % {"meeting": meeting, "kind": str(meeting.get_kind_display()).lower()},
            code="assessment_wrong_meeting",
        )
    if meeting.date > today:
        raise ValidationError(
            _(
                "Mødet holdes først %(date)s. Bestyrelsens vurdering registreres, når mødet er "
                "holdt. Intet er gemt."
            )
            % {"date": fmt_date(meeting.date)},
            code="assessment_future_meeting",
        )
    if focus_area.plan_id != meeting.plan_id:
        raise ValidationError(
            _("Indsatsområdet hører til en anden plan. Intet er gemt."),
            code="assessment_focus_area_other_plan",
        )
    if not text.strip():
        raise ValidationError(
            {
                "text": ValidationError(
                    _("Skriv bestyrelsens vurdering af %(focus_area)s. Intet er gemt.")
                    % {"focus_area": focus_area},
                    code="assessment_text_required",
                )
            }
        )
    existing = (
        BoardAssessment.objects.select_for_update()
        .order_by()
        .filter(meeting=meeting, focus_area=focus_area)
        .first()
    )
    concurrency.check(
        concurrency.snapshot(existing) if existing else None,
        version,
        what=_("Bestyrelsens vurdering af %(focus_area)s") % {"focus_area": focus_area},
    )
    assessment = existing or BoardAssessment(meeting=meeting, focus_area=focus_area)
    assessment.rating = rating
    assessment.text = text.strip()
    assessment.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    if existing is not None:
        assessment.recorded_at = timezone.now()  # who recorded it last, and when
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def notice_create(
    *,
    plan: Plan,
    occurred_on: date,
    subject: str,
    description: str,
    informed_board: bool = False,
    informed_partners: str = "",
    informed_on: date | None = None,
) -> Notice:
    if (informed_board or informed_partners) and informed_on is None:
        raise ValidationError(
            {
                "informed_on": ValidationError(
                    _("Angiv hvornår der blev underrettet."), code="informed_on_required"
                )
            }
        )
    notice = Notice(
        plan=plan,
        occurred_on=occurred_on,
        subject=subject,
        description=description,
        informed_board=informed_board,
        informed_partners=informed_partners,
        informed_on=informed_on,
    )
    notice.full_clean()
    notice.save()
    return notice


@transaction.atomic
def dispute_create(
    *,
    plan: Plan,
    raised_on: date,
    raised_by: str,
    subject: str,
    description: str,
    handling: str = "",
) -> Dispute:
    dispute = Dispute(
        plan=plan,
        raised_on=raised_on,
        raised_by=raised_by,
        subject=subject,
        description=description,
        handling=handling,
    )
    dispute.full_clean()
    dispute.save()
    return dispute


@transaction.atomic
def dispute_handle(
    *, dispute: Dispute, handling: str, resolved: bool, version: str | None = None
) -> Dispute:
    """The chief's handling; ``resolved`` closes it as solved by dialogue. ``version``: the
    token the form was opened from; a dispute changed since is refused (``stale_edit``)."""
    dispute = concurrency.lock_and_check(
        dispute, version, what=_("Sagen »%(subject)s«") % {"subject": dispute.subject}
    )
    if dispute.status in (Dispute.Status.ESCALATED, Dispute.Status.DECIDED):
        raise ValidationError(
            _("Sagen er rejst i bestyrelsen og håndteres der."), code="dispute_escalated"
        )
    dispute.handling = handling
    dispute.status = Dispute.Status.RESOLVED if resolved else Dispute.Status.OPEN
    dispute.full_clean()
    dispute.save()
    return dispute


@transaction.atomic
def dispute_escalate(*, dispute: Dispute, description: str, escalated_on: date) -> Dispute:
    """Raise the dispute in the board. Codes: ``escalation_description_required``,
    ``dispute_not_open``."""
    if not description.strip():
        raise ValidationError(
            {
                "description": ValidationError(
                    _(
                        "Beskriv situationen og parternes interesser, før sagen rejses i "
                        "bestyrelsen. Intet er gemt."
                    ),
                    code="escalation_description_required",
                )
            }
        )
    if dispute.status != Dispute.Status.OPEN:
        raise ValidationError(
            _("Kun en åben sag kan rejses i bestyrelsen."), code="dispute_not_open"
        )
    dispute.escalation_description = description.strip()
    dispute.escalated_on = escalated_on
    dispute.status = Dispute.Status.ESCALATED
    dispute.full_clean()
    dispute.save()
    return dispute


@transaction.atomic
def dispute_decide(*, dispute: Dispute, decision: Decision) -> Dispute:
    """Link the board's decision. Codes: ``dispute_not_escalated``, ``decision_not_board``,
    ``decision_before_dispute`` (the rule is ``selectors.settling_decisions``)."""
    if dispute.status != Dispute.Status.ESCALATED:
        raise ValidationError(_("Sagen er ikke rejst i bestyrelsen."), code="dispute_not_escalated")
    if not settling_decisions(dispute).filter(pk=decision.pk).exists():
        meeting = decision.meeting
        if meeting.plan_id != dispute.plan_id or meeting.body.kind != Body.Kind.BOARD:
            raise ValidationError(
                _("Beslutningen skal være truffet på et bestyrelsesmøde i planen."),
                code="decision_not_board",
            )
        raise ValidationError(
            _(
                "Beslutningen er truffet %(decided)s, før sagen blev rejst %(raised)s. Sagen "
                "afgøres af en bestyrelsesbeslutning fra den dag, den blev rejst, eller senere. "
                "Intet er gemt."
            )
            % {
                "decided": fmt_date(meeting.date),
                "raised": fmt_date(dispute.raised_on),
            },
            code="decision_before_dispute",
        )
    dispute.board_decision = decision
    dispute.status = Dispute.Status.DECIDED
    dispute.full_clean()
    dispute.save()
    return dispute
