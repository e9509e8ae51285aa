"""Writing status reports: create a draft for a period, write its narrative, issue it (the
snapshot is stored and the version given), send it to Landsbyggefonden, delete a draft.

An issued report is never edited: every service refuses it with the code ``report_issued``;
it can only be superseded by a new report for the same or an overlapping period, with a
reason. The caller checks ``statusreport.edit``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.audit.services import audit_event
from helhedsplan.notifications import notify
from helhedsplan.plans.models import FocusArea, Plan
from helhedsplan.statusreports import snapshot
from helhedsplan.statusreports.models import StatusNarrative, StatusReport


def half_years(plan: Plan) -> list[tuple[date, date]]:
    """The plan's half-years (1 January-30 June, 1 July-31 December) that overlap its
    period, oldest first: what the secretariat is offered to report on."""
    result = []
    for year in plan.years:
        for start, end in (
            (date(year, 1, 1), date(year, 6, 30)),
            (date(year, 7, 1), date(year, 12, 31)),
        ):
            if start <= plan.end_date and end >= plan.start_date:
                result.append((start, end))
    return result


def overlapping_issued(plan: Plan, start: date, end: date) -> StatusReport | None:
    """The issued report whose period overlaps ``start``-``end``, if any."""
    return (
        StatusReport.objects.filter(
            plan=plan,
            state=StatusReport.State.ISSUED,
            period_start__lte=end,
            period_end__gte=start,
        )
        .order_by("-version")
        .first()
    )


def _actor(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _refuse_issued(report: StatusReport) -> None:
    if not report.is_draft:
        raise ValidationError(
            _(
                "Statusrapporten %(report)s er udsendt (version %(version)s) og kan ikke "
                "ændres. Intet er gemt. Skal den rettes, så lav en ny rapport, der erstatter den."
            )
            % {"report": report.period_label, "version": report.version},
            code="report_issued",
        )


@transaction.atomic
def status_report_create(
    *,
    plan: Plan,
    period_start: date,
    period_end: date,
    actor: Any,
    supersedes: StatusReport | None = None,
    supersede_reason: str = "",
) -> StatusReport:
    """A draft report for ``period_start``-``period_end`` (within the plan's period).

    A period that overlaps an issued report is refused (``period_overlaps``) unless the new
    report ``supersedes`` that report, with a reason (``supersede_reason_required``); the
    superseded report stays as it was until the new one is issued. Codes also:
    ``period_outside_plan``, ``period_backwards``, ``supersedes_not_issued``,
    ``supersedes_other_period``, ``already_superseded``.
    """
    if period_start > period_end:
        raise ValidationError(
            _("Periodens start skal ligge før dens slutning. Intet er gemt."),
            code="period_backwards",
        )
    if period_start < plan.start_date or period_end > plan.end_date:
        raise ValidationError(
            _("Perioden skal ligge inden for planens periode (%(start)s-%(end)s). Intet er gemt.")
            % {"start": f"{plan.start_date:%d.%m.%Y}", "end": f"{plan.end_date:%d.%m.%Y}"},
            code="period_outside_plan",
        )
    supersede_reason = (supersede_reason or "").strip()
    overlapping = overlapping_issued(plan, period_start, period_end)
    if supersedes is not None:
        if supersedes.plan_id != plan.pk or supersedes.state != StatusReport.State.ISSUED:
            raise ValidationError(
                _("Kun en udsendt statusrapport kan erstattes. Intet er gemt."),
                code="supersedes_not_issued",
            )
        if not (supersedes.period_start <= period_end and supersedes.period_end >= period_start):
            raise ValidationError(
                _(
                    "Statusrapporten %(report)s dækker ikke den valgte periode og kan ikke "
                    "erstattes af den. Intet er gemt."
                )
                % {"report": supersedes.period_label},
                code="supersedes_other_period",
            )
        if StatusReport.objects.filter(supersedes=supersedes).exists():
            raise ValidationError(
                _(
                    "Der er allerede en ny rapport, der erstatter statusrapporten %(report)s "
                    "(version %(version)s). Intet er gemt."
                )
                % {"report": supersedes.period_label, "version": supersedes.version},
                code="already_superseded",
            )
        if not supersede_reason:
            raise ValidationError(
                {
                    "supersede_reason": ValidationError(
                        _("Skriv hvorfor rapporten erstattes. Intet er gemt."),
                        code="supersede_reason_required",
                    )
                }
            )
    if overlapping is not None and overlapping != supersedes:
        raise ValidationError(
            _(
                "Perioden overlapper den udsendte statusrapport %(report)s (version "
                "%(version)s). Intet er gemt. Vælg en anden periode, eller lad den nye "
                "rapport erstatte den udsendte med en begrundelse."
            )
            % {"report": overlapping.period_label, "version": overlapping.version},
            code="period_overlaps",
        )
    report = StatusReport(
        plan=plan,
        period_start=period_start,
        period_end=period_end,
        created_by=_actor(actor),
        supersedes=supersedes,
        supersede_reason=supersede_reason if supersedes is not None else "",
    )
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def status_narrative_save(
    *, report: StatusReport, focus_area: FocusArea, text: str
) -> StatusNarrative:
    """The secretariat's short text on ``focus_area`` in a draft report (empty is allowed)."""
    report = StatusReport.objects.select_for_update().get(pk=report.pk)
    _refuse_issued(report)
    if focus_area.plan_id != report.plan_id:
        raise ValidationError(
            _("Indsatsområdet hører ikke til planen."), code="focus_area_other_plan"
        )
    narrative = StatusNarrative.objects.filter(report=report, focus_area=focus_area).first()
    if narrative is None:
        narrative = StatusNarrative(report=report, focus_area=focus_area)
    narrative.text = (text or "").strip()
    narrative.full_clean()
    narrative.save()
    return narrative


@transaction.atomic
def status_report_issue(*, report: StatusReport, actor: Any) -> StatusReport:
    """Issue a draft: the snapshot of the numbers as they are now is stored with the plan's
    next version number, and the report is never edited again; a report it supersedes
    becomes superseded. Codes: ``report_issued``, ``period_overlaps`` (an overlapping report
    was issued since the draft was made). Audited: the change and ``statusreport.issued``."""
    report = StatusReport.objects.select_for_update().select_related("plan").get(pk=report.pk)
    _refuse_issued(report)
    plan = report.plan
    overlapping = overlapping_issued(plan, report.period_start, report.period_end)
    if overlapping is not None and overlapping.pk != report.supersedes_id:
        raise ValidationError(
            _(
                "Perioden overlapper den udsendte statusrapport %(report)s (version "
                "%(version)s). Intet er udsendt."
            )
            % {"report": overlapping.period_label, "version": overlapping.version},
            code="period_overlaps",
        )
    top = StatusReport.objects.filter(plan=plan).aggregate(top=Max("version"))["top"] or 0
    report.version = top + 1
    report.snapshot = snapshot.build(report)
    report.state = StatusReport.State.ISSUED
    report.issued_by = _actor(actor)
    report.issued_at = timezone.now()
    report.full_clean()
    superseded = report.supersedes
    if superseded is not None:
        superseded.state = StatusReport.State.SUPERSEDED
        superseded.save(update_fields=["state"])
    report.save()
    audit_event(
        instance=report,
        event="statusreport.issued",
        actor=report.issued_by,
        changes={
            "version": report.version,
            "period": report.period_label,
            "supersedes": superseded.version if superseded else None,
            "observations": len(report.snapshot["included"]["observations"]),
            "registrations": len(report.snapshot["included"]["registrations"]),
        },
        reason=report.supersede_reason,
    )
    return report


@transaction.atomic
def status_report_share_with_lbf(*, report: StatusReport, actor: Any) -> StatusReport:
    """Send an issued report to Landsbyggefonden: LBF's users then read it (the released
    copy). Codes: ``report_not_issued``, ``already_shared``. Audited: ``statusreport.shared``."""
    report = StatusReport.objects.select_for_update().get(pk=report.pk)
    if report.state != StatusReport.State.ISSUED:
        raise ValidationError(
            _("Kun en udsendt, gældende statusrapport kan sendes til Landsbyggefonden."),
            code="report_not_issued",
        )
    if report.shared_with_lbf_at is not None:
        raise ValidationError(
            _("Statusrapporten er allerede sendt til Landsbyggefonden."), code="already_shared"
        )
    report.shared_with_lbf_at = timezone.now()
    report.shared_by = _actor(actor)
    report.full_clean()
    report.save(update_fields=["shared_with_lbf_at", "shared_by"])
    audit_event(
        instance=report,
        event="statusreport.shared",
        actor=report.shared_by,
        changes={"version": report.version, "period": report.period_label},
    )
    # LBF's users are told by e-mail once this commits (a refusing mail server is logged).
    notify.notify_status_report_shared(report)
    return report


@transaction.atomic
def status_report_delete(*, report: StatusReport, actor: Any) -> None:
    """Delete a draft (with its narratives). An issued report is refused (``report_issued``)."""
    report = StatusReport.objects.select_for_update().get(pk=report.pk)
    _refuse_issued(report)
    report.narratives.all().delete()
    report.delete()
