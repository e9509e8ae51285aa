"""Status badges for the scorecard: one place maps an engine status to a CSS class."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.safestring import mark_safe

from helhedsplan.criteria.engine import Status
from helhedsplan.criteria.wording import status_label
from helhedsplan.lib.numbers import fmt_number

register = template.Library()

_CLASS = {
    "met": "ok", "on_track": "ok", "not_met": "bad", "behind": "bad", "partly": "warn",
    "no_data": "warn", "pending": "", "not_due": "muted",
}  # fmt: skip


@register.filter
def status_class(status: object) -> str:
    return _CLASS.get(str(getattr(status, "value", status) or ""), "")


@register.filter(name="status_label")
def status_label_filter(status: Status | str) -> str:
    """An engine status in words, in the active language."""
    return status_label(Status(status))


@register.filter
def safe_svg(svg: str) -> str:
    """Chart SVG from ``charts.line_chart``: every text in it is escaped there."""
    return mark_safe(svg)  # noqa: S308


@register.filter
def val(value: Decimal | None) -> str:
    """A stored figure as written: 58.3000 -> "58,3", 30.6500 -> "30,65", 72 -> "72"."""
    return fmt_number(value, trim=True)
