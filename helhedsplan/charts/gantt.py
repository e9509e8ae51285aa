"""A Gantt-style chart of a period as inline SVG, drawn on the server: the milestone plan.

One definition for the web page (inlined) and the reports (the same string, embedded in the
PDF and drawn as PNG for Word). Pure Python: plain data in (``GanttSpec``), SVG text out; the
words come from whoever builds the spec, already in the reader's language.

Along the top the years and their quarters of the whole period; one row per milestone, a
diamond at its date and a bar from its start when it has one; a line at today. A state is
told by more than its colour (WCAG 2.1, 1.4.1): a reached milestone's diamond is filled and
carries a check mark, an overdue one is hatched and carries an exclamation mark, a coming one
is hollow; the legend shows the three. The SVG names itself (``<title>``, ``<desc>``,
``aria-labelledby``) and every row carries a ``<title>`` with its words; the page and the
document show the same rows in a table next to it (the text alternative).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from html import escape

__all__ = ["COMING", "DONE", "OVERDUE", "GanttRow", "GanttSpec", "gantt_chart"]

DONE, OVERDUE, COMING = "done", "overdue", "coming"

# state: (colour, the symbol after the diamond)
STYLES = {
    DONE: ("#2e7d32", "✓"),
    OVERDUE: ("#c62828", "!"),
    COMING: ("#1f5f8b", ""),
}


@dataclass(frozen=True)
class GanttRow:
    label: str
    due_on: date
    starts_on: date | None = None
    state: str = COMING
    # The row's words for screen readers and hover ("Milepæl: 31. december 2018, nået").
    description: str = ""


@dataclass(frozen=True)
class GanttSpec:
    title: str
    start: date
    end: date
    rows: list[GanttRow] = field(default_factory=list)
    description: str = ""
    today: date | None = None
    today_label: str = "Today"
    # The legend's words per state (DONE, OVERDUE, COMING); a state without words is left out.
    legend: dict[str, str] = field(default_factory=dict)
    # A quarter's heading; ``{n}`` is its number (1-4).
    quarter_label: str = "Q{n}"
    empty_text: str = ""
    width: int = 960
    label_width: int = 360
    row_height: int = 26
    # Prefix of the ids inside the SVG (patterns, title): unique per page.
    id_prefix: str = "gantt"


HEAD = 56  # the year and quarter headings
LEGEND = 36


def _truncate(text: str, width: int) -> str:
    """As much of ``text`` as fits ``width`` pixels at 12 px (the row's title has it all)."""
    limit = max(int(width / 6.4), 8)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def gantt_chart(spec: GanttSpec) -> str:
    """The SVG of ``spec``: the years from ``start``'s to ``end``'s, quarter by quarter."""
    first, last = date(spec.start.year, 1, 1), date(spec.end.year, 12, 31)
    span = (last - first).days + 1
    left = spec.label_width
    plot = spec.width - left - 16
    rows_height = max(len(spec.rows), 1) * spec.row_height
    height = HEAD + rows_height + 12 + LEGEND
    pid = escape(spec.id_prefix)

    def x(day: date) -> float:
        day = min(max(day, first), last)
        return left + plot * (day - first).days / span

    title_id, desc_id = f"{pid}-title", f"{pid}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart gantt" role="img" '
        f'viewBox="0 0 {spec.width} {height}" width="100%" '
        f'aria-labelledby="{title_id} {desc_id}" '
        'font-family="Helvetica, Arial, sans-serif" font-size="12">',
        f'<title id="{title_id}">{escape(spec.title)}</title>',
        f'<desc id="{desc_id}">{escape(spec.description)}</desc>',
        "<defs>"
        f'<pattern id="{pid}-hatch" width="5" height="5" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        f'<rect width="5" height="5" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="5" stroke="{STYLES[OVERDUE][0]}" stroke-width="2.5"/>'
        "</pattern></defs>",
        f'<rect x="0" y="0" width="{spec.width}" height="{height}" fill="#ffffff"/>',
    ]
    # Every other row shaded, under the grid.
    for index in range(1, len(spec.rows), 2):
        out.append(
            f'<rect x="0" y="{HEAD + index * spec.row_height}" width="{spec.width}" '
            f'height="{spec.row_height}" fill="#f4f4f4"/>'
        )
    # The headings: each year, and its quarters under it; a line at each quarter.
    bottom = HEAD + rows_height
    # A quarter too narrow for its heading shows its number alone.
    narrow = plot / ((last.year - first.year + 1) * 4) < 40
    for year in range(first.year, last.year + 1):
        y0, y1 = x(date(year, 1, 1)), x(date(year, 12, 31))
        out.append(
            f'<text x="{(y0 + y1) / 2:.1f}" y="18" text-anchor="middle" font-weight="bold">'
            f"{year}</text>"
        )
        for quarter in range(4):
            q0 = x(date(year, 1 + 3 * quarter, 1))
            q1 = x(date(year, 4 + 3 * quarter, 1)) if quarter < 3 else x(date(year, 12, 31))
            colour, width = ("#8a8a8a", 1.5) if quarter == 0 else ("#dddddd", 1)
            heading = spec.quarter_label.format(n=quarter + 1)
            out.append(
                f'<line x1="{q0:.1f}" y1="24" x2="{q0:.1f}" y2="{bottom}" stroke="{colour}" '
                f'stroke-width="{width}"/>'
                f'<text x="{(q0 + q1) / 2:.1f}" y="40" text-anchor="middle" font-size="10" '
                f'fill="#555555">{quarter + 1 if narrow else escape(heading)}</text>'
            )
    out.append(
        f'<line x1="{left + plot:.1f}" y1="24" x2="{left + plot:.1f}" y2="{bottom}" '
        'stroke="#8a8a8a" stroke-width="1.5"/>'
        f'<line x1="{left}" y1="{HEAD - 6}" x2="{left + plot:.1f}" y2="{HEAD - 6}" '
        'stroke="#8a8a8a"/>'
    )
    if not spec.rows and spec.empty_text:
        out.append(
            f'<text x="{left + 8}" y="{HEAD + spec.row_height * 0.65:.1f}" fill="#555555">'
            f"{escape(spec.empty_text)}</text>"
        )
    for i, row in enumerate(spec.rows):
        out.append(_row(spec, row, i, x, pid))
    if spec.today is not None and first <= spec.today <= last:
        tx = x(spec.today)
        out.append(
            f'<g class="today"><line x1="{tx:.1f}" y1="44" x2="{tx:.1f}" y2="{bottom}" '
            'stroke="#6a1b9a" stroke-width="2" stroke-dasharray="5 3"/>'
            f'<text x="{tx + 3:.1f}" y="{bottom + 10}" font-size="10" fill="#6a1b9a">'
            f"{escape(spec.today_label)}</text></g>"
        )
    out.append(_legend(spec, bottom + 28, pid))
    out.append("</svg>")
    return "".join(out)


def _diamond(cx: float, cy: float, r: float, fill: str, stroke: str) -> str:
    points = (
        f"{cx:.1f},{cy - r:.1f} {cx + r:.1f},{cy:.1f} {cx:.1f},{cy + r:.1f} {cx - r:.1f},{cy:.1f}"
    )
    return f'<polygon points="{points}" fill="{fill}" stroke="{stroke}" stroke-width="2"/>'


def _fills(state: str, pid: str) -> tuple[str, str]:
    """(the diamond's fill, the bar's fill) of a state: filled, hatched or hollow."""
    colour = STYLES.get(state, STYLES[COMING])[0]
    if state == DONE:
        return colour, colour
    if state == OVERDUE:
        return f"url(#{pid}-hatch)", f"url(#{pid}-hatch)"
    return "#ffffff", "#d6e6f2"


def _row(spec: GanttSpec, row: GanttRow, index: int, x: Callable[[date], float], pid: str) -> str:
    top = HEAD + index * spec.row_height
    state = row.state if row.state in STYLES else COMING
    colour, symbol = STYLES[state]
    diamond_fill, bar_fill = _fills(state, pid)
    mid = top + spec.row_height / 2
    words = row.description or row.label
    parts = [
        f'<g class="row {state}" data-state="{state}"><title>{escape(words)}</title>',
        f'<text x="{spec.label_width - 8}" y="{mid + 4:.1f}" text-anchor="end">'
        f"{escape(_truncate(row.label, spec.label_width - 12))}</text>",
    ]
    due = x(row.due_on)
    if row.starts_on is not None and row.starts_on < row.due_on:
        start = x(row.starts_on)
        parts.append(
            f'<rect class="bar" x="{start:.1f}" y="{mid - 5:.1f}" '
            f'width="{max(due - start, 1):.1f}" '
            f'height="10" fill="{bar_fill}" stroke="{colour}" stroke-width="1"'
            + (' stroke-dasharray="3 2"' if state == COMING else "")
            + "/>"
        )
    parts.append(_diamond(due, mid, 7, diamond_fill, colour))
    if symbol:
        parts.append(
            f'<text x="{due + 10:.1f}" y="{mid + 4:.1f}" font-weight="bold" fill="{colour}">'
            f"{symbol}</text>"
        )
    parts.append("</g>")
    return "".join(parts)


def _legend(spec: GanttSpec, y: int, pid: str) -> str:
    parts = ['<g class="legend">']
    lx = float(spec.label_width)
    for state in (DONE, OVERDUE, COMING):
        words = spec.legend.get(state)
        if not words:
            continue
        colour, symbol = STYLES[state]
        fill, _bar = _fills(state, pid)
        parts.append(_diamond(lx + 7, y - 4, 6, fill, colour))
        if symbol:
            parts.append(
                f'<text x="{lx + 16:.1f}" y="{y}" font-weight="bold" fill="{colour}">'
                f"{symbol}</text>"
            )
        parts.append(f'<text x="{lx + 28:.1f}" y="{y}">{escape(words)}</text>')
        lx += 44 + 7 * len(words)
    parts.append("</g>")
    return "".join(parts)
