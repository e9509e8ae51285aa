from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from helhedsplan.duties.items import DueItem

register = template.Library()


@register.filter
def urgency_class(item: DueItem, today: date) -> str:
    """ "overdue" or "due": the item's class on the page (with a text badge, never colour
    alone)."""
    return str(item.urgency(today))


@register.filter
def slugify_key(key: str) -> str:
    """A duty's key as an HTML id (the programme evaluations' links jump to it)."""
    return key.replace(":", "-")


@register.filter
def get_form(forms: dict[str, Any], key: str) -> Any:
    """The value for ``key`` of a dict (a form per item, a label per key), or None."""
    return forms.get(key)
