"""Period locking: what an issued status report locks, and how a locked figure is corrected.

The rules, in this module alone (every write path asks here; pages mark from here):

- A **registration** (``activities.Registration``) is locked when an issued report's period
  covers its date.
- An **approved observation** (``criteria.Observation``) is locked when an issued report's
  ``period_end.year`` is the observation's year and the observation was approved before the
  report was issued (an approved figure without an approval time counts as approved before).
  A figure once corrected under a lock stays locked by that report, although the correction
  stamps a new approval time. Drafts and returned figures are never locked.
- A **superseded** report's lock passes to the report superseding it (and on, to the issued
  report at the end of the chain); a superseded report alone locks nothing. A draft locks
  nothing.

A change to a locked object is a **correction**: the service refuses it without a reason
(``ValidationError`` code ``period_locked`` on ``reason``, naming the report) and with one
writes the change and a ``PeriodCorrection`` (the changed fields' old and new values) in the
same transaction, under ``audit_reason``. Imports, which cannot give a reason per row, refuse
rows that would change a locked figure.

Pages read in a constant number of queries: ``locked_periods(plan)`` once (one query), then
the pure checks ``Locks.registration(day)`` / ``Locks.observation(obs, corrected_in)``;
``corrections_for(plan, kind, ids)`` (one query) for the markings; ``corrections_since(plan,
after)`` for the next report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from helhedsplan.plans.models import Plan
from helhedsplan.statusreports.models import PeriodCorrection, StatusReport

OBSERVATION = PeriodCorrection.Kind.OBSERVATION
REGISTRATION = PeriodCorrection.Kind.REGISTRATION


def _field(kind: str) -> str:
    """The key of a correction that names what ``kind`` of thing it corrected."""
    return f"{PeriodCorrection.Kind(kind).value}_id"


CODE = "period_locked"


@dataclass(frozen=True)
class LockedPeriod:
    """The period of one issued or superseded report, locked now by ``report`` (the issued
    report at the end of its chain of supersessions)."""

    start: date
    end: date
    issued_at: datetime | None
    report: StatusReport


class Locks:
    """The plan's locked periods, read once (``locked_periods``); the checks are pure."""

    def __init__(self, reports: Iterable[StatusReport]) -> None:
        reports = [r for r in reports if r.state != StatusReport.State.DRAFT]
        successor = {r.supersedes_id: r for r in reports if r.supersedes_id is not None}
        self.head_of: dict[int, StatusReport] = {}
        periods = []
        for report in reports:
            head = _head(report, successor)
            if head is None:
                continue  # superseded, with no issued report after it: locks nothing
            self.head_of[report.pk] = head
            periods.append(
                LockedPeriod(report.period_start, report.period_end, report.issued_at, head)
            )
        self.periods: list[LockedPeriod] = sorted(periods, key=lambda p: (p.start, p.end))

    def __bool__(self) -> bool:
        return bool(self.periods)

    def registration(self, day: date) -> StatusReport | None:
        """The report that locks a registration dated ``day``, or None."""
        for period in self.periods:
            if period.start <= day <= period.end:
                return period.report
        return None

    def observation(self, obs: Any, corrected_in: Iterable[int] = ()) -> StatusReport | None:
        """The report that locks ``obs`` (an ``Observation``), or None. ``corrected_in``: the
        ids of the reports its earlier corrections were made under (``corrections_for``)."""
        if obs.state != "approved":
            return None
        for period in self.periods:
            if period.end.year != obs.year:
                continue
            if obs.approved_at is None or (
                period.issued_at is not None and obs.approved_at <= period.issued_at
            ):
                return period.report
        for report_id in corrected_in:
            head = self.head_of.get(report_id)
            if head is not None:
                return head
        return None


def _head(report: StatusReport, successor: Mapping[int, StatusReport]) -> StatusReport | None:
    seen = {report.pk}
    while report.pk in successor:
        report = successor[report.pk]
        if report.pk in seen:
            return None  # a cycle the model does not allow; lock nothing rather than loop
        seen.add(report.pk)
    return report if report.state == StatusReport.State.ISSUED else None


LOCK_FIELDS = ("pk", "plan_id", "period_start", "period_end", "state", "version", "issued_at",
               "supersedes_id")  # fmt: skip


LOCK_FIELDS = ("pk", "plan_id", "period_start", "period_end", "state", "version", "issued_at",
               "supersedes_id")  # fmt: skip


def locked_periods(plan: Plan | int) -> Locks:
    """The plan's locks, in one query."""
    plan_id = plan if isinstance(plan, int) else plan.pk
    return Locks(
        StatusReport.objects.filter(plan_id=plan_id)
        .exclude(state=StatusReport.State.DRAFT)
        .only(*LOCK_FIELDS)
        .order_by("pk")
    )


def corrections_for(
    plan: Plan | int, kind: str, ids: Iterable[int]
) -> dict[int, list[PeriodCorrection]]:
    """The corrections of these objects of ``kind`` (``OBSERVATION`` / ``REGISTRATION``), by
    object id, oldest first, each with its report and corrector loaded: one query."""
    wanted = {i for i in ids if i is not None}
    found: dict[int, list[PeriodCorrection]] = {}
    if not wanted:
        return found
    plan_id = plan if isinstance(plan, int) else plan.pk
    for correction in (
        PeriodCorrection.objects.filter(
            plan_id=plan_id, kind=kind, **{f"{_field(kind)}__in": wanted}
        )
        .select_related("report", "corrected_by")
        .order_by("corrected_at", "pk")
    ):
        found.setdefault(correction.object_id or 0, []).append(correction)
    return found


def corrections_since(plan: Plan | int, after: datetime | None) -> list[PeriodCorrection]:
    """Every correction of the plan made after ``after`` (all of them when None), oldest
    first, with report and corrector loaded: one query. The next status report lists
    ``corrections_since(plan, previous_report.issued_at)``."""
    plan_id = plan if isinstance(plan, int) else plan.pk
    corrections = PeriodCorrection.objects.filter(plan_id=plan_id)
    if after is not None:
        corrections = corrections.filter(corrected_at__gt=after)
    return list(corrections.select_related("report", "corrected_by").order_by("corrected_at", "pk"))


# --- for the services ----------------------------------------------------------------------


def observation_lock(obs: Any) -> StatusReport | None:
    """The report locking a stored observation (two queries; None for a draft: none)."""
    if obs.pk is None or obs.state != "approved":
        return None
    locks = locked_periods(obs.measure.plan_id)
    if not locks:
        return None
    corrected_in = PeriodCorrection.objects.filter(
        plan_id=obs.measure.plan_id, kind=OBSERVATION, observation_id=obs.pk
    ).values_list("report_id", flat=True)
    return locks.observation(obs, corrected_in)


def registration_lock(plan: Plan | int, *days: date) -> StatusReport | None:
    """The report locking the first of ``days`` that is locked (one query)."""
    locks = locked_periods(plan)
    for day in days:
        report = locks.registration(day)
        if report is not None:
            return report
    return None


def report_name(report: StatusReport) -> str:
    """ "statusrapporten 2018, 2. halvår (version 1)"."""
    return _("statusrapporten %(period)s (version %(version)s)") % {
        "period": report.period_label,
        "version": report.version,
    }


def locked_message(report: StatusReport) -> str:
    return _("Perioden er låst af %(report)s. Angiv en begrundelse for rettelsen.") % {
        "report": report_name(report)
    }


def refusal(report: StatusReport) -> ValidationError:
    """The error a service raises for a change of a locked object without a reason."""
    return ValidationError({"reason": [ValidationError(locked_message(report), code=CODE)]})


def plain(value: Any) -> Any:
    """A value as the correction's JSON stores it: decimals and dates as text."""
    if isinstance(value, Decimal):
        normal = value.normalize()
        return str(normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    return value


def changed_values(
    old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields whose value differs, as (old, new) with plain values; a field missing on
    one side (a creation, a deletion) is left out of that side."""
    names = [n for n in dict.fromkeys([*old, *new]) if plain(old.get(n)) != plain(new.get(n))]
    return (
        {n: plain(old[n]) for n in names if n in old},
        {n: plain(new[n]) for n in names if n in new},
    )


def correction_record(
    *,
    report: StatusReport,
    kind: str,
    object_id: int,
    label: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    reason: str,
    user: Any,
) -> PeriodCorrection:
    """Store the correction of a locked object: the changed fields' old and new values.
    Call it inside the service's transaction and its ``audit_reason(reason)``."""
    before, after = changed_values(old, new)
    correction = PeriodCorrection(
        plan_id=report.plan_id,
        report=report,
        kind=kind,
        label=label[:300],
        old=before,
        new=after,
        reason=reason,
        corrected_by=user if getattr(user, "is_authenticated", False) else None,
        **{_field(kind): object_id},
    )
    correction.full_clean()
    correction.save()
    return correction


# --- for the pages -------------------------------------------------------------------------


def mark_observations(plan: Plan | int, observations: Sequence[Any]) -> None:
    """Set ``period_corrections`` (list) and ``locked_by`` (report or None) on each
    observation: two queries, whatever their number."""
    locks = locked_periods(plan)
    corrections = corrections_for(plan, OBSERVATION, [o.pk for o in observations])
    for obs in observations:
        obs.period_corrections = corrections.get(obs.pk, [])
        obs.locked_by = locks.observation(obs, [c.report_id for c in obs.period_corrections])


def mark_registrations(plan: Plan | int, registrations: Sequence[Any]) -> None:
    """Set ``period_corrections`` and ``locked_by`` on each registration: two queries."""
    locks = locked_periods(plan)
    corrections = corrections_for(plan, REGISTRATION, [r.pk for r in registrations])
    for registration in registrations:
        registration.period_corrections = corrections.get(registration.pk, [])
        registration.locked_by = locks.registration(registration.date)
