"""JSON API, version 1. Plain Django views behind the same access check as the pages.

Authentication is the session (log in first). Anonymous requests are redirected to the login
page (302), a plan where the user has no role answers 404, exactly like the HTML pages.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, JsonResponse

from helhedsplan.accounts.access import PlanAccess, plan_view
from helhedsplan.criteria import selectors
from helhedsplan.lists import selectors as list_selectors
from helhedsplan.lists.engine.types import AreaYearResult, Condition
from helhedsplan.plans.years import criteria_years


def _num(value: Decimal | None) -> str | None:
    """Decimals as strings ("30.65") so no precision is lost in JSON."""
    if value is None:
        return None
    normal = value.normalize()
    return f"{normal:f}"


def _cell(cell: selectors.Cell) -> dict[str, Any]:
    point = cell.point
    return {
        "value": _num(point.value) if point else None,
        "numerator": _num(point.numerator) if point else None,
        "denominator": _num(point.denominator) if point else None,
        "rating": (point.rating or None) if point else None,
        "derived": bool(point and point.derived),
        "total_not_derivable": cell.not_derivable,
        "status": cell.status.value if cell.status else None,
        "targets": [
            {
                "id": r.target.pk,
                "kind": r.target.kind,
                "sentence": r.sentence,
                "target_value": _num(r.evaluation.target_value),
                "compared_with_year": r.evaluation.compared_with_year,
                "status": r.evaluation.status.value,
                "detail": r.detail,
            }
            for r in cell.results
        ],
    }


@plan_view("criteria.view")
def scorecard(request: HttpRequest, access: PlanAccess) -> JsonResponse:
    try:
        offered = criteria_years(access.plan)  # opens on the latest year with approved data
        year = int(request.GET.get("year") or offered.default)
    except ValueError:
        return JsonResponse({"error": "year skal være et årstal, fx ?year=2018"}, status=400)
    card = selectors.scorecard(access.plan, year, years=offered.years)
    criteria = {}
    for group in card.groups:
        for row in group.rows:
            criteria[row.criterion.code] = {
                "title": row.criterion.title,
                "focus_area": group.focus_area.code,
                "measure": row.criterion.measure.slug,
                "unit": row.criterion.measure.unit_label,
                "status": row.status.value,
                "contradiction_in_agreement": row.has_contradiction,
                "columns": {cell.column.key: _cell(cell) for cell in row.cells},
            }
    body = {
        "plan": access.plan.slug,
        "year": year,
        "columns": [c.key for c in card.columns],
        "criteria": criteria,
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


def _condition(condition: Condition) -> dict[str, Any]:
    return {
        "value": _num(condition.value),
        "threshold": _num(condition.threshold),
        "operator": condition.operator.value,
        "met": condition.met,
        "missing": condition.missing or None,
    }


def area_year_json(result: AreaYearResult) -> dict[str, Any]:
    """One area's list status for one list year, as the lists endpoint answers it."""
    return {
        "categories": result.member_of,
        "unknown": result.unknown,
        "criteria": {code: _condition(c) for code, c in result.criteria.items()},
        "distances": {
            code: [
                {
                    "category": d.category,
                    "threshold": _num(d.threshold),
                    "operator": d.operator.value,
                    "points": _num(d.points),
                    "people": d.people,
                    "met": d.met,
                }
                for d in distances
            ]
            for code, distances in result.distances.items()
        },
        "keeps_on_list": list(result.keeps_on_list) if result.keeps_on_list is not None else None,
        "rule_set": result.rule_set,
        "residents_ok": result.residents_ok,
        # A year without a rule set says so (the engine leaves its ``missing`` empty).
        "missing": list(result.missing) or (["rule_set"] if result.rule_set is None else []),
    }


@plan_view("lists.view")
def lists(request: HttpRequest, access: PlanAccess) -> JsonResponse:
    """The list status of the plan's areas for one list year (``?year=``).

    Without ``year``: the latest list year with a criterion value (as the list page opens
    on); a plan with none answers ``"year": null`` and no areas. A malformed year is 400.
    A year without a rule set answers 200 with ``rule_set`` null and ``missing`` naming it
    ("rule_set"): the question is well formed, the law just had no list that year.
    Distances' ``people`` are not suppressed for Landsbyggefonden (see lists.views).
    """
    plan = access.plan
    raw = (request.GET.get("year") or "").strip()
    if raw:
        if len(raw) != 4 or not raw.isdigit():
            return JsonResponse(
                {"error": "year skal være et listeår med fire cifre, fx ?year=2019"}, status=400
            )
        year: int | None = int(raw)
    else:
        offered = list_selectors.list_years(plan)
        year = offered[-1] if offered else None
    areas = {}
    if year is not None:
        results = list_selectors.area_results(plan, years=[year])
        for area in plan.areas.order_by("order", "name"):
            result = results.get(area.pk, {}).get(year) or AreaYearResult(
                year=year, rule_set=None, residents_ok=None
            )
            areas[area.slug] = area_year_json(result)
    body = {"plan": plan.slug, "year": year, "areas": areas}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
