"""Which years a page offers and which it opens on (``?aar=``): one answer per kind of data.

Every page and export that takes a year asks here, so the list offered, the default and the
check of ``?aar=`` agree (a year not offered, or not a year at all, shows the default: never
an error). Each answer costs one or two queries, whatever the size of the plan.

The rules:

* **The scorecard and what shows it** (the scorecard page and its XLSX/CSV export, the
  JSON API's default; ``criteria_years``). Offered: the plan's years, every year with an
  observation in any state (drafts and returned figures included: the year is where someone
  is working, and the entry form and approval link to it), every year a target is evaluated
  in (``first_year`` to ``last_year``), a target's baseline and reference year, and every
  year of a reference value. Baseline years before the plan's start are thus offered (the
  demo's 2013-2016 observations; 2017, which has no observation but is the baseline year of
  ten of the seed's targets and the first year of two). Opens on the latest year with an
  approved observation (the scorecard counts only approved figures), else the plan's first
  year.
* **Delivery** (the delivery measurement, its export and the activities × criteria page;
  ``delivery_years``). Offered: the plan's years and every year with a registration or a
  planned quantity. Opens on the latest year with a registration, else the plan's first
  year.
* **The calendar of required meetings** (``meeting_years``). Offered: the plan's years
  (the agreement's § 6 requires meetings only within the plan, so another year would have no
  row; a meeting held outside them is on the meeting list). While the plan runs it opens on
  this year (what is due now, even before this year's first meeting); before or after the
  plan, on the latest of its years with a meeting held by ``today``, else on the plan's year
  nearest today.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import IntegerField, Max, Value
from django.http import HttpRequest

from helhedsplan.lib.numbers import YEAR_PARAM, parse_year
from helhedsplan.plans.models import Plan


@dataclass(frozen=True)
class Years:
    """The years a page offers (sorted, never empty) and the one it opens on."""

    years: list[int]
    default: int

    def pick(self, text: str | None) -> int:
        """The year asked for if it is offered, else the default (never raises)."""
        return parse_year(text, self.default, self.years)

    def chosen(self, request: HttpRequest) -> int:
        """The page's year from ``?aar=``."""
        return self.pick(request.GET.get(YEAR_PARAM))


def _offered(plan: Plan, *more: Iterable[int | None]) -> list[int]:
    years = set(plan.years)
    for found in more:
        years.update(y for y in found if y)
    return sorted(years)


def criteria_years(plan: Plan) -> Years:
    """The scorecard's years (two queries; the rule is in the module's docstring)."""
    from helhedsplan.criteria.models import Observation, ReferenceValue, Target

    observed = (
        Observation.objects.filter(measure__plan=plan)
        .filter(state=Observation.State.APPROVED, variant="")
        .annotate(approved=Value(1, output_field=IntegerField()))
        .values_list("year", "approved")
        .order_by()
    )
    others = (
        Observation.objects.filter(measure__plan=plan)
        .exclude(state=Observation.State.APPROVED, variant="")
        .annotate(approved=Value(0, output_field=IntegerField()))
        .values_list("year", "approved")
        .order_by()
    )
    references = (
        ReferenceValue.objects.filter(series__plan=plan)
        .annotate(approved=Value(0, output_field=IntegerField()))
        .values_list("year", "approved")
        .order_by()
    )
    rows = list(observed.union(others, references))
    spans = list(
        Target.objects.filter(criterion__plan=plan)
        .values_list("first_year", "last_year", "baseline_year", "reference_year")
        .order_by()
        .distinct()
    )
    return criteria_years_of(plan, rows, spans)


def criteria_years_of(
    plan: Plan,
    rows: Iterable[tuple[int, int]],
    spans: Iterable[tuple[int, int | None, int | None, int | None]],
) -> Years:
    """``criteria_years`` from rows already read: (year, 1) for an approved observation's
    year, (year, 0) for any other observation's or a reference value's, and each target's
    (first_year, last_year, baseline_year, reference_year). No query: what the scorecard's
    selector uses, which reads those rows anyway."""
    target_years: set[int] = set()
    for first, last, baseline, reference in spans:
        target_years.update(range(first, (last or first) + 1))
        target_years.update(y for y in (baseline, reference) if y)
    rows = list(rows)
    with_approved = [year for year, flag in rows if flag]
    default = max(with_approved) if with_approved else plan.start_date.year
    return Years(_offered(plan, (year for year, _ in rows), target_years), default)


def delivery_years(plan: Plan) -> Years:
    """The delivery pages' years (one query; the rule is in the module's docstring)."""
    from helhedsplan.activities.models import PlannedQuantity, Registration

    registered = (
        Registration.objects.filter(plan=plan)
        .annotate(registered=Value(1, output_field=IntegerField()))
        .values_list("year", "registered")
        .order_by()
    )
    planned = (
        PlannedQuantity.objects.filter(activity__plan=plan)
        .annotate(registered=Value(0, output_field=IntegerField()))
        .values_list("year", "registered")
        .order_by()
    )
    rows = list(registered.union(planned))
    with_registrations = [year for year, flag in rows if flag]
    default = max(with_registrations) if with_registrations else plan.start_date.year
    return Years(_offered(plan, (year for year, _ in rows)), default)


def meeting_years(plan: Plan, today: date) -> Years:
    """The meeting calendar's years (at most one query; the rule is in the module's docstring)."""
    from helhedsplan.meetings.models import Meeting

    years = list(plan.years)
    if today.year in years:  # no query while the plan runs
        return Years(years, today.year)
    latest = Meeting.objects.filter(
        plan=plan, date__year__gte=years[0], date__year__lte=years[-1], date__lte=today
    ).aggregate(latest=Max("date"))["latest"]
    default = latest.year if latest else min(max(today.year, years[0]), years[-1])
    return Years(years, default)
