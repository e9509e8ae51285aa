"""One chart definition for the web page and for reports: ``line_chart(spec) -> svg``.

A ``ChartSpec`` is plain data (years, series of points, a style per series); ``line_chart``
renders it as a self-contained SVG string that the page inlines and the reports embed, and
``svg_to_png`` turns that same SVG into a PNG (CairoSVG, no subprocess), so the picture
in a report is the picture on the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from helhedsplan.lib.numbers import Lang, format_number, language

__all__ = ["ChartSpec", "Series", "line_chart", "svg_to_png"]

STYLES = {
    # style: (stroke colour, dash pattern, draw markers)
    "observed": ("#1f4e79", "", True),
    "target": ("#2e7d32", "6 4", False),
    "reference": ("#b26a00", "2 4", False),
    "other": ("#6b6b6b", "", True),
}


@dataclass(frozen=True)
class Series:
    label: str
    points: dict[int, Decimal | None]
    style: str = "observed"


@dataclass(frozen=True)
class ChartSpec:
    title: str
    years: list[int]
    series: list[Series] = field(default_factory=list)
    unit: str = ""
    width: int = 560
    height: int = 260
    #: The language of the numbers (72,4 / 72.4); None is the active language. The labels
    #: (title, series, unit) come worded by whoever builds the spec.
    lang: Lang | None = None


def _nice_step(span: float) -> float:
    raw = span / 4 or 1
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def line_runs(
    years: Iterable[int],
    points: Mapping[int, Decimal | None],
    x: Callable[[int], float],
    y: Callable[[float], float],
    *,
    break_on_gap: bool = True,
) -> list[list[str]]:
    """The SVG coordinates of a line, as runs of "x,y" points: a year without a value ends
    a run (``break_on_gap``) or is passed over. The one way the line charts draw a series
    (``line_chart`` here, ``charts.lines`` for the central measurements)."""
    run: list[str] = []
    runs: list[list[str]] = []
    for year in years:
        value = points.get(year)
        if value is None:
            if break_on_gap and run:
                runs.append(run)
                run = []
            continue
        run.append(f"{x(year):.1f},{y(float(value)):.1f}")
    if run:
        runs.append(run)
    return runs


def line_chart(spec: ChartSpec) -> str:
    """The SVG for ``spec``: years on x, values on y, gaps where a value is missing."""
    w, h = spec.width, spec.height
    left, right, top, bottom = 52, 24, 44, 58
    values = [float(v) for s in spec.series for v in s.points.values() if v is not None]
    low = min([0.0, *values])
    high = max(values) if values else 1.0
    step = _nice_step(high - low)
    high = (int(high / step) + 1) * step if high > 0 else step
    years = spec.years or [0]
    x_span = max(len(years) - 1, 1)

    def x(year: int) -> float:
        return left + (w - left - right) * (years.index(year) / x_span if year in years else 0)

    def y(value: float) -> float:
        return top + (h - top - bottom) * (1 - (value - low) / ((high - low) or 1))

    lang = spec.lang or language()

    def _fmt(value: Decimal | float) -> str:
        # An axis tick is a float sum (0.1 + 0.2): at most 2 decimals; a value as it is.
        places = 2 if isinstance(value, float) else None
        return format_number(Decimal(str(value)), lang=lang, max_decimals=places, trim=True)

    title = escape(spec.title)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
        f'height="{h}" role="img" aria-label="{title}" class="chart" '
        'font-family="Helvetica, Arial, sans-serif" font-size="11">',
        f"<title>{title}</title>",
        f'<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>',
        f'<text x="{left}" y="16" font-size="13" font-weight="bold">{title}</text>',
    ]
    tick = low
    while tick <= high + 1e-9:
        ty = y(tick)
        out.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{w - right}" y2="{ty:.1f}" stroke="#e3e3e3"/>'
            f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">{_fmt(tick)}</text>'
        )
        tick += step
    for year in years:
        out.append(
            f'<text x="{x(year):.1f}" y="{h - bottom + 16}" text-anchor="middle">{year}</text>'
        )
    if spec.unit:
        out.append(
            f'<text x="{left}" y="{top - 12}" font-size="10" fill="#555">{escape(spec.unit)}</text>'
        )
    legend_x = left
    for series in spec.series:
        colour, dash, markers = STYLES.get(series.style, STYLES["other"])
        markers = markers or sum(v is not None for v in series.points.values()) == 1
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        # A target or reference line runs on across the years it skips; a measured series
        # breaks at a missing year.
        for part in line_runs(years, series.points, x, y, break_on_gap=markers):
            if len(part) > 1:
                out.append(
                    f'<polyline points="{" ".join(part)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash_attr}/>'
                )
        if markers:
            for year in years:
                value = series.points.get(year)
                if value is not None:
                    cx, cy = x(year), y(float(value))
                    out.append(
                        f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3.5" fill="{colour}">'
                        f"<title>{escape(series.label)} {year}: {_fmt(value)}</title></circle>"
                        f'<text x="{cx:.1f}" y="{cy - 7:.1f}" text-anchor="middle" '
                        f'font-size="10" fill="{colour}">{_fmt(value)}</text>'
                    )
        ly = h - 14
        out.append(
            f'<line x1="{legend_x}" y1="{ly}" x2="{legend_x + 18}" y2="{ly}" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/>'
            f'<text x="{legend_x + 22}" y="{ly + 4}">{escape(series.label)}</text>'
        )
        legend_x += 30 + 6 * len(series.label)
    out.append("</svg>")
    return "".join(out)


def svg_to_png(svg: str, *, dpi: int = 144) -> bytes:
    """The SVG as a PNG, drawn by CairoSVG (the cairo WeasyPrint's Pango brings, same fonts).

    SVG pixels are CSS pixels (96 to the inch), so ``dpi`` scales them: a 560 x 260 chart is
    840 x 390 pixels at the default 144 dpi, as a page printed at that resolution would be.
    """
    import cairosvg

    # White behind the drawing, as a printed page has (the organisation chart draws none).
    png = cairosvg.svg2png(bytestring=svg.encode(), scale=dpi / 96, background_color="#ffffff")
    assert isinstance(png, bytes)
    return png
