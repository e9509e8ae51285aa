"""The accounts XLSX: imported through the plan's column mapping, all or nothing, with a
Danish row/column message for each problem; the export reads back as it is."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from helhedsplan.audit.models import AuditEntry
from helhedsplan.reports import render
from helhedsplan.spending import services
from helhedsplan.spending.accounts_file import accounts_rows, spending_import
from helhedsplan.spending.models import ActualSpending
from tests.files.samples import pdf_bytes, upload
from tests.spending.conftest import Money

pytestmark = pytest.mark.django_db
D = Decimal
HEADER = ["Budgetpost", "År", "Finansieringskilde", "Forbrug (kr.)"]


def xlsx(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import(money: Money, data: bytes, name: str = "regnskab.xlsx") -> Any:
    return spending_import(plan=money.plan, file=data, file_name=name)


def _messages(money: Money, data: bytes) -> list[str]:
    before = (ActualSpending.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as exc:
        _import(money, data)
    assert (ActualSpending.objects.count(), AuditEntry.objects.count()) == before
    return exc.value.messages


def test_import_creates_and_updates_and_is_audited(money: Money) -> None:
    data = xlsx([
        ["Projektleder", 2018, "Landsbyggefonden", "1.250,50"],
        ["Aktiviteter 5.1", 2018, "Kommunen", 40000],
        ["projektleder", 2019, "landsbyggefonden", 310000.25],
    ])  # fmt: skip
    result = _import(money, data)
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert ActualSpending.objects.get(line=money.activities, year=2018).amount == D(40000)
    assert ActualSpending.objects.get(line=money.staff, year=2018).amount == D("1250.50")
    assert ActualSpending.objects.get(line=money.staff, year=2019).amount == D("310000.25")
    again = _import(money, xlsx([["Projektleder", 2018, "Landsbyggefonden", "2.000"]]))
    assert (again.created, again.updated, again.unchanged) == (0, 1, 0)
    entry = AuditEntry.objects.filter(event="spending.imported").latest("timestamp")
    assert entry.changes["changed"] == 1


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (["Husleje", 2018, "Landsbyggefonden", 10],
         "Række 2, kolonne 'Budgetpost': planen har ingen budgetpost 'Husleje'"),
        (["Projektleder", 2018, "Fonden", 10],
         "Række 2, kolonne 'Finansieringskilde': planen har ingen finansieringskilde 'Fonden'"),
        (["Projektleder", 2023, "Landsbyggefonden", 10],
         "Række 2, kolonne 'År': 2023 ligger uden for planens periode (2018-2021)."),
        (["Projektleder", 2018, "Landsbyggefonden", "-1.250,50"],
         "Række 2, kolonne 'Forbrug (kr.)': forbruget må ikke være negativt (-1.250,50)"),
        (["Projektleder", 2018, "Landsbyggefonden", "12.5"],
         "Række 2, kolonne 'Forbrug (kr.)': '12.5' er ikke et tal: skriv decimaler med komma"),
        (["Projektleder", "atten", "Landsbyggefonden", 10],
         "Række 2, kolonne 'År': 'atten' er ikke et årstal"),
    ],
)  # fmt: skip
def test_bad_rows_are_refused_and_nothing_written(
    money: Money, row: list[Any], expected: str
) -> None:
    good = ["Aktiviteter 5.1", 2018, "Kommunen", 100]
    messages = _messages(money, xlsx([good, row]))
    assert any(m.startswith(expected.replace("Række 2", "Række 3")) for m in messages), messages


def test_an_unmapped_or_missing_column_is_refused(money: Money) -> None:
    extra = _messages(money, xlsx([["Projektleder", 2018, "Kommunen", 1, "x"]], [*HEADER, "Note"]))
    assert any("ukendt kolonne 'Note'" in m for m in extra), extra
    missing = _messages(
        money, xlsx([["Projektleder", 2018, 1]], ["Budgetpost", "År", "Forbrug (kr.)"])
    )
    assert any("mangler kolonnen/kolonnerne 'Finansieringskilde'" in m for m in missing), missing


def test_a_duplicate_row_is_refused(money: Money) -> None:
    row = ["Projektleder", 2018, "Kommunen", 1]
    messages = _messages(money, xlsx([row, row]))
    assert any("står også i række 2" in m for m in messages), messages


def test_a_closed_year_is_not_imported(money: Money) -> None:
    services.accounts_close(
        plan=money.plan, year=2018, statement=upload("e.pdf", pdf_bytes()), today=date(2019, 5, 1)
    )
    messages = _messages(money, xlsx([["Projektleder", 2018, "Kommunen", 1]]))
    assert messages[0].startswith("Række 2, kolonne 'År': regnskabet for 2018 er godkendt")


def test_a_non_default_mapping_is_read_and_the_default_refused(money: Money) -> None:
    columns = {"line": "Konto", "year": "Regnskabsår", "source": "Finansiering", "amount": "Kr."}
    services.accounts_columns_update(plan=money.plan, columns=columns)
    header = ["Kr.", "Konto", "Finansiering", "Regnskabsår"]  # any order
    result = _import(money, xlsx([["1.000,00", "Projektleder", "Kommunen", 2020]], header))
    assert result.created == 1
    assert ActualSpending.objects.get(year=2020).amount == D(1000)
    messages = _messages(money, xlsx([["Projektleder", 2018, "Kommunen", 1]]))
    assert any("ukendt kolonne 'Budgetpost'" in m for m in messages), messages


def test_the_export_reads_back(money: Money) -> None:
    columns = {"line": "Konto", "year": "Regnskabsår", "source": "Finansiering", "amount": "Kr."}
    services.accounts_columns_update(plan=money.plan, columns=columns)
    services.spending_amounts_set(
        plan=money.plan, year=2018,
        cells={(money.staff.pk, money.lbf.pk): D("1250.50"),
               (money.activities.pk, money.local.pk): D(60000)},
    )  # fmt: skip
    data = render.render_xlsx(accounts_rows(money.plan, 2018))
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Konto", "Regnskabsår", "Finansiering", "Kr."]
    assert "Afvigelse (kr.)" in header
    rows = {(r[0], r[2]): r for r in sheet.iter_rows(min_row=2, values_only=True)}
    # Activities from Kommunen: budget 50.000, spent 60.000, variance +10.000 (20 %).
    assert rows[("Aktiviteter 5.1", "Kommunen")][4:] == (50000, 0, 60000, 10000, 20)
    assert rows[("Projektleder", "Kommunen")][3] is None  # budget only: nothing registered
    ActualSpending.objects.all().delete()
    result = _import(money, data)
    assert (result.created, result.updated) == (2, 0)
    assert ActualSpending.objects.get(line=money.staff).amount == D("1250.50")
    csv = render.render_csv(accounts_rows(money.plan, 2018))
    assert _import(money, csv, "regnskab.csv").unchanged == 2
