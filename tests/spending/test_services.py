"""Registering, closing and correcting the accounts: each bad input refused in Danish with a
code and nothing written; a closed year is only corrected, with a reason in the trail."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from helhedsplan.audit.models import AuditEntry
from helhedsplan.finance.models import FinanceSettings
from helhedsplan.lib import concurrency
from helhedsplan.spending import services
from helhedsplan.spending.models import AccountsClosing, ActualSpending, SpendingCorrection
from helhedsplan.spending.selectors import spending_cells
from tests import factories as f
from tests.files.samples import docx_bytes, pdf_bytes, upload
from tests.spending.conftest import Money

pytestmark = pytest.mark.django_db
D = Decimal


def _set(
    money: Money, cells: Mapping[tuple[int, int], D | None], year: int = 2018, **kw: Any
) -> int:
    return services.spending_amounts_set(plan=money.plan, year=year, cells=cells, **kw)


def _close(money: Money, year: int = 2018) -> AccountsClosing:
    return services.accounts_close(
        plan=money.plan, year=year, statement=upload("erklaering.pdf", pdf_bytes()),
        today=date(2019, 5, 1),
    )  # fmt: skip


def _written() -> tuple[int, int, int]:
    return (ActualSpending.objects.count(), SpendingCorrection.objects.count(),
            AuditEntry.objects.count())  # fmt: skip


def test_amounts_are_set_changed_and_removed(money: Money) -> None:
    staff_lbf = (money.staff.pk, money.lbf.pk)
    staff_local = (money.staff.pk, money.local.pk)
    user = f.persona(money.plan, "secretariat")
    assert _set(money, {staff_lbf: D("1250.50"), staff_local: D(0)}, user=user) == 2
    row = ActualSpending.objects.get(line=money.staff, source=money.lbf, year=2018)
    assert row.amount == D("1250.50") and row.registered_by == user
    assert _set(money, {staff_lbf: D("1250.50")}) == 0  # unchanged: not written
    assert _set(money, {staff_lbf: D(2000), staff_local: None}) == 2
    assert list(ActualSpending.objects.values_list("amount", flat=True)) == [D(2000)]
    entry = AuditEntry.objects.filter(object_pk=str(row.pk)).latest("timestamp")
    assert entry.plan_id == money.plan.pk


@pytest.mark.parametrize(
    ("cells", "year", "code"),
    [
        ("negative", 2018, "negative_amount"),
        ("foreign", 2018, "unknown_cell"),
        ("ok", 2017, "year_outside_plan"),
        ("ok", 2022, "year_outside_plan"),
    ],
)
def test_bad_amounts_are_refused_and_nothing_written(
    money: Money, cells: str, year: int, code: str
) -> None:
    other = f.BudgetLineFactory()  # a line of another plan
    given = {
        "negative": {
            (money.staff.pk, money.lbf.pk): D(10),
            (money.staff.pk, money.local.pk): D(-1),
        },
        "foreign": {(other.pk, money.lbf.pk): D(10)},
        "ok": {(money.staff.pk, money.lbf.pk): D(10)},
    }[cells]
    before = _written()
    with pytest.raises(ValidationError) as exc:
        _set(money, given, year=year)
    assert exc.value.code == code
    assert "Intet er gemt" in exc.value.messages[0]
    assert _written() == before


def test_negative_message_is_danish_and_names_the_cell(money: Money) -> None:
    with pytest.raises(ValidationError) as exc:
        _set(money, {(money.staff.pk, money.local.pk): D("-1250.50")})
    assert exc.value.messages[0].startswith(
        "Forbruget for Projektleder, Kommunen må ikke være negativt (-1.250,50 kr.)"
    )


def test_a_stale_form_is_refused(money: Money) -> None:
    cell = (money.staff.pk, money.lbf.pk)
    opened = services.spending_version(spending_cells(money.plan, 2018).values())
    _set(money, {cell: D(100)})
    with pytest.raises(concurrency.StaleEdit):
        _set(money, {cell: D(200)}, version=opened)
    assert ActualSpending.objects.get().amount == D(100)
    fresh = services.spending_version(spending_cells(money.plan, 2018).values())
    assert _set(money, {cell: D(200)}, version=fresh) == 1


def test_a_closed_year_is_not_edited(money: Money) -> None:
    cell = (money.staff.pk, money.lbf.pk)
    _set(money, {cell: D(100)})
    _close(money)
    before = _written()
    with pytest.raises(ValidationError) as exc:
        _set(money, {cell: D(200)})
    assert exc.value.code == "year_closed"
    assert "godkendt" in exc.value.messages[0] and "rettelse" in exc.value.messages[0]
    assert _written() == before
    assert ActualSpending.objects.get().amount == D(100)


# --- closing -------------------------------------------------------------------------------


def test_closing_stores_the_statement_and_is_audited(money: Money) -> None:
    user = f.persona(money.plan, "secretariat")
    closing = services.accounts_close(
        plan=money.plan, year=2018, statement=upload("erklaering.pdf", pdf_bytes()),
        note="Uden forbehold", user=user, today=date(2019, 5, 1),
    )  # fmt: skip
    assert closing.auditor_statement.kind == "pdf"
    assert closing.approved_by == user
    assert services.is_closed(money.plan, 2018)
    assert AuditEntry.objects.filter(
        object_pk=str(closing.pk), content_type__model="accountsclosing"
    ).exists()


@pytest.mark.parametrize(
    ("year", "today", "statement", "code"),
    [
        (2019, date(2019, 12, 31), "pdf", "year_not_ended"),
        (2017, date(2019, 5, 1), "pdf", "year_outside_plan"),
        (2018, date(2019, 5, 1), "docx", "file_type_not_allowed"),
        (2018, date(2019, 5, 1), None, "statement_missing"),
    ],
)
def test_bad_closings_are_refused(
    money: Money, year: int, today: date, statement: str | None, code: str
) -> None:
    file = {"pdf": upload("e.pdf", pdf_bytes()), "docx": upload("e.docx", docx_bytes())}
    with pytest.raises(ValidationError) as exc:
        services.accounts_close(
            plan=money.plan, year=year, statement=file.get(statement or ""), today=today
        )
    codes = (
        [e.code for e in exc.value.error_list]
        if not hasattr(exc.value, "error_dict")
        else [e.code for errors in exc.value.error_dict.values() for e in errors]
    )
    assert code in codes
    assert not AccountsClosing.objects.exists()


def test_a_year_is_closed_once(money: Money) -> None:
    _close(money)
    with pytest.raises(ValidationError) as exc:
        _close(money)
    assert exc.value.code == "already_closed"


# --- corrections ---------------------------------------------------------------------------


def _correct(money: Money, amount: D, reason: str = "Fejlkonteret", year: int = 2018) -> object:
    return services.spending_correction_add(
        plan=money.plan, line=money.staff, source=money.lbf, year=year, amount=amount,
        reason=reason, user=f.persona(money.plan, "secretariat"),
    )  # fmt: skip


def test_a_correction_carries_its_reason_into_the_trail(money: Money) -> None:
    _set(money, {(money.staff.pk, money.lbf.pk): D(5000)})
    _close(money)
    correction = _correct(money, D("-1250.50"), "Faktura bogført to gange")
    assert isinstance(correction, SpendingCorrection)
    entry = AuditEntry.objects.get(
        object_pk=str(correction.pk), content_type__model="spendingcorrection"
    )
    assert entry.reason == "Faktura bogført to gange"
    assert correction.amount == D("-1250.50")


def test_correcting_an_open_year_is_refused(money: Money) -> None:
    with pytest.raises(ValidationError) as exc:
        _correct(money, D(100))
    assert exc.value.code == "year_open"
    assert not SpendingCorrection.objects.exists()


@pytest.mark.parametrize(
    ("amount", "reason", "field", "code"),
    [
        (D(0), "Fejl", "amount", "zero_amount"),
        (D(10), "  ", "reason", "reason_required"),
        (D(-6000), "Fejl", "amount", "negative_result"),
    ],
)
def test_bad_corrections_are_refused(
    money: Money, amount: D, reason: str, field: str, code: str
) -> None:
    _set(money, {(money.staff.pk, money.lbf.pk): D(5000)})
    _close(money)
    f.persona(money.plan, "secretariat")  # made before counting
    before = _written()
    with pytest.raises(ValidationError) as exc:
        _correct(money, amount, reason)
    assert [e.code for e in exc.value.error_dict[field]] == [code]
    assert _written() == before


def test_a_correction_of_another_plans_line_is_refused(money: Money) -> None:
    _close(money)
    with pytest.raises(ValidationError) as exc:
        services.spending_correction_add(
            plan=money.plan, line=f.BudgetLineFactory(), source=money.lbf, year=2018,
            amount=D(1), reason="x",
        )  # fmt: skip
    assert exc.value.code == "unknown_cell"


# --- the column mapping --------------------------------------------------------------------


def test_columns_are_made_on_first_use_and_checked(money: Money) -> None:
    plan = money.plan
    assert not FinanceSettings.objects.filter(plan=plan).exists()
    columns = {"line": "Post", "year": "Regnskabsår", "source": "Kilde", "amount": "Beløb"}
    settings = services.accounts_columns_update(plan=plan, columns=columns, version="new")
    assert settings.accounts_columns == columns
    with pytest.raises(concurrency.StaleEdit):
        services.accounts_columns_update(plan=plan, columns=columns, version="new")
    with pytest.raises(ValidationError) as exc:
        services.accounts_columns_update(plan=plan, columns={**columns, "year": "post"})
    assert exc.value.code == "duplicate_header"
    with pytest.raises(ValidationError) as exc:
        services.accounts_columns_update(plan=plan, columns={**columns, "year": " "})
    assert "col_year" in exc.value.error_dict
    FinanceSettings.objects.get(plan=plan).refresh_from_db()
    assert FinanceSettings.objects.get(plan=plan).accounts_columns == columns
