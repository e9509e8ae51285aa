"""The sources of "Det skal gøres" (seed § 6: data due, data in, approved, reported,
assessed, decided), registered with ``lists.source``.

Each source answers the duties of the plan that fall to the user, filtered by the same
``PlanAccess`` predicates the pages use (a coordinator's areas, the municipality's measures
and activities, what waits for LBF), each with a link to where it is done. Every source runs
a fixed number of queries, whatever the size of the plan (``tests/duties``).

The seed gives no deadlines for most duties; where it gives none, the deadline is a product
default stated below as a named constant, so it is changed in one place.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.duties.items import DueItem
from helhedsplan.duties.lists import source

if TYPE_CHECKING:
    from helhedsplan.accounts.access import PlanAccess
    from helhedsplan.criteria.models import Measure

# --- deadlines: product defaults (the seed gives none) ------------------------------------

# A figure is due from the day after its period and must be in within this many days; the
# seed names who delivers each figure but not by when.
OBSERVATION_DEADLINE_DAYS = 90
# A draft figure waits for the secretariat's approval at most this long.
APPROVAL_DEADLINE_DAYS = 14
# A figure sent back is corrected within this many days.
RETURNED_DEADLINE_DAYS = 14
# An ended quarter is closed within this many days (late registrations come in meanwhile).
QUARTER_CLOSE_DEADLINE_DAYS = 30
# Minutes are written within this many days after the meeting.
MINUTES_DEADLINE_DAYS = 14
# The board records its assessment within this many days after the assessment meeting.
ASSESSMENT_DEADLINE_DAYS = 14
# The status report of a half-year is issued within this many days after it.
STATUS_REPORT_DEADLINE_DAYS = 60
# A sub-agreement's review is on the list this many days before it falls due.
REVIEW_NOTICE_DAYS = 30
# LBF decides on a submitted version within this many days (the seed gives no time limit).
LBF_DECISION_DEADLINE_DAYS = 60
# A version LBF returned is revised and submitted again within this many days.
VERSION_RETURNED_DEADLINE_DAYS = 30
# A required attachment is in place this many days after the plan's start.
ATTACHMENT_DEADLINE_DAYS = 90
# The programme evaluations (seed § 6) have their own source, driven by their model:
# ``programmeevaluations/duties.py``.


def _url(name: str, access: PlanAccess, **kwargs: object) -> str:
    return reverse(name, kwargs={"slug": access.plan.slug, **kwargs})


def _day(moment: datetime | None, fallback: date) -> date:
    return timezone.localdate(moment) if moment else fallback


def _plan_is_running(access: PlanAccess, today: date) -> bool:
    return access.plan.start_date <= today


# --- observations due, drafts to approve, figures sent back -------------------------------


def _periods(frequency: str, year: int) -> list[tuple[date, date]]:
    """The periods of a year for a frequency; none for "pr. forløb" (no calendar date)."""
    months = {"yearly": 12, "half_yearly": 6, "quarterly": 3}.get(frequency)
    if months is None:
        return []
    periods = []
    for first in range(1, 13, months):
        last = first + months - 1
        periods.append((date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])))
    return periods


def observation_due_from(frequency: str, year: int) -> date | None:
    """From when a year's figure is due: the day after the year's first period.

    An observation is one figure per measure, area and year (``criteria.Observation``), so a
    yearly measure's figure is due from 1 January of the next year, and a half-yearly or
    quarterly measure's year figure from the day after its first period (it is then updated
    as the later periods come in). None for "pr. forløb": no calendar due date.
    """
    periods = _periods(frequency, year)
    return periods[0][1] + timedelta(days=1) if periods else None


def owned_area_ids(access: PlanAccess, measure: Measure) -> frozenset[int] | None:
    """The areas whose figures of ``measure`` are on the user's list (None: every area and
    the total), from the measure's data owner (``PlanAccess.figure_area_ids``)."""
    return access.figure_area_ids(measure.data_owner)


def _allows(area_ids: frozenset[int] | None, area_id: int | None) -> bool:
    from helhedsplan.accounts.access import allows_area

    return allows_area(area_ids, area_id)


def _observation_link(access: PlanAccess, code: str, area_slug: str, year: int) -> str:
    base = _url("criteria:observation_new", access, code=code)
    return f"{base}?omraade={area_slug}&aar={year}"


@source("observation")
def observations_due(access: PlanAccess, today: date) -> list[DueItem]:
    """The figures due for a year per measure and area and not registered yet (a draft, an
    approved or a returned figure all count as registered). The areas are those the
    measure's criteria have targets for in that year (``PlanData.targets_in_year``, the
    total where a target applies to it); the years those of the plan up to today, within
    the measure's years. Six queries."""
    if not access.can("observation.register"):
        return []
    from helhedsplan.criteria.models import Observation
    from helhedsplan.criteria.selectors import TOTAL, PlanData, load_targets

    plan = access.plan
    data: PlanData = load_targets(plan, today)
    areas = {a.pk: a for a in data.areas}
    registered = set(
        Observation.objects.filter(measure__plan=plan, variant="").values_list(
            "measure_id", "area_id", "year"
        )
    )
    # measure id -> year -> area ids (None: the total) -> the first criterion asking for it.
    wanted: dict[int, dict[int, dict[int | None, str]]] = defaultdict(lambda: defaultdict(dict))
    measures = {}
    for criterion in data.criteria:
        measure = criterion.measure
        scope = owned_area_ids(access, measure)
        if scope is not None and not scope:
            continue
        measures[measure.pk] = measure
        for year in plan.years:
            due_from = observation_due_from(measure.frequency, year)
            if due_from is None or due_from > today:
                continue
            if not measure.first_year <= year <= measure.last_year:
                continue
            for target in data.targets_in_year(criterion.pk, year):
                if not target.first_year <= year <= target.last_year:
                    continue  # in force, but not a target for this year
                where: set[int | None] = set(target._area_ids)  # type: ignore[attr-defined]
                if target.applies_to_total:
                    where.add(None)
                for area_id in where:
                    if _allows(scope, area_id):
                        wanted[measure.pk][year].setdefault(area_id, criterion.code)
    items = []
    for measure_id, years in wanted.items():
        measure = measures[measure_id]
        for year, where_codes in years.items():
            due_from = observation_due_from(measure.frequency, year)
            assert due_from is not None
            for area_id, code in where_codes.items():
                if (measure_id, area_id, year) in registered:
                    continue
                area = areas.get(area_id) if area_id is not None else None
                name = area.name if area else _("Samlet")
                items.append(
                    DueItem(
                        key=f"observation:{measure_id}:{area_id or TOTAL}:{year}",
                        kind="observation",
                        title=_("Registrér %(measure)s: %(area)s %(year)s")
                        % {"measure": measure.name, "area": name, "year": year},
                        url=_observation_link(access, code, area.slug if area else TOTAL, year),
                        due_from=due_from,
                        deadline=due_from + timedelta(days=OBSERVATION_DEADLINE_DAYS),
                        detail=_("Succeskriterium %(code)s · leveres af %(by)s")
                        % {"code": code, "by": measure.delivered_by or "–"},
                        area_id=area_id,
                    )
                )
    return items


def _first_criterion_codes(access: PlanAccess) -> dict[int, str]:
    from helhedsplan.criteria.models import SuccessCriterion

    codes: dict[int, str] = {}
    for measure_id, code in (
        SuccessCriterion.objects.filter(plan=access.plan)
        .order_by("order", "code")
        .values_list("measure_id", "code")
    ):
        codes.setdefault(measure_id, code)
    return codes


@source("approval")
def drafts_to_approve(access: PlanAccess, today: date) -> list[DueItem]:
    """Draft figures waiting for the secretariat's approval (one query)."""
    if not access.can("observation.approve"):
        return []
    from helhedsplan.criteria.models import Observation

    approvals = _url("criteria:approvals", access)
    items = []
    for obs in Observation.objects.filter(
        measure__plan=access.plan, state=Observation.State.DRAFT
    ).select_related("measure", "area"):
        registered = _day(obs.registered_at, today)
        where = obs.area.name if obs.area else _("Samlet")
        items.append(
            DueItem(
                key=f"approval:{obs.pk}",
                kind="approval",
                title=_("Godkend %(measure)s: %(area)s %(year)s")
                % {"measure": obs.measure.name, "area": where, "year": obs.year},
                url=approvals,
                due_from=registered,
                deadline=registered + timedelta(days=APPROVAL_DEADLINE_DAYS),
                area_id=obs.area_id,
            )
        )
    return items


@source("returned")
def returned_observations(access: PlanAccess, today: date) -> list[DueItem]:
    """Figures the secretariat sent back, to whoever registers them (the measure's data
    owner, in their areas). Two queries."""
    if not access.can("observation.register"):
        return []
    from helhedsplan.criteria.models import Observation
    from helhedsplan.criteria.selectors import TOTAL

    codes = _first_criterion_codes(access)
    items = []
    for obs in Observation.objects.filter(
        measure__plan=access.plan, state=Observation.State.RETURNED
    ).select_related("measure", "area"):
        if not _allows(owned_area_ids(access, obs.measure), obs.area_id):
            continue
        returned = _day(obs.returned_at, today)
        where = obs.area.name if obs.area else _("Samlet")
        code = codes.get(obs.measure_id)
        url = (
            _observation_link(access, code, obs.area.slug if obs.area else TOTAL, obs.year)
            if code
            else _url("criteria:scorecard", access)
        )
        items.append(
            DueItem(
                key=f"returned:{obs.pk}",
                kind="returned",
                title=_("Ret det returnerede tal %(measure)s: %(area)s %(year)s")
                % {"measure": obs.measure.name, "area": where, "year": obs.year},
                url=url,
                due_from=returned,
                deadline=returned + timedelta(days=RETURNED_DEADLINE_DAYS),
                detail=obs.return_comment,
                area_id=obs.area_id,
            )
        )
    return items


# --- activities: quarters to close, registrations this quarter --------------------------


def _quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    return _periods("quarterly", year)[quarter - 1]


@source("quarter")
def quarters_to_close(access: PlanAccess, today: date) -> list[DueItem]:
    """Ended quarters of the plan that the secretariat has not closed (one query)."""
    if not access.can("delivery.close"):
        return []
    from helhedsplan.activities.models import QuarterClosure

    closed = set(QuarterClosure.objects.filter(plan=access.plan).values_list("year", "quarter"))
    url = _url("activities:quarters", access)
    items = []
    for year in access.plan.years:
        for quarter in (1, 2, 3, 4):
            _first, last = _quarter_bounds(year, quarter)
            if last >= today or (year, quarter) in closed:
                continue
            items.append(
                DueItem(
                    key=f"quarter:{year}:{quarter}",
                    kind="quarter",
                    title=_("Luk %(q)s. kvartal %(y)s") % {"q": quarter, "y": year},
                    url=url,
                    due_from=last + timedelta(days=1),
                    deadline=last + timedelta(days=QUARTER_CLOSE_DEADLINE_DAYS),
                )
            )
    return items


@source("registration")
def activities_without_registrations(access: PlanAccess, today: date) -> list[DueItem]:
    """Activities running this quarter without a registration in an area the user registers
    for (``PlanAccess.registrable_pairs``): one item per activity, the areas named in the
    detail. Three queries."""
    plan = access.plan
    if not access.can("activities.register") or not plan.start_date <= today <= plan.end_date:
        return []
    from helhedsplan.activities.models import Activity, Registration, quarter_of
    from helhedsplan.activities.selectors import activity_area_links

    year, quarter = today.year, quarter_of(today)
    start, end = _quarter_bounds(year, quarter)
    pairs = access.registrable_pairs(activity_area_links(plan))
    if not pairs:
        return []
    done = set(
        Registration.objects.filter(plan=plan, year=year, quarter=quarter).values_list(
            "activity_id", "area_id"
        )
    )
    missing: dict[int, set[int]] = defaultdict(set)
    for activity_id, area_id in pairs:
        if (activity_id, area_id) not in done:
            missing[activity_id].add(area_id)
    if not missing:
        return []
    areas = {a.pk: a for a in plan.areas.all()}
    create = _url("activities:registration_create", access)
    items = []
    for activity in Activity.objects.filter(plan=plan, pk__in=missing).order_by("order", "name"):
        if (activity.start_date and activity.start_date > end) or (
            activity.end_date and activity.end_date < start
        ):
            continue
        names = [areas[a].name for a in sorted(missing[activity.pk], key=lambda a: areas[a].order)]
        items.append(
            DueItem(
                key=f"registration:{activity.pk}:{year}:{quarter}",
                kind="registration",
                title=_("Registrér %(activity)s i %(q)s. kvartal %(y)s")
                % {"activity": activity.name, "q": quarter, "y": year},
                url=f"{create}?aktivitet={activity.slug}",
                due_from=start,
                deadline=end,
                detail=_("Ingen registreringer endnu i: %(areas)s") % {"areas": ", ".join(names)},
                area_id=next(iter(missing[activity.pk]))
                if len(missing[activity.pk]) == 1
                else None,
            )
        )
    return items


# --- meetings: minutes, the board's assessments -----------------------------------------


@source("minutes")
def meetings_without_minutes(access: PlanAccess, today: date) -> list[DueItem]:
    """Held meetings (date past) without minutes, neither text nor file: the secretariat's,
    who keeps the minutes (one query)."""
    if not access.can("meetings.edit"):
        return []
    from helhedsplan.meetings.models import Meeting

    items = []
    for meeting in Meeting.objects.filter(
        plan=access.plan, date__lt=today, minutes_text="", minutes_file__isnull=True
    ).select_related("body"):
        meeting.plan = access.plan
        items.append(
            DueItem(
                key=f"minutes:{meeting.pk}",
                kind="minutes",
                title=_("Skriv referat af %(meeting)s (%(body)s, %(date)s)")
                % {
                    "meeting": meeting.display_title,
                    "body": meeting.body.name,
                    "date": meeting.date.strftime("%d.%m.%Y"),
                },
                url=meeting.get_absolute_url(),
                due_from=meeting.date + timedelta(days=1),
                deadline=meeting.date + timedelta(days=MINUTES_DEADLINE_DAYS),
                area_id=meeting.body.area_id,
            )
        )
    return items


@source("assessment")
def board_assessments_due(access: PlanAccess, today: date) -> list[DueItem]:
    """The board's two yearly assessments (seed § 6), for board members and the secretariat:
    an assessment meeting held with focus areas not yet assessed (-> the meeting, where the
    assessment is recorded), and for board members the year's assessment meeting not held
    yet (-> the calendar; the secretariat has it from the required meetings, with a link
    that creates it). Four queries."""
    if not access.can("assessment.record"):
        return []
    from helhedsplan.meetings.models import BoardAssessment, Meeting
    from helhedsplan.plans.models import FocusArea

    plan = access.plan
    kinds = [Meeting.Kind.BOARD_STATUS_ASSESSMENT, Meeting.Kind.BOARD_CRITERIA_ASSESSMENT]
    focus_areas = list(FocusArea.objects.filter(plan=plan).order_by("order", "code"))
    meetings = list(
        Meeting.objects.filter(plan=plan, kind__in=kinds, date__lte=today).select_related("body")
    )
    assessed = set(
        BoardAssessment.objects.filter(meeting__in=meetings).values_list(
            "meeting_id", "focus_area_id"
        )
    )
    items = []
    for meeting in meetings:
        missing = [fa for fa in focus_areas if (meeting.pk, fa.pk) not in assessed]
        if not missing:
            continue
        meeting.plan = plan
        items.append(
            DueItem(
                key=f"assessment:{meeting.pk}",
                kind="assessment",
                title=_("Bestyrelsens vurdering: %(kind)s, mødet %(date)s")
                % {"kind": meeting.get_kind_display(), "date": meeting.date.strftime("%d.%m.%Y")},
                url=meeting.get_absolute_url(),
                due_from=meeting.date,
                deadline=meeting.date + timedelta(days=ASSESSMENT_DEADLINE_DAYS),
                detail=_("Mangler vurdering af: %(list)s")
                % {"list": ", ".join(f"{fa.code} {fa.name}" for fa in missing)},
            )
        )
    if access.can("meetings.edit"):
        return items  # the required-meetings source lists the meetings not held
    from helhedsplan.meetings.selectors import required_meetings

    calendar_url = _url("meetings:calendar", access)
    for year, rows in required_meetings(plan, today).items():
        if year > today.year:
            continue
        for row in rows:
            if row.held or row.kind not in kinds:
                continue
            items.append(
                DueItem(
                    key=f"meeting:{row.body.pk}:{row.kind}:{year}",
                    kind="assessment",
                    title=_("%(label)s (%(body)s, %(year)s)")
                    % {"label": row.label, "body": row.body.name, "year": year},
                    url=f"{calendar_url}?aar={year}",
                    due_from=date(year, 1, 1),
                    deadline=date(year, 12, 31),
                    detail=_("Mødet er ikke holdt endnu; sekretariatet indkalder."),
                )
            )
    return items


# --- the status report --------------------------------------------------------------------


@source("statusreport")
def status_reports_due(access: PlanAccess, today: date) -> list[DueItem]:
    """Each ended half-year of the plan without an issued report covering it: the
    secretariat's (one query)."""
    if not access.can("statusreport.edit"):
        return []
    from helhedsplan.statusreports.models import StatusReport
    from helhedsplan.statusreports.services import half_years

    issued = list(
        StatusReport.objects.filter(plan=access.plan, state=StatusReport.State.ISSUED).values_list(
            "period_start", "period_end"
        )
    )
    url = _url("statusreports:list", access)
    items = []
    for start, end in half_years(access.plan):  # the half-years the report form offers
        if end >= today or any(s <= start and end <= e for s, e in issued):
            continue
        half, year = (1 if start.month == 1 else 2), start.year
        items.append(
            DueItem(
                key=f"statusreport:{year}:H{half}",
                kind="statusreport",
                title=_("Udsend statusrapport for %(half)s. halvår %(year)s")
                % {"half": half, "year": year},
                url=url,
                due_from=end + timedelta(days=1),
                deadline=end + timedelta(days=STATUS_REPORT_DEADLINE_DAYS),
            )
        )
    return items


# --- the agreement: sub-agreements, LBF's decisions, attachments --------------------------


@source("review")
def sub_agreements_to_review(access: PlanAccess, today: date) -> list[DueItem]:
    """Sub-agreements whose review falls due (``agreements.selectors``,
    ``DEFAULT_REVIEW_MONTHS`` after the last review): the board's and the secretariat's,
    who keep them current. Two queries."""
    if not access.can("subagreement.decide"):
        return []
    from helhedsplan.agreements.selectors import sub_agreement_overview

    items = []
    for row in sub_agreement_overview(access.plan, today):
        if row.in_force is None or row.review_due is None:
            continue
        items.append(
            DueItem(
                key=f"review:{row.focus_area.pk}:{row.in_force.pk}",
                kind="review",
                title=_("Gennemgå delaftalen for %(code)s %(name)s")
                % {"code": row.focus_area.code, "name": row.focus_area.name},
                url=_url("agreements:sub_agreement", access, code=row.focus_area.code),
                due_from=row.review_due - timedelta(days=REVIEW_NOTICE_DAYS),
                deadline=row.review_due,
                detail=_("Version %(n)s") % {"n": row.in_force.number},
            )
        )
    return items


@source("lbf")
def versions_waiting_for_lbf(access: PlanAccess, today: date) -> list[DueItem]:
    """Agreement versions submitted to LBF: on LBF's list (one query). The secretariat
    records LBF's decision when it arrives by letter, but waits for it: not its duty."""
    if not access.waits_as_lbf:
        return []
    from helhedsplan.agreements.models import AgreementVersion, VersionStatus

    items = []
    for version in AgreementVersion.objects.filter(
        plan=access.plan, status=VersionStatus.SUBMITTED
    ):
        version.plan = access.plan
        submitted = _day(version.submitted_at, today)
        items.append(
            DueItem(
                key=f"lbf:{version.pk}",
                kind="lbf",
                title=_("Afgør version %(n)s af samarbejdsaftalen") % {"n": version.number},
                url=version.get_absolute_url(),
                due_from=submitted,
                deadline=submitted + timedelta(days=LBF_DECISION_DEADLINE_DAYS),
            )
        )
    return items


@source("version_returned")
def versions_returned(access: PlanAccess, today: date) -> list[DueItem]:
    """Agreement versions LBF returned: the secretariat revises and submits again."""
    if not access.can("agreement.edit"):
        return []
    from helhedsplan.agreements.models import AgreementVersion, VersionStatus

    items = []
    for version in AgreementVersion.objects.filter(plan=access.plan, status=VersionStatus.RETURNED):
        version.plan = access.plan
        returned = _day(version.decided_at, today)
        items.append(
            DueItem(
                key=f"version_returned:{version.pk}",
                kind="version_returned",
                title=_("Ret version %(n)s af samarbejdsaftalen, som Landsbyggefonden returnerede")
                % {"n": version.number},
                url=version.get_absolute_url(),
                due_from=returned,
                deadline=returned + timedelta(days=VERSION_RETURNED_DEADLINE_DAYS),
                detail=version.lbf_remarks,
            )
        )
    return items


@source("attachment")
def attachments_missing(access: PlanAccess, today: date) -> list[DueItem]:
    """Required attachments missing or out of date (``agreements.attachments.checklist``):
    the secretariat's. One whose requirement is not known for the framework is not a duty."""
    if not access.can("agreement.edit"):
        return []
    from helhedsplan.agreements.attachments import checklist

    start = access.plan.start_date
    url = _url("agreements:attachments", access)
    items = []
    for item in checklist(access.plan, today):
        if item.state not in {"missing", "outdated"}:
            continue
        title = (
            _("Bilag mangler: %(label)s")
            if item.state == "missing"
            else _("Bilag forældet: %(label)s")
        )
        items.append(
            DueItem(
                key=f"attachment:{item.kind}:{item.state}",
                kind="attachment",
                title=title % {"label": item.label},
                url=url,
                due_from=start,
                deadline=start + timedelta(days=ATTACHMENT_DEADLINE_DAYS),
                detail=item.remark,
            )
        )
    return items
