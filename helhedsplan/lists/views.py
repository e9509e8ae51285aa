"""The plan's areas on the government's lists: per list year, each area's categories, each
criterion against its threshold, the distances and what keeps it on the list; and each
area's history (list years × categories).

Read by every role (``lists.view``), Landsbyggefonden included. Small-number suppression is
NOT applied to the distances' resident counts shown to those who read released copies
(``PlanAccess.reads_released_copies``): a distance ("3 færre dømte beboere ville ...") is a
derived, hypothetical count computed from a published share, not a registration of people,
and it names no one; the values it is computed from are Landsbyggefonden's own figures,
already discretioned at the source (a suppressed value has no distance). The JSON API
answers the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.lib.numbers import YEAR_PARAM, parse_year
from helhedsplan.lists import selectors
from helhedsplan.lists.engine.types import CATEGORY_CODES, AreaYearResult
from helhedsplan.lists.wording_area import (
    AreaYearView,
    area_year_view,
    category_name,
    member_word,
    status_symbol,
)
from helhedsplan.plans.models import HousingArea

# The staff page where the national figures are entered (the engine's part); the link is
# left out while it does not exist.
THRESHOLDS_URL_NAMES = ("lists_staff:thresholds", "lists_staff:threshold_list")


@dataclass(frozen=True)
class HistoryCell:
    member: bool | None
    applies: bool  # the category is in the year's rule set
    word: str
    symbol: str


@dataclass(frozen=True)
class HistoryRow:
    year: int
    cells: list[HistoryCell]
    current: bool


@dataclass(frozen=True)
class AreaBlock:
    area: HousingArea
    view: AreaYearView | None
    history_categories: list[str]
    history: list[HistoryRow]


def _history(
    by_year: dict[int, AreaYearResult], years: list[int], chosen: int
) -> tuple[list[str], list[HistoryRow]]:
    used = {c for r in by_year.values() for c in r.categories}
    codes = [c for c in CATEGORY_CODES if c in used]
    rows = []
    for year in years:
        result = by_year.get(year)
        cells = []
        for code in codes:
            category = result.categories.get(code) if result else None
            if category is None:
                cells.append(HistoryCell(None, False, "–", ""))
            else:
                cells.append(
                    HistoryCell(
                        category.member,
                        True,
                        member_word(category.member),
                        status_symbol(category.member),
                    )
                )
        rows.append(HistoryRow(year, cells, year == chosen))
    return [category_name(c) for c in codes], rows


def thresholds_url() -> str:
    for name in THRESHOLDS_URL_NAMES:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return ""


@plan_view("lists.view")
def overview(request: HttpRequest, access: PlanAccess) -> HttpResponse:
    plan = access.plan
    years = selectors.list_years(plan)
    year = parse_year(request.GET.get(YEAR_PARAM), years[-1], years) if years else None
    results = selectors.area_results(plan) if years else {}
    blocks = []
    for area in plan.areas.order_by("order", "name"):
        by_year = results.get(area.pk, {})
        result = by_year.get(year) if year is not None else None
        names, history = _history(by_year, years, year or 0)
        blocks.append(
            AreaBlock(
                area=area,
                view=area_year_view(result) if result is not None else None,
                history_categories=names,
                history=history,
            )
        )
    undecided = any(b.view and b.view.missing for b in blocks)
    return render(
        request,
        "lists/overview.html",
        {
            "access": access,
            "nav": "lists",
            "years": years,
            "year": year,
            "blocks": blocks,
            "thresholds_url": thresholds_url() if request.user.is_staff and undecided else "",
        },
    )
