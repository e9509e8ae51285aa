"""Generated documents are real documents, and the LBF package holds what LBF may ask for."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import subprocess
import time
import zipfile
from collections.abc import Callable
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document as DocxDocument

from helhedsplan.accounts.models import Role
from helhedsplan.agreements import documents
from helhedsplan.agreements.attachments import checklist
from helhedsplan.agreements.models import AgreementVersion, AttachmentKind, PlanAttachment
from helhedsplan.agreements.package import build_lbf_package
from helhedsplan.audit.models import AuditEntry
from helhedsplan.lib.stable import FIXED_ZIP_TIME
from helhedsplan.plans.models import Plan
from helhedsplan.reports.document import Bullets, Heading, Paragraph, Table, text_to_blocks
from helhedsplan.reports.exporters import export_url
from helhedsplan.reports.render import render_docx, render_pdf
from tests.agreements.conftest import client_as
from tests.files.samples import executable_bytes, pdf_bytes, upload, zip_bomb_docx_bytes


def test_text_to_blocks_reads_the_light_markup() -> None:
    blocks = text_to_blocks(
        "Indledning\nfortsat\n\n### Bestyrelse\n\n- én\n- to\n\nÅr\tA\n2013\t55,1"
    )
    assert blocks == [
        Paragraph("Indledning fortsat"),
        Heading("Bestyrelse", 3),
        Bullets(("én", "to")),
        Table(header=("År", "A"), rows=(("2013", "55,1"),), numeric_columns=frozenset({1})),
    ]


def _docx_text(data: bytes) -> str:
    doc = DocxDocument(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.mark.demo  # about the seed's content: its text, focus areas, criteria and budget
@pytest.mark.slow
def test_agreement_docx_is_laid_out_like_the_seed(plan: Plan) -> None:
    version = AgreementVersion.objects.get(plan=plan, number=1)
    text = _docx_text(render_docx(documents.agreement_document(version)))
    for expected in [
        "Strategisk samarbejdsaftale",
        "Aftaledokumenter",
        "1. Formål med den boligsociale indsats",
        "5. Indsatsområder",
        "5.1 Tryghed og trivsel",
        "Lavere fraflytningsprocent",
        "7. Ressourcer i den boligsociale indsats",
        "Landsbyggefonden",
        "25.000",
        "19.450",
        "44.450",
        "11. Revision af samarbejdsaftalen",
        "Lokalt opstillede målinger (succeskriterier)",
        "5.2.2",
        "Tal fra Slagelse Brand og Redning",
    ]:
        assert expected in text, expected


def _pdf_pages_not_blank(pdf: Path, tmp_path: Path) -> int:
    from PIL import Image, ImageStat

    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages
    for page in pages:
        stat = ImageStat.Stat(Image.open(page).convert("L"))
        assert stat.stddev[0] > 5, f"{page.name} looks blank"
    return len(pages)


@pytest.mark.usefixtures("documented")
@pytest.mark.slow
def test_pdf_pages_are_not_blank(plan: Plan, tmp_path: Path) -> None:
    version = AgreementVersion.objects.get(plan=plan, number=1)
    pdf = tmp_path / "aftale.pdf"
    pdf.write_bytes(render_pdf(documents.agreement_document(version)))
    assert _pdf_pages_not_blank(pdf, tmp_path) >= 5


@pytest.mark.usefixtures("documented")
@pytest.mark.slow
def test_libreoffice_opens_the_generated_docx(plan: Plan, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is missing; `make test` installs libreoffice-writer-nogui")
    version = AgreementVersion.objects.get(plan=plan, number=1)
    docx = tmp_path / "aftale.docx"
    docx.write_bytes(render_docx(documents.agreement_document(version)))
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    assert _pdf_pages_not_blank(tmp_path / "aftale.pdf", tmp_path) >= 5


@pytest.mark.usefixtures("documented")
def test_download_as_word_and_pdf_is_audited(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for("board")
    for fmt, magic in [("pdf", b"%PDF"), ("docx", b"PK")]:
        url = export_url(plan, "aftale", fmt, version=1)
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(magic)
    assert AuditEntry.objects.filter(event="document.downloaded.docx").exists()


@pytest.mark.parametrize(
    ("name", "content", "code_text"),
    [
        ("beredskab.pdf", executable_bytes(), "ikke tilladt"),
        ("kommissorium.docx", zip_bomb_docx_bytes(), ""),
    ],
)
def test_bad_uploads_are_refused_and_nothing_written(
    plan: Plan, client_for: Callable[[str], Client], name: str, content: bytes, code_text: str
) -> None:
    url = reverse("agreements:attachments", kwargs={"slug": plan.slug})
    response = client_for("secretariat").post(
        url, {"kind": "contingency_plan", "file": upload(name, content)}
    )
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not PlanAttachment.objects.exists()


def test_a_100_mb_upload_is_refused(plan: Plan, client_for: Callable[[str], Client]) -> None:
    big = b"%PDF-1.7\n" + b"0" * (100 * 1024 * 1024)
    url = reverse("agreements:attachments", kwargs={"slug": plan.slug})
    response = client_for("secretariat").post(
        url, {"kind": "budget", "file": upload("budget.pdf", big)}
    )
    assert "MB" in response.content.decode()
    assert not PlanAttachment.objects.exists()


def test_checklist_shows_missing_and_complete(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    states = {i.kind: i.state for i in checklist(plan)}
    assert states[AttachmentKind.CONTINGENCY_PLAN] == "missing"
    url = reverse("agreements:attachments", kwargs={"slug": plan.slug})
    client_for("secretariat").post(
        url, {"kind": "contingency_plan", "file": upload("beredskab.pdf", pdf_bytes())}
    )
    states = {i.kind: i.state for i in checklist(plan)}
    assert states[AttachmentKind.CONTINGENCY_PLAN] == "complete"


@pytest.mark.usefixtures("documented")
@pytest.mark.slow
def test_lbf_downloads_the_package_with_a_true_manifest(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client_for("secretariat").post(
        reverse("agreements:attachments", kwargs={"slug": plan.slug}),
        {
            "kind": "terms_of_reference",
            "file": upload("kommissorium.pdf", pdf_bytes("Kommissorium")),
        },
    )
    response = client_as(plan, "lbf", Role.LBF).get(export_url(plan, "lbf-pakke", "zip"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert "01-aftale/strategisk-samarbejdsaftale-v1.pdf" in names
    assert "01-aftale/strategisk-samarbejdsaftale-v1.docx" in names
    assert any(n.endswith("kommissorium.pdf") for n in names)
    rows = list(
        csv.reader(io.StringIO(archive.read("manifest.csv").decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0] == ["Fil", "Hvad", "Version", "Dato", "Tilstand", "SHA-256", "Bemærkning"]
    for path, _what, _version, _dated, state, digest, _remark in rows[1:]:
        if state == "mangler":
            assert path == "" and digest == ""
        else:
            assert hashlib.sha256(archive.read(path)).hexdigest() == digest
    assert AuditEntry.objects.filter(event="lbf_package.downloaded", actor__username="lbf").exists()


def test_baseline_appendix_is_missing_until_lbfs_central_measurements_are_there(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    """Demo: the plan's own approved figures up to 2017 are not LBF's central measurements."""
    item = next(i for i in checklist(plan) if i.kind == AttachmentKind.BASELINE_APPENDIX)
    assert item.state == "missing" and not item.generated
    assert "centralt genererede målinger" in item.remark and "planens egne tal" in item.remark
    page = client_for("secretariat").get(
        reverse("agreements:attachments", kwargs={"slug": plan.slug})
    )
    assert "planens egne tal i succeskriterierne" in page.content.decode()
    client_for("secretariat").post(
        reverse("agreements:attachments", kwargs={"slug": plan.slug}),
        {"kind": "baseline_appendix", "file": upload("lbf-maalinger.pdf", pdf_bytes("LBF"))},
    )
    item = next(i for i in checklist(plan) if i.kind == AttachmentKind.BASELINE_APPENDIX)
    assert item.state == "complete"


def _manifest(data: bytes) -> list[list[str]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    text = archive.read("manifest.csv").decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.mark.usefixtures("documented")
@pytest.mark.slow
def test_the_package_lists_missing_attachments_as_missing(plan: Plan) -> None:
    """No contingency plan, milestone plan, budget, terms or central measurements uploaded."""
    data, entries = build_lbf_package(plan)
    rows = _manifest(data)
    missing = {r[1]: r for r in rows[1:] if r[4] == "mangler"}
    labels = {str(label) for kind, label in AttachmentKind.choices}
    for item in checklist(plan):
        if item.state == "missing" and item.kind != AttachmentKind.SUB_AGREEMENTS:
            row = next(r for what, r in missing.items() if what.endswith(item.label))
            assert row[0] == "" and row[5] == "" and row[6]
    assert "Ikke uploadet." in {r[6] for r in missing.values()}
    baseline = next(
        r for w, r in missing.items() if w.endswith(str(AttachmentKind.BASELINE_APPENDIX.label))
    )
    assert "centralt genererede målinger" in baseline[6]
    # the sub-agreements not in force are named one by one
    assert "Ingen godkendt version er i kraft." in missing["Delaftale 5.1 Tryghed og trivsel"]
    assert all(w.startswith("Delaftale") or any(w.endswith(lbl) for lbl in labels) for w in missing)
    assert {e.state for e in entries} == {"vedlagt"}
    assert len(rows) == 1 + len(entries) + len(missing)


def _write_later(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written two days later (the content, dated by ``date.today()``, is the same)."""
    later = time.time() + 2 * 86400
    clock = SimpleNamespace(time=lambda: later, localtime=time.localtime)
    monkeypatch.setattr(zipfile, "time", clock)  # ZIP entry times

    class Later(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Later:
            return cls.fromtimestamp(later, tz)

    import openpyxl.writer.excel

    stamps = SimpleNamespace(datetime=Later, timezone=timezone)
    monkeypatch.setattr(openpyxl.writer.excel, "datetime", stamps)  # XLSX "modified"


@pytest.mark.usefixtures("documented")
@pytest.mark.slow
def test_two_downloads_of_the_same_content_give_the_same_bytes(
    plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file in the package (PDF, DOCX, XLSX) and the ZIP itself are byte-stable."""
    first, first_entries = build_lbf_package(plan)
    _write_later(monkeypatch)
    second, second_entries = build_lbf_package(plan)
    assert first_entries == second_entries
    kinds = {e.path.rsplit(".", 1)[-1] for e in first_entries}
    assert {"pdf", "docx", "xlsx"} <= kinds
    archive, again = zipfile.ZipFile(io.BytesIO(first)), zipfile.ZipFile(io.BytesIO(second))
    for e in first_entries:
        assert archive.read(e.path) == again.read(e.path), e.path
    assert first == second
    assert {i.date_time for i in archive.infolist()} == {FIXED_ZIP_TIME}
    version = AgreementVersion.objects.get(plan=plan, number=1)
    assert version.in_force_from is not None
    docx = archive.read("01-aftale/strategisk-samarbejdsaftale-v1.docx")
    core = zipfile.ZipFile(io.BytesIO(docx)).read("docProps/core.xml").decode()
    assert core.count(f"{version.in_force_from.isoformat()}T00:00:00Z") == 2


@pytest.mark.usefixtures("documented")
def test_the_agreements_word_file_holds_the_org_chart_as_a_picture(plan: Plan) -> None:
    version = AgreementVersion.objects.get(plan=plan, number=1)
    data = render_docx(documents.agreement_document(version))
    docx = DocxDocument(io.BytesIO(data))
    assert len(docx.inline_shapes) == 1
    media = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("word/media")]
    assert len(media) == 1
    picture = zipfile.ZipFile(io.BytesIO(data)).read(media[0])
    assert picture.startswith(b"\x89PNG") and len(picture) > 20_000
    texts = [p.text for p in docx.paragraphs]
    chart_at = texts.index("Organisationsdiagram (bilag 1)")
    assert texts[chart_at - 1] == ""  # the picture's paragraph, right above its caption


@pytest.mark.usefixtures("documented")
def test_org_chart_and_activity_scheme_are_generated_attachments(plan: Plan) -> None:
    items = {i.kind: i for i in checklist(plan)}
    assert items[AttachmentKind.ORG_CHART].state == "complete"
    assert items[AttachmentKind.ORG_CHART].generated[0].build().startswith(b"%PDF")
    assert items[AttachmentKind.ACTIVITY_SCHEME].state == "complete"
    assert items[AttachmentKind.ACTIVITY_SCHEME].generated[0].build().startswith(b"PK")


@pytest.mark.usefixtures("documented")
def test_sub_agreement_lists_its_activities_and_the_agreement_shows_the_chart(plan: Plan) -> None:
    from helhedsplan.agreements.models import SubAgreementVersion

    sub = SubAgreementVersion.objects.get(focus_area__plan=plan, focus_area__code="5.2")
    text = _docx_text(render_docx(documents.sub_agreement_document(sub)))
    assert "Tryghedsvandringer" in text and "Fritidsjobindsats" in text
    version = AgreementVersion.objects.get(plan=plan, number=1)
    html = __import__("helhedsplan.reports.render", fromlist=["render_html"]).render_html(
        documents.agreement_document(version)
    )
    assert "<svg" in html and "Bestyrelse" in html
