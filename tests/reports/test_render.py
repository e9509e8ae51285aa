"""The DOCX renderer: pictures, lists numbered from 1, the same bytes for the same content."""

from __future__ import annotations

import io
import time
import zipfile
from datetime import date
from types import SimpleNamespace

import pytest
from docx import Document as DocxDocument
from docx.oxml.ns import qn

from helhedsplan.lib.stable import FIXED_ZIP_TIME, stable_zip
from helhedsplan.reports.document import Bullets, Document, Heading, Image, Paragraph
from helhedsplan.reports.render import render_docx, render_pdf

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 120" width="300" height="120">'
    '<rect x="10" y="10" width="280" height="100" fill="#1b3a5c"/></svg>'
)


def _two_lists() -> Document:
    return Document(
        title="Referat",
        dated=date(2019, 3, 1),
        blocks=[
            Heading("Dagsorden"),
            Bullets(("Status", "Succeskriterier", "Økonomi"), numbered=True),
            Heading("Beslutninger"),
            Bullets(("Statusrapporten godkendes.", "Budgettet godkendes."), numbered=True),
        ],
    )


def test_every_numbered_list_in_the_word_file_counts_from_one() -> None:
    docx = DocxDocument(io.BytesIO(render_docx(_two_lists())))
    numbering = docx.part.numbering_part.element
    by_list: dict[str, list[str]] = {}
    for p in docx.paragraphs:
        num_ids = p._p.xpath("./w:pPr/w:numPr/w:numId/@w:val")
        if num_ids:
            by_list.setdefault(str(num_ids[0]), []).append(p.text)
    assert list(by_list.values()) == [
        ["Status", "Succeskriterier", "Økonomi"],
        ["Statusrapporten godkendes.", "Budgettet godkendes."],
    ]
    for num_id in by_list:
        num = numbering.num_having_numId(int(num_id))
        starts = num.findall(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}")
        assert [s.get(qn("w:val")) for s in starts] == ["1"]


def test_an_image_is_a_picture_in_the_word_file_not_only_its_caption() -> None:
    doc = Document(title="Aftale", blocks=[Image(svg=SVG, caption="Organisationsdiagram")])
    data = render_docx(doc)
    media = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/media/")]
    assert len(media) == 1 and media[0].endswith(".png")
    docx = DocxDocument(io.BytesIO(data))
    assert len(docx.inline_shapes) == 1
    assert "Organisationsdiagram" in [p.text for p in docx.paragraphs]


def test_the_same_document_gives_the_same_bytes_later(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = _two_lists()
    doc.add(Image(svg=SVG), Paragraph("Slut"))
    first_docx, first_pdf = render_docx(doc), render_pdf(doc)
    later = time.time() + 3 * 86400
    clock = SimpleNamespace(time=lambda: later, localtime=time.localtime)
    monkeypatch.setattr(zipfile, "time", clock)  # zipfile stamps entries with time.time()
    assert render_docx(doc) == first_docx
    assert render_pdf(doc) == first_pdf
    archive = zipfile.ZipFile(io.BytesIO(first_docx))
    assert {i.date_time for i in archive.infolist()} == {FIXED_ZIP_TIME}
    core = archive.read("docProps/core.xml").decode()
    assert "<dcterms:created" in core and core.count("2019-03-01T00:00:00Z") == 2


def test_stable_zip_sets_an_xlsx_files_stamps_and_entry_times() -> None:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)  # openpyxl stamps "now" into created and modified
    data = stable_zip(out.getvalue(), dated=date(2018, 1, 1))
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert {i.date_time for i in archive.infolist()} == {FIXED_ZIP_TIME}
    assert archive.read("docProps/core.xml").decode().count("2018-01-01T00:00:00Z") == 2
