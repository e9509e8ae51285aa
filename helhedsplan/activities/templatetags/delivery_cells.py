"""{{ cell|delivery_cell }}: a delivery cell (delivered / planned, the rate, the flag) in
Python, not an ``{% include %}``: the delivery page draws five of them per activity and
area, and an include costs more than the cell."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.numbers import fmt_number, fmt_percent
from helhedsplan.reports.templatetags.small_counts import small_count

register = template.Library()

_BADGES = {
    "under": ("bad", _("under")),
    "over": ("warn", _("over")),
    "unplanned": ("warn", _("ikke planlagt")),
    "running": ("", _("i gang")),
}


_EMPTY = mark_safe('<span class="muted">–</span>')  # a constant


@register.filter
def delivery_cell(cell: Any) -> SafeString:
    if cell.planned is None and not cell.delivered:
        return _EMPTY
    html = format_html("{} / {}", small_count(cell.delivered), fmt_number(cell.planned) or "–")
    if cell.pct is not None:
        html += format_html("<br><small>({})</small>", fmt_percent(cell.pct, 0))
    badge = _BADGES.get(cell.flag)
    if badge is not None:
        kind, text = badge
        css = f"badge {kind}" if kind else "badge"
        html += format_html(' <span class="{}">{}</span>', css, text)
    return html
