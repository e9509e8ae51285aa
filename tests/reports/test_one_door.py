"""One door for files: no app writes a format or a download header of its own.

PDF, DOCX and XLSX are written only by ``reports/render.py``, the download headers set only by
``reports/http.py``; no application code runs ``pdftoppm``. The test greps the application
code (``helhedsplan/``, Python and templates), so a hand-built ``Content-Disposition`` or a
``Workbook()`` added to an app fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "helhedsplan"

# What only reports/ may do, as the code that does it reads.
ONLY_IN_REPORTS = {
    "XLSX written": re.compile(r"\bWorkbook\("),
    "DOCX written": re.compile(r"\bdocx\.Document\(|\bfrom docx import\b|^\s*import docx\b", re.M),
    "PDF written": re.compile(r"\bwrite_pdf\(|\bfrom weasyprint import\b|\bimport weasyprint\b"),
    "download header set": re.compile(r"content-disposition|\bas_attachment\b", re.I),
}
NOWHERE = {"pdftoppm run": re.compile(r"pdftoppm")}


def offences(root: Path) -> list[str]:
    """ "<path>: <what>" for each file under ``root`` that does what it may not."""
    found = []
    for path in sorted([*root.rglob("*.py"), *root.rglob("*.html")]):
        relative = path.relative_to(root).as_posix()
        if "/migrations/" in f"/{relative}":
            continue
        text = path.read_text(encoding="utf-8")
        rules = dict(NOWHERE)
        if not relative.startswith("reports/"):
            rules.update(ONLY_IN_REPORTS)
        for what, pattern in rules.items():
            if pattern.search(text):
                found.append(f"{relative}: {what}")
    return found


def test_no_app_writes_a_format_or_a_header_of_its_own() -> None:
    assert offences(APP) == []


@pytest.mark.parametrize(
    ("line", "what"),
    [
        ("response['Content-Disposition'] = f'attachment; filename={name}'", "download header set"),
        ('FileResponse(handle, as_attachment=True, filename="x.pdf")', "download header set"),
        ("book = Workbook()", "XLSX written"),
        ("from docx import Document as DocxDocument", "DOCX written"),
        ("pdf = HTML(string=html).write_pdf()", "PDF written"),
        ('subprocess.run(["/usr/bin/pdftoppm", "-png"])', "pdftoppm run"),
    ],
)  # fmt: skip
def test_a_hand_built_header_or_writer_in_an_app_is_found(
    line: str, what: str, tmp_path: Path
) -> None:
    app = tmp_path / "meetings"
    app.mkdir()
    (app / "views.py").write_text(f"def download():\n    {line}\n", encoding="utf-8")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "render.py").write_text("book = Workbook()\n", encoding="utf-8")
    assert offences(tmp_path) == [f"meetings/views.py: {what}"]


def test_pdftoppm_is_refused_in_reports_too(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "png.py").write_text('run(["pdftoppm"])\n', encoding="utf-8")
    assert offences(tmp_path) == ["reports/png.py: pdftoppm run"]
