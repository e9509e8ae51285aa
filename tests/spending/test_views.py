"""The accounts pages per role: who reads, who registers, imports, closes and corrects, who
downloads the auditor's statement and the export; the bad input shown in Danish."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from helhedsplan.audit.models import AuditEntry
from helhedsplan.duties.lists import all_items
from helhedsplan.reports.exporters import export_url
from helhedsplan.spending import services
from helhedsplan.spending.models import AccountsClosing, ActualSpending, SpendingCorrection
from tests import factories as f
from tests.accounts.test_permission_matrix import ROLES
from tests.files.samples import docx_bytes, pdf_bytes, upload
from tests.forms_in_pages import submit
from tests.spending.conftest import Money
from tests.spending.test_import import xlsx

pytestmark = pytest.mark.django_db
D = Decimal
Clients = Callable[[str], Client]
READERS = {"secretariat", "coordinator", "municipal", "board", "auditor"}


def _url(money: Money, name: str, **kwargs: object) -> str:
    return reverse(f"spending:{name}", kwargs={"slug": money.plan.slug, **kwargs})


def _close(money: Money, year: int = 2018) -> AccountsClosing:
    return services.accounts_close(
        plan=money.plan, year=year, statement=upload("erklaering.pdf", pdf_bytes()),
        today=date(2019, 5, 1),
    )  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_and_who_writes(money: Money, factory_client_for: Clients, role: str) -> None:
    client = factory_client_for(role)
    page = client.get(_url(money, "accounts"))
    assert page.status_code == (200 if role in READERS else 403)
    writer = role == "secretariat"
    for name in ("edit", "close", "correction_add"):
        assert client.get(_url(money, name, year=2018)).status_code == (200 if writer else 403)
    assert client.get(_url(money, "import")).status_code == (200 if writer else 403)
    if role in READERS:
        text = page.content.decode()
        assert ("Registrér forbrug" in text) is writer
        assert ("Godkend regnskabet" in text) is writer


def test_secretariat_registers_danish_amounts(money: Money, factory_client_for: Clients) -> None:
    client = factory_client_for("secretariat")
    field = f"amount_{money.staff.pk}_{money.lbf.pk}"
    response = submit(client, _url(money, "edit", year=2018), {field: "1.250,50"})
    assert response.status_code == 302
    assert ActualSpending.objects.get().amount == D("1250.50")
    page = client.get(response["Location"]).content.decode()
    assert "1.250,50" in page and "Forbruget for 2018 er gemt" in page


def test_a_negative_amount_is_shown_in_danish(money: Money, factory_client_for: Clients) -> None:
    client = factory_client_for("secretariat")
    field = f"amount_{money.staff.pk}_{money.lbf.pk}"
    response = submit(client, _url(money, "edit", year=2018), {field: "-5"})
    assert response.status_code == 200
    assert "Forbruget må ikke være negativt" in response.content.decode()
    assert not ActualSpending.objects.exists()
    response = submit(client, _url(money, "edit", year=2018), {field: "12.5"})
    assert "Skriv decimaler med komma" in response.content.decode()


def test_a_closed_year_is_read_only(money: Money, factory_client_for: Clients) -> None:
    services.spending_amounts_set(
        plan=money.plan, year=2018, cells={(money.staff.pk, money.lbf.pk): D(700)}
    )
    _close(money)
    client = factory_client_for("secretariat")
    page = client.get(_url(money, "edit", year=2018)).content.decode()
    assert 'data-testid="spending-readonly"' in page
    assert f'name="amount_{money.staff.pk}_{money.lbf.pk}"' not in page
    field = f"amount_{money.staff.pk}_{money.lbf.pk}"
    response = submit(client, _url(money, "edit", year=2018), {field: "800"})
    assert "Regnskabet for 2018 er godkendt" in response.content.decode()
    assert ActualSpending.objects.get().amount == D(700)


def test_closing_and_correcting_through_the_pages(
    money: Money, factory_client_for: Clients
) -> None:
    client = factory_client_for("secretariat")
    wrong = client.post(
        _url(money, "close", year=2018),
        {"statement": upload("e.docx", docx_bytes()), "confirm": "on"},
    )
    assert wrong.status_code == 200 and "PDF" in wrong.content.decode()
    assert not AccountsClosing.objects.exists()
    closed = client.post(
        _url(money, "close", year=2018),
        {"statement": upload("erklaering.pdf", pdf_bytes()), "confirm": "on", "note": "OK"},
    )
    assert closed.status_code == 302
    closing = AccountsClosing.objects.get()
    no_reason = client.post(
        _url(money, "correction_add", year=2018),
        {"line": money.staff.pk, "source": money.lbf.pk, "amount": "1.000", "reason": ""},
    )
    assert no_reason.status_code == 200 and not SpendingCorrection.objects.exists()
    response = client.post(
        _url(money, "correction_add", year=2018),
        {"line": money.staff.pk, "source": money.lbf.pk, "amount": "1.000,25",
         "reason": "Sen faktura"},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Sen faktura" in page and "1.000,25" in page
    assert "Revisors erklæring" in page and closing.auditor_statement.original_name in page


def test_a_correction_of_an_open_year_is_refused_on_the_page(
    money: Money, factory_client_for: Clients
) -> None:
    response = factory_client_for("secretariat").post(
        _url(money, "correction_add", year=2019),
        {"line": money.staff.pk, "source": money.lbf.pk, "amount": "1", "reason": "x"},
    )
    assert response.status_code == 200
    assert "er ikke godkendt" in response.content.decode()
    assert not SpendingCorrection.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_statement_is_downloaded_by_readers(
    money: Money, factory_client_for: Clients, role: str
) -> None:
    url = _url(money, "statement", year=2018)
    assert factory_client_for("secretariat").get(url).status_code == 404  # not closed yet
    _close(money)
    response = factory_client_for(role).get(url)
    assert response.status_code == (200 if role in READERS else 403)
    if role in READERS:
        assert response["Content-Type"] == "application/pdf"
        assert AuditEntry.objects.filter(event="file.downloaded").exists()


def test_the_import_page_refuses_in_danish(money: Money, factory_client_for: Clients) -> None:
    client = factory_client_for("secretariat")
    bad = xlsx([["Projektleder", 2018, "Landsbyggefonden", "-1"]])
    response = client.post(_url(money, "import"), {"file": upload("r.xlsx", bad)})
    assert response.status_code == 200
    assert "forbruget må ikke være negativt" in response.content.decode()
    good = xlsx([["Projektleder", 2018, "Landsbyggefonden", "1.250,50"]])
    response = client.post(_url(money, "import"), {"file": upload("r.xlsx", good)})
    assert response.status_code == 302 and ActualSpending.objects.get().amount == D("1250.50")


def test_the_columns_page_saves_the_mapping(money: Money, factory_client_for: Clients) -> None:
    client = factory_client_for("secretariat")
    data = {"col_line": "Konto", "col_year": "År", "col_source": "Kilde", "col_amount": "Kr."}
    assert submit(client, _url(money, "columns"), data).status_code == 302
    assert services.finance_settings_for(money.plan).accounts_columns["line"] == "Konto"
    response = submit(client, _url(money, "columns"), {**data, "col_year": "konto"})
    assert "To kolonner har samme overskrift" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_export_per_role(money: Money, factory_client_for: Clients, role: str) -> None:
    services.spending_amounts_set(
        plan=money.plan, year=2018, cells={(money.staff.pk, money.lbf.pk): D(700)}
    )
    response = factory_client_for(role).get(export_url(money.plan, "regnskab", "xlsx", aar=2018))
    assert response.status_code == (200 if role in READERS else 403)
    if role in READERS:
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        assert [c.value for c in sheet[1]][:4] == [
            "Budgetpost", "År", "Finansieringskilde", "Forbrug (kr.)"
        ]  # fmt: skip
        assert "regnskab-fabrik-2018.xlsx" in response["Content-Disposition"]


def test_unapproved_past_years_are_due(money: Money) -> None:
    from helhedsplan.accounts.access import get_plan_access
    from tests import factories as f

    def keys(role: str, today: date) -> list[tuple[str, date]]:
        access = get_plan_access(f.persona(money.plan, role), money.plan.slug)
        return [(i.key, i.deadline) for i in all_items(access, today) if i.kind == "accounts"]

    assert keys("secretariat", date(2020, 3, 1)) == [
        ("accounts:2018", date(2019, 6, 30)),
        ("accounts:2019", date(2020, 6, 30)),
    ]
    _close(money)
    assert keys("secretariat", date(2020, 3, 1)) == [("accounts:2019", date(2020, 6, 30))]
    assert keys("board", date(2020, 3, 1)) == []


def test_the_closed_year_says_who_approved_it_in_either_language(
    money: Money, factory_client_for: Clients
) -> None:
    closing = _close(money)
    closing.approved_by = f.UserFactory(first_name="Ane", last_name="Revisen")
    closing.save()
    client = factory_client_for("secretariat")
    page = client.get(_url(money, "accounts") + "?aar=2018").content.decode()
    assert "af Ane Revisen." in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(_url(money, "accounts") + "?aar=2018").content.decode()
    assert "by Ane Revisen." in page and "of Ane Revisen" not in page
