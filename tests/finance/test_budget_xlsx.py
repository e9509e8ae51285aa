"""The budget as XLSX: a round trip in the plan's own column headers, every bad row named by
row and column with nothing written, the generated attachment."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from helhedsplan.agreements.attachments import checklist
from helhedsplan.audit.models import AuditEntry
from helhedsplan.finance import services
from helhedsplan.finance.budget_xlsx import budget_import
from helhedsplan.finance.exports import BudgetAttachment, BudgetExporter
from helhedsplan.finance.models import BudgetAmount
from tests.files.samples import xlsx_from_rows
from tests.finance.budget_helpers import Budget, budget_plan

pytestmark = pytest.mark.django_db

COLUMNS = {"line": "Post", "year": "Regnskabsår", "source": "Kilde", "amount": "Kroner"}
HEADER = ["Kilde", "Post", "Kroner", "Regnskabsår"]  # another order than the logical one


@pytest.fixture
def b() -> Budget:
    b = budget_plan()
    services.finance_settings_update(plan=b.plan, budget_columns=COLUMNS)
    return b


def _xlsx(rows: list[list[Any]], header: list[str] = HEADER) -> io.BytesIO:
    return io.BytesIO(xlsx_from_rows([header, *rows]))


def _cells(b: Budget) -> list[tuple[Any, ...]]:
    return sorted(
        BudgetAmount.objects.filter(line__plan=b.plan).values_list(
            "line__name", "source__name", "year", "amount"
        )
    )


def _errors(b: Budget, rows: list[list[Any]], header: list[str] = HEADER) -> list[tuple[str, str]]:
    before, audit = _cells(b), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as info:
        budget_import(plan=b.plan, file=_xlsx(rows, header))
    assert _cells(b) == before and AuditEntry.objects.count() == audit, "nothing written"
    return [(e.code or "", str(e.message)) for e in info.value.error_list]


GOOD = [
    ["Landsbyggefonden", "Løn: koordinator", "1.250,50", 2018],
    ["kommunen", "løn: koordinator", 1250.5, "2018"],
    ["Landsbyggefonden", "Aktiviteter 5.1", 2000, 2019],
]


def test_import_then_export_round_trips_in_the_plans_columns(b: Budget) -> None:
    change = budget_import(plan=b.plan, file=_xlsx(GOOD), file_name="budget.xlsx")
    assert change.created == 3
    assert _cells(b) == [
        ("Aktiviteter 5.1", "Landsbyggefonden", 2019, Decimal("2000.00")),
        ("Løn: koordinator", "Kommunen", 2018, Decimal("1250.50")),
        ("Løn: koordinator", "Landsbyggefonden", 2018, Decimal("1250.50")),
    ]
    entry = AuditEntry.objects.filter(event="budget.imported").get()
    assert entry.changes["file"] == "budget.xlsx" and entry.changes["created"] == 3
    data = BudgetExporter(b.plan).render("xlsx")
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Post", "Regnskabsår", "Kilde", "Kroner"]
    assert rows[1] == ["Løn: koordinator", 2018, "Landsbyggefonden", 1250.5]
    # The export read back changes nothing.
    again = budget_import(plan=b.plan, file=io.BytesIO(data))
    assert (again.created, again.changed, again.removed) == (0, 0, 0)


def test_an_empty_amount_removes_the_cell(b: Budget) -> None:
    budget_import(plan=b.plan, file=_xlsx(GOOD))
    budget_import(plan=b.plan, file=_xlsx([["Landsbyggefonden", "Aktiviteter 5.1", None, 2019]]))
    assert len(_cells(b)) == 2


def test_a_missing_or_unmapped_column_is_refused(b: Budget) -> None:
    # The default header "Beløb (kr.)" is not this plan's "Kroner".
    errors = _errors(b, [["Kommunen", "Løn: koordinator", 5, 2018]],
                     ["Kilde", "Post", "Beløb (kr.)", "Regnskabsår"])  # fmt: skip
    assert [code for code, _m in errors] == ["missing_header"]
    assert "'Kroner'" in errors[0][1] and "Række 1" in errors[0][1]


def test_each_bad_row_is_named_and_nothing_is_written(b: Budget) -> None:
    errors = _errors(
        b,
        [
            ["Kommunen", "Løn: koordinator", "100", 2018],  # good
            ["Kommunen", "Løn: direktør", "100", 2018],
            ["Banken", "Løn: koordinator", "100", 2018],
            ["Kommunen", "Løn: koordinator", "100", 2024],
            ["Kommunen", "Aktiviteter 5.1", "-1.250,50", 2019],
            ["kommunen", "LØN: KOORDINATOR", "7", 2018],
            ["Kommunen", "Aktiviteter 5.1", "12.5", 2019],
        ],
    )
    assert errors == [
        ("unknown_line", "Række 3, kolonne 'Post': planens budget har ingen post, der hedder "
                         "'Løn: direktør'. Opret posten under Budgetposter, eller ret navnet."),
        ("unknown_source", "Række 4, kolonne 'Kilde': planen har ingen finansieringskilde, der "
                           "hedder 'Banken'. Kendte kilder: Landsbyggefonden, Kommunen."),
        ("year_outside_period", "Række 5, kolonne 'Regnskabsår': 2024 ligger uden for planens "
                                "periode (2018-2021)."),
        ("negative_amount", "Række 6, kolonne 'Kroner': beløbet må ikke være negativt "
                            "(-1.250,50). Budgettet har kun beløb på 0 kr. eller derover."),
        ("duplicate_row", "Række 7, kolonne 'Post': Løn: koordinator, 2018, Kommunen står også "
                          "i række 2."),
        ("decimal_point", "Række 8, kolonne 'Kroner': '12.5' er ikke et tal: skriv decimaler "
                          "med komma (fx 30,65); punktum skiller tusinder (fx 44.450)."),
    ]  # fmt: skip


def test_an_import_breaking_the_period_rule_is_refused(b: Budget) -> None:
    errors = _errors(b, [["Landsbyggefonden", "Løn: koordinator", 900, 2018],
                         ["Kommunen", "Løn: koordinator", 100, 2018]])  # fmt: skip
    assert [code for code, _m in errors] == ["local_share_below_minimum"]


def test_a_file_that_is_not_xlsx_is_refused(b: Budget) -> None:
    with pytest.raises(ValidationError) as info:
        budget_import(plan=b.plan, file=io.BytesIO(b"Post;Kilde\nx;y\n"), file_name="b.csv")
    assert info.value.error_list[0].code in {"not_xlsx", "wrong_kind"}


def test_the_attachment_is_generated_only_when_the_budget_has_amounts(b: Budget) -> None:
    today = date(2019, 1, 1)
    assert BudgetAttachment.generated(b.plan, today) is None
    item = next(i for i in checklist(b.plan, today) if i.kind == "budget")
    assert item.is_missing and item.generated == []
    budget_import(plan=b.plan, file=_xlsx(GOOD))
    files = BudgetAttachment.generated(b.plan, today)
    assert files is not None and [f.filename for f in files] == [f"budget-{b.plan.slug}.xlsx"]
    book = load_workbook(io.BytesIO(files[0].build()))
    assert book.sheetnames == ["Budget", "Oversigt"]
    item = next(i for i in checklist(b.plan, today) if i.kind == "budget")
    assert item.state == "complete"
