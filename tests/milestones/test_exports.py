"""The attachment "milepælsplan" generated from the milestones: PDF and Word with the chart
and the table; missing in the checklist while the plan has no milestones."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from docx import Document as DocxDocument

from helhedsplan.agreements.attachments import checklist
from helhedsplan.agreements.models import AttachmentKind
from helhedsplan.milestones.exports import MilestonePlanExporter, milestone_plan_document
from helhedsplan.plans.models import Plan
from helhedsplan.reports.document import Image, Table
from helhedsplan.reports.exporters import export_url, registry
from tests import factories


def _item(plan: Plan):  # type: ignore[no-untyped-def]
    return next(i for i in checklist(plan) if i.kind == AttachmentKind.MILESTONE_PLAN)


def test_the_exporter_makes_the_milestone_plan_attachment() -> None:
    assert registry.for_attachment(AttachmentKind.MILESTONE_PLAN) == [MilestonePlanExporter]
    assert MilestonePlanExporter.attachment_kind == AttachmentKind.MILESTONE_PLAN.value
    assert registry.in_package(MilestonePlanExporter.identifier)


def test_missing_without_milestones_then_generated(plan: Plan) -> None:
    item = _item(plan)
    assert item.state == "missing" and not item.generated
    factories.MilestoneFactory(plan=plan)
    item = _item(plan)
    assert item.state == "complete"
    assert [f.format for f in item.generated] == ["pdf", "docx"]


def test_the_document_holds_the_chart_and_every_milestone(plan: Plan) -> None:
    factories.MilestoneFactory(plan=plan, title="1. helhedsevaluering", due_on=date(2019, 1, 31))
    factories.MilestoneFactory(
        plan=plan, title="Beslutning om 5.4", due_on=date(2018, 12, 31), done_on=date(2018, 12, 10)
    )
    doc = milestone_plan_document(plan, date(2019, 6, 1))
    (image,) = [b for b in doc.blocks if isinstance(b, Image)]
    assert image.svg.count('data-state="') == 2
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert [row[2] for row in table.rows] == ["Beslutning om 5.4", "1. helhedsevaluering"]
    assert [row[7] for row in table.rows] == ["nået 10. december 2018", "overskredet"]


@pytest.mark.slow
def test_pdf_and_docx_download_for_those_reading_the_agreement(
    plan: Plan, client_for: Callable[[str], Client], tmp_path: Path
) -> None:
    factories.MilestoneFactory(plan=plan, title="2. helhedsevaluering", due_on=date(2021, 12, 31))
    lbf = client_for("lbf")  # the attachment goes to LBF, though LBF reads no milestone page
    pdf = lbf.get(export_url(plan, "milepaelsplan", "pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    path = tmp_path / "m.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    assert "2. helhedsevaluering" in text.decode() and "Milepælsplan" in text.decode()
    docx = client_for("secretariat").get(export_url(plan, "milepaelsplan", "docx"))
    assert docx.status_code == 200
    word = DocxDocument(io.BytesIO(docx.content))
    cells = [c.text for t in word.tables for r in t.rows for c in r.cells]
    assert "2. helhedsevaluering" in cells
    assert word.inline_shapes, "the chart is drawn as a picture"
