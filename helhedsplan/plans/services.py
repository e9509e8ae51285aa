"""Writes to plans, areas and focus areas. Each is atomic and validated before saving."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.audit.context import audit_reason
from helhedsplan.audit.services import audit_event
from helhedsplan.lib import concurrency
from helhedsplan.lib.numbers import fmt_date
from helhedsplan.plans import closing
from helhedsplan.plans.models import (
    AreaPopulation,
    FinalReport,
    FocusArea,
    HousingArea,
    HousingOrganisation,
    Municipality,
    Plan,
    SubArea,
)


@transaction.atomic
def plan_update(
    *,
    plan: Plan,
    name: str,
    status: str,
    start_date: date,
    end_date: date,
    period_note: str,
    version: str | None = None,
) -> Plan:
    """``version``: the plan's token when the form was opened (code ``stale_edit``)."""
    plan = concurrency.lock_and_check(plan, version, what=_("Planen"))
    plan.name, plan.status = name, status
    plan.start_date, plan.end_date, plan.period_note = start_date, end_date, period_note
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def focus_area_update(
    *,
    focus_area: FocusArea,
    name: str,
    purpose: str,
    sub_goals: str,
    target_groups: str,
    version: str | None = None,
) -> FocusArea:
    """``version``: the focus area's token when the form was opened (code ``stale_edit``)."""
    focus_area = concurrency.lock_and_check(
        focus_area, version, what=_("Indsatsområdet %(code)s") % {"code": focus_area.code}
    )
    focus_area.name, focus_area.purpose = name, purpose
    focus_area.sub_goals, focus_area.target_groups = sub_goals, target_groups
    focus_area.full_clean()
    focus_area.save()
    return focus_area


@transaction.atomic
def municipality_create(*, name: str) -> Municipality:
    """A municipality; a name already in use is refused (code ``unique``)."""
    municipality = Municipality(name=name)
    municipality.full_clean()
    municipality.save()
    return municipality


@transaction.atomic
def housing_organisation_create(*, name: str, is_placeholder: bool = False) -> HousingOrganisation:
    """A housing organisation; ``is_placeholder`` marks one the agreement does not name."""
    organisation = HousingOrganisation(name=name, is_placeholder=is_placeholder)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def plan_create(
    *,
    name: str,
    slug: str,
    municipality: Municipality,
    start_date: date,
    end_date: date,
    period_note: str = "",
    vision: str = "",
    status: str = Plan.Status.DRAFT,
    housing_organisations: Iterable[HousingOrganisation] = (),
) -> Plan:
    """A plan with its period and the housing organisations taking part.

    Refused (nothing written): a slug in use (``unique``), an end before the start
    (the model's constraint), a CPR number in the texts (``cpr_number``)."""
    plan = Plan(
        name=name,
        slug=slug,
        municipality=municipality,
        start_date=start_date,
        end_date=end_date,
        period_note=period_note,
        vision=vision,
        status=status,
    )
    plan.full_clean()
    plan.save()
    plan.housing_organisations.set(list(housing_organisations))
    return plan


@transaction.atomic
def housing_area_create(
    *, plan: Plan, slug: str, name: str, order: int = 0, sub_areas: Iterable[str] = ()
) -> HousingArea:
    """A housing area of the plan with its sub-areas (named parts, in the order given).

    Refused: a slug already used in the plan (``unique``), a sub-area named twice
    (``duplicate_sub_area``)."""
    names = [s.strip() for s in sub_areas]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise ValidationError(
            {
                "sub_areas": ValidationError(
                    _("Delområdet %(name)s er nævnt to gange.") % {"name": twice[0]},
                    code="duplicate_sub_area",
                )
            }
        )
    area = HousingArea(plan=plan, slug=slug, name=name, order=order)
    area.full_clean()
    area.save()
    for sub_order, sub_name in enumerate(names):
        sub = SubArea(area=area, name=sub_name, order=sub_order)
        sub.full_clean()
        sub.save()
    return area


@transaction.atomic
def area_population_set(
    *, area: HousingArea, year: int, residents: int, source: str = ""
) -> AreaPopulation:
    """The number of residents in an area in a year (the denominator of rates per 1000).

    Setting the figure again replaces it; setting what is stored writes nothing."""
    population = AreaPopulation.objects.filter(area=area, year=year).first() or AreaPopulation(
        area=area, year=year
    )
    if population.pk and (population.residents, population.source) == (residents, source):
        return population
    population.residents, population.source = residents, source
    population.full_clean()
    population.save()
    return population


@transaction.atomic
def focus_area_create(
    *,
    plan: Plan,
    code: str,
    name: str,
    purpose: str = "",
    sub_goals: Iterable[str] = (),
    target_groups: Iterable[str] = (),
    order: int = 0,
) -> FocusArea:
    """A focus area (indsatsområde) of the plan; sub-goals and target groups one per line.

    Refused: a code already used in the plan (``unique``)."""
    focus_area = FocusArea(
        plan=plan,
        code=code,
        name=name,
        purpose=purpose,
        sub_goals="\n".join(sub_goals),
        target_groups="\n".join(target_groups),
        order=order,
    )
    focus_area.full_clean()
    focus_area.save()
    return focus_area


# --- The end of a plan ----------------------------------------------------------------------


def _reason_required(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Skriv en begrundelse. Intet er gemt."), code="reason_required"
                )
            }
        )
    return reason


def _issue_final_report(plan: Plan, actor: Any) -> list[FinalReport]:
    """The final status report as PDF and Word, stored as issued (never rebuilt)."""
    from helhedsplan.files.services import stored_file_create
    from helhedsplan.plans.exports import FinalStatusExporter

    assert plan.closed_at is not None
    exporter = FinalStatusExporter(plan, today=timezone.localdate())
    stamp = timezone.localtime(plan.closed_at).strftime("%Y%m%d-%H%M")
    reports = []
    for fmt in FinalStatusExporter.formats:
        upload = SimpleUploadedFile(f"slutstatus-{plan.slug}-{stamp}.{fmt}", exporter.render(fmt))
        stored = stored_file_create(plan=plan, upload=upload, allowed={fmt}, actor=actor)
        report = FinalReport(
            plan=plan,
            stored_file=stored,
            closed_at=plan.closed_at,
            issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        report.full_clean()
        report.save()
        reports.append(report)
    return reports


@transaction.atomic
def plan_close(*, plan: Plan, actor: Any, reason: str) -> Plan:
    """Close the plan at the end of its period: from now on it is read-only for everyone
    (``accounts.access.READING``, ``plans.closing``), and its final status report is issued
    and stored as it stands (``FinalReport``, PDF and Word).

    The secretariat closes (the caller checks ``plan.close``); before the plan's end date
    only staff may. Codes: ``reason_required``, ``plan_already_closed``,
    ``plan_not_ended``. Audited: the plan's change (stamp, status) with the reason, and the
    event ``plan.closed``.
    """
    reason = _reason_required(reason)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_closed:
        raise ValidationError(_("Planen er allerede afsluttet."), code="plan_already_closed")
    today = timezone.localdate()
    if today < plan.end_date and not getattr(actor, "is_staff", False):
        raise ValidationError(
            _(
                "Planen slutter først %(end)s og kan ikke afsluttes før. Intet er gemt. "
                "Skal den afsluttes før tid, kan systemets administratorer gøre det."
            )
            % {"end": fmt_date(plan.end_date)},
            code="plan_not_ended",
        )
    plan.closed_at = timezone.now()
    plan.closed_by = actor if getattr(actor, "is_authenticated", False) else None
    plan.close_reason = reason
    plan.status = Plan.Status.CLOSED
    plan.full_clean()
    # The report first, while the plan is still open at the data layer; it reads the stamp
    # from the instance.
    reports = _issue_final_report(plan, actor)
    with audit_reason(reason):
        plan.save(update_fields=["closed_at", "closed_by", "close_reason", "status"])
    audit_event(
        instance=plan,
        event="plan.closed",
        actor=plan.closed_by,
        changes={"final_report": [r.stored_file.sha256 for r in reports]},
        reason=reason,
    )
    return plan


@transaction.atomic
def plan_reopen(*, plan: Plan, actor: Any, reason: str) -> Plan:
    """Reopen a closed plan (the installation's staff only): it is writable again, its
    status active; the final status report issued at closing stays as it was.

    Codes: ``reason_required``, ``not_staff``, ``plan_not_closed``. Audited: the plan's
    change with the reason, and the event ``plan.reopened``.
    """
    reason = _reason_required(reason)
    if not getattr(actor, "is_staff", False):
        raise ValidationError(
            _("Kun systemets administratorer kan genåbne en afsluttet plan."), code="not_staff"
        )
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_closed:
        raise ValidationError(_("Planen er ikke afsluttet."), code="plan_not_closed")
    was = {"closed_at": plan.closed_at.isoformat() if plan.closed_at else None}
    plan.closed_at, plan.closed_by, plan.close_reason = None, None, ""
    plan.status = Plan.Status.ACTIVE
    plan.full_clean()
    with closing.writes_allowed(plan.pk), audit_reason(reason):
        plan.save(update_fields=["closed_at", "closed_by", "close_reason", "status"])
    audit_event(
        instance=plan,
        event="plan.reopened",
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        changes=was,
        reason=reason,
    )
    return plan
