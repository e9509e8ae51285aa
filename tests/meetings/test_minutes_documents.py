"""The minutes' Word file as Word shows it: each list numbered from 1, "none" as a sentence."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document as DocxDocument

from helhedsplan.meetings import services
from helhedsplan.meetings.exports import minutes_document, minutes_docx
from helhedsplan.plans.models import Plan
from helhedsplan.reports.document import Bullets, Paragraph
from tests.meetings.factories import board_meeting


def _as_text_by_libreoffice(data: bytes, tmp_path: Path) -> list[str]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is missing; `make test` installs libreoffice-writer-nogui")
    source = tmp_path / "referat.docx"
    source.write_bytes(data)
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "txt:Text",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = (tmp_path / "referat.txt").read_text(encoding="utf-8-sig")
    return [line.strip() for line in text.splitlines() if line.strip()]


@pytest.mark.slow
def test_decisions_are_numbered_from_one_after_a_three_item_agenda(
    plan: Plan, tmp_path: Path
) -> None:
    meeting = board_meeting(plan, agenda=["Status", "Succeskriterier", "Økonomi"])
    services.decision_create(meeting=meeting, text="Statusrapporten godkendes.")
    services.decision_create(meeting=meeting, text="Budgettet godkendes.")
    lines = _as_text_by_libreoffice(minutes_docx(meeting), tmp_path)
    agenda = lines.index("Dagsorden")
    assert lines[agenda + 1 : agenda + 4] == ["1. Status", "2. Succeskriterier", "3. Økonomi"]
    decisions = lines.index("Beslutninger")
    assert lines[decisions + 1 : decisions + 3] == [
        "1. Statusrapporten godkendes.",
        "2. Budgettet godkendes.",
    ]


def test_no_decisions_is_a_plain_sentence_not_a_numbered_item(plan: Plan) -> None:
    meeting = board_meeting(plan, agenda=["Status"])
    doc = minutes_document(meeting)
    assert Paragraph("Ingen beslutninger registreret.") in doc.blocks
    assert Bullets(("Status",), numbered=True) in doc.blocks
    docx = DocxDocument(io.BytesIO(minutes_docx(meeting)))
    sentence = next(p for p in docx.paragraphs if p.text == "Ingen beslutninger registreret.")
    assert sentence.style is not None and sentence.style.name == "Normal"
    assert sentence._p.pPr is None or sentence._p.pPr.numPr is None


def test_the_minutes_are_the_same_bytes_on_every_download(plan: Plan) -> None:
    meeting = board_meeting(plan, agenda=["Status"], minutes_text="Drøftet.")
    first = minutes_docx(meeting)
    assert minutes_docx(meeting) == first
    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode()
    assert core.count("2019-03-01T00:00:00Z") == 2  # the meeting's date
