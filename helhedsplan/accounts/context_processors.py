from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

from helhedsplan.navigation import PLAN_NAV


def plan_nav(request: HttpRequest) -> dict[str, Any]:
    """The plan menu for the plan the current view resolved (see accounts.access.plan_view)."""
    access = getattr(request, "plan_access", None)
    if access is None:
        return {}
    shown = tuple(access.can(item.permission) for item in PLAN_NAV)
    return {"plan_nav": _items(access.plan.slug, shown, get_script_prefix(), get_urlconf())}


@lru_cache(maxsize=1024)
def _items(
    slug: str, shown: tuple[bool, ...], prefix: str, urlconf: Any
) -> tuple[dict[str, Any], ...]:
    """The menu's entries (their addresses reversed) for a plan and the entries the reader
    may see: the same for every request of the kind, so reversed once per process, not two
    dozen times per page. The labels stay lazy: each request shows them in its language."""
    return tuple(
        {"url": reverse(item.url_name, kwargs={"slug": slug}), "label": item.label, "key": item.key}
        for item, show in zip(PLAN_NAV, shown, strict=True)
        if show
    )
