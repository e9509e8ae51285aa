"""The scorecard and the list status as JSON: the first two endpoints of /api/v1/, with the
bodies they have always had (now on the API's router: token or session, 401 without).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, JsonResponse
from ninja import Router

from helhedsplan.api.auth import plan_access
from helhedsplan.api.reads import PlanSlug
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


router = Router(tags=["read"])
# The bodies are nested by criterion code and column: documented as objects.
BODY = {200: dict[str, Any], 400: dict[str, str]}


@router.get("/plans/{slug}/scorecard", response=BODY, url_name="scorecard")
def scorecard(request: HttpRequest, slug: PlanSlug, year: str | None = None) -> JsonResponse:
    """The scorecard of one year (``?year=``; without: the latest with approved data), every
    criterion's cells per column with their targets' evaluation."""
    access = plan_access(request, slug, "criteria.view")
    try:
        offered = criteria_years(access.plan)  # opens on the latest year with approved data
        chosen = int(year or offered.default)
        if not 1900 <= chosen <= 2200:
            raise ValueError(chosen)
    except ValueError:
        return JsonResponse({"error": "year skal være et årstal, fx ?year=2018"}, status=400)
    card = selectors.scorecard(access.plan, chosen, years=offered.years)
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
        "year": chosen,
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


@router.get("/plans/{slug}/lists", response=BODY, url_name="lists")
def lists(request: HttpRequest, slug: PlanSlug, year: str | None = None) -> JsonResponse:
    """The list status of the plan's areas for one list year (``?year=``).

    Without ``year``: the latest list year with a criterion value (as the list page opens
    on); a plan with none answers ``"year": null`` and no areas. A malformed year is 400.
    A year without a rule set answers 200 with ``rule_set`` null and ``missing`` naming it
    ("rule_set"): the question is well formed, the law just had no list that year.
    Distances' ``people`` are not suppressed for Landsbyggefonden (see lists.views).
    """
    access = plan_access(request, slug, "lists.view")
    plan = access.plan
    raw = (year or "").strip()
    chosen: int | None
    if raw:
        if len(raw) != 4 or not (raw.isascii() and raw.isdigit()):
            return JsonResponse(
                {"error": "year skal være et listeår med fire cifre, fx ?year=2019"}, status=400
            )
        chosen = int(raw)
    else:
        offered = list_selectors.list_years(plan)
        chosen = offered[-1] if offered else None
    areas = {}
    if chosen is not None:
        results = list_selectors.area_results(plan, years=[chosen])
        for area in plan.areas.order_by("order", "name"):
            result = results.get(area.pk, {}).get(chosen) or AreaYearResult(
                year=chosen, rule_set=None, residents_ok=None
            )
            areas[area.slug] = area_year_json(result)
    body = {"plan": plan.slug, "year": chosen, "areas": areas}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
