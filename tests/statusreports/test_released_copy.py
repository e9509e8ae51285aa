"""The issue's done-when on factories: the LBF user's copy of an issued status report shows
"<5" where participant counts are small (and "x" where a total would give one away), while
the secretariat's copy shows the real counts."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from docx import Document as DocxDocument

from helhedsplan.plans.models import Plan
from helhedsplan.reports.exporters import export_url
from helhedsplan.statusreports import services
from tests import factories as f
from tests.statusreports.builders import issued, report_plan

pytestmark = pytest.mark.django_db


def _docx_cells(plan: Plan, role: str, report_pk: int) -> list[list[str]]:
    client = Client()
    client.force_login(f.persona(plan, role))
    response = client.get(export_url(plan, "statusrapport", "docx", rapport=report_pk))
    assert response.status_code == 200
    document = DocxDocument(io.BytesIO(response.content))
    return [[cell.text for cell in row.cells] for t in document.tables for row in t.rows]


def _page(plan: Plan, role: str, url: str) -> str:
    client = Client()
    client.force_login(f.persona(plan, role))
    return client.get(url).content.decode()


def test_lbfs_copy_hides_small_participant_counts_and_the_secretariats_does_not() -> None:
    plan = report_plan()  # 3 girls and 4 boys aged 6-12 in August, 2 + 1 in November
    report = issued(plan)
    services.status_report_share_with_lbf(report=report, actor=None)

    lbf = _docx_cells(plan, "lbf", report.pk)
    secretariat = _docx_cells(plan, "secretariat", report.pk)
    lbf_text, secretariat_text = str(lbf), str(secretariat)
    assert "<5" in lbf_text and "'x'" in lbf_text
    assert "<5" not in secretariat_text
    # The secretariat's participant rows carry the real small counts the LBF copy hides.
    assert any(re.fullmatch(r"[1-4]", cell) for row in secretariat for cell in row)
    assert not any(re.fullmatch(r"[1-4]", cell) for row in lbf for cell in row[1:])

    # The page LBF reads is the released copy too; the secretariat's page marks what it hides.
    lbf_page = _page(plan, "lbf", report.get_absolute_url())
    assert "&lt;5" in lbf_page and "small-count" not in lbf_page


def test_lbfs_copy_hides_a_delivery_rate_that_would_give_a_small_count_away() -> None:
    """Delivered over planned: with the planned figure shown, a rate would let a reader work
    a hidden delivered count out again, so the released copy hides the rate with it."""
    plan = report_plan()  # four held sessions of Lektiecafé 0 in 2018 H2, 16 planned
    report = issued(plan)
    services.status_report_share_with_lbf(report=report, actor=None)
    lbf = [r for r in _docx_cells(plan, "lbf", report.pk) if r[:1] == ["Lektiecafé 0"]]
    secretariat = [
        r for r in _docx_cells(plan, "secretariat", report.pk) if r[:1] == ["Lektiecafé 0"]
    ]
    delivery = [r for r in secretariat if len(r) == 5]
    assert delivery and delivery[0][3] == "4" and delivery[0][4].endswith("%")
    released = next(r for r in lbf if len(r) == 5)
    assert released[3] == "<5" and released[4] == "x"
