"""What leaves the secretariat: small counts as "<5", the cells that would reveal them as
"x", the legend; per exporter kind, read back from the rendered file."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any, ClassVar

import pytest
from django.test import Client
from docx import Document as DocxDocument
from openpyxl import load_workbook

from helhedsplan.activities.exports import DeliveryExporter
from helhedsplan.activities.models import Activity
from helhedsplan.plans.exports import FinalStatusExporter
from helhedsplan.plans.models import Plan
from helhedsplan.reports import render, suppression
from helhedsplan.reports.document import Document, Heading, Paragraph, Table
from helhedsplan.reports.exporters import INTERNAL, LEAVES, Archive, Exporter, export_url, registry
from helhedsplan.reports.rows import Column, ColumnKind, Line, Rows, Sheet
from helhedsplan.reports.smallnumbers import Rate
from tests import factories

LEGEND = "<5: færre end 5. x: skjult, så et lille tal ikke kan regnes ud fra totalerne."


def _table() -> Table:
    # Område, kvinder, mænd, i alt; the footer holds the column totals.
    return Table(
        header=("Område", "Kvinder", "Mænd", "I alt"),
        rows=(("Nord", "3", "12", "15"), ("Syd", "8", "9", "17")),
        footer=("I alt", "11", "21", "32"),
        count_columns=frozenset({1, 2, 3}),
        total_column=3,
    )


def test_a_document_table_hides_the_small_count_and_what_would_reveal_it() -> None:
    doc = suppression.release_document(Document("R", blocks=[Heading("Tal"), _table()]))
    table = doc.blocks[1]
    assert isinstance(table, Table)
    assert table.rows == (("Nord", "<5", "x", "15"), ("Syd", "x", "x", "17"))
    assert table.footer == ("I alt", "11", "21", "32")
    assert doc.blocks[2] == Paragraph(LEGEND, "note")
    # Released again: the same, one legend.
    assert suppression.release_document(doc) == doc


def test_a_table_without_small_counts_is_unchanged_and_has_no_legend() -> None:
    table = Table(
        header=("Område", "Antal"), rows=(("Nord", "7"), ("Syd", "0")), count_columns=frozenset({1})
    )
    doc = suppression.release_document(Document("R", blocks=[table]))
    assert doc.blocks == [table]


def test_danish_numbers_and_rates_in_a_table() -> None:
    table = Table(
        header=("Aktivitet", "Planlagt", "Leveret", "Leveringsgrad"),
        rows=(
            ("A", "10", "3", "30,0\u00a0%"),
            ("B", "1.200", "1.150", "95,8\u00a0%"),
            ("C", "4", "9", "225,0\u00a0%"),
        ),
        count_columns=frozenset({2}),
        rates=(Rate(3, numerator=2, denominator=1),),
    )
    released, hidden = suppression.release_table(table)
    assert hidden
    assert released.rows == (
        ("A", "10", "<5", "x"),
        ("B", "1.200", "1.150", "95,8\u00a0%"),
        ("C", "4", "9", "x"),  # a denominator under 5
    )


def test_a_sheet_hides_with_its_total_row_and_gets_the_legend_line() -> None:
    columns = (Column("Område"), Column("Deltagere", kind=ColumnKind.COUNT))
    sheet = Sheet("S", columns, [("Nord", 3), ("Syd", 12), ("I alt", 15)], last_row_is_total=True)
    out = suppression.release_rows(Rows("R", [sheet]))
    assert out.sheets[0].rows == [("Nord", "<5"), ("Syd", "x"), ("I alt", 15)]
    assert out.sheets[0].lines == (Line(LEGEND, "note"),)
    assert suppression.release_rows(out) == out


def test_an_archive_passes_as_it_is() -> None:
    archive = Archive(b"zip", files=1)
    assert suppression.release(archive) is archive


# --- through the download view, as LBF -------------------------------------------------------


class _ParticipantsExporter(Exporter):
    identifier = "test-deltagere"
    title = "Deltagere"
    permission = "plan.view"
    audience: ClassVar = LEAVES
    formats: ClassVar[tuple[str, ...]] = ("xlsx", "csv", "docx")

    def output(self) -> Rows:
        columns = (
            Column("Område"),
            Column("Kvinder", kind=ColumnKind.COUNT),
            Column("Mænd", kind=ColumnKind.COUNT),
            Column("I alt", kind=ColumnKind.COUNT),
        )
        rows: list[tuple[Any, ...]] = [
            ("Nord", 3, 12, 15),
            ("Syd", 8, 9, 17),
            ("I alt", 11, 21, 32),
        ]
        return Rows(
            "Deltagere", [Sheet("Deltagere", columns, rows, total_column=3, last_row_is_total=True)]
        )


@pytest.fixture
def participants(monkeypatch: pytest.MonkeyPatch) -> type[_ParticipantsExporter]:
    monkeypatch.setitem(
        registry._exporters, _ParticipantsExporter.identifier, _ParticipantsExporter
    )
    return _ParticipantsExporter


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def _xlsx(data: bytes) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


@pytest.mark.usefixtures("participants")
def test_lbf_downloads_the_released_copy_in_every_format(plan: Plan, client_for: Any) -> None:
    client: Client = client_for("lbf")
    rows = _csv(client.get(export_url(plan, "test-deltagere", "csv")).content)
    assert rows[0] == [LEGEND]
    assert rows[2:] == [
        ["Nord", "<5", "x", "15"],
        ["Syd", "x", "x", "17"],
        ["I alt", "11", "21", "32"],
    ]
    cells = _xlsx(client.get(export_url(plan, "test-deltagere", "xlsx")).content)
    assert cells[2] == ("Nord", "<5", "x", 15)
    assert 3 not in [v for row in cells for v in row]
    docx = DocxDocument(io.BytesIO(client.get(export_url(plan, "test-deltagere", "docx")).content))
    assert [c.text for c in docx.tables[0].rows[1].cells] == ["Nord", "<5", "x", "15"]


def test_internal_output_keeps_the_real_counts(
    plan: Plan, participants: type[_ParticipantsExporter], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(participants, "audience", INTERNAL)
    assert ["Nord", "3", "12", "15"] in _csv(participants(plan).render("csv"))


# --- the product's exporters -----------------------------------------------------------------


def _three_delivered(plan: Plan) -> Activity:
    activity = factories.ActivityFactory(
        plan=plan, name="Lektiecafé", unit=Activity.Unit.PARTICIPANTS
    )
    area = plan.areas.get(slug="nord")
    factories.PlannedQuantityFactory(
        activity=activity, area=area, year=2018, quarter=2, quantity=10
    )
    factories.RegistrationFactory(
        plan=plan, activity=activity, area=area, date=date(2018, 5, 3), n_25_64_f=2, n_25_64_m=1
    )
    return activity


def test_the_final_status_report_shows_a_delivery_of_three_as_under_five(plan: Plan) -> None:
    _three_delivered(plan)
    docx = DocxDocument(io.BytesIO(FinalStatusExporter(plan).render("docx")))
    rows = [[c.text for c in r.cells] for t in docx.tables for r in t.rows]
    assert ["Lektiecafé", "deltagere", "10", "<5", "x"] in rows  # the rate 30 % gives it away
    assert LEGEND in [p.text for p in docx.paragraphs]


def test_the_final_status_document_handed_to_the_pdf_renderer_is_the_released_one(
    plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    _three_delivered(plan)
    seen: list[Document] = []

    def render_pdf(doc: Document) -> bytes:
        seen.append(doc)
        return b"%PDF"

    monkeypatch.setattr(render, "render_pdf", render_pdf)
    FinalStatusExporter(plan).render("pdf")
    tables = [b for b in seen[0].blocks if isinstance(b, Table) and b.count_columns]
    assert any(("Lektiecafé", "deltagere", "10", "<5", "x") in t.rows for t in tables)


def test_the_delivery_export_when_it_leaves(plan: Plan) -> None:
    _three_delivered(plan)
    exporter = DeliveryExporter(plan, {"aar": "2018"})
    internal = [r for r in _csv(exporter.render("csv")) if "Lektiecafé" in r and r[4] == "2"]
    assert internal[0][6:9] == ["10", "3", "30,0"]
    exporter = DeliveryExporter(plan, {"aar": "2018"})
    exporter.audience_in_use = LEAVES
    data = exporter.render("xlsx")
    cells = [r for r in _xlsx(data) if "Lektiecafé" in r and r[4] == 2]
    assert cells[0][6:9] == (10, "<5", "x")
    released = [r for r in _csv(exporter.render("csv")) if "Lektiecafé" in r and r[4] == "2"]
    assert released[0][6:9] == ["10", "<5", "x"]
