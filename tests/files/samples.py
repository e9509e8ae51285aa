"""Small real files of every allowed kind, and the bad ones, made on the fly for tests."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(text: str = "Referat") -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=f"<p>{text}</p>").write_pdf())


def docx_bytes(text: str = "Referat") -> bytes:
    from docx import Document

    doc = Document()
    doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Område", "Antal"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_from_rows(rows: list[list[Any]], sheet: str | None = None) -> bytes:
    """A workbook whose first sheet (named ``sheet`` if given) holds ``rows``."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    if sheet:
        ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def image_bytes(fmt: str) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format=fmt)
    return out.getvalue()


def executable_bytes() -> bytes:
    """The start of a Windows program (MZ header and PE stub text)."""
    return b"MZ\x90\x00\x03\x00\x00\x00" + b"This program cannot be run in DOS mode.\r\n" * 20


def zip_bomb_docx_bytes() -> bytes:
    """A DOCX-shaped ZIP whose document unpacks to 150 MB of zeros (about 150 kB packed)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(150):
                member.write(chunk)
    return out.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
