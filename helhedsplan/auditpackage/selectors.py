"""The yearly audit package (revisionens dokumentation) as plain data.

Seed § 5: "Som en del af den årlige revision i forbindelse med regnskabsaflæggelse skal
boligorganisationen over for revisionen dokumentere, at der løbende følges op på de
opstillede (lokale) mål." ``audit_package(plan, year)`` gathers what documents that for one
year, in five sections:

1. per success criterion (grouped by focus area) the observations of the year (the
   observation's ``year``), with value, area, state, who registered and approved them, when;
2. the board's meetings held that year, the board's assessments and the decisions taken at
   them, and the status reports issued that year;
3. per activity the registrations of the year, aggregated per area and quarter (counts, never
   people), and the activity evaluations whose period touches the year;
4. the budget and the accounts of the year per budget line, the corrections, and whether the
   year is closed;
5. the audit trail of changes to the targets (which hold the baselines: ``baseline_year``,
   ``baseline_value``) made that year, field by field, with the reason.

A constant number of queries whatever the plan holds (tests/auditpackage). Everything is
plain values (text, numbers, dates): the page and both exporters draw the same data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.activities.models import Activity, Evaluation, Registration
from helhedsplan.agreements.models import AgreementVersion
from helhedsplan.audit import display
from helhedsplan.audit.models import AuditEntry
from helhedsplan.criteria.models import Observation, ReferenceSeries, SuccessCriterion, Target
from helhedsplan.criteria.services import display_figure
from helhedsplan.lib.numbers import fmt_number
from helhedsplan.meetings.models import BoardAssessment, Decision, Meeting
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import Plan
from helhedsplan.plans.years import Years
from helhedsplan.spending.selectors import accounts_overview
from helhedsplan.statusreports.models import StatusReport

SEED_QUOTE = (
    "Som en del af den årlige revision i forbindelse med regnskabsaflæggelse skal "
    "boligorganisationen over for revisionen dokumentere, at der løbende følges op på de "
    "opstillede (lokale) mål."
)


def package_years(plan: Plan, today: date) -> Years:
    """The years a package is made for: the plan's years up to this year (a year not yet
    begun has nothing to audit). Opens on last year, the year whose accounts are audited
    now, when the plan had it; else on the latest year offered."""
    years = [y for y in plan.years if y <= today.year] or [plan.start_date.year]
    default = today.year - 1 if today.year - 1 in years else years[-1]
    return Years(years=years, default=default)


def person(user: Any) -> str:
    """A user as the package names them: full name, else username; "" for no one."""
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


# --- 1. observations per success criterion ------------------------------------------------


@dataclass(frozen=True)
class ObservationLine:
    area: str
    variant: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    rating: str  # the rating's label, "" for a figure
    figure: str  # as the reader knows it: "58,3", "21 (42/200)", "Delvist opfyldt"
    unit: str
    state: str  # Observation.State
    state_label: str
    registered_by: str
    registered_at: datetime | None
    approved_by: str
    approved_at: datetime | None
    source_note: str
    # The observation itself: one a measure shared by two criteria is listed under both,
    # and counted once.
    observation_id: int = 0

    @property
    def is_approved(self) -> bool:
        return self.state == Observation.State.APPROVED


@dataclass(frozen=True)
class CriterionSection:
    code: str
    title: str
    measure: str
    observations: tuple[ObservationLine, ...]


@dataclass(frozen=True)
class FocusAreaGroup:
    label: str
    criteria: tuple[CriterionSection, ...]


# --- 2. the board's follow-up --------------------------------------------------------------


@dataclass(frozen=True)
class MeetingLine:
    date: date
    title: str
    kind: str
    status_report: str


@dataclass(frozen=True)
class AssessmentLine:
    meeting_date: date
    meeting: str
    focus_area: str
    rating: str
    text: str
    recorded_by: str
    recorded_at: datetime | None


@dataclass(frozen=True)
class DecisionLine:
    meeting_date: date
    meeting: str
    text: str
    concerns: str
    recorded_by: str
    recorded_at: datetime | None


@dataclass(frozen=True)
class StatusReportLine:
    period: str
    period_start: date
    period_end: date
    version: int | None
    state: str
    issued_by: str
    issued_at: datetime | None
    shared_with_lbf_at: datetime | None


# --- 3. activities -------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationLine:
    focus_area: str
    activity: str
    area: str
    quarter: int
    held: int  # registrations: held activities, not people
    participants: int  # people: suppressed when small, outside the secretariat
    volunteers: int


@dataclass(frozen=True)
class EvaluationLine:
    focus_area: str
    activity: str
    period_start: date
    period_end: date
    rating: str
    narrative: str
    author: str
    evaluated_on: date


# --- 4. budget and accounts ----------------------------------------------------------------


@dataclass(frozen=True)
class BudgetRow:
    line: str
    kind: str
    budget: Decimal
    registered: Decimal
    corrections: Decimal

    @property
    def spent(self) -> Decimal:
        return self.registered + self.corrections

    @property
    def variance(self) -> Decimal:
        """Spent less budget: positive is spent beyond the budget."""
        return self.spent - self.budget

    @property
    def variance_percent(self) -> Decimal | None:
        return self.variance / self.budget * 100 if self.budget else None


@dataclass(frozen=True)
class CorrectionLine:
    line: str
    source: str
    amount: Decimal
    reason: str
    corrected_by: str
    corrected_at: datetime | None


@dataclass(frozen=True)
class ClosingLine:
    approved_by: str
    approved_at: datetime | None
    note: str


@dataclass(frozen=True)
class BudgetSection:
    rows: tuple[BudgetRow, ...]
    corrections: tuple[CorrectionLine, ...]
    closing: ClosingLine | None

    @property
    def total(self) -> BudgetRow:
        return BudgetRow(
            line=_("I alt"),
            kind="",
            budget=sum((r.budget for r in self.rows), Decimal(0)),
            registered=sum((r.registered for r in self.rows), Decimal(0)),
            corrections=sum((r.corrections for r in self.rows), Decimal(0)),
        )

    @property
    def is_closed(self) -> bool:
        return self.closing is not None


# --- 5. changes to targets and baselines ---------------------------------------------------


@dataclass(frozen=True)
class TrailLine:
    timestamp: datetime
    actor: str
    criterion: str
    target: str
    action: str
    field: str
    old: str
    new: str
    reason: str


@dataclass(frozen=True)
class AuditPackage:
    plan: Plan
    year: int
    focus_areas: tuple[FocusAreaGroup, ...]
    meetings: tuple[MeetingLine, ...]
    assessments: tuple[AssessmentLine, ...]
    decisions: tuple[DecisionLine, ...]
    status_reports: tuple[StatusReportLine, ...]
    registrations: tuple[RegistrationLine, ...]
    evaluations: tuple[EvaluationLine, ...]
    budget: BudgetSection
    trail: tuple[TrailLine, ...]

    @property
    def observations(self) -> list[tuple[str, CriterionSection, ObservationLine]]:
        """Every observation line with its focus area and criterion, in the package's order."""
        return [
            (group.label, criterion, obs)
            for group in self.focus_areas
            for criterion in group.criteria
            for obs in criterion.observations
        ]

    @property
    def approved_observations(self) -> list[tuple[str, CriterionSection, ObservationLine]]:
        return [row for row in self.observations if row[2].is_approved]

    @property
    def counts(self) -> dict[str, int]:
        """What the package holds, per kind (the page's summary and the cover)."""
        return {
            "criteria": sum(len(g.criteria) for g in self.focus_areas),
            "observations": len({row[2].observation_id for row in self.observations}),
            "approved": len({row[2].observation_id for row in self.approved_observations}),
            "meetings": len(self.meetings),
            "assessments": len(self.assessments),
            "decisions": len(self.decisions),
            "status_reports": len(self.status_reports),
            "held": sum(r.held for r in self.registrations),
            "evaluations": len(self.evaluations),
            "budget_lines": len(self.budget.rows),
            "corrections": len(self.budget.corrections),
            "trail": len(self.trail),
        }


def audit_package(plan: Plan, year: int) -> AuditPackage:
    """The package for ``plan`` and ``year`` (a constant number of queries)."""
    focus_areas = _observations(plan, year)
    meetings, assessments, decisions = _board(plan, year)
    reports = _status_reports(plan, year)
    registrations, evaluations = _activities(plan, year)
    budget = budget_section(plan, year)
    trail = _target_trail(plan, year)
    return AuditPackage(
        plan=plan,
        year=year,
        focus_areas=focus_areas,
        meetings=meetings,
        assessments=assessments,
        decisions=decisions,
        status_reports=reports,
        registrations=registrations,
        evaluations=evaluations,
        budget=budget,
        trail=trail,
    )


def _observations(plan: Plan, year: int) -> tuple[FocusAreaGroup, ...]:
    criteria = list(
        SuccessCriterion.objects.filter(plan=plan)
        .select_related("focus_area", "measure")
        .order_by("focus_area__order", "focus_area__code", "order", "code")
    )
    by_measure: dict[int, list[ObservationLine]] = {}
    found = list(
        Observation.objects.filter(measure__plan=plan, year=year)
        .select_related("measure", "area", "registered_by", "approved_by")
        .order_by("measure_id", "variant", "pk")
    )
    # The areas in the plan's order, the total (no area) last, on every database.
    for obs in sorted(
        found,
        key=lambda o: (o.measure_id, o.area is None, o.area.order if o.area else 0, o.variant),
    ):
        by_measure.setdefault(obs.measure_id, []).append(
            ObservationLine(
                area=obs.area.name if obs.area is not None else _("Samlet"),
                variant=obs.variant,
                value=obs.value,
                numerator=obs.numerator,
                denominator=obs.denominator,
                rating=str(obs.get_rating_display()) if obs.rating else "",
                figure=display_figure(obs),
                unit=obs.measure.unit_label,
                state=obs.state,
                state_label=str(obs.get_state_display()),
                registered_by=person(obs.registered_by),
                registered_at=obs.registered_at,
                approved_by=person(obs.approved_by) if obs.is_approved else "",
                approved_at=obs.approved_at if obs.is_approved else None,
                source_note=obs.source_note,
                observation_id=obs.pk,
            )
        )
    measure_names = {obs.measure_id: obs.measure.name for obs in found}
    groups: list[FocusAreaGroup] = []
    for criterion in criteria:
        label = str(criterion.focus_area)
        section = CriterionSection(
            code=criterion.code,
            title=criterion.title,
            measure=criterion.measure.name,
            observations=tuple(by_measure.get(criterion.measure_id, [])),
        )
        if groups and groups[-1].label == label:
            groups[-1] = FocusAreaGroup(label, (*groups[-1].criteria, section))
        else:
            groups.append(FocusAreaGroup(label, (section,)))
    # A measure no criterion is measured by (a background figure) is in the package too:
    # every observation of the year is, under its criteria or here.
    measured = {c.measure_id for c in criteria}
    background = tuple(
        CriterionSection(code="", title=measure_names[pk], measure=measure_names[pk],
                         observations=tuple(lines))
        for pk, lines in by_measure.items()
        if pk not in measured
    )  # fmt: skip
    if background:
        groups.append(FocusAreaGroup(_("Baggrundstal (målinger uden eget succeskriterium)"),
                                     background))  # fmt: skip
    return tuple(groups)


def _board(
    plan: Plan, year: int
) -> tuple[tuple[MeetingLine, ...], tuple[AssessmentLine, ...], tuple[DecisionLine, ...]]:
    of_year = Q(meeting__plan=plan, meeting__body__kind=Body.Kind.BOARD, meeting__date__year=year)
    meetings = (
        Meeting.objects.filter(plan=plan, body__kind=Body.Kind.BOARD, date__year=year)
        .select_related("status_report")
        .order_by("date", "pk")
    )
    assessments = (
        BoardAssessment.objects.filter(of_year)
        .select_related("meeting", "focus_area", "recorded_by")
        .order_by("meeting__date", "meeting_id", "focus_area__order", "focus_area__code")
    )
    decisions = (
        Decision.objects.filter(of_year)
        .select_related("meeting", "recorded_by")
        .order_by("meeting__date", "meeting_id", "recorded_at", "pk")
    )
    return (
        tuple(
            MeetingLine(
                date=m.date,
                title=m.display_title,
                kind=str(m.get_kind_display()),
                status_report=m.status_report.period_label if m.status_report else "",
            )
            for m in meetings
        ),
        tuple(
            AssessmentLine(
                meeting_date=a.meeting.date,
                meeting=a.meeting.display_title,
                focus_area=str(a.focus_area),
                rating=str(a.get_rating_display()),
                text=a.text,
                recorded_by=person(a.recorded_by),
                recorded_at=a.recorded_at,
            )
            for a in assessments
        ),
        tuple(
            DecisionLine(
                meeting_date=d.meeting.date,
                meeting=d.meeting.display_title,
                text=d.text,
                concerns=d.concerns_label,
                recorded_by=person(d.recorded_by),
                recorded_at=d.recorded_at,
            )
            for d in decisions
        ),
    )


def _status_reports(plan: Plan, year: int) -> tuple[StatusReportLine, ...]:
    start, end = _year_bounds(year)
    reports = (
        StatusReport.objects.filter(plan=plan, issued_at__gte=start, issued_at__lt=end)
        .exclude(state=StatusReport.State.DRAFT)
        .select_related("issued_by")
        .order_by("issued_at", "pk")
    )
    return tuple(
        StatusReportLine(
            period=r.period_label,
            period_start=r.period_start,
            period_end=r.period_end,
            version=r.version,
            state=str(r.get_state_display()),
            issued_by=person(r.issued_by),
            issued_at=r.issued_at,
            shared_with_lbf_at=r.shared_with_lbf_at,
        )
        for r in reports
    )


def _activities(
    plan: Plan, year: int
) -> tuple[tuple[RegistrationLine, ...], tuple[EvaluationLine, ...]]:
    activities = {a.pk: a for a in Activity.objects.filter(plan=plan).select_related("focus_area")}
    order = {pk: n for n, pk in enumerate(sorted(
        activities, key=lambda pk: (activities[pk].focus_area.order, activities[pk].focus_area.code,
                                    activities[pk].order, activities[pk].name)))}  # fmt: skip
    aggregated = (
        Registration.objects.filter(plan=plan, year=year)
        .values("activity_id", "area__name", "area__order", "quarter")
        .annotate(held=Count("pk"), people=Sum("participants"), helpers=Sum("volunteers"))
        .order_by()
    )
    registrations = sorted(
        (row for row in aggregated if row["activity_id"] in activities),
        key=lambda r: (order[r["activity_id"]], r["area__order"], r["area__name"], r["quarter"]),
    )
    first, last = date(year, 1, 1), date(year, 12, 31)
    evaluations = (
        Evaluation.objects.filter(
            activity__plan=plan, period_start__lte=last, period_end__gte=first
        )
        .select_related("author")
        .order_by("period_start", "evaluated_on", "pk")
    )
    return (
        tuple(
            RegistrationLine(
                focus_area=str(activities[r["activity_id"]].focus_area),
                activity=activities[r["activity_id"]].name,
                area=r["area__name"],
                quarter=r["quarter"],
                held=r["held"],
                participants=r["people"] or 0,
                volunteers=r["helpers"] or 0,
            )
            for r in registrations
        ),
        tuple(
            EvaluationLine(
                focus_area=str(activities[e.activity_id].focus_area),
                activity=activities[e.activity_id].name,
                period_start=e.period_start,
                period_end=e.period_end,
                rating=str(e.get_rating_display()),
                narrative=e.narrative,
                author=person(e.author),
                evaluated_on=e.evaluated_on,
            )
            for e in sorted(evaluations, key=lambda e: (order[e.activity_id], e.period_start))
        ),
    )


def budget_section(plan: Plan, year: int) -> BudgetSection:
    """The budget and the accounts of ``year`` per budget line: the accounts page's own
    figures (``spending.selectors.accounts_overview``), so the package and the page cannot
    disagree."""
    accounts = accounts_overview(plan, year)
    corrections = [c for c in accounts.corrections if c.year == year]
    closing = accounts.closing
    return BudgetSection(
        rows=tuple(
            BudgetRow(
                line=row.line.name,
                kind=str(row.line.get_kind_display()),
                budget=row.budget,
                registered=row.registered,
                corrections=row.corrections,
            )
            for row in accounts.lines
            if row.line is not None
        ),
        corrections=tuple(
            CorrectionLine(
                line=c.line.name,
                source=c.source.name,
                amount=c.amount,
                reason=c.reason,
                corrected_by=person(c.corrected_by),
                corrected_at=c.corrected_at,
            )
            for c in corrections
        ),
        closing=(
            ClosingLine(
                approved_by=person(closing.approved_by),
                approved_at=closing.approved_at,
                note=closing.note,
            )
            if closing is not None
            else None
        ),
    )


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    """The year as local time: from 1 January 00:00 to the next 1 January."""
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(date(year, 1, 1), time()), zone),
        timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time()), zone),
    )


# The fields of a target's diff not shown: the row's own key, its place in lists.
_TRAIL_SKIP = {"id", "order"}


def _target_trail(plan: Plan, year: int) -> tuple[TrailLine, ...]:
    """Every audit entry on a target of the plan in ``year``, one line per field changed.

    Reads the diff itself (auditlog's display looks each foreign key up on its own): the
    targets' relations are named from a fixed set of lookups (criteria, reference series,
    agreement versions, targets), whatever the entries hold."""
    start, end = _year_bounds(year)
    entries = list(
        AuditEntry.objects.filter(
            plan_id=plan.pk,
            content_type__app_label="criteria",
            content_type__model="target",
            timestamp__gte=start,
            timestamp__lt=end,
        )
        .select_related("actor")
        .order_by("timestamp", "pk")
    )
    codes = {
        str(pk): code
        for pk, code in SuccessCriterion.objects.filter(plan=plan).values_list("pk", "code")
    }
    target_criterion = {
        str(pk): codes.get(str(criterion_id), "")
        for pk, criterion_id in Target.objects.filter(criterion__plan=plan).values_list(
            "pk", "criterion_id"
        )
    }
    names = {
        "criterion": codes,
        "reference_series": {
            str(pk): name
            for pk, name in ReferenceSeries.objects.filter(plan=plan).values_list("pk", "name")
        },
        "introduced_by": (
            versions := {
                str(pk): _("version %(n)s") % {"n": number}
                for pk, number in AgreementVersion.objects.filter(plan=plan).values_list(
                    "pk", "number"
                )
            }
        ),
        "superseded_by": versions,
        "set_from": (targets := {pk: _("mål %(pk)s") % {"pk": pk} for pk in target_criterion}),
        "replaces": targets,
    }
    lines: list[TrailLine] = []
    for entry in entries:
        data = display.stored_changes(entry)
        criterion = target_criterion.get(entry.object_pk, "")
        if not criterion and isinstance(data, Mapping):
            criterion = codes.get(str(_old_or_new(data.get("criterion"))), "")
        common = {
            "timestamp": entry.timestamp,
            "actor": person(entry.actor),
            "criterion": criterion,
            "target": entry.object_repr,
            "action": entry.event_label,
            "reason": entry.reason,
        }
        rows = _event_rows(data) if entry.is_event else _field_rows(data, names)
        lines.extend(TrailLine(field=f, old=o, new=n, **common) for f, o, n in rows)
    return tuple(lines)


# The keys of the target's business event (criteria.services) in the order they are read;
# their Danish names are the trail's own (audit/display.py).
_TARGET_EVENT_KEYS = ("area", "baseline", "target")


def _event_rows(data: Any) -> list[tuple[str, str, str]]:
    """An event's data as (key, "", value) rows; one empty row for an event without data."""
    if isinstance(data, Mapping) and data:
        # The known keys in their order, then the rest by name: PostgreSQL's jsonb does not
        # keep the order the event was written in.
        known = list(_TARGET_EVENT_KEYS)
        keys = sorted(data, key=lambda k: (known.index(k) if k in known else len(known), str(k)))
        return [
            (str(display.DATA_LABELS.get(str(k), k)), "",
             display.as_text(data[k]))
            for k in keys
        ]  # fmt: skip
    if data in ({}, [], "", None):
        return [("", "", "")]
    return [(_("data"), "", display.as_text(data))]


def _old_or_new(value: Any) -> Any:
    if isinstance(value, list | tuple) and len(value) == 2:
        return value[1] if value[1] not in (None, "None") else value[0]
    return value


def _field_rows(data: Any, names: Mapping[str, Mapping[str, str]]) -> list[tuple[str, str, str]]:
    if not isinstance(data, Mapping):
        return [(_("data"), "", display.as_text(data))]
    rows = []
    for name, change in data.items():
        if name in _TRAIL_SKIP:
            continue
        try:
            model_field: Any = Target._meta.get_field(name)
        except Exception:  # a field that no longer exists: shown as stored
            model_field = None
        if model_field is not None and model_field.auto_created and not model_field.concrete:
            continue  # a reverse relation auditlog wrote down: nothing of the target itself
        label = str(model_field.verbose_name) if model_field is not None else str(name)
        if isinstance(change, Mapping) and change.get("type") == "m2m":
            sign = {"add": "+", "delete": "−", "clear": "∅"}.get(str(change.get("operation")), "")
            objects = display.as_text(change.get("objects", []))
            rows.append((label, "", f"{sign} {objects}".strip()))
            continue
        if isinstance(change, list | tuple) and len(change) == 2:
            old, new = change
        else:
            old, new = None, change
        before, after = _value_text(model_field, old, names), _value_text(model_field, new, names)
        if before or after:  # a creation lists every field: the empty ones say nothing
            rows.append((label, before, after))
    return rows


def _value_text(model_field: Any, value: Any, names: Mapping[str, Mapping[str, str]]) -> str:
    """One stored value of a target's field as the reader knows it ("" for none)."""
    if value in (None, "None", ""):
        return ""
    text = str(value)
    if model_field is None:
        return display.as_text(value)
    if model_field.is_relation:
        return names.get(model_field.name, {}).get(text, text)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(text, text))
    internal = model_field.get_internal_type()
    if internal == "BooleanField":
        return _("ja") if text in ("True", "true", "1") else _("nej")
    if internal == "DecimalField":
        try:
            return fmt_number(Decimal(text), trim=True)
        except InvalidOperation:
            return text
    return display.as_text(value)
