"""Template filters for numbers (``lib.numbers`` in the active language); loaded as builtins
in settings."""

from __future__ import annotations

import re
from datetime import date, datetime

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from helhedsplan.lib.numbers import (
    Number,
    fmt_amount,
    fmt_date,
    fmt_datetime,
    fmt_number,
    fmt_percent,
)

register = template.Library()


@register.filter
def num(value: Number | None, decimals: int | None = None) -> str:
    """{{ 44450|num }} -> 44.450; {{ 30.65|num }} -> 30,65; {{ x|num:1 }} fixes decimals."""
    return fmt_number(value, decimals)


@register.filter
def pct(value: Number | None, decimals: int = 1) -> str:
    """{{ 43.757|pct }} -> 43,8 %."""
    return fmt_percent(value, decimals)


@register.filter
def tkr(value: Number | None) -> str:
    """Amounts in whole thousands of kroner, as the seed writes them: 25.000 t.kr."""
    return fmt_amount(value)


@register.filter
def longdate(value: date | None) -> str:
    """{{ d|longdate }} -> 1. januar 2019 (en: Jan. 1, 2019); nothing for no date."""
    return fmt_date(value) if value else ""


@register.filter
def shortdate(value: date | None) -> str:
    """{{ d|shortdate }} -> 01.01.2019 (en: 01/01/2019); nothing for no date."""
    return fmt_date(value, short=True) if value else ""


@register.filter
def when(value: datetime | None) -> str:
    """{{ entry.timestamp|when }} -> 1. januar 2019 14:05, in local time (en: Jan. 1, 2019
    14:05); nothing for no moment."""
    return fmt_datetime(value) if value else ""


@register.filter
def prose(text: str | None) -> SafeString:
    """Plain text as the seed writes it: blank lines part paragraphs, "- " lines are bullets."""
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{escape(line[2:])}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append("<p>" + "<br>".join(escape(line) for line in lines) + "</p>")
    return mark_safe("".join(blocks))  # noqa: S308 - every piece is escaped above
