"""The status report's vision section and its "Centralt genererede målinger": in the
snapshot, on the page and in the documents; an older snapshot without them still renders;
LBF's released copy hides small numerators."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from docx import Document as DocxDocument

from helhedsplan.plans.models import Plan
from helhedsplan.reports.exporters import export_url
from helhedsplan.statusreports import services
from helhedsplan.statusreports.document import status_document
from helhedsplan.statusreports.models import StatusReport
from tests import factories as f
from tests.lists.vision_builders import put
from tests.statusreports.builders import issued, report_plan

pytestmark = pytest.mark.django_db


def national_plan() -> Plan:
    """The status report plan (2018 H2) with the lists for 2017-2018 and the convicted share
    for 2017 and 2018: 3 of Nordparken's 900 adults in 2018 (a small numerator), one
    suppressed by the source for Sydparken in 2017."""
    plan = report_plan()
    nord, syd = plan.areas.get(slug="nord"), plan.areas.get(slug="syd")
    on = {"beboere": 1500, "uden_arbejde_uddannelse_pct": 45, "kun_grundskole_pct": 65,
          "indkomst_pct_region": 60, "ikke_vestlige_pct": 40}  # fmt: skip
    for year in (2017, 2018):
        put(nord, year, on)
        put(syd, year, {**on, "uden_arbejde_uddannelse_pct": 30})
    f.ListThresholdFactory(list_year=2018, value=Decimal("0.66"))
    convicted = f.indicator("doemte_pct")
    f.CentralMeasurementFactory(area=nord, indicator=convicted, year=2017, value=Decimal("1.2"),
                                numerator=11, denominator=900)  # fmt: skip
    f.CentralMeasurementFactory(area=nord, indicator=convicted, year=2018,
                                value=Decimal("0.3333"), numerator=3, denominator=900)  # fmt: skip
    f.CentralMeasurementFactory(area=syd, indicator=convicted, year=2017, value=None,
                                suppressed=True)  # fmt: skip
    f.CentralMeasurementFactory(area=syd, indicator=convicted, year=2018, value=Decimal("1.5"),
                                numerator=20, denominator=1300)  # fmt: skip
    f.ListVisionFactory(plan=plan, after_year=2025, text="Ingen områder på listen efter 2025.",
                        source="Strategisk samarbejdsaftale § 1")  # fmt: skip
    return plan


def test_the_snapshot_holds_the_vision_and_the_central_measurements() -> None:
    report = issued(national_plan())
    vision = report.snapshot["vision"]
    assert vision["vision"]["after_year"] == 2025 and vision["years"] == [2017, 2018]
    nord = next(a for a in vision["areas"] if a["slug"] == "nord")
    assert nord["now"]["state"] == "on" and nord["now"]["categories"] == ["udsat"]
    assert nord["on_track"] is False
    section = report.snapshot["central_measurements"]
    assert (section["year"], section["year_before"]) == (2018, 2017)
    convicted = next(i for i in section["indicators"] if i["code"] == "doemte_pct")
    rows = {r["slug"]: r for r in convicted["rows"]}
    assert rows["nord"]["before"]["value"] == "1.2" and rows["nord"]["now"]["numerator"] == "3"
    assert rows["nord"]["change"] == "-0.8667" and rows["nord"]["trend"] == "better"
    assert rows["syd"]["before"]["suppressed"] is True and rows["syd"]["trend"] is None


def test_a_report_only_reads_the_lists_published_by_its_end() -> None:
    plan = national_plan()
    report = issued(plan, (date(2018, 1, 1), date(2018, 6, 30)))
    assert report.snapshot["vision"]["years"] == [2017]


def _docx(client: Client, plan: Plan, report: StatusReport) -> list[list[str]]:
    response = client.get(export_url(plan, "statusrapport", "docx", rapport=report.pk))
    assert response.status_code == 200
    document = DocxDocument(io.BytesIO(response.content))
    return [[c.text for c in row.cells] for t in document.tables for row in t.rows]


def test_the_page_and_documents_show_both_sections_and_lbf_sees_no_small_numerator() -> None:
    plan = national_plan()
    report = issued(plan)
    services.status_report_share_with_lbf(report=report, actor=None)
    secretariat, lbf = Client(), Client()
    secretariat.force_login(f.persona(plan, "secretariat"))
    lbf.force_login(f.persona(plan, "lbf"))

    page = secretariat.get(report.get_absolute_url()).content.decode()
    assert "Centralt genererede målinger" in page and "Visionen og regeringens lister" in page
    assert "diskretioneret" in page and "politiets liste" in page

    def nord_convicted(rows: list[list[str]]) -> list[str]:
        return next(r for r in rows if r[0] == "Nordparken" and len(r) == 9 and "900" in r)

    own = nord_convicted(_docx(secretariat, plan, report))
    assert own[1:8] == ["1,2\u00a0%", "11", "900", "0,3333\u00a0%", "3", "900",
                        "-0,8667\u00a0point"]  # fmt: skip
    assert own[8] == "bedre"
    released = nord_convicted(_docx(lbf, plan, report))
    # The small numerator is "<5", and the rate and the change worked out from it "x".
    assert released[4:8] == ["x", "<5", "900", "x"]
    assert released[1:4] == ["1,2\u00a0%", "11", "900"]
    lbf_page = lbf.get(report.get_absolute_url()).content.decode()
    assert "&lt;5" in lbf_page and "0,3333" not in lbf_page


def test_an_older_snapshot_without_the_sections_still_renders() -> None:
    report = issued(national_plan())
    old = {k: v for k, v in report.snapshot.items() if k not in ("vision", "central_measurements")}
    old["format"] = 1
    document = status_document(old, title="Gammel", version=1)
    headings = [getattr(b, "text", "") for b in document.blocks]
    assert "Centralt genererede målinger" not in headings
    assert "Visionen og regeringens lister" not in headings
    StatusReport.objects.filter(pk=report.pk).update(snapshot=old)
    client = Client()
    client.force_login(f.persona(report.plan, "board"))
    assert client.get(report.get_absolute_url()).status_code == 200
    assert _docx(client, report.plan, report)
