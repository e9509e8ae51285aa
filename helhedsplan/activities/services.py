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
from helhedsplan.lib.slugs import free_slug
from helhedsplan.plans.closing import ensure_plan_open
from helhedsplan.plans.models import HousingArea, Plan
from helhedsplan.statusreports import locking


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
    if activity.end_date is not None and day > activity.end_date:
        raise ValidationError(
            {
                "date": ValidationError(
                    _(
                        "%(activity)s er afsluttet pr. %(end)s og kan ikke registreres efter "
                        "den dato."
                    )
                    % {"activity": activity.name, "end": fmt_date(activity.end_date)},
                    code="activity_ended",
                )
            }
        )
    if activity.start_date is not None and day < activity.start_date:
        raise ValidationError(
            {
                "date": ValidationError(
                    _("%(activity)s begynder først %(start)s.")
                    % {"activity": activity.name, "start": fmt_date(activity.start_date)},
                    code="before_activity_start",
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
    quarter_closed, period_locked, cpr_number); nothing is written then. A registration
    dated in a period an issued status report locks needs a ``reason`` and is stored with a
    ``PeriodCorrection`` (``statusreports.locking``)."""
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
    lock = locking.registration_lock(plan, date)
    if lock is not None and not reason.strip():
        raise locking.refusal(lock)
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
    partners = list(partners)
    with audit_reason(reason.strip()):
        registration.save()
        _set_partners(registration, partners)
        if lock is not None:
            new = {k: v for k, v in registration_values(registration, partners).items() if v}
            locking.correction_record(
                report=lock, kind=locking.REGISTRATION, object_id=registration.pk,
                label=str(registration), old={}, new=new, reason=reason.strip(), user=user,
            )  # fmt: skip
    return registration


def registration_values(
    registration: Registration, partners: Iterable[Partner] | None = None
) -> dict[str, Any]:
    """What a registration says, as a correction's old and new values show it."""
    listed = registration.partners.all() if partners is None else partners
    return {
        "activity": registration.activity.name,
        "area": registration.area.name,
        "date": registration.date,
        **registration.counts(),
        "volunteers": registration.volunteers,
        "quantity": registration.quantity,
        "partners": sorted(p.name for p in listed),
        "note": registration.note,
    }


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
    ``_fill`` and are enforced by the database on insert, so they are not queried per row.
    A row dated in a period an issued status report locks is refused (``period_locked``):
    one reason cannot stand for many corrections."""
    ensure_plan_open(plan.pk)  # bulk writes skip the closed-plan guard's signals
    running = set(
        ActivityArea.objects.filter(activity__plan=plan).values_list("activity_id", "area_id")
    )
    closed = set(QuarterClosure.objects.filter(plan=plan).values_list("year", "quarter"))
    locks = locking.locked_periods(plan)
    registrations = []
    for row in rows:
        report = locks.registration(row.date) if locks else None
        if report is not None:
            raise ValidationError(
                {
                    "date": ValidationError(
                        _(
                            "Registreringen den %(date)s ligger i en periode, der er låst af "
                            "%(report)s. Registrér den enkeltvis med en begrundelse for "
                            "rettelsen."
                        )
                        % {"date": fmt_date(row.date), "report": locking.report_name(report)},
                        code=locking.CODE,
                    )
                }
            )
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
    user: Any = None,
) -> Registration:
    """Change a registration. In a closed quarter (before or after) a reason is required;
    it is stored on the audit entry and shown in the history. Dated (before or after) in a
    period an issued status report locks, a change needs a reason too (code
    ``period_locked``, naming the report) and is stored with a ``PeriodCorrection`` by
    ``user``. ``version``: the token the form was opened from; a registration changed since
    is refused (code ``stale_edit``). ``scope`` must allow both the registration as it is
    and as it becomes."""
    if registration.plan_id != plan.pk:
        raise ValidationError(_("Registreringen hører ikke til planen."), code="unknown")
    stored = concurrency.lock(registration)
    concurrency.check(_registration_parts(stored), version, what=_("Registreringen"))
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
    partners = list(partners)
    before = registration_values(stored)  # as stored, whatever the caller's copy holds
    lock = locking.registration_lock(plan, stored.date, date)
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
    after = registration_values(registration, partners)
    if lock is not None and before == after:
        lock = None  # nothing changes: nothing to correct
    if lock is not None and not reason.strip():
        raise locking.refusal(lock)
    with audit_reason(reason.strip()):
        registration.save()
        _set_partners(registration, partners)
        if lock is not None:
            locking.correction_record(
                report=lock, kind=locking.REGISTRATION, object_id=registration.pk,
                label=str(registration), old=before, new=after, reason=reason.strip(),
                user=user,
            )  # fmt: skip
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


def _new_partners(plan: Plan, names: Iterable[str]) -> list[Partner]:
    """Partners typed by name in the activity form: an existing one of that name (any
    case) is used, a new one is created (``partner_create``'s rules)."""
    wanted = [" ".join(name.split()) for name in names]
    wanted = list(dict.fromkeys(name for name in wanted if name))
    existing = {p.name.casefold(): p for p in Partner.objects.filter(plan=plan)}
    found = []
    for name in wanted:
        partner = existing.get(name.casefold())
        if partner is None:
            try:
                partner = partner_create(plan=plan, name=name)
            except ValidationError as exc:
                raise ValidationError({"new_partners": exc.messages}) from exc
        found.append(partner)
    return found


def _check_activity_dates(plan: Plan, start_date: date | None) -> None:
    if start_date is not None and not plan.start_date <= start_date <= plan.end_date:
        raise ValidationError(
            {
                "start_date": ValidationError(
                    _("Startdatoen ligger uden for planens periode (%(start)s – %(end)s).")
                    % {"start": fmt_date(plan.start_date), "end": fmt_date(plan.end_date)},
                    code="start_outside_plan",
                )
            }
        )


def _check_activity_relations(
    plan: Plan,
    *,
    focus_area: Any,
    areas: Iterable[HousingArea],
    partners: Iterable[Partner],
    responsible_partner: Partner | None,
    criteria: Iterable[Any],
) -> None:
    for field_name, objs in [
        ("focus_area", [focus_area]),
        ("areas", list(areas)),
        ("partners", [*partners, responsible_partner]),
        ("success_criteria", list(criteria)),
    ]:
        _refuse_other_plan(plan, field_name, objs)


# Words of the activity URLs (/aktiviteter/ny/): no activity's slug.
RESERVED_SLUGS = frozenset({"ny"})


def activity_slug_for(plan: Plan, name: str) -> str:
    """A free slug from the activity's name: "lektiecafe", then "lektiecafe-2" ..."""
    taken = set(Activity.objects.filter(plan=plan).values_list("slug", flat=True))
    return free_slug(name, taken | RESERVED_SLUGS, fallback="aktivitet")


def _check_unique_activity(plan: Plan, activity: Activity) -> None:
    """The slug and the name once per plan, refused on the field in Danish (code
    ``unique``) before the model's generic message."""
    if activity.slug in RESERVED_SLUGS:
        raise ValidationError(
            {
                "slug": ValidationError(
                    _("»%(slug)s« kan ikke bruges som kort navn.") % {"slug": activity.slug},
                    code="reserved_slug",
                )
            }
        )
    others = Activity.objects.filter(plan=plan).exclude(pk=activity.pk)
    if others.filter(slug=activity.slug).exists():
        raise ValidationError(
            {
                "slug": ValidationError(
                    _("Planen har allerede en aktivitet med det korte navn »%(slug)s«.")
                    % {"slug": activity.slug},
                    code="unique",
                )
            }
        )
    if others.filter(name__iexact=activity.name).exists():
        raise ValidationError(
            {
                "name": ValidationError(
                    _("Planen har allerede en aktivitet, der hedder »%(name)s«.")
                    % {"name": activity.name},
                    code="unique",
                )
            }
        )


def _clean_activity(activity: Activity) -> None:
    """The model's rules, the constraints on who is responsible and the unit said in
    Danish on their fields first."""
    is_partner = activity.responsible == Activity.Responsible.PARTNER
    if is_partner != (activity.responsible_partner is not None):
        raise ValidationError(
            {
                "responsible_partner": ValidationError(
                    _("Vælg partneren, når en partnerorganisation er ansvarlig – og kun da."),
                    code="responsible_partner",
                )
            }
        )
    if activity.unit == Activity.Unit.OTHER and not activity.unit_label.strip():
        raise ValidationError(
            {
                "unit_label": ValidationError(
                    _("Skriv navnet på enheden, når enheden er »anden enhed«."),
                    code="unit_label_required",
                )
            }
        )
    activity.full_clean()


@transaction.atomic
def activity_create(
    *,
    plan: Plan,
    focus_area: Any,
    slug: str = "",
    name: str,
    areas: Mapping[HousingArea, str] | Iterable[HousingArea] | None = None,
    source_quote: str = "",
    description: str = "",
    responsible: str = Activity.Responsible.SECRETARIAT,
    responsible_partner: Partner | None = None,
    responsible_is_placeholder: bool = False,
    target_groups: Iterable[str] = (),
    unit: str = Activity.Unit.EVENTS,
    unit_label: str = "",
    partners: Iterable[Partner] = (),
    new_partners: Iterable[str] = (),
    success_criteria: Iterable[Any] = (),
    start_date: date | None = None,
    order: int = 0,
) -> Activity:
    """An activity of the plan, with the areas it runs in (each with an optional note), its
    partners and the success criteria it works towards. Target groups one per line;
    ``new_partners`` are partner names typed in the form (created unless the plan has one
    of that name); ``start_date`` None: from the plan's start.

    Refused (nothing written): an area, partner, focus area or criterion of another plan
    (``other_plan``), a slug or name in use (``unique``), a start outside the plan
    (``start_outside_plan``), and the model's constraints (a partner as responsible needs
    the partner, a unit "other" needs its name)."""
    area_notes = _area_notes(areas)
    partners, criteria = list(partners), list(success_criteria)
    _check_activity_relations(
        plan, focus_area=focus_area, areas=area_notes, partners=partners,
        responsible_partner=responsible_partner, criteria=criteria,
    )  # fmt: skip
    _check_activity_dates(plan, start_date)
    activity = Activity(
        plan=plan,
        focus_area=focus_area,
        slug=slug or activity_slug_for(plan, name),
        name=name,
        source_quote=source_quote,
        description=description,
        responsible=responsible,
        responsible_partner=responsible_partner,
        responsible_is_placeholder=responsible_is_placeholder,
        target_groups="\n".join(target_groups),
        unit=unit,
        unit_label=unit_label,
        start_date=start_date,
        order=order,
    )
    _check_unique_activity(plan, activity)
    _clean_activity(activity)
    partners = list(dict.fromkeys([*partners, *_new_partners(plan, new_partners)]))
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


def _area_notes(
    areas: Mapping[HousingArea, str] | Iterable[HousingArea] | None,
) -> dict[HousingArea, str]:
    if areas is None:
        return {}
    if isinstance(areas, Mapping):
        return dict(areas)
    return dict.fromkeys(areas, "")


def _activity_parts(activity: Activity) -> list[concurrency.Part]:
    """An activity's version covers its fields, areas, partners and criteria."""
    return [
        *concurrency.snapshot(activity),
        concurrency.related_part(
            "areas", _("boligområderne"),
            HousingArea.objects.filter(activity_links__activity=activity),
        ),
        concurrency.related_part("partners", _("partnerne"), activity.partners.all()),
        concurrency.related_part(
            "criteria", _("succeskriterierne"), activity.success_criteria.all()
        ),
    ]  # fmt: skip


def activity_version(activity: Activity) -> str:
    """The token the activity's edit and end forms carry (lib.concurrency)."""
    return concurrency.token(_activity_parts(activity))


# What ``activity_update`` may change; the slug (its address) and the end (``activity_end``)
# stay as they are.
ACTIVITY_FIELDS = (
    "focus_area", "name", "description", "source_quote", "responsible", "responsible_partner",
    "responsible_is_placeholder", "unit", "unit_label", "start_date",
)  # fmt: skip


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    focus_area: Any,
    name: str,
    areas: Iterable[HousingArea],
    responsible: str,
    responsible_partner: Partner | None = None,
    responsible_is_placeholder: bool = False,
    description: str = "",
    source_quote: str | None = None,
    target_groups: Iterable[str] = (),
    unit: str = Activity.Unit.EVENTS,
    unit_label: str = "",
    partners: Iterable[Partner] = (),
    new_partners: Iterable[str] = (),
    success_criteria: Iterable[Any] = (),
    start_date: date | None = None,
    reason: str = "",
    version: str | None = None,
) -> Activity:
    """Change an activity: its fields, the areas it runs in (a kept area keeps its note),
    partners and linked criteria. Every change is in the audit trail with old and new
    values (the activity's fields, each area link added or removed, the partners and
    criteria), with ``reason`` on the entries.

    Refused (nothing written): an area removed that has registrations or planned figures
    (``area_has_registrations``, ``area_has_planned``), a start outside the plan or after
    a registration (``start_outside_plan``, ``registrations_before_start``), the
    create's rules, and a stale ``version`` (``stale_edit``)."""
    plan = activity.plan
    locked = concurrency.lock(activity)
    concurrency.check(_activity_parts(locked), version, what=_("Aktiviteten"))
    wanted_areas = list(dict.fromkeys(areas))
    partners, criteria = list(partners), list(success_criteria)
    _check_activity_relations(
        plan, focus_area=focus_area, areas=wanted_areas, partners=partners,
        responsible_partner=responsible_partner, criteria=criteria,
    )  # fmt: skip
    _check_activity_dates(plan, start_date)
    links = {link.area_id: link for link in locked.area_links.select_related("area")}
    removed = [
        link for area_id, link in links.items() if area_id not in {a.pk for a in wanted_areas}
    ]
    for link in removed:
        count = Registration.objects.filter(activity=locked, area_id=link.area_id).count()
        if count:
            raise ValidationError(
                {
                    "areas": ValidationError(
                        _(
                            "%(area)s kan ikke fjernes fra aktiviteten: der er %(count)s "
                            "registreringer i området. Registreringerne bliver stående; "
                            "afslut i stedet aktiviteten, eller ret registreringerne først."
                        )
                        % {"area": link.area.name, "count": count},
                        code="area_has_registrations",
                    )
                }
            )
        if PlannedQuantity.objects.filter(activity=locked, area_id=link.area_id).exists():
            raise ValidationError(
                {
                    "areas": ValidationError(
                        _(
                            "%(area)s kan ikke fjernes fra aktiviteten: aktivitetsskemaet har "
                            "planlagte antal for området. Ret aktivitetsskemaet først."
                        )
                        % {"area": link.area.name},
                        code="area_has_planned",
                    )
                }
            )
    if start_date is not None:
        first = (
            Registration.objects.filter(activity=locked, date__lt=start_date)
            .order_by("date")
            .values_list("date", flat=True)
            .first()
        )
        if first is not None:
            raise ValidationError(
                {
                    "start_date": ValidationError(
                        _(
                            "Aktiviteten har registreringer fra før startdatoen (den første "
                            "%(first)s)."
                        )
                        % {"first": fmt_date(first)},
                        code="registrations_before_start",
                    )
                }
            )
    values: dict[str, Any] = {
        "focus_area": focus_area, "name": name, "description": description,
        "responsible": responsible, "responsible_partner": responsible_partner,
        "responsible_is_placeholder": responsible_is_placeholder, "unit": unit,
        "unit_label": unit_label, "start_date": start_date,
    }  # fmt: skip
    if source_quote is not None:
        values["source_quote"] = source_quote
    for field_name, value in values.items():
        setattr(locked, field_name, value)
    locked.target_groups = "\n".join(target_groups)
    _check_unique_activity(plan, locked)
    _clean_activity(locked)
    with audit_reason(reason.strip()):
        partners = list(dict.fromkeys([*partners, *_new_partners(plan, new_partners)]))
        locked.save()
        for link in removed:
            link.delete()
        for area in wanted_areas:
            if area.pk not in links:
                link = ActivityArea(activity=locked, area=area)
                link.full_clean()
                link.save()
        if {p.pk for p in locked.partners.all()} != {p.pk for p in partners}:
            locked.partners.set(partners)
        if {c.pk for c in locked.success_criteria.all()} != {c.pk for c in criteria}:
            locked.success_criteria.set(criteria)
    for field_name in (*values, "target_groups"):
        setattr(activity, field_name, getattr(locked, field_name))
    return locked


@transaction.atomic
def activity_end(
    *,
    activity: Activity,
    end_date: date,
    reason: str,
    actor: Any = None,
    version: str | None = None,
) -> Activity:
    """End an activity on ``end_date`` (inclusive): from the day after it takes no
    registrations; those up to the date stay and count. ``reason`` is required; it is
    stored on the activity and the audit entry, with ``actor`` as who ended it. The list
    of activities shows ended ones apart.

    Refused (nothing written): an activity already ended (``already_ended``), no reason
    (``reason_required``), an end before the activity's (or the plan's) start
    (``end_before_start``) or after the plan's end (``end_outside_plan``), registrations
    after the end date (``registrations_after_end``), a stale ``version``."""
    plan = activity.plan
    locked = concurrency.lock(activity)
    concurrency.check(_activity_parts(locked), version, what=_("Aktiviteten"))
    if locked.end_date is not None:
        raise ValidationError(
            _("%(activity)s er allerede afsluttet pr. %(end)s.")
            % {"activity": locked.name, "end": fmt_date(locked.end_date)},
            code="already_ended",
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {
                "reason": ValidationError(
                    _("Skriv en begrundelse for, at aktiviteten afsluttes."),
                    code="reason_required",
                )
            }
        )
    start = locked.start_date or plan.start_date
    if end_date < start:
        raise ValidationError(
            {
                "end_date": ValidationError(
                    _("Slutdatoen ligger før aktivitetens start (%(start)s).")
                    % {"start": fmt_date(start)},
                    code="end_before_start",
                )
            }
        )
    if end_date > plan.end_date:
        raise ValidationError(
            {
                "end_date": ValidationError(
                    _("Slutdatoen ligger efter planens slutning (%(end)s).")
                    % {"end": fmt_date(plan.end_date)},
                    code="end_outside_plan",
                )
            }
        )
    later = Registration.objects.filter(activity=locked, date__gt=end_date)
    count = later.count()
    if count:
        last = later.order_by("-date").values_list("date", flat=True).first()
        raise ValidationError(
            {
                "end_date": ValidationError(
                    _(
                        "Aktiviteten har %(count)s registreringer efter %(end)s (den sidste "
                        "%(last)s). Vælg en senere slutdato, eller ret registreringerne først."
                    )
                    % {"count": count, "end": fmt_date(end_date), "last": fmt_date(last)},
                    code="registrations_after_end",
                )
            }
        )
    locked.end_date, locked.end_reason, locked.ended_by = end_date, reason, actor
    locked.full_clean()
    with audit_reason(reason):
        locked.save(update_fields=["end_date", "end_reason", "ended_by"])
    activity.end_date, activity.end_reason, activity.ended_by = end_date, reason, actor
    return locked


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
