"""Reads across plans: Landsbyggefonden's national overview and the staff's national view.

``lbf_overview(plan_ids, today)`` is one row per plan LBF reads (``accounts.access
.lbf_plan_ids``), built from what LBF may read on each plan: the funding, the agreement's
versions (and those waiting for LBF's decision), the attachments checklist, the
sub-agreements' review, the latest status report *sent to LBF* and, from that report's
frozen snapshot, the scorecard per focus area and the participants counted in its period
(a count of people: shown as the released report shows its total, ``_released_participants``),
and the list status of the plan's areas (``lists.selectors``). LBF never reads the raw
registrations here: what is not in a report sent to it is not on the overview.

Queries: the plans, the funding, the agreement versions and the reports are each one query
for every plan together. The attachments checklist, the sub-agreements' review and the list
status are asked per plan through their own selectors (a fixed number each) only where the
cache holds no answer under the plan's data version (``plans.versions.per_plan``): a warm
page is the same few queries at 4 plans and at 100, and a write to one plan makes the next
read ask that plan alone. Never stale: every audited write raises the plan's counter. No
part shows audit entries, so a download (which raises only the plan's trail counter) leaves
every part cached.

``installation_overview(today)`` is the staff's view of the whole installation: plans by
status and framework, areas, users by role, and per plan its overdue items (the duties every
role of the plan has, ``duties.lists.overdue_counts``, counted once each; cached per plan
and day the same way).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.agreements.attachments import checklist
from helhedsplan.agreements.models import AgreementVersion, VersionStatus
from helhedsplan.agreements.selectors import sub_agreement_overview
from helhedsplan.criteria.engine import Status
from helhedsplan.finance.models import FundingSource
from helhedsplan.lib.numbers import fmt_date, fmt_number
from helhedsplan.plans import versions
from helhedsplan.plans.models import HousingArea, Plan
from helhedsplan.reports import suppression
from helhedsplan.reports.rows import Column, ColumnKind
from helhedsplan.statusreports.document import participants_by_area
from helhedsplan.statusreports.models import StatusReport

# The scorecard's statuses as LBF's summary counts them: met, not met (a final "partly" and a
# forecast "behind" are not met), no data; the rest (on track, not yet due, pending) is
# counted as "other" and shown only where there is some.
MET = frozenset({Status.MET})
NOT_MET = frozenset({Status.NOT_MET, Status.PARTLY, Status.BEHIND})
NO_DATA = frozenset({Status.NO_DATA})


@dataclass(frozen=True)
class FocusAreaScore:
    code: str
    name: str
    met: int = 0
    not_met: int = 0
    no_data: int = 0
    other: int = 0


@dataclass(frozen=True)
class SentReport:
    """The latest status report sent to LBF, as its snapshot holds it."""

    pk: int
    period_end: date
    period_label: str
    version: int | None
    shared_at: datetime | None
    scorecard_year: int | None
    scores: tuple[FocusAreaScore, ...]
    # The period's participants as the released report shows their total (a count of
    # people: a number, or "<5"/"x"), None without participants.
    participants: int | str | None


@dataclass(frozen=True)
class AreaStatus:
    """One area's place on the government's lists in ``year`` (the latest list year with
    data): ``on_list`` True (``categories`` names them), False, or None (cannot be known)."""

    name: str
    year: int | None
    on_list: bool | None
    categories: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        if self.on_list:
            return ", ".join(self.categories)
        if self.on_list is None:
            return _("kan ikke afgøres")
        return _("ikke på listen")


@dataclass
class PlanRow:
    plan: Plan
    lbf_tkr: Decimal = Decimal(0)
    local_tkr: Decimal = Decimal(0)
    in_force: AgreementVersion | None = None
    latest_version: AgreementVersion | None = None
    waiting: list[int] = field(default_factory=list)  # version numbers submitted to LBF
    attachments_complete: int = 0
    attachments_total: int = 0
    attachments_missing: list[str] = field(default_factory=list)
    overdue_sub_agreements: list[str] = field(default_factory=list)  # focus area codes
    report: SentReport | None = None
    areas: list[AreaStatus] = field(default_factory=list)

    @property
    def participants_shown(self) -> str | None:
        """The participants as they may be shown to LBF ("1.250", "<5"); None without."""
        return participants_text(self.report.participants if self.report else None)

    @property
    def total_tkr(self) -> Decimal:
        return self.lbf_tkr + self.local_tkr

    @property
    def local_share(self) -> Decimal | None:
        return self.local_tkr / self.total_tkr * 100 if self.total_tkr else None

    @property
    def on_list(self) -> bool:
        return any(a.on_list for a in self.areas)

    @property
    def agreement_label(self) -> str:
        if self.in_force is not None:
            return _("Version %(n)s godkendt, i kraft fra %(date)s") % {
                "n": self.in_force.number,
                "date": _date(self.in_force.in_force_from),
            }
        if self.latest_version is not None:
            return _("Version %(n)s: %(status)s") % {
                "n": self.latest_version.number,
                "status": self.latest_version.get_status_display(),
            }
        return _("Ingen aftaleversion")

    @property
    def scorecard_totals(self) -> FocusAreaScore:
        scores = self.report.scores if self.report else ()
        return FocusAreaScore(
            "",
            "",
            met=sum(s.met for s in scores),
            not_met=sum(s.not_met for s in scores),
            no_data=sum(s.no_data for s in scores),
            other=sum(s.other for s in scores),
        )


def _date(value: date | None) -> str:
    return fmt_date(value) if value else ""


def lbf_overview(plan_ids: Iterable[int], today: date) -> list[PlanRow]:
    """One row per plan in ``plan_ids``, ordered by name (see the module for what each
    holds and what it costs)."""
    plans = list(
        Plan.objects.filter(pk__in=list(plan_ids)).select_related("municipality").order_by("name")
    )
    rows = {plan.pk: PlanRow(plan) for plan in plans}
    ids = list(rows)
    _funding(rows, ids)
    _agreements(rows, ids, today)
    _reports(rows, ids)
    areas: dict[int, list[HousingArea]] = {}

    def read(plan_id: int) -> _PlanReads:
        if not areas:  # the areas of every plan in one query, at the first plan asked
            areas.update(_areas(ids))
        plan = rows[plan_id].plan
        items = checklist(plan, today)
        return _PlanReads(
            attachments_total=len(items),
            attachments_complete=sum(not i.is_missing for i in items),
            attachments_missing=[str(i.label) for i in items if i.is_missing],
            overdue_sub_agreements=[
                r.focus_area.code for r in sub_agreement_overview(plan, today) if r.review_overdue
            ],
            areas=list_status(plan, areas.get(plan_id, [])),
        )

    from helhedsplan.lists.selectors import rules_fingerprint

    reads = versions.per_plan(
        "national-row",
        ids,
        read,
        today.isoformat(),
        get_language(),
        rules_fingerprint(),
        installation=True,
    )
    for plan in plans:
        row, got = rows[plan.pk], reads[plan.pk]
        row.attachments_total = got.attachments_total
        row.attachments_complete = got.attachments_complete
        row.attachments_missing = got.attachments_missing
        row.overdue_sub_agreements = got.overdue_sub_agreements
        row.areas = got.areas
    return [rows[plan.pk] for plan in plans]


@dataclass(frozen=True)
class _PlanReads:
    """What a plan's row asks its own selectors for (the attachments checklist, the
    sub-agreements' review, the list status): cached per plan under its data version, the
    installation's (the lists' national figures), the day and the language, so only a plan
    changed since the page was last read is asked again."""

    attachments_total: int
    attachments_complete: int
    attachments_missing: list[str]
    overdue_sub_agreements: list[str]
    areas: list[AreaStatus]


def _funding(rows: dict[int, PlanRow], ids: list[int]) -> None:
    sums = (
        FundingSource.objects.filter(plan_id__in=ids)
        .values_list("plan_id", "kind")
        .annotate(total=Sum("amount_tkr"))
        .order_by()
    )
    for plan_id, kind, total in sums:
        if kind == FundingSource.Kind.LBF:
            rows[plan_id].lbf_tkr += total or 0
        else:
            rows[plan_id].local_tkr += total or 0


def _agreements(rows: dict[int, PlanRow], ids: list[int], today: date) -> None:
    """The version in force (as ``agreements.selectors.agreement_in_force`` picks it), the
    latest version and the versions waiting for LBF, for every plan in one query."""
    versions = AgreementVersion.objects.filter(plan_id__in=ids).order_by("plan_id", "-number")
    for version in versions.defer("change_note"):
        row = rows[version.plan_id]
        version.plan = row.plan
        if row.latest_version is None:
            row.latest_version = version
        if version.status == VersionStatus.SUBMITTED:
            row.waiting.append(version.number)
        started = (
            version.status == VersionStatus.APPROVED
            and version.in_force_from is not None
            and version.in_force_from <= today
        )
        if started and (
            row.in_force is None
            or (version.in_force_from, version.number)
            > (row.in_force.in_force_from, row.in_force.number)  # type: ignore[operator]
        ):
            row.in_force = version
    for row in rows.values():
        row.waiting.sort()


def _reports(rows: dict[int, PlanRow], ids: list[int]) -> None:
    """The latest report sent to LBF per plan (the latest period, then version): its keys
    in one query, the snapshots of those alone in a second."""
    sent = (
        StatusReport.objects.filter(plan_id__in=ids, shared_with_lbf_at__isnull=False)
        .exclude(state=StatusReport.State.DRAFT)
        .order_by("plan_id", "-period_end", "-version", "-pk")
        .values_list("pk", "plan_id")
    )
    latest: dict[int, int] = {}
    for pk, plan_id in sent:
        latest.setdefault(plan_id, pk)
    for report in StatusReport.objects.filter(pk__in=latest.values()):
        rows[report.plan_id].report = _sent_report(report)


def _sent_report(report: StatusReport) -> SentReport:
    snap: dict[str, Any] = report.snapshot or {}
    scorecard = snap.get("scorecard") or {}
    scores = []
    for group in scorecard.get("groups", []):
        counts: Counter[str] = Counter()
        for criterion in group.get("rows", []):
            status = criterion.get("status")
            counts[
                "met"
                if status in MET
                else "not_met"
                if status in NOT_MET
                else "no_data"
                if status in NO_DATA or not status
                else "other"
            ] += 1
        fa = group.get("focus_area", {})
        scores.append(FocusAreaScore(str(fa.get("code", "")), str(fa.get("name", "")), **counts))
    return SentReport(
        pk=report.pk,
        period_end=report.period_end,
        period_label=report.period_label,
        version=report.version,
        shared_at=report.shared_with_lbf_at,
        scorecard_year=scorecard.get("year"),
        scores=tuple(scores),
        participants=_released_participants(snap),
    )


def _released_participants(snap: dict[str, Any]) -> int | str | None:
    """The grand total of the report's participants by area (``statusreports.document
    .participants_by_area``) as LBF's released copy of the report shows it: a number, or
    ``<5``/``x`` where small-number suppression hides it (so the overview never shows a
    total that, beside the report's own cells, would give a hidden count away). None: the
    report counted no participants."""
    if not snap.get("participants"):
        return None
    released, _hidden = suppression.release_table(participants_by_area(snap))
    assert released.footer is not None
    shown = released.footer[-1]
    return int(shown) if shown.isdigit() else shown


def _areas(ids: list[int]) -> dict[int, list[HousingArea]]:
    by_plan: dict[int, list[HousingArea]] = defaultdict(list)
    for area in HousingArea.objects.filter(plan_id__in=ids).order_by("plan_id", "order", "name"):
        by_plan[area.plan_id].append(area)
    return by_plan


def list_status(plan: Plan, areas: list[HousingArea]) -> list[AreaStatus]:
    """Each area's categories in the latest list year with data (``lists.selectors``), "not
    on the list", or "cannot be determined" (no list year with data, or a result the engine
    cannot know: a missing value, national figure or year of history)."""
    from helhedsplan.lists import selectors as lists
    from helhedsplan.lists.wording import category_name

    years = lists.list_years(plan)
    if not years:
        return [AreaStatus(a.name, None, None) for a in areas]
    year = years[-1]
    results = lists.plan_list_status(plan, year)
    out = []
    for area in areas:
        result = results.get(area.pk)
        if result is None:
            out.append(AreaStatus(area.name, year, None))
            continue
        names = tuple(category_name(c) for c in result.member_of)
        out.append(AreaStatus(area.name, year, result.on_list, names))
    return out


# --- small-number suppression ---------------------------------------------------------------

# The participants column of the export: a count of people (``reports.suppression``).
PARTICIPANTS = Column(_lazy("Deltagere i rapportens periode"), kind=ColumnKind.COUNT)  # type: ignore[arg-type]


def participants_text(value: int | str | None) -> str | None:
    """The released participants as the page writes them ("1.250", "<5", "x")."""
    if value is None:
        return None
    return fmt_number(value) if isinstance(value, int) else value


# --- the staff's view of the installation ---------------------------------------------------


@dataclass(frozen=True)
class StaffPlanRow:
    plan: Plan
    areas: int
    overdue: int


@dataclass(frozen=True)
class InstallationOverview:
    plans: int
    frameworks: list[str]
    # Per plan status: its label, the plans per framework (as ``frameworks``), the total.
    status_rows: list[tuple[str, list[int], int]]
    framework_totals: list[int]
    areas: int
    users_active: int
    users_inactive: int
    users_by_role: list[tuple[str, int]]
    overdue: int
    rows: list[StaffPlanRow]


def installation_overview(today: date) -> InstallationOverview:
    """The whole installation for its staff (see the module). The counts are a fixed number
    of queries; the overdue items are asked per plan from the due list's sources."""
    from helhedsplan.accounts.models import User
    from helhedsplan.accounts.selectors import active_users_by_role
    from helhedsplan.duties.lists import overdue_counts

    plans = list(Plan.objects.select_related("municipality").order_by("name"))
    areas: Counter[int] = Counter(HousingArea.objects.values_list("plan_id", flat=True).order_by())
    matrix: Counter[tuple[str, str]] = Counter((p.status, p.framework) for p in plans)
    status_labels = dict(Plan.Status.choices)
    frameworks = sorted({p.framework for p in plans})
    active = dict(User.objects.values_list("is_active").annotate(n=Count("pk")).order_by())
    by_pk = {p.pk: p for p in plans}
    overdue = versions.per_plan(
        "overdue",
        list(by_pk),
        lambda pk: overdue_counts([by_pk[pk]], today).get(pk, 0),
        today.isoformat(),
    )
    rows = [StaffPlanRow(plan, areas[plan.pk], overdue.get(plan.pk, 0)) for plan in plans]
    return InstallationOverview(
        plans=len(plans),
        frameworks=frameworks,
        status_rows=[
            (
                str(label),
                [matrix[(code, f)] for f in frameworks],
                sum(matrix[(code, f)] for f in frameworks),
            )
            for code, label in status_labels.items()
        ],
        framework_totals=[sum(matrix[(code, f)] for code in status_labels) for f in frameworks],
        areas=sum(areas.values()),
        users_active=active.get(True, 0),
        users_inactive=active.get(False, 0),
        users_by_role=active_users_by_role(),
        overdue=sum(r.overdue for r in rows),
        rows=rows,
    )


__all__ = [
    "AreaStatus",
    "FocusAreaScore",
    "InstallationOverview",
    "PlanRow",
    "SentReport",
    "installation_overview",
    "lbf_overview",
    "list_status",
]
