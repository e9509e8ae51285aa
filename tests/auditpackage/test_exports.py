"""The audit package as PDF and XLSX, through the one download door, per role."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest
from django.test import Client
from openpyxl import load_workbook

from helhedsplan.accounts.models import User
from helhedsplan.audit.models import AuditEntry
from helhedsplan.auditpackage.exports import AuditPackageExporter
from helhedsplan.plans.models import Plan
from helhedsplan.reports.exporters import export_url
from tests.auditpackage.builders import year_of_everything

pytestmark = pytest.mark.django_db

SHEETS = [
    "Indhold", "1 Observationer", "2 Bestyrelsesmøder", "2 Vurderinger", "2 Beslutninger",
    "2 Statusrapporter", "3 Registreringer", "3 Evalueringer", "4 Budget og regnskab",
    "4 Rettelser", "4 Regnskabsafslutning", "5 Ændringer af mål",
]  # fmt: skip


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The PDF's text in the order it was drawn (a table cell's wrapped lines together),
    whitespace collapsed."""
    pdf = tmp_path / "pakke.pdf"
    pdf.write_bytes(data)
    out = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True)
    return " ".join(out.stdout.decode().split())


@pytest.fixture
def filled(factory_plan: Plan, persona: Callable[[str], User]) -> Plan:
    year_of_everything(factory_plan, persona)
    return factory_plan


def _get(client: Client, plan: Plan, fmt: str, **params: str) -> bytes:
    response = client.get(export_url(plan, "revisionspakke", fmt, **params))
    assert response.status_code == 200, response.status_code
    return response.content


def _sheet_rows(data: bytes, name: str) -> list[tuple[object, ...]]:
    book = load_workbook(io.BytesIO(data))
    sheet = book[name]
    rows = list(sheet.iter_rows(values_only=True))
    return rows


def test_the_xlsx_has_a_sheet_per_table_with_values_and_dates(
    filled: Plan, factory_client_for: Callable[[str], Client]
) -> None:
    data = _get(factory_client_for("secretariat"), filled, "xlsx", aar="2018")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == SHEETS
    header, *rows = _sheet_rows(data, "1 Observationer")
    assert header[:5] == ("Indsatsområde", "Kriterium", "Titel", "Måling", "Boligområde")
    approved = [r for r in rows if r[12] == "Godkendt"]
    assert len(approved) == 1
    row = dict(zip(header, approved[0], strict=True))
    assert (row["Kriterium"], row["Boligområde"], row["År"], row["Værdi"]) == (
        "5.1.1", "Nordparken", 2018, 21,
    )  # fmt: skip
    assert row["Godkendt af"] == "Test secretariat"
    assert isinstance(row["Godkendt"], datetime)
    header, *meetings = _sheet_rows(data, "2 Bestyrelsesmøder")
    assert meetings[0][0] == datetime(2018, 6, 1)  # a date cell (openpyxl reads it back so)
    header, *budget = _sheet_rows(data, "4 Budget og regnskab")
    assert budget[0][0] == "Koordinator 0" and budget[0][2] == 100000
    assert budget[-1][0] == "I alt"
    header, *trail = _sheet_rows(data, "5 Ændringer af mål")
    by_field = {r[5]: r for r in trail if r[8] == "Politiets nye opgørelse 0"}
    assert by_field["målværdi"][6:8] == ("20", "18")
    header, *registrations = _sheet_rows(data, "3 Registreringer")
    # The secretariat's own copy: the real counts.
    assert [r[5] for r in registrations] == [3, 12]


def test_the_auditor_gets_small_participant_counts_suppressed(
    filled: Plan, factory_client_for: Callable[[str], Client], tmp_path: Path
) -> None:
    auditor = factory_client_for("auditor")
    data = _get(auditor, filled, "xlsx", aar="2018")
    _legend, header, *registrations = _sheet_rows(data, "3 Registreringer")
    assert header[5] == "Deltagere"
    assert [r[5] for r in registrations] == ["<5", 12]
    # The PDF too.
    text = pdf_text(_get(auditor, filled, "pdf", aar="2018"), tmp_path)
    assert "<5" in text
    # The secretariat's copy for the auditor is the same.
    secretariat = factory_client_for("secretariat")
    external = _get(secretariat, filled, "xlsx", aar="2018", udgave="ekstern")
    assert [r[5] for r in _sheet_rows(external, "3 Registreringer")[-2:]] == ["<5", 12]


def test_the_pdf_has_the_cover_and_the_sections(
    filled: Plan, factory_client_for: Callable[[str], Client], tmp_path: Path
) -> None:
    data = _get(factory_client_for("auditor"), filled, "pdf", aar="2018")
    assert data.startswith(b"%PDF")
    text = pdf_text(data, tmp_path)
    assert "Revisionens dokumentation 2018" in text
    assert "Fabriksplan" in text
    assert "skal boligorganisationen over for revisionen dokumentere" in text
    for section in ("1. Succeskriterier og observationer", "2. Bestyrelsens opfølgning",
                    "3. Aktiviteter", "4. Budget og regnskab",
                    "5. Ændringer af mål og nulpunkter"):  # fmt: skip
        assert section in text
    assert "Test secretariat" in text
    assert "Politiets nye opgørelse 0" in text


def test_the_download_is_audited_with_its_year(
    filled: Plan, factory_client_for: Callable[[str], Client]
) -> None:
    _get(factory_client_for("auditor"), filled, "xlsx", aar="2018")
    entry = AuditEntry.objects.filter(plan_id=filled.pk, event="export.downloaded").latest("pk")
    assert entry.changes == {"exporter": "revisionspakke", "format": "xlsx", "period": "2018"}


@pytest.mark.parametrize("year", ["", "2017", "2022", "abc"])
def test_a_year_outside_the_plan_or_none_is_404(
    year: str, filled: Plan, factory_client_for: Callable[[str], Client]
) -> None:
    url = export_url(filled, "revisionspakke", "pdf", **({"aar": year} if year else {}))
    assert factory_client_for("auditor").get(url).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [("secretariat", 200), ("board", 200), ("auditor", 200), ("coordinator", 403),
     ("municipal", 403), ("lbf", 403), ("outsider", 404)],
)  # fmt: skip
def test_who_may_download(
    role: str, status: int, filled: Plan, factory_client_for: Callable[[str], Client]
) -> None:
    url = export_url(filled, "revisionspakke", "xlsx", aar="2018")
    assert factory_client_for(role).get(url).status_code == status


def test_a_year_not_yet_begun_is_not_offered(filled: Plan) -> None:
    exporter = AuditPackageExporter(filled, {"aar": "2019"}, today=date(2019, 2, 1))
    assert exporter.year == 2019
    with pytest.raises(Exception, match="aar"):
        AuditPackageExporter(filled, {"aar": "2020"}, today=date(2019, 2, 1))
