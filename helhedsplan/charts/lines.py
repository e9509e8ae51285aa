"""A trend chart of one series over the years as SVG, drawn on the server: one indicator of
LBF's central measurements in one housing area.

One definition for the web page (inlined) and the documents (the same string, embedded in
the PDF and drawn as PNG for Word). Pure: plain data in (``TrendSpec``), SVG text out; the
words come from whoever builds the spec, already in the reader's language.

Years along the bottom, the values up the side (from 0; a share to at most 100), a line
through the years that have a value and a point with its figure at each; a year the source
suppressed (or that is hidden for small numbers) has no point but its mark (``marks``, e.g.
"diskretioneret") written at the foot of the year, so a gap is never read as zero. The
direction that is better is shown by an arrow and its words in the corner (not by colour
alone, WCAG 2.1, 1.4.1). The SVG names itself (``<title>``, ``<desc>``,
``aria-labelledby``); the page and the document show the same figures in a table (the text
alternative).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from helhedsplan.charts import line_runs
from helhedsplan.lib.numbers import Lang, format_number

__all__ = ["DOWN", "NONE", "UP", "TrendSpec", "trend_chart"]

DOWN, UP, NONE = "down", "up", "none"
ARROWS = {DOWN: "↓", UP: "↑", NONE: ""}
COLOUR = "#1f4e79"


@dataclass(frozen=True)
class TrendSpec:
    title: str
    years: list[int]
    points: dict[int, Decimal | None]
    description: str = ""
    unit: str = ""  # shown after each figure: "%" or ""
    direction: str = NONE
    direction_label: str = ""  # "lavere er bedre"
    # year -> the words shown for a year without a point ("diskretioneret", "<5")
    marks: dict[int, str] = field(default_factory=dict)
    # The top of the scale at least (100 for a share, so 2 % does not fill the chart)...
    floor_top: Decimal | None = None
    # ... and at most (a share never above 100).
    cap_top: Decimal | None = None
    empty_text: str = ""
    lang: Lang = "da"
    width: int = 420
    height: int = 220
    id_prefix: str = "trend"


def _step(span: float) -> float:
    raw = span / 4 or 1
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 0.1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _fmt(value: Decimal | float, lang: Lang, unit: str) -> str:
    text = format_number(Decimal(str(value)), lang=lang, max_decimals=2, trim=True)
    if not unit:
        return text
    return f"{text}\u00a0{unit}" if lang == "da" else f"{text}{unit}"


def trend_chart(spec: TrendSpec) -> str:
    """The SVG of ``spec``."""
    w, h = spec.width, spec.height
    left, right, top, bottom = 56, 16, 40, 44
    values = [float(v) for v in spec.points.values() if v is not None]
    high = max(values) if values else 1.0
    if spec.floor_top is not None and not values:
        high = float(spec.floor_top)
    step = _step(high)
    high = (int(high / step) + 1) * step if high > 0 else step
    if spec.cap_top is not None and high > float(spec.cap_top) >= max(values or [0]):
        high = float(spec.cap_top)
        step = _step(high)
    years = spec.years or []
    span = max(len(years) - 1, 1)

    def x(year: int) -> float:
        if len(years) == 1:
            return left + (w - left - right) / 2
        return left + (w - left - right) * years.index(year) / span

    def y(value: float) -> float:
        return top + (h - top - bottom) * (1 - value / (high or 1))

    pid = escape(spec.id_prefix)
    title, desc = escape(spec.title), escape(spec.description)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
        f'height="{h}" role="img" aria-labelledby="{pid}-title {pid}-desc" class="chart trend" '
        'font-family="Helvetica, Arial, sans-serif" font-size="11">',
        f'<title id="{pid}-title">{title}</title>',
        f'<desc id="{pid}-desc">{desc}</desc>',
        f'<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>',
        f'<text x="8" y="16" font-size="12" font-weight="bold">{title}</text>',
    ]
    if spec.direction in (DOWN, UP) and spec.direction_label:
        arrow = ARROWS[spec.direction]
        out.append(
            f'<text x="{w - right}" y="30" text-anchor="end" font-size="10" fill="#333">'
            f"{arrow} {escape(spec.direction_label)}</text>"
        )
    tick = 0.0
    while tick <= high + 1e-9:
        ty = y(tick)
        out.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{w - right}" y2="{ty:.1f}" stroke="#e3e3e3"/>'
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">'
            f"{escape(_fmt(tick, spec.lang, spec.unit))}</text>"
        )
        tick += step
    for year in years:
        out.append(
            f'<text x="{x(year):.1f}" y="{h - bottom + 16}" text-anchor="middle">{year}</text>'
        )
        mark = spec.marks.get(year)
        if mark and spec.points.get(year) is None:
            out.append(
                f'<text x="{x(year):.1f}" y="{h - bottom + 30}" text-anchor="middle" '
                f'font-size="9" fill="#6b6b6b">{escape(mark)}</text>'
            )
    if not values:
        out.append(
            f'<text x="{w / 2:.1f}" y="{(top + h - bottom) / 2:.1f}" text-anchor="middle" '
            f'fill="#6b6b6b">{escape(spec.empty_text)}</text>'
        )
    for part in line_runs(years, spec.points, x, y):
        if len(part) > 1:
            out.append(
                f'<polyline points="{" ".join(part)}" fill="none" stroke="{COLOUR}" '
                'stroke-width="2"/>'
            )
    for year in years:
        value = spec.points.get(year)
        if value is None:
            continue
        cx, cy = x(year), y(float(value))
        shown = escape(_fmt(value, spec.lang, spec.unit))
        out.append(
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{COLOUR}">'
            f"<title>{year}: {shown}</title></circle>"
            f'<text x="{cx:.1f}" y="{cy - 7:.1f}" text-anchor="middle" font-size="10" '
            f'fill="{COLOUR}">{shown}</text>'
        )
    out.append("</svg>")
    return "".join(out)
