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
