"""The Gantt chart (charts/gantt.py): pure data in, valid SVG out; one row per milestone, a
bar only where a milestone has a start, a line at today, the states told by more than colour."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from helhedsplan.charts.gantt import COMING, DONE, OVERDUE, GanttRow, GanttSpec, gantt_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - the chart's own output, not outside input


def _spec(**kw: object) -> GanttSpec:
    rows = [
        GanttRow("1. helhedsevaluering", date(2019, 1, 31), date(2018, 12, 1), DONE, "nået"),
        GanttRow("Beslutning om 5.4 & Sydbyen", date(2018, 12, 31), None, OVERDUE),
        GanttRow("2. helhedsevaluering", date(2021, 12, 31), None, COMING),
    ]
    values: dict[str, object] = dict(
        title="Milepælsplan for Slagelse",
        description="Planperioden 2018-2021 med 3 milepæle.",
        start=date(2018, 1, 1),
        end=date(2021, 12, 31),
        rows=rows,
        today=date(2020, 6, 1),
        today_label="I dag",
        legend={DONE: "nået", OVERDUE: "overskredet", COMING: "kommende"},
        quarter_label="{n}. kvt.",
    )
    values.update(kw)
    return GanttSpec(**values)  # type: ignore[arg-type]


def _rows(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if "row" in g.get("class", "").split()]


def test_the_chart_is_valid_svg_that_names_itself() -> None:
    root = _parse(gantt_chart(_spec()))
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Milepælsplan for Slagelse"
    assert desc is not None and "3 milepæle" in (desc.text or "")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_one_row_per_milestone_with_its_words_and_a_bar_only_with_a_start() -> None:
    root = _parse(gantt_chart(_spec()))
    rows = _rows(root)
    assert [r.get("data-state") for r in rows] == [DONE, OVERDUE, COMING]
    assert [r.findtext(f"{SVG}title") for r in rows] == [
        "nået",
        "Beslutning om 5.4 & Sydbyen",  # escaped in the text, read back whole
        "2. helhedsevaluering",
    ]
    bars = [len([e for e in r.iter(f"{SVG}rect") if e.get("class") == "bar"]) for r in rows]
    assert bars == [1, 0, 0]
    assert all(len(list(r.iter(f"{SVG}polygon"))) == 1 for r in rows)  # the diamond


def test_states_differ_by_more_than_colour() -> None:
    root = _parse(gantt_chart(_spec()))
    done, overdue, coming = _rows(root)
    symbols = [[t.text for t in r.iter(f"{SVG}text")][1:] for r in (done, overdue, coming)]
    assert symbols == [["✓"], ["!"], []]
    fills = [next(r.iter(f"{SVG}polygon")).get("fill") for r in (done, overdue, coming)]
    assert fills[1] == "url(#gantt-hatch)" and fills[2] == "#ffffff" and fills[0] != fills[2]
    assert root.find(f".//{SVG}pattern[@id='gantt-hatch']") is not None
    legend = [t.text for g in root.iter(f"{SVG}g") if g.get("class") == "legend" for t in g]
    assert {"nået", "overskredet", "kommende"} <= set(legend)


def test_years_quarters_and_today() -> None:
    svg = gantt_chart(_spec())
    texts = [t.text for t in _parse(svg).iter(f"{SVG}text")]
    assert [t for t in texts if t and t.isdigit() and len(t) == 4] == [
        "2018",
        "2019",
        "2020",
        "2021",
    ]
    assert texts.count("1") == 4  # four years' first quarters, too narrow to say "1. kvt."
    assert 'class="today"' in svg and "I dag" in texts
    assert 'class="today"' not in gantt_chart(_spec(today=date(2026, 1, 1)))
    wide = gantt_chart(_spec(start=date(2019, 1, 1), end=date(2019, 12, 31)))
    assert "1. kvt." in wide


def test_no_rows_says_so() -> None:
    svg = gantt_chart(_spec(rows=[], empty_text="Ingen milepæle endnu."))
    assert "Ingen milepæle endnu." in svg and not _rows(_parse(svg))


def test_the_chart_definition_is_pure_python() -> None:
    from pathlib import Path

    from helhedsplan.charts import gantt

    source = Path(gantt.__file__).read_text()
    assert "django" not in source and "helhedsplan" not in source.split('"""', 2)[2]
