"""A small horizontal bar chart as inline SVG, drawn on the server (no JavaScript).

One definition feeds the web page (inline) and could feed a report (the same string).
Every bar carries a <title> so screen readers and hover show the exact figure, and the
page shows the same figures in a table next to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from helhedsplan.lib.numbers import fmt_percent


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None  # None: nothing to draw ("ingen plan")
    css_class: str = ""  # ok / bad / warn


@dataclass(frozen=True)
class ReferenceLine:
    value: Decimal
    label: str


COLOURS = {"ok": "#2e7d32", "bad": "#c62828", "warn": "#b26a00", "": "#1f5f8b"}


def horizontal_bars_svg(
    bars: list[Bar],
    *,
    title: str,
    empty_text: str,
    reference_lines: list[ReferenceLine] | None = None,
    width: int = 720,
    label_width: int = 260,
    bar_height: int = 20,
    gap: int = 8,
) -> SafeString:
    """Bars of percentages, scaled to the largest value (at least 100 % and the lines)."""
    lines = reference_lines or []
    values = [b.value for b in bars if b.value is not None] + [r.value for r in lines]
    top = max([Decimal(100), *values]) * Decimal("1.1")
    plot = width - label_width - 70
    height = 24 + len(bars) * (bar_height + gap) + 20

    def x(value: Decimal) -> float:
        return label_width + float(value / top) * plot

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, bar in enumerate(bars):
        y = 24 + i * (bar_height + gap)
        label = bar.label if len(bar.label) <= 38 else bar.label[:36] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.72:.1f}" text-anchor="end" '
            f'font-size="12">{escape(label)}</text>'
        )
        if bar.value is None:
            parts.append(
                f'<text x="{label_width + 4}" y="{y + bar_height * 0.72:.1f}" font-size="12" '
                f'fill="#666">{escape(empty_text)}</text>'
            )
            continue
        w = max(x(bar.value) - label_width, 1)
        shown = fmt_percent(bar.value, 0)
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height}" '
            f'fill="{COLOURS.get(bar.css_class, COLOURS[""])}">'
            f"<title>{escape(bar.label)}: {escape(shown)}</title></rect>"
        )
        parts.append(
            f'<text x="{label_width + w + 4:.1f}" y="{y + bar_height * 0.72:.1f}" '
            f'font-size="12">{escape(shown)}</text>'
        )
    for line in lines:
        lx = x(line.value)
        parts.append(
            f'<line x1="{lx:.1f}" y1="18" x2="{lx:.1f}" y2="{height - 14}" stroke="#333" '
            f'stroke-dasharray="4 3" stroke-width="1"/>'
            f'<text x="{lx:.1f}" y="12" text-anchor="middle" font-size="11">'
            f"{escape(line.label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
