from __future__ import annotations

from django import template

from helhedsplan.accounts.access import PlanAccess

register = template.Library()


@register.filter
def can(access: PlanAccess | None, permission: str) -> bool:
    """{% if access|can:"plan.edit" %} — the same check the views make."""
    return bool(access) and access.can(permission)  # type: ignore[union-attr]
