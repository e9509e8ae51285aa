"""Renderers of reports.document.Document: HTML (page and PDF) and DOCX."""

from __future__ import annotations

import base64
import io
import re
from datetime import datetime, time
from typing import Any

from django.template.loader import render_to_string
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from helhedsplan.lib.stable import FIXED_DATE, stable_zip
from helhedsplan.reports.document import Bullets, Document, Heading, Image, Paragraph, Table

# The widest a picture is drawn in the Word file (A4 less the margins).
DOCX_IMAGE_MAX_CM = 16.0


def render_html(doc: Document, *, standalone: bool = False) -> str:
    """The document as HTML; ``standalone`` adds the print stylesheet for WeasyPrint."""
    template = "reports/document_standalone.html" if standalone else "reports/_document.html"
    return render_to_string(template, {"doc": doc, "blocks": _typed(doc)})


def _typed(doc: Document) -> list[tuple[str, object]]:
    return [(type(block).__name__.lower(), block) for block in doc.blocks]


def render_pdf(doc: Document) -> bytes:
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_html(doc, standalone=True)).write_pdf()
    return pdf


def render_docx(doc: Document) -> bytes:
    """The document as Word; the same blocks give the same bytes (see ``lib.stable``)."""
    out = DocxDocument()
    _core_properties(out, doc)
    styles = out.styles
    styles["Normal"].font.name = "Calibri"
    styles["Normal"].font.size = Pt(11)
    out.add_heading(doc.title, level=0)
    if doc.subtitle:
        p = out.add_paragraph(doc.subtitle)
        p.runs[0].italic = True
    for block in doc.blocks:
        if isinstance(block, Heading):
            out.add_heading(block.text, level=min(block.level, 4))
        elif isinstance(block, Paragraph):
            p = out.add_paragraph(block.text)
            if block.style == "note":
                for run in p.runs:
                    run.font.size = Pt(9)
                    run.font.color.rgb = RGBColor(0x5B, 0x65, 0x76)
        elif isinstance(block, Bullets):
            if block.numbered:
                _docx_numbered(out, block.items)
            else:
                for item in block.items:
                    out.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            _docx_table(out, block)
        elif isinstance(block, Image):
            _docx_image(out, block)
    if doc.footer_note:
        out.add_paragraph(doc.footer_note).runs[0].font.size = Pt(8)
    buffer = io.BytesIO()
    out.save(buffer)
    return stable_zip(buffer.getvalue(), dated=doc.dated)


def _core_properties(out: Any, doc: Document) -> None:
    when = datetime.combine(doc.dated or FIXED_DATE, time())
    props = out.core_properties
    props.title = doc.title
    props.author = "Helhedsplan"
    props.last_modified_by = "Helhedsplan"
    props.comments = ""
    props.revision = 1
    props.created = when
    props.modified = when


def _docx_numbered(out: Any, items: tuple[str, ...]) -> None:
    """A numbered list that starts at 1: its own w:num over "List Number"'s definition.

    Every paragraph in the style shares one counter in Word, so a second list would go on
    from the first ("4., 5." after a three-item agenda); a new w:num with a start override
    restarts it.
    """
    numbering = out.part.numbering_part.element
    style_num = out.styles["List Number"].element.pPr.numPr.numId.val
    abstract_id = numbering.num_having_numId(style_num).abstractNumId.val
    num = numbering.add_num(abstract_id)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    num.append(override)
    for item in items:
        paragraph = out.add_paragraph(item, style="List Number")
        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        num_pr.get_or_add_ilvl().val = 0
        num_pr.get_or_add_numId().val = num.numId


def _docx_image(out: Any, block: Image) -> None:
    """The drawing as a picture (Word cannot show SVG), at its own size up to the width."""
    from helhedsplan.charts import svg_to_png

    png = block.png if block.png is not None else svg_to_png(block.svg)
    match = re.search(r'width="(\d+(?:\.\d+)?)"', block.svg)
    natural_cm = float(match.group(1)) / 96 * 2.54 if match else DOCX_IMAGE_MAX_CM
    out.add_picture(io.BytesIO(png), width=Cm(min(natural_cm, DOCX_IMAGE_MAX_CM)))
    if block.caption:
        out.add_paragraph(block.caption).runs[0].italic = True


def _docx_table(out: Any, block: Table) -> None:
    rows = [block.header, *block.rows] + ([block.footer] if block.footer else [])
    table = out.add_table(rows=len(rows), cols=len(block.header))
    table.style = "Table Grid"
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = value
            para = cell.paragraphs[0]
            if c in block.numeric_columns and r > 0:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if r == 0 or (block.footer and r == len(rows) - 1):
                for run in para.runs:
                    run.bold = True
    if block.caption:
        out.add_paragraph(block.caption).runs[0].font.size = Pt(9)


def svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
