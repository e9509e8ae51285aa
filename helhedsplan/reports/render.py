"""The one renderer per format: HTML (page and PDF), DOCX, XLSX and CSV.

PDF (WeasyPrint) and DOCX (python-docx) draw a ``Document``; XLSX (openpyxl) and CSV draw
``Rows``. Each also takes the other kind: Rows print as a table per sheet, a Document's
tables become sheets. No other module writes these formats (a test greps for it). Every
ZIP-based file goes through ``lib.stable`` (the same content gives the same bytes), and
every spreadsheet through ``lib.spreadsheets`` (user text is never a formula).
"""

from __future__ import annotations

import base64
import io
import re
import threading
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from helhedsplan.lib.numbers import fmt_number
from helhedsplan.lib.spreadsheets import csv_writer, xlsx_text_only
from helhedsplan.lib.stable import FIXED_DATE, stable_zip
from helhedsplan.reports.document import Bullets, Document, Heading, Image, Paragraph, Table
from helhedsplan.reports.rows import Column, ColumnKind, Line, Rows, Sheet

Output = Document | Rows

# The widest a picture is drawn in the Word file (A4 less the margins).
DOCX_IMAGE_MAX_CM = 16.0


def render_html(doc: Document, *, standalone: bool = False) -> str:
    """The document as HTML; ``standalone`` adds the print stylesheet for WeasyPrint."""
    template = "reports/document_standalone.html" if standalone else "reports/_document.html"
    return render_to_string(template, {"doc": doc, "blocks": _typed(doc)})


def _typed(doc: Document) -> list[tuple[str, object]]:
    return [(type(block).__name__.lower(), block) for block in doc.blocks]


_PRINT_CSS = Path(__file__).with_name("print.css")
_weasy = threading.local()


def _print_setup() -> tuple[Any, Any]:
    """WeasyPrint's font configuration and the print stylesheet, made once per thread
    (finding the fonts and parsing the CSS cost more than many a small document)."""
    setup = getattr(_weasy, "setup", None)
    if setup is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        fonts = FontConfiguration()
        setup = fonts, CSS(string=_PRINT_CSS.read_text(encoding="utf-8"), font_config=fonts)
        _weasy.setup = setup
    return setup


def render_pdf(doc: Output) -> bytes:
    from weasyprint import HTML

    fonts, css = _print_setup()
    html = HTML(string=render_html(as_document(doc), standalone=True))
    pdf: bytes = html.write_pdf(stylesheets=[css], font_config=fonts)
    return pdf


def render_docx(doc: Output) -> bytes:
    """The document as Word; the same blocks give the same bytes (see ``lib.stable``)."""
    doc = as_document(doc)
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


# --- Rows and Documents as each other --------------------------------------------------------


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)  # years and quarters, never grouped ("2018", not "2.018")
    if isinstance(value, float | Decimal):
        return fmt_number(value)
    return str(value)


def as_document(output: Output) -> Document:
    """A Document as it is; Rows as a table per sheet (numbers right-aligned)."""
    if isinstance(output, Document):
        return output
    doc = Document(title=output.title, dated=output.dated, landscape=True)
    for sheet in output.sheets:
        if len(output.sheets) > 1:
            doc.add(Heading(sheet.title, 1))
        doc.add(
            *(Paragraph(line.text, "" if line.style == "title" else "note") for line in sheet.lines)
        )
        body = [tuple(_cell_text(v) for v in row) for row in sheet.rows]
        footer = body.pop() if sheet.last_row_is_total and body else None
        doc.add(
            Table(
                header=sheet.header,
                rows=tuple(body),
                numeric_columns=sheet.columns_of(ColumnKind.NUMBER, ColumnKind.COUNT),
                count_columns=sheet.columns_of(ColumnKind.COUNT),
                footer=footer,
                total_column=sheet.total_column,
                rates=sheet.rates,
            )
        )
    return doc


def as_rows(output: Output) -> Rows:
    """Rows as they are; a Document's tables as sheets, each named by the heading before it."""
    if isinstance(output, Rows):
        return output
    rows = Rows(title=output.title, dated=output.dated)
    heading = output.title
    for block in output.blocks:
        if isinstance(block, Heading):
            heading = block.text
        elif isinstance(block, Table):
            columns = tuple(
                Column(title, kind=_column_kind(block, i)) for i, title in enumerate(block.header)
            )
            body = [*block.rows, *([block.footer] if block.footer else [])]
            title = f"{len(rows.sheets) + 1} {block.caption or heading}"
            rows.sheets.append(
                Sheet(
                    title=title,
                    columns=columns,
                    rows=body,
                    total_column=block.total_column,
                    last_row_is_total=block.footer is not None,
                    rates=block.rates,
                )
            )
    return rows


def _column_kind(table: Table, column: int) -> ColumnKind:
    if column in table.count_columns:
        return ColumnKind.COUNT
    return ColumnKind.NUMBER if column in table.numeric_columns else ColumnKind.TEXT


# --- XLSX ------------------------------------------------------------------------------------

# Excel's limit on a sheet's name, and the characters it refuses in one.
_SHEET_NAME_MAX = 31
_SHEET_NAME_BAD = re.compile(r"[\\/*?:\[\]]")


def render_xlsx(output: Output) -> bytes:
    """The rows as a workbook that prints: a sheet per ``Sheet``, its header row frozen and
    repeated on every printed page, the columns as wide as declared, fitted to the page width.
    """
    from openpyxl import Workbook

    rows = as_rows(output)
    book = Workbook()
    first = book.active
    assert first is not None
    for n, sheet in enumerate(rows.sheets or [Sheet(rows.title, ())]):
        target = first if n == 0 else book.create_sheet()
        _xlsx_sheet(target, sheet)
    xlsx_text_only(book)  # user text is text, never a formula
    out = io.BytesIO()
    book.save(out)
    return stable_zip(out.getvalue(), dated=rows.dated)  # byte-stable: fixed times and stamps


def _xlsx_sheet(target: Any, sheet: Sheet) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    target.title = _SHEET_NAME_BAD.sub("-", sheet.title)[:_SHEET_NAME_MAX] or "Ark"
    for line in sheet.lines:
        target.append([line.text])
        target.cell(row=target.max_row, column=1).font = _line_font(line)
    target.append(list(sheet.header))
    header_row = target.max_row
    for cell in target[header_row]:
        cell.font = Font(bold=True)
    for values in sheet.rows:
        target.append(list(values))
    for i, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        if column.width is not None:
            target.column_dimensions[letter].width = column.width
        if column.number_format:
            for (cell,) in target.iter_rows(min_row=header_row + 1, min_col=i, max_col=i):
                if isinstance(cell.value, int | float | Decimal) and not isinstance(
                    cell.value, bool
                ):
                    cell.number_format = column.number_format
    target.freeze_panes = target.cell(row=header_row + 1, column=1).coordinate
    target.print_title_rows = f"{header_row}:{header_row}"
    target.page_setup.orientation = "landscape" if len(sheet.columns) > 6 else "portrait"
    target.page_setup.fitToWidth = 1
    target.page_setup.fitToHeight = 0  # as many pages down as it takes
    target.sheet_properties.pageSetUpPr.fitToPage = True


def _line_font(line: Line) -> Any:
    from openpyxl.styles import Font

    if line.style == "warning":
        return Font(bold=True, color="B26A00")
    if line.style == "note":
        return Font(italic=True, size=9)
    return Font(bold=True, size=13)


# --- CSV -------------------------------------------------------------------------------------


def _csv_value(value: Any) -> Any:
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")  # ";"-separated CSV is read with a decimal comma
    return "" if value is None else value


def render_csv(output: Output) -> bytes:
    """The rows as ";"-separated UTF-8 with a BOM (as Danish Excel opens it); the sheets one
    after another with an empty line between. Formula-like text is quoted (``csv_writer``).
    """
    rows = as_rows(output)
    stream = io.StringIO()
    writer = csv_writer(stream, delimiter=";")
    for n, sheet in enumerate(rows.sheets):
        if n:
            writer.writerow([])
        for line in sheet.lines:
            writer.writerow([line.text])
        writer.writerow(sheet.header)
        writer.writerows([_csv_value(v) for v in row] for row in sheet.rows)
    return ("\ufeff" + stream.getvalue()).encode("utf-8")
