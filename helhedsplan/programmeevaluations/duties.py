"""The programme evaluations on "Det skal gøres" (``duties.lists.source``), driven by the
plan's ``ProgrammeEvaluation`` rows:

- an evaluation without a received report: the secretariat's (``programmeevaluation.edit``),
  due from its "tidligst" (or ``selectors.DUE_LEAD_DAYS`` before its "senest"), deadline
  its "senest", linking to its page;
- a received report with findings no board decision follows up: the secretariat's and the
  board's (``programmeevaluation.follow_up``), from the day the report was received, within
  ``FOLLOW_UP_DEADLINE_DAYS``;
- a programme evaluation the framework dates (``measurement_duties``, key
  ``programme_evaluation``: "2019-01", "2021-12") that the plan has not created yet (no
  evaluation with that number): "Opret helhedsevalueringen", linking to the list page.

One query, whatever the plan holds.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from helhedsplan.duties.items import DueItem
from helhedsplan.duties.lists import source

if TYPE_CHECKING:
    from helhedsplan.accounts.access import PlanAccess

PROGRAMME_EVALUATION = "programme_evaluation"
# The board follows up a report's findings within this many days of its receipt: a product
# default (the seed gives no deadline; the board meets at least twice a year, § 6).
FOLLOW_UP_DEADLINE_DAYS = 180
# A framework-dated evaluation not yet created is on the list this many months before its
# month ("ultimo 2018 eller primo 2019" -> "2019-01") and due by the month's end.
FRAMEWORK_LEAD_MONTHS = 1


def _month_span(value: str) -> tuple[date, date] | None:
    """ "2019-01" -> (first, last day of the month), None when not a year and a month."""
    try:
        year, month = (int(part) for part in value.split("-"))
        last = calendar.monthrange(year, month)[1]
    except (ValueError, calendar.IllegalMonthError):
        return None
    return date(year, month, 1), date(year, month, last)


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _framework_dates(access: PlanAccess) -> tuple[Any, list[tuple[int, str, date, date]]]:
    """The framework's programme-evaluation duty and its dates within the plan's period, as
    (number, "YYYY-MM", first day, last day): number 1 for the first date. No query."""
    from helhedsplan.frameworks import catalogue

    plan = access.plan
    try:
        framework = catalogue.get(plan.framework)
    except catalogue.UnknownFramework:
        return None, []
    duty = next((d for d in framework.measurement_duties if d.key == PROGRAMME_EVALUATION), None)
    if duty is None:
        return None, []
    dates = []
    for number, value in enumerate(sorted(str(v) for v in duty.extra.get("dates", [])), 1):
        span = _month_span(value)
        if span is None or span[1] < plan.start_date or span[0] > plan.end_date:
            continue
        dates.append((number, value, *span))
    return duty, dates


def framework_labels(access: PlanAccess) -> dict[str, str]:
    """Each framework-dated evaluation's key -> "Helhedsevaluering ... (2019-01)": the label
    of a duty marked done by hand before the evaluations had their own model (``DutyDone``)."""
    duty, dates = _framework_dates(access)
    return {
        f"{PROGRAMME_EVALUATION}:{value}": _("%(name)s (%(month)s)")
        % {"name": duty.name, "month": value}
        for _number, value, _first, _last in dates
    }


def framework_items(access: PlanAccess, numbers: set[int]) -> list[DueItem]:
    """The framework's dated programme evaluations within the plan's period whose number
    the plan has no evaluation for ("Opret helhedsevalueringen"). No query."""
    duty, dates = _framework_dates(access)
    url = reverse("programmeevaluations:list", kwargs={"slug": access.plan.slug})
    return [
        DueItem(
            key=f"{PROGRAMME_EVALUATION}:{value}",
            kind=PROGRAMME_EVALUATION,
            title=_("Opret helhedsevaluering %(number)s (%(name)s, %(month)s)")
            % {"number": number, "name": duty.name, "month": value},
            url=url,
            due_from=_months_before(first, FRAMEWORK_LEAD_MONTHS),
            deadline=last,
            detail=duty.extra.get("frequency_label", ""),
        )
        for number, value, first, last in dates
        if number not in numbers
    ]


@source(PROGRAMME_EVALUATION)
def programme_evaluations_due(access: PlanAccess, today: date) -> list[DueItem]:
    edits = access.can("programmeevaluation.edit")
    follows_up = access.can("programmeevaluation.follow_up")
    if not edits and not follows_up:
        return []
    from helhedsplan.programmeevaluations.models import ProgrammeEvaluation
    from helhedsplan.programmeevaluations.selectors import due_from_of, with_counts

    plan = access.plan
    evaluations = list(with_counts(ProgrammeEvaluation.objects.filter(plan=plan)))
    items: list[DueItem] = []
    for evaluation in evaluations:
        evaluation.plan = plan
        names = {"number": evaluation.number, "title": evaluation.title}
        if evaluation.report_id is None:
            if not edits:
                continue
            detail = (
                _("Metoden er ikke fastlagt endnu.")
                if evaluation.method_fixed_on is None
                else _("Udføres af: %(performer)s")
                % {
                    "performer": evaluation.performer_name
                    or evaluation.get_performer_kind_display()
                }
            )
            items.append(
                DueItem(
                    key=f"{PROGRAMME_EVALUATION}:{evaluation.pk}:report",
                    kind=PROGRAMME_EVALUATION,
                    title=_("Helhedsevaluering %(number)s: rapporten skal foreligge (%(title)s)")
                    % names,
                    url=evaluation.get_absolute_url(),
                    due_from=due_from_of(evaluation),
                    deadline=evaluation.due_by,
                    detail=detail,
                )
            )
            continue
        unfollowed = evaluation.n_unfollowed  # type: ignore[attr-defined]
        if not unfollowed or not follows_up:
            continue
        received = evaluation.report_received_on or today
        items.append(
            DueItem(
                key=f"{PROGRAMME_EVALUATION}:{evaluation.pk}:follow_up",
                kind=PROGRAMME_EVALUATION,
                title=_("Følg op på resultaterne af helhedsevaluering %(number)s (%(title)s)")
                % names,
                url=evaluation.get_absolute_url(),
                due_from=received,
                deadline=received + timedelta(days=FOLLOW_UP_DEADLINE_DAYS),
                detail=_("%(n)s resultat(er) uden opfølgende beslutning fra bestyrelsen")
                % {"n": unfollowed},
            )
        )
    if edits:
        items.extend(framework_items(access, {e.number for e in evaluations}))
    return items
