"""The organisation chart (bilag 1), drawn as SVG from the composition on a date.

One drawing feeds the page (inline SVG) and the downloads (``organisation.exports``: SVG,
PNG through ``charts.svg_to_png``, and PDF as a document with the drawing). Bodies are laid
out in rows by kind; each box lists its members with their role, chairs and conveners in
bold; lines show who reports to whom.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import date
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from helhedsplan.lib.numbers import fmt_date, fmt_percent
from helhedsplan.organisation.models import Body, Membership
from helhedsplan.organisation.selectors import BodyOnDate, bodies_on
from helhedsplan.plans.models import Plan

WIDTH = 1200
MARGIN = 20
GAP = 20
ROW_GAP = 46
HEADER = 26
LINE = 15
CHAR_WIDTH = 6.3  # average width of a 11px sans-serif character

ROWS: list[list[str]] = [
    [Body.Kind.BOARD, Body.Kind.CHAIRMANSHIP],
    [Body.Kind.COORDINATION_GROUP, Body.Kind.SECRETARIAT, Body.Kind.COORDINATORS],
    [Body.Kind.FOLLOW_UP_GROUP],
    [Body.Kind.COMMUNITY_HOUSE],
]
# (parent kind, child kind): a line from each parent box to each child box (same area only
# when both belong to an area).
EDGES = [
    (Body.Kind.BOARD, Body.Kind.CHAIRMANSHIP),
    (Body.Kind.BOARD, Body.Kind.SECRETARIAT),
    (Body.Kind.SECRETARIAT, Body.Kind.COORDINATION_GROUP),
    (Body.Kind.SECRETARIAT, Body.Kind.COORDINATORS),
    (Body.Kind.COORDINATORS, Body.Kind.FOLLOW_UP_GROUP),
    (Body.Kind.FOLLOW_UP_GROUP, Body.Kind.COMMUNITY_HOUSE),
]
LEAD_ROLES = {Membership.Role.CHAIR, Membership.Role.CONVENER, Membership.Role.CHIEF}


@dataclass
class Line:
    text: str
    bold: bool = False
    muted: bool = False


@dataclass
class Box:
    body: BodyOnDate
    lines: list[Line] = field(default_factory=list)
    x: float = 0
    y: float = 0
    w: float = 0
    h: float = 0


def _pct(value: object) -> str:
    return fmt_percent(value, 0)  # type: ignore[arg-type]


def _member_lines(entry: BodyOnDate, width: float) -> list[Line]:
    chars = max(int((width - 16) / CHAR_WIDTH), 12)
    lines: list[Line] = []
    grouped: dict[int, list[Membership]] = {}
    for m in entry.memberships:
        grouped.setdefault(m.person_id, []).append(m)
    ordered = sorted(
        grouped.values(),
        key=lambda ms: (not any(m.role in LEAD_ROLES for m in ms), ms[0].person.name),
    )
    for ms in ordered:
        person = ms[0].person
        lead = any(m.role in LEAD_ROLES for m in ms)
        for part in textwrap.wrap(person.name, chars):
            lines.append(Line(part, bold=lead))
        roles = sorted({str(m.get_role_display()) for m in ms})
        # Areas in the plan's order, cross-cutting time last; a no-break space keeps each
        # share on one line.
        timed = sorted(
            (m for m in ms if m.fte_percent is not None),
            key=lambda m: (m.area is None, m.area.order if m.area else 0),
        )
        shares = [
            f"{m.area.name if m.area else _('tværgående')}\u00a0{_pct(m.fte_percent)}"
            for m in timed
        ]
        detail = ", ".join(roles) + (f": {', '.join(shares)}" if shares else "")
        if any(m.assumption for m in ms):  # not in the agreement: marked like the placeholders
            detail += f" ({_('antagelse')})"
        for part in textwrap.wrap(detail, chars):
            lines.append(Line(part, muted=True))
    if not lines:
        lines.append(Line(_("Ingen medlemmer"), muted=True))
    return lines


def _layout(bodies: list[BodyOnDate]) -> tuple[list[Box], float]:
    boxes: list[Box] = []
    y = MARGIN + 34.0
    placed = set()
    rows = [[b for b in bodies if b.body.kind in kinds] for kinds in ROWS]
    rows.append([b for b in bodies if not any(b.body.kind in kinds for kinds in ROWS)])
    for row in rows:
        if not row:
            continue
        w = (WIDTH - 2 * MARGIN - GAP * (len(row) - 1)) / len(row)
        row_boxes = [Box(entry, _member_lines(entry, w)) for entry in row]
        h = HEADER + LINE * max(len(b.lines) for b in row_boxes) + 10
        for i, box in enumerate(row_boxes):
            box.x, box.y, box.w, box.h = MARGIN + i * (w + GAP), y, w, h
            placed.add(box.body.body.pk)
        boxes += row_boxes
        y += h + ROW_GAP
    return boxes, y - ROW_GAP + MARGIN


def _edges(boxes: list[Box]) -> list[str]:
    paths = []
    for parent_kind, child_kind in EDGES:
        for p in (b for b in boxes if b.body.body.kind == parent_kind):
            for c in (b for b in boxes if b.body.body.kind == child_kind):
                if p.body.body.area_id and p.body.body.area_id != c.body.body.area_id:
                    continue
                if abs(p.y - c.y) < 1:  # same row: side by side
                    x1, y1 = p.x + p.w, p.y + HEADER / 2
                    paths.append(f"M{x1:.0f},{y1:.0f} H{c.x:.0f}")
                    continue
                x1, y1 = p.x + p.w / 2, p.y + p.h
                x2, y2 = c.x + c.w / 2, c.y
                mid = y2 - ROW_GAP / 2
                paths.append(f"M{x1:.0f},{y1:.0f} V{mid:.0f} H{x2:.0f} V{y2:.0f}")
    return paths


def _title_font(text: str, width: float) -> str:
    """Size and squeeze a title that would overflow its box (bold 12px is about 7.6px a
    character): a smaller font for renderers that ignore ``textLength`` (CairoSVG, so the
    PNG), and ``textLength`` for those that fit it exactly (browsers, WeasyPrint)."""
    if len(text) * 7.6 <= width:
        return ' font-size="12"'
    size = 12 * width / (len(text) * 7.6)
    return f' font-size="{size:.1f}" textLength="{width:.0f}" lengthAdjust="spacingAndGlyphs"'


def chart_svg(plan: Plan, on: date) -> str:
    """The chart of ``plan`` on ``on`` as a standalone SVG document."""
    boxes, height = _layout(bodies_on(plan, on))
    title = _("Organisationsdiagram – %(plan)s – pr. %(date)s") % {
        "plan": plan.name,
        "date": fmt_date(on),
    }
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="{WIDTH}" height="{height:.0f}" role="img" aria-label="{escape(title)}" '
        'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<text x="{MARGIN}" y="{MARGIN + 14}" font-size="16" font-weight="bold" '
        f'fill="#1b3a5c">{escape(title)}</text>',
    ]
    for d in _edges(boxes):
        out.append(f'<path d="{d}" fill="none" stroke="#7a8ca3" stroke-width="1.5"/>')
    for box in boxes:
        body = box.body.body
        out.append(
            f'<g class="body" data-body="{escape(body.slug)}">'
            f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.w:.0f}" height="{box.h:.0f}" '
            'rx="6" fill="#ffffff" stroke="#1b3a5c" stroke-width="1.2"/>'
            f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{box.w:.0f}" height="{HEADER - 4}" '
            'rx="6" fill="#1b3a5c"/>'
            f'<text x="{box.x + 8:.0f}" y="{box.y + 15:.0f}" fill="#ffffff" font-weight="bold" '
            f"{_title_font(body.name, box.w - 16)}>{escape(body.name)}</text>"
        )
        y = box.y + HEADER + 10
        for line in box.lines:
            attrs = ' font-weight="bold"' if line.bold else ""
            attrs += ' fill="#5b6b7d"' if line.muted else ' fill="#1d2733"'
            out.append(f'<text x="{box.x + 8:.0f}" y="{y:.0f}"{attrs}>{escape(line.text)}</text>')
            y += LINE
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
