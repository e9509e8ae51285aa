"""Renderers of reports.document.Document: HTML (page and PDF) and DOCX."""

from __future__ import annotations

import base64
import io
from typing import Any

from django.template.loader import render_to_string
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from helhedsplan.reports.document import Bullets, Document, Heading, Image, Paragraph, Table


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
    out = DocxDocument()
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
            for item in block.items:
                out.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            _docx_table(out, block)
        elif isinstance(block, Image):
            if block.png:
                from docx.shared import Cm

                out.add_picture(io.BytesIO(block.png), width=Cm(16))
            if block.caption:
                out.add_paragraph(block.caption).runs[0].italic = True
    if doc.footer_note:
        out.add_paragraph(doc.footer_note).runs[0].font.size = Pt(8)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


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
