from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from helhedsplan.navigation import PLAN_NAV


def plan_nav(request: HttpRequest) -> dict[str, Any]:
    """The plan menu for the plan the current view resolved (see accounts.access.plan_view)."""
    access = getattr(request, "plan_access", None)
    if access is None:
        return {}
    slug = access.plan.slug
    items = [
        {"url": reverse(item.url_name, kwargs={"slug": slug}), "label": item.label, "key": item.key}
        for item in PLAN_NAV
        if access.can(item.permission)
    ]
    return {"plan_nav": items}
