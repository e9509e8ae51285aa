"""charts.lines: one trend chart as SVG (pure): named for screen readers, the better direction
shown in words, a gap (not zero) where the source suppressed a value."""

from __future__ import annotations

from decimal import Decimal
from xml.etree import ElementTree

from helhedsplan.charts.lines import DOWN, NONE, TrendSpec, trend_chart

NS = "{http://www.w3.org/2000/svg}"


def _spec(**kw: object) -> TrendSpec:
    values = {
        "title": "Dømte – Nordparken",
        "description": "Udviklingen 2016-2019",
        "years": [2016, 2017, 2018, 2019],
        "points": {2016: Decimal("2.5"), 2017: None, 2018: Decimal("3.25"), 2019: Decimal(2)},
        "unit": "%",
        "direction": DOWN,
        "direction_label": "lavere er bedre",
        "marks": {2017: "diskretioneret"},
        **kw,
    }
    return TrendSpec(**values)  # type: ignore[arg-type]


def test_the_chart_is_valid_svg_named_for_screen_readers() -> None:
    svg = trend_chart(_spec(id_prefix="t1"))
    root = ElementTree.fromstring(svg)  # noqa: S314 - the chart's own output
    assert root.get("role") == "img" and root.get("aria-labelledby") == "t1-title t1-desc"
    assert root.find(f"{NS}title").text == "Dømte – Nordparken"  # type: ignore[union-attr]
    assert root.find(f"{NS}desc").text == "Udviklingen 2016-2019"  # type: ignore[union-attr]


def test_points_carry_danish_figures_and_a_suppressed_year_is_a_gap() -> None:
    svg = trend_chart(_spec())
    assert "2016: 2,5\u00a0%" in svg and "2018: 3,25\u00a0%" in svg
    assert "2017:" not in svg and "diskretioneret" in svg
    root = ElementTree.fromstring(svg)  # noqa: S314 - the chart's own output
    assert len(root.findall(f"{NS}circle")) == 3
    # the line breaks at the gap: 2016 alone, then 2018-2019
    assert [len(p.get("points", "").split()) for p in root.findall(f"{NS}polyline")] == [2]


def test_the_direction_is_in_words_and_an_arrow() -> None:
    assert "↓ lavere er bedre" in trend_chart(_spec())
    assert "lavere er bedre" not in trend_chart(_spec(direction=NONE))


def test_text_is_escaped_and_english_numbers_are_english() -> None:
    svg = trend_chart(_spec(title="<b>x</b>", lang="en"))
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    assert "2016: 2.5%" in svg


def test_no_values_shows_the_empty_text() -> None:
    svg = trend_chart(_spec(points={}, marks={}, empty_text="Ingen værdier"))
    assert "Ingen værdier" in svg and "<circle" not in svg
