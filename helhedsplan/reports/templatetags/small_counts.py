"""``{{ n|small_count }}``: a count of people as an internal page shows it, marked where a
copy that leaves the secretariat would show "<5" (``reports.smallnumbers``).

The mark is a visible "<5" badge after the real number (not colour alone), with the reason
as a tooltip and as visually hidden text for screen readers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from helhedsplan.lib.numbers import fmt_number
from helhedsplan.reports.smallnumbers import SMALL_MARK, is_small

if TYPE_CHECKING:
    from helhedsplan.accounts.access import PlanAccess

register = template.Library()


@register.filter
def small_count(value: int | float | Decimal | None) -> SafeString | str:
    """The number (``num``'s way; a stored figure's trailing zeros dropped), and for a count
    of 1-4 the mark saying the external copy hides it."""
    text = fmt_number(value, trim=True)
    if value is None or not is_small(float(value)):
        return text
    why = _("vises som <5 uden for sekretariatet")
    return format_html(
        '{} <small class="badge small-count" title="{}"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></small>',
        text,
        why,
        SMALL_MARK,
        why,
    )


@register.filter
def count_for(value: int | float | Decimal | None, access: PlanAccess) -> SafeString | str:
    """``{{ n|count_for:access }}`` on a page a reader of released copies (LBF) sees too:
    for them "<5" where the count is 1-4, for everyone else ``small_count``."""
    released = getattr(access, "reads_released_copies", False)
    if released and value is not None and is_small(float(value)):
        return SMALL_MARK
    return small_count(value)
