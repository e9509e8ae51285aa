"""Attachment 7 from the central measurements at the plan's start: missing without them,
*Komplet* with the start year's values (or the year before's), not with later years only;
the document renders, and the released copy has small numbers suppressed. Factory plans
(the plan starts in 2018)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from helhedsplan.agreements.attachments import checklist
from helhedsplan.agreements.models import AttachmentKind
from helhedsplan.measurements.exports import IDENTIFIER, BaselineExporter
from helhedsplan.plans.models import Plan
from helhedsplan.reports.document import Table
from helhedsplan.reports.exporters import export_url
from tests import factories

pytestmark = pytest.mark.django_db

Clients = Callable[[str], Client]


def _item(plan: Plan):  # type: ignore[no-untyped-def]
    return next(i for i in checklist(plan) if i.kind == AttachmentKind.BASELINE_APPENDIX)


def _value(plan: Plan, year: int, area: str = "nord", **kw: object) -> None:
    values = {"value": Decimal("2.5"), "numerator": 20, "denominator": 800, **kw}
    factories.CentralMeasurementFactory(
        area=plan.areas.get(slug=area), indicator=factories.indicator("doemte_pct"), year=year,
        **values,
    )  # fmt: skip


def test_missing_without_values_with_the_remark_linking_the_import(
    factory_plan: Plan, client_for: Clients
) -> None:
    item = _item(factory_plan)
    assert item.state == "missing" and not item.generated
    assert "endnu ikke indlæst" in item.remark
    page = client_for("secretariat").get(
        reverse("agreements:attachments", kwargs={"slug": factory_plan.slug})
    )
    assert reverse("measurements:import", kwargs={"slug": factory_plan.slug}) in (
        page.content.decode()
    )
    lbf = client_for("lbf").get(
        reverse("agreements:attachments", kwargs={"slug": factory_plan.slug})
    )
    assert reverse("measurements:import", kwargs={"slug": factory_plan.slug}) not in (
        lbf.content.decode()
    )


def test_complete_with_the_start_years_values(factory_plan: Plan) -> None:
    assert factory_plan.start_date.year == 2018
    _value(factory_plan, 2018)
    item = _item(factory_plan)
    assert item.state == "complete"
    assert {g.exporter for g in item.generated} == {IDENTIFIER}
    assert {g.filename for g in item.generated} == {
        "centrale-maalinger-fabrik-2018.pdf",
        "centrale-maalinger-fabrik-2018.xlsx",
    }


def test_complete_with_the_year_before_when_the_start_year_has_none(factory_plan: Plan) -> None:
    _value(factory_plan, 2017)
    _value(factory_plan, 2020)
    item = _item(factory_plan)
    assert item.state == "complete"
    assert {g.filename for g in item.generated} >= {"centrale-maalinger-fabrik-2017.pdf"}
    doc = BaselineExporter(factory_plan).output()
    assert "2017" in doc.subtitle
    assert any("startår 2018" in getattr(b, "text", "") for b in doc.blocks)


def test_not_complete_with_only_later_years(factory_plan: Plan) -> None:
    _value(factory_plan, 2019)
    _value(factory_plan, 2021)
    assert _item(factory_plan).state == "missing"


def test_the_document_holds_the_start_values_and_suppresses_small_numbers(
    factory_plan: Plan,
) -> None:
    _value(factory_plan, 2018)
    _value(factory_plan, 2018, area="syd", value=Decimal("0.25"), numerator=3, denominator=1200)
    factories.CentralMeasurementFactory(
        area=factory_plan.areas.get(slug="nord"), indicator=factories.indicator("beboere"),
        year=2018, value=812,
    )  # fmt: skip
    factories.CentralMeasurementFactory(
        area=factory_plan.areas.get(slug="nord"),
        indicator=factories.indicator("ikke_vestlige_pct"), year=2018, value=None,
        suppressed=True,
    )  # fmt: skip
    _value(factory_plan, 2019)  # not the start: not in the attachment
    exporter = BaselineExporter(factory_plan, today=date(2019, 1, 1))
    table = next(b for b in exporter.output().blocks if isinstance(b, Table))
    assert len(table.rows) == 4
    rows = {(r[0], r[1][:5]): r for r in table.rows}
    assert rows[("Nordparken", "Dømte")][3:6] == ("2,5\u00a0%", "20", "800")
    assert rows[("Sydparken", "Dømte")][3:6] == ("0,25\u00a0%", "3", "1.200")
    assert rows[("Nordparken", "Indva")][3] == "diskretioneret"
    # the copy that leaves (LBF, the package): the small numerator and its share hidden
    from helhedsplan.reports.suppression import release_document

    released = next(b for b in release_document(exporter.output()).blocks if isinstance(b, Table))
    syd = next(r for r in released.rows if r[0] == "Sydparken")
    assert syd[3:6] == ("x", "<5", "1.200")
    nord = next(r for r in released.rows if r[0] == "Nordparken" and r[1].startswith("Dømte"))
    assert nord[3:6] == ("2,5\u00a0%", "20", "800")


@pytest.mark.slow
def test_the_pdf_and_xlsx_render_and_lbf_downloads_the_released_copy(
    factory_plan: Plan, client_for: Clients
) -> None:
    _value(factory_plan, 2018, area="syd", value=Decimal("0.25"), numerator=3, denominator=1200)
    pdf = client_for("lbf").get(export_url(factory_plan, IDENTIFIER, "pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client_for("lbf").get(export_url(factory_plan, IDENTIFIER, "xlsx"))
    assert xlsx.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert sheet is not None
    cells = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert "<5" in cells and "3" not in cells


def test_the_download_answers_404_without_start_values(
    factory_plan: Plan, client_for: Clients
) -> None:
    _value(factory_plan, 2020)
    response = client_for("secretariat").get(export_url(factory_plan, IDENTIFIER, "pdf"))
    assert response.status_code == 404


def test_the_values_document_has_the_tables_and_charts_and_lbf_gets_it_released(
    factory_plan: Plan, client_for: Clients
) -> None:
    from helhedsplan.measurements.exports import VALUES_IDENTIFIER, trend_blocks
    from helhedsplan.reports.document import Image

    _value(factory_plan, 2018)
    _value(factory_plan, 2019, area="syd", value=Decimal("0.25"), numerator=3, denominator=1200)
    blocks = trend_blocks(factory_plan, released=False)
    table = next(b for b in blocks if isinstance(b, Table))
    assert table.header == ("Område", "2018", "2019")
    assert table.rows[1] == ("Sydparken", "–", "0,25\u00a0% (3/1.200)")
    assert len([b for b in blocks if isinstance(b, Image)]) == 2
    released = next(b for b in trend_blocks(factory_plan, released=True) if isinstance(b, Table))
    assert released.rows[1] == ("Sydparken", "–", "x (<5/1.200)")
    response = client_for("lbf").get(export_url(factory_plan, VALUES_IDENTIFIER, "xlsx"))
    assert response.status_code == 200
    assert "ekstern" in response["Content-Disposition"]
    internal = client_for("board").get(export_url(factory_plan, VALUES_IDENTIFIER, "xlsx"))
    assert "ekstern" not in internal["Content-Disposition"]


@pytest.mark.slow
def test_the_values_document_renders_with_its_charts(factory_plan: Plan) -> None:
    from helhedsplan.measurements.exports import MeasurementsExporter

    _value(factory_plan, 2018)
    _value(factory_plan, 2019)
    exporter = MeasurementsExporter(factory_plan)
    assert exporter.render("pdf").startswith(b"%PDF")
    assert exporter.render("docx").startswith(b"PK")
