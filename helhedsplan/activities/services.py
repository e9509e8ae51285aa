"""Writes of the activities app: registrations, quarter closing, settings, evaluations.

Every function is keyword-only and atomic, validates before it writes and raises
``ValidationError`` with a Danish message and a code; on error nothing is written.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from helhedsplan.accounts.access import RegistrationScope, allows_any_area
from helhedsplan.activities.models import (
    COUNT_FIELDS,
    DEFAULT_COLUMN_MAPPING,
    Activity,
    ActivityArea,
    DeliverySettings,
    Evaluation,
    Partner,
    PlannedQuantity,
    QuarterClosure,
    Registration,
    quarter_of,
)
from helhedsplan.audit.context import audit_reason
from helhedsplan.audit.services import audit_changes
from helhedsplan.files.services import stored_file_create
from helhedsplan.lib import concurrency
from helhedsplan.lib.numbers import fmt_date
from helhedsplan.plans.closing import ensure_plan_open
from helhedsplan.plans.models import HousingArea, Plan


def _check_registration(
    *,
    plan: Plan,
    scope: RegistrationScope,
    activity: Activity,
    area: HousingArea,
    day: date,
    counts: Mapping[str, int],
    volunteers: int,
    quantity: int | None,
    reason: str,
    previous: Registration | None = None,
    running: Collection[tuple[int, int]] | None = None,
    closed: Collection[tuple[int, int]] | None = None,
) -> None:
    """The rules of one registration. ``running`` (activity id, area id) and ``closed``
    (year, quarter) are the plan's, read once by a caller checking many rows; without them
    each is looked up."""
    if activity.plan_id != plan.pk or area.plan_id != plan.pk:
        raise ValidationError(_("Aktiviteten eller området hører ikke til planen."), "unknown")
    if not scope.allows(responsible=activity.responsible, area_id=area.pk):
        raise ValidationError(
            _(
                "Du kan ikke registrere %(activity)s i %(area)s: kommunale registranter "
                "registrerer kommunens egne aktiviteter, koordinatorer deres egne områder."
            )
            % {"activity": activity.name, "area": area.name},
            code="not_allowed",
        )
    runs = (
        (activity.pk, area.pk) in running
        if running is not None
        else ActivityArea.objects.filter(activity=activity, area=area).exists()
    )
    if not runs:
        raise ValidationError(
            {
                "area": ValidationError(
                    _("%(activity)s kører ikke i %(area)s ifølge aftalen.")
                    % {"activity": activity.name, "area": area.name},
                    code="area_not_in_activity",
                )
            }
        )
    if not plan.start_date <= day <= plan.end_date:
        raise ValidationError(
            {
                "date": ValidationError(
                    _("Datoen ligger uden for planens periode (%(start)s – %(end)s).")
                    % {
                        "start": fmt_date(plan.start_date),
                        "end": fmt_date(plan.end_date),
                    },
                    code="date_outside_plan",
                )
            }
        )
    negative = {
        name: ValidationError(_("Antallet må ikke være negativt."), code="negative_count")
        for name, value in [*counts.items(), ("volunteers", volunteers), ("quantity", quantity)]
        if value is not None and value < 0
    }
    if negative:
        raise ValidationError(negative)  # type: ignore[arg-type]
    if activity.unit == Activity.Unit.OTHER and quantity is None:
        raise ValidationError(
            {
                "quantity": ValidationError(
                    _("Angiv antal %(unit)s: aktiviteten planlægges i den enhed.")
                    % {"unit": activity.unit_label},
                    code="quantity_required",
                )
            }
        )
    quarters = {(day.year, quarter_of(day))}
    if previous is not None:
        quarters.add((previous.year, previous.quarter))
    if not reason.strip():
        for year, quarter in sorted(quarters):
            is_closed = (
                (year, quarter) in closed
                if closed is not None
                else QuarterClosure.objects.filter(plan=plan, year=year, quarter=quarter).exists()
            )
            if is_closed:
                raise ValidationError(
                    {
                        "reason": ValidationError(
                            _(
                                "%(quarter)s. kvartal %(year)s er lukket af sekretariatet. "
                                "Skriv en begrundelse for ændringen."
                            )
                            % {"quarter": quarter, "year": year},
                            code="quarter_closed",
                        )
                    }
                )


def _fill(
    registration: Registration,
    *,
    activity: Activity,
    area: HousingArea,
    day: date,
    counts: Mapping[str, int],
    volunteers: int,
    quantity: int | None,
    note: str,
) -> None:
    unknown = set(counts) - set(COUNT_FIELDS)
    if unknown:
        raise ValueError(f"unknown count fields {sorted(unknown)}")
    registration.activity = activity
    registration.area = area
    registration.date = day
    registration.year, registration.quarter = day.year, quarter_of(day)
    for name in COUNT_FIELDS:
        setattr(registration, name, int(counts.get(name, 0)))
    registration.participants = sum(registration.counts().values())
    registration.volunteers = volunteers
    registration.quantity = quantity
    registration.note = note


@transaction.atomic
def registration_create(
    *,
    plan: Plan,
    scope: RegistrationScope,
    user: Any,
    activity: Activity,
    area: HousingArea,
    date: date,
    counts: Mapping[str, int],
    volunteers: int = 0,
    quantity: int | None = None,
    partners: Iterable[Partner] = (),
    note: str = "",
    reason: str = "",
    is_demo_data: bool = False,
) -> Registration:
    """Register one held activity, where ``scope`` allows (``PlanAccess.registration_scope``;
    ``accounts.access.EVERYWHERE`` for the secretariat). Raises ValidationError (codes:
    not_allowed, area_not_in_activity, date_outside_plan, negative_count, quantity_required,
    quarter_closed, cpr_number); nothing is written then."""
    _check_registration(
        plan=plan,
        scope=scope,
        activity=activity,
        area=area,
        day=date,
        counts=counts,
        volunteers=volunteers,
        quantity=quantity,
        reason=reason,
    )
    registration = Registration(plan=plan, registered_by=user, is_demo_data=is_demo_data)
    _fill(
        registration,
        activity=activity,
        area=area,
        day=date,
        counts=counts,
        volunteers=volunteers,
        quantity=quantity,
        note=note,
    )
    registration.full_clean()
    with audit_reason(reason.strip()):
        registration.save()
        _set_partners(registration, partners)
    return registration


@dataclass(frozen=True)
class RegistrationRow:
    """One held activity for ``registrations_create`` (the arguments of
    ``registration_create`` that differ from row to row)."""

    activity: Activity
    area: HousingArea
    date: date
    counts: Mapping[str, int]
    volunteers: int = 0
    quantity: int | None = None
    partners: Sequence[Partner] = field(default_factory=tuple)
    note: str = ""


@transaction.atomic
def registrations_create(
    *,
    plan: Plan,
    scope: RegistrationScope,
    user: Any,
    rows: Sequence[RegistrationRow],
    reason: str = "",
    is_demo_data: bool = False,
) -> list[Registration]:
    """Register many held activities at once, all or nothing: each row passes the rules of
    ``registration_create`` (same codes; the first refused row's error is raised and
    nothing is written), the plan's activity areas and closed quarters read once.

    Written in bulk, with one audit entry per registration (``audit.services.audit_changes``,
    as auditlog writes on save; the partners are in the registration's rows, not listed in
    the entry as auditlog's separate m2m entry would). The model's check
    constraints (quarter 1-4, participants the sum of the counts) hold by construction in
    ``_fill`` and are enforced by the database on insert, so they are not queried per row."""
    ensure_plan_open(plan.pk)  # bulk writes skip the closed-plan guard's signals
    running = set(
        ActivityArea.objects.filter(activity__plan=plan).values_list("activity_id", "area_id")
    )
    closed = set(QuarterClosure.objects.filter(plan=plan).values_list("year", "quarter"))
    registrations = []
    for row in rows:
        _check_registration(
            plan=plan,
            scope=scope,
            activity=row.activity,
            area=row.area,
            day=row.date,
            counts=row.counts,
            volunteers=row.volunteers,
            quantity=row.quantity,
            reason=reason,
            running=running,
            closed=closed,
        )
        if any(p.plan_id != plan.pk for p in row.partners):
            raise ValidationError(_("Ukendt partner."), code="unknown_partner")
        registration = Registration(plan=plan, registered_by=user, is_demo_data=is_demo_data)
        _fill(
            registration,
            activity=row.activity,
            area=row.area,
            day=row.date,
            counts=row.counts,
            volunteers=row.volunteers,
            quantity=row.quantity,
            note=row.note,
        )
        # The plan, activity and area were checked above; the user is the caller's.
        registration.full_clean(
            exclude=["plan", "activity", "area", "registered_by"], validate_constraints=False
        )
        registrations.append(registration)
    created = Registration.objects.bulk_create(registrations, batch_size=500)
    through = Registration.partners.through
    through.objects.bulk_create(
        [
            through(registration_id=registration.pk, partner_id=partner.pk)
            for registration, row in zip(created, rows, strict=True)
            for partner in row.partners
        ],
        batch_size=500,
    )
    audit_changes(changes=[(None, r) for r in created], actor=user, reason=reason.strip())
    return created


def _registration_parts(registration: Registration) -> list[concurrency.Part]:
    """A registration's version covers its fields and its partners."""
    return [
        *concurrency.snapshot(registration),
        concurrency.related_part("partners", _("partnerne"), registration.partners.all()),
    ]


def registration_version(registration: Registration) -> str:
    """The token the registration's edit form carries (lib.concurrency)."""
    return concurrency.token(_registration_parts(registration))


@transaction.atomic
def registration_update(
    *,
    plan: Plan,
    scope: RegistrationScope,
    registration: Registration,
    activity: Activity,
    area: HousingArea,
    date: date,
    counts: Mapping[str, int],
    volunteers: int = 0,
    quantity: int | None = None,
    partners: Iterable[Partner] = (),
    note: str = "",
    reason: str = "",
    version: str | None = None,
) -> Registration:
    """Change a registration. In a closed quarter (before or after) a reason is required;
    it is stored on the audit entry and shown in the history. ``version``: the token the
    form was opened from; a registration changed since is refused (code ``stale_edit``).
    ``scope`` must allow both the registration as it is and as it becomes."""
    if registration.plan_id != plan.pk:
        raise ValidationError(_("Registreringen hører ikke til planen."), code="unknown")
    concurrency.check(
        _registration_parts(concurrency.lock(registration)), version,
        what=_("Registreringen"),
    )  # fmt: skip
    if not scope.allows(
        responsible=registration.activity.responsible, area_id=registration.area_id
    ):
        raise ValidationError(_("Du kan ikke ændre denne registrering."), code="not_allowed")
    _check_registration(
        plan=plan,
        scope=scope,
        activity=activity,
        area=area,
        day=date,
        counts=counts,
        volunteers=volunteers,
        quantity=quantity,
        reason=reason,
        previous=registration,
    )
    _fill(
        registration,
        activity=activity,
        area=area,
        day=date,
        counts=counts,
        volunteers=volunteers,
        quantity=quantity,
        note=note,
    )
    registration.full_clean()
    with audit_reason(reason.strip()):
        registration.save()
        _set_partners(registration, partners)
    return registration


def _set_partners(registration: Registration, partners: Iterable[Partner]) -> None:
    wanted = list(partners)
    if any(p.plan_id != registration.plan_id for p in wanted):
        raise ValidationError(_("Ukendt partner."), code="unknown_partner")
    if {p.pk for p in registration.partners.all()} != {p.pk for p in wanted}:
        registration.partners.set(wanted)


@transaction.atomic
def quarter_close(*, plan: Plan, year: int, quarter: int, user: Any) -> QuarterClosure:
    """Close a quarter of the plan; afterwards its registrations change only with a reason."""
    if quarter not in (1, 2, 3, 4) or year not in plan.years:
        raise ValidationError(_("Kvartalet ligger uden for planens periode."), code="bad_quarter")
    if QuarterClosure.objects.filter(plan=plan, year=year, quarter=quarter).exists():
        raise ValidationError(
            _("%(quarter)s. kvartal %(year)s er allerede lukket.")
            % {"quarter": quarter, "year": year},
            code="already_closed",
        )
    closure = QuarterClosure(plan=plan, year=year, quarter=quarter, closed_by=user)
    closure.full_clean()
    closure.save()
    return closure


def delivery_settings_for(plan: Plan) -> DeliverySettings:
    """The plan's settings, or unsaved defaults (reading never writes)."""
    found = DeliverySettings.objects.filter(plan=plan).first()
    return found or DeliverySettings(plan=plan)


@transaction.atomic
def delivery_settings_update(
    *,
    plan: Plan,
    under_threshold: Decimal,
    over_threshold: Decimal,
    column_mapping: Mapping[str, str],
    version: str | None = None,
) -> DeliverySettings:
    """Set thresholds and the XLSX header texts. Codes: thresholds_order, unknown_column,
    empty_header, duplicate_header, and stale_edit when the settings changed since the
    form was opened at ``version`` (``concurrency.NEW`` while only the defaults exist)."""
    stored = DeliverySettings.objects.select_for_update().filter(plan=plan).order_by().first()
    concurrency.check(
        concurrency.snapshot(stored) if stored else None, version,
        what=_("Indstillingerne for leverancemåling"),
    )  # fmt: skip
    if under_threshold > over_threshold:
        raise ValidationError(
            _("Grænsen for underlevering skal være mindre end grænsen for overlevering."),
            code="thresholds_order",
        )
    unknown = set(column_mapping) - set(DEFAULT_COLUMN_MAPPING)
    if unknown:
        raise ValidationError(_("Ukendt kolonne."), code="unknown_column")
    mapping = {key: str(column_mapping.get(key, "")).strip() for key in DEFAULT_COLUMN_MAPPING}
    for key, header in mapping.items():
        if not header:
            raise ValidationError(
                _("Kolonnen '%(column)s' skal have en overskrift.")
                % {"column": DEFAULT_COLUMN_MAPPING[key]},
                code="empty_header",
            )
    lowered = [h.casefold() for h in mapping.values()]
    if len(set(lowered)) != len(lowered):
        raise ValidationError(_("To kolonner har samme overskrift."), code="duplicate_header")
    settings = delivery_settings_for(plan)
    settings.under_threshold = under_threshold
    settings.over_threshold = over_threshold
    settings.column_mapping = mapping
    settings.full_clean()
    settings.save()
    return settings


@transaction.atomic
def evaluation_create(
    *,
    plan: Plan,
    allowed_area_ids: Collection[int] | None,
    user: Any,
    activity: Activity,
    period_start: date,
    period_end: date,
    rating: str,
    narrative: str,
    evidence_link: str = "",
    evidence_upload: UploadedFile | None = None,
    evaluated_on: date,
) -> Evaluation:
    """Record a qualitative evaluation, with evidence as a link and/or a file (PDF, DOCX,
    XLSX, PNG, JPEG checked by content in the files module). ``allowed_area_ids``: the
    activity must run in one of them (``PlanAccess.evaluation_area_ids``; None: any
    activity). Codes: not_allowed, period_order, period_outside_plan, and the files
    module's codes for a bad file."""
    area_ids = ActivityArea.objects.filter(activity=activity).values_list("area_id", flat=True)
    if activity.plan_id != plan.pk or not allows_any_area(allowed_area_ids, area_ids):
        raise ValidationError(
            _("Koordinatorer evaluerer kun aktiviteter i deres egne områder."),
            code="not_allowed",
        )
    if period_start > period_end:
        raise ValidationError(
            {
                "period_end": ValidationError(
                    _("Perioden skal slutte efter den starter."), code="period_order"
                )
            }
        )
    if period_end < plan.start_date or period_start > plan.end_date:
        raise ValidationError(
            {
                "period_start": ValidationError(
                    _("Perioden ligger uden for planens periode."), code="period_outside_plan"
                )
            }
        )
    evaluation = Evaluation(
        activity=activity,
        period_start=period_start,
        period_end=period_end,
        rating=rating,
        narrative=narrative,
        evidence_link=evidence_link,
        author=user,
        evaluated_on=evaluated_on,
    )
    evaluation.full_clean()
    if evidence_upload is not None:
        # Stored last: the files module asks callers to validate their own data first.
        evaluation.evidence_file = stored_file_create(plan=plan, upload=evidence_upload, actor=user)
    evaluation.save()
    return evaluation


# --- setting up a plan's activities ---------------------------------------------------------


def _refuse_other_plan(plan: Plan, field_name: str, objs: Iterable[Any]) -> None:
    stray = [obj for obj in objs if obj is not None and obj.plan_id != plan.pk]
    if stray:
        raise ValidationError(
            {
                field_name: ValidationError(
                    _("»%(name)s« hører til en anden plan.") % {"name": stray[0]},
                    code="other_plan",
                )
            }
        )


@transaction.atomic
def partner_create(
    *, plan: Plan, name: str, kind: str = Partner.Kind.OTHER, source_quote: str = ""
) -> Partner:
    """A partner the plan works with; ``source_quote`` is where the agreement names it.

    Refused: a name in use in the plan (``unique``), a CPR number (``cpr_number``)."""
    partner = Partner(plan=plan, name=name, kind=kind, source_quote=source_quote)
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def activity_create(
    *,
    plan: Plan,
    focus_area: Any,
    slug: str,
    name: str,
    areas: Mapping[HousingArea, str] | None = None,
    source_quote: str = "",
    description: str = "",
    responsible: str = Activity.Responsible.SECRETARIAT,
    responsible_partner: Partner | None = None,
    responsible_is_placeholder: bool = False,
    target_groups: Iterable[str] = (),
    unit: str = Activity.Unit.EVENTS,
    unit_label: str = "",
    partners: Iterable[Partner] = (),
    success_criteria: Iterable[Any] = (),
    order: int = 0,
) -> Activity:
    """An activity of the plan, with the areas it runs in (each with an optional note), its
    partners and the success criteria it works towards. Target groups one per line.

    Refused (nothing written): an area, partner, focus area or criterion of another plan
    (``other_plan``), a slug or name in use (``unique``), and the model's constraints (a
    partner as responsible needs the partner, a unit "other" needs its name)."""
    area_notes = dict(areas or {})
    partners, criteria = list(partners), list(success_criteria)
    for field_name, objs in [
        ("focus_area", [focus_area]),
        ("areas", list(area_notes)),
        ("partners", [*partners, responsible_partner]),
        ("success_criteria", criteria),
    ]:
        _refuse_other_plan(plan, field_name, objs)
    activity = Activity(
        plan=plan,
        focus_area=focus_area,
        slug=slug,
        name=name,
        source_quote=source_quote,
        description=description,
        responsible=responsible,
        responsible_partner=responsible_partner,
        responsible_is_placeholder=responsible_is_placeholder,
        target_groups="\n".join(target_groups),
        unit=unit,
        unit_label=unit_label,
        order=order,
    )
    activity.full_clean()
    activity.save()
    for area, note in area_notes.items():
        link = ActivityArea(activity=activity, area=area, note=note)
        link.full_clean()
        link.save()
    if partners:
        activity.partners.set(partners)
    if criteria:
        activity.success_criteria.set(criteria)
    return activity


@dataclass(frozen=True)
class PlannedFigure:
    """One cell of the activity plan: how many of the activity's unit in an area and quarter."""

    activity: Activity
    area: HousingArea
    year: int
    quarter: int
    quantity: int


@transaction.atomic
def planned_quantities_set(
    *, plan: Plan, figures: Sequence[PlannedFigure], is_demo_data: bool = False
) -> int:
    """Set cells of the plan's activity plan, all or nothing; returns how many were written.

    A cell set again is replaced, a cell set to what is stored is not written. Refused
    (nothing written): an activity of another plan (``other_plan``), an area the activity
    does not run in (``area_not_in_activity``), a year outside the plan or a quarter other
    than 1-4 (``bad_quarter``), a negative quantity (``negative_count``). Every written cell
    gets an audit entry, as a save would."""
    ensure_plan_open(plan.pk)  # bulk writes skip the closed-plan guard's signals
    _refuse_other_plan(plan, "activity", [f.activity for f in figures])
    running = set(
        ActivityArea.objects.filter(activity__plan=plan).values_list("activity_id", "area_id")
    )
    stored = {
        (p.activity_id, p.area_id, p.year, p.quarter): p
        for p in PlannedQuantity.objects.filter(activity__plan=plan)
    }
    changes: list[tuple[PlannedQuantity | None, PlannedQuantity]] = []
    for figure in figures:
        activity, area = figure.activity, figure.area
        if (activity.pk, area.pk) not in running:
            raise ValidationError(
                {
                    "area": ValidationError(
                        _("%(activity)s kører ikke i %(area)s ifølge aftalen.")
                        % {"activity": activity.name, "area": area.name},
                        code="area_not_in_activity",
                    )
                }
            )
        if figure.quarter not in (1, 2, 3, 4) or figure.year not in plan.years:
            raise ValidationError(
                _("Kvartalet ligger uden for planens periode."), code="bad_quarter"
            )
        if figure.quantity < 0:
            raise ValidationError(
                {
                    "quantity": ValidationError(
                        _("Antallet må ikke være negativt."), "negative_count"
                    )
                }
            )
        found = stored.get((activity.pk, area.pk, figure.year, figure.quarter))
        if found is not None and (found.quantity, found.is_demo_data) == (
            figure.quantity,
            is_demo_data,
        ):
            continue
        before = copy.copy(found) if found is not None else None
        cell = found or PlannedQuantity(
            activity=activity, area=area, year=figure.year, quarter=figure.quarter
        )
        cell.quantity, cell.is_demo_data = figure.quantity, is_demo_data
        # Activity and area are checked above; the quarter's range is the constraint checked.
        cell.full_clean(exclude=["activity", "area"], validate_constraints=False)
        changes.append((before, cell))
    PlannedQuantity.objects.bulk_create([c for b, c in changes if b is None], batch_size=500)
    PlannedQuantity.objects.bulk_update(
        [c for b, c in changes if b is not None], ["quantity", "is_demo_data"], batch_size=500
    )
    audit_changes(changes=changes)
    return len(changes)
