"""Status badges for the scorecard: one place maps an engine status to a CSS class."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from helhedsplan.criteria.engine import Status
from helhedsplan.criteria.wording import status_label
from helhedsplan.lib.numbers import fmt_number

if TYPE_CHECKING:
    from helhedsplan.criteria.selectors import Cell

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


@register.filter(name="cell")
def cell_html(cell: Cell) -> SafeString:
    """One cell of the scorecard or the criterion page's status table: its value (Σ where
    derived from the areas), or why it has none, and its status with the evaluations' details
    as the badge's title. In Python, not an ``{% include %}``: a national scorecard has 200
    cells, and an include per cell was half of the page's time."""
    point = cell.point
    if point is not None:
        if point.value is not None:
            head = format_html('<span class="value">{}</span>', val(point.value))
        elif point.rating:
            head = format_html('<span class="value">{}</span>', point.rating_label)
        else:
            head = SafeString("")
        if point.derived:
            head += format_html(
                ' <small class="muted" title="{}">Σ</small>',
                _("Beregnet af tællere og nævnere for områderne"),
            )
    elif cell.not_derivable:
        head = format_html(
            '<small class="muted" title="{}">{}</small>',
            _("Kilden angiver kun rater for områderne; en samlet værdi kan ikke udledes"),
            _("kan ikke udledes"),
        )
    else:
        head = SafeString('<span class="muted">–</span>')
    status = cell.status
    if not status:
        return SafeString(head + "\n\n")
    details = "; ".join(escape(r.detail) for r in cell.results)
    badge = format_html(
        '<br><span class="badge {}" title="{}">{}</span>',
        status_class(status),
        mark_safe(details),  # noqa: S308 (each detail escaped above)
        status_label_filter(status),
    )
    return SafeString(head + "\n" + badge + "\n")
