"""The budget pages as each role sees them, and what the secretariat enters there."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from helhedsplan.finance import services
from helhedsplan.finance.models import BudgetAmount, BudgetLine, FundingSource, Party
from helhedsplan.plans.models import Plan
from tests import factories
from tests.files.samples import xlsx_from_rows
from tests.finance.budget_helpers import Budget, budget_plan
from tests.forms_in_pages import submit

pytestmark = pytest.mark.django_db

Clients = Callable[[str], Client]


@pytest.fixture
def b(plan: Plan) -> Budget:
    return budget_plan(plan)


def _url(b: Budget, name: str, **kw: object) -> str:
    return reverse(f"finance:{name}", kwargs={"slug": b.plan.slug, **kw})


def _cell(b: Budget, line: BudgetLine, source: FundingSource, year: int) -> str:
    return f"cell_{line.pk}_{source.pk}_{year}"


@pytest.mark.parametrize(
    ("role", "page", "edit"),
    [
        ("secretariat", 200, 200),
        ("coordinator", 200, 403),
        ("municipal", 200, 403),
        ("board", 200, 403),
        ("auditor", 200, 403),
        ("lbf", 403, 403),
        ("outsider", 404, 404),
        ("anonymous", 302, 302),
    ],
)
def test_who_reads_and_who_edits_the_budget(
    b: Budget, client_for: Clients, role: str, page: int, edit: int
) -> None:
    client = client_for(role)
    assert client.get(_url(b, "budget")).status_code == page
    for name in ("budget_edit", "budget_lines", "budget_import", "budget_settings"):
        assert client.get(_url(b, name)).status_code == edit, name
    assert client.get(_url(b, "budget_line_edit", pk=b.staff.pk)).status_code == edit


def test_an_empty_budget_says_the_split_is_not_entered(b: Budget, client_for: Clients) -> None:
    html = client_for("board").get(_url(b, "budget")).content.decode()
    assert "fordelingen på år og budgetposter er ikke indtastet" in html
    assert "Ret beløbene" not in html  # the board reads only
    assert "Budgettet fordeler 0 kr. af Landsbyggefondens 3.000\u00a0t.kr." in html


def test_the_secretariat_enters_amounts_the_danish_way(b: Budget, client_for: Clients) -> None:
    client = client_for("secretariat")
    data = {
        _cell(b, b.staff, b.lbf, 2018): "1.250,50",
        _cell(b, b.staff, b.local, 2018): "1250,5",
        _cell(b, b.activities, b.lbf, 2019): "1.000",
    }
    response = submit(client, _url(b, "budget_edit"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    amounts = sorted(
        BudgetAmount.objects.filter(line__plan=b.plan).values_list("amount", flat=True)
    )
    assert amounts == [Decimal("1000.00"), Decimal("1250.50"), Decimal("1250.50")]
    html = client.get(_url(b, "budget")).content.decode()
    assert "3.501,00" in html  # the whole period
    assert "Advarsel: under 25 % i 2019" in html  # 2019 is LBF's only
    assert "Budgettet fordeler 2.250,50 kr. af Landsbyggefondens 3.000\u00a0t.kr." in html


def test_a_negative_amount_is_refused_naming_the_cell(b: Budget, client_for: Clients) -> None:
    response = submit(client_for("secretariat"), _url(b, "budget_edit"),
                      {_cell(b, b.staff, b.local, 2020): "-5"})  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "Løn: koordinator, 2020, Kommunen: beløbet må ikke være negativt." in html
    assert "Kommunen: Løn: koordinator" not in html  # the cell is named once
    assert not BudgetAmount.objects.filter(line__plan=b.plan).exists()


def test_a_period_below_25_percent_is_refused_on_the_page(b: Budget, client_for: Clients) -> None:
    data = {_cell(b, b.staff, b.lbf, 2018): "900", _cell(b, b.staff, b.local, 2018): "100"}
    response = submit(client_for("secretariat"), _url(b, "budget_edit"), data)
    html = response.content.decode()
    assert response.status_code == 200 and "budgettet for hele perioden" in html
    assert "Intet er gemt" in html
    assert not BudgetAmount.objects.filter(line__plan=b.plan).exists()


def test_lines_are_created_moved_and_removed(b: Budget, client_for: Clients) -> None:
    client = client_for("secretariat")
    response = client.post(_url(b, "budget_lines"), {"kind": "evaluation", "name": "Evaluering"})
    assert response.status_code == 302
    line = BudgetLine.objects.get(plan=b.plan, name="Evaluering")
    client.post(_url(b, "budget_line_move", pk=line.pk), {"direction": "up"})
    names = list(BudgetLine.objects.filter(plan=b.plan).values_list("name", flat=True))
    assert names == ["Løn: koordinator", "Evaluering", "Aktiviteter 5.1"]
    response = client.post(_url(b, "budget_lines"), {"kind": "activities", "name": "Uden område"})
    assert "hører til et indsatsområde" in response.content.decode()
    services.budget_amounts_set(plan=b.plan, cells={(line.pk, b.local.pk, 2018): Decimal(1)})
    response = client.post(_url(b, "budget_line_remove", pk=line.pk))
    assert response.status_code == 200
    assert "kan ikke fjernes, fordi budgettet har beløb" in response.content.decode()
    response = submit(client, _url(b, "budget_line_edit", pk=line.pk),
                      {"kind": "evaluation", "name": "Evaluering og læring"})  # fmt: skip
    assert response.status_code == 302
    assert BudgetLine.objects.get(pk=line.pk).name == "Evaluering og læring"


def test_the_import_page_reports_each_row_and_writes_nothing(
    b: Budget, client_for: Clients
) -> None:
    header = ["Budgetpost", "År", "Finansieringskilde", "Beløb (kr.)"]
    bad = xlsx_from_rows([header, ["Ukendt post", 2018, "Kommunen", "5"]])
    response = client_for("secretariat").post(
        _url(b, "budget_import"), {"file": SimpleUploadedFile("budget.xlsx", bad)}
    )
    html = response.content.decode()
    assert "Intet er indlæst" in html and "Række 2, kolonne &#x27;Budgetpost&#x27;" in html
    good = xlsx_from_rows([header, ["Løn: koordinator", 2018, "Kommunen", "1.250,50"]])
    response = client_for("secretariat").post(
        _url(b, "budget_import"), {"file": SimpleUploadedFile("budget.xlsx", good)}
    )
    assert response.status_code == 302
    assert BudgetAmount.objects.get(line__plan=b.plan).amount == Decimal("1250.50")


def test_the_column_headers_are_set_on_their_page(b: Budget, client_for: Clients) -> None:
    data = {"col_line": "Post", "col_year": "År", "col_source": "Kilde", "col_amount": "Kr."}
    response = submit(client_for("secretariat"), _url(b, "budget_settings"), data)
    assert response.status_code == 302
    assert services.finance_settings_for(b.plan).budget_columns["amount"] == "Kr."
    export = client_for("board").get(
        reverse("reports:export", kwargs={"slug": b.plan.slug, "exporter": "budget", "fmt": "xlsx"})
    )
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    assert next(sheet.iter_rows(values_only=True)) == ("Post", "År", "Kilde", "Kr.")


def test_the_funding_page_sets_who_pays(b: Budget, client_for: Clients) -> None:
    org = factories.HousingOrganisationFactory(name="Boligselskabet Nord")
    b.plan.housing_organisations.add(org)
    client = client_for("secretariat")
    html = client.get(_url(b, "funding_edit")).content.decode()
    assert f'href="/planer/{b.plan.slug}/budget/"' in html
    data = {
        f"amount_{b.lbf.pk}": "3.000",
        f"amount_{b.local.pk}": "1.000",
        f"party_{b.local.pk}": f"org:{org.pk}",
    }
    assert submit(client, _url(b, "funding_edit"), data).status_code == 302
    b.local.refresh_from_db()
    assert (b.local.party, b.local.housing_organisation) == (Party.HOUSING_ORGANISATION, org)
    response = client.post(
        _url(b, "funding_source_add"),
        {"add-kind": "local", "add-name": "Boligselskabet Nord, andel", "add-amount": "10",
         "add-party": f"org:{org.pk}"},
    )  # fmt: skip
    assert response.status_code == 302
    added = FundingSource.objects.get(plan=b.plan, name="Boligselskabet Nord, andel")
    assert added.housing_organisation == org


def test_the_budget_is_in_the_plan_menu(b: Budget, client_for: Clients) -> None:
    html = client_for("auditor").get(reverse("plans:overview", kwargs={"slug": b.plan.slug}))
    assert f'href="/planer/{b.plan.slug}/budget/"' in html.content.decode()
    html = client_for("lbf").get(reverse("plans:overview", kwargs={"slug": b.plan.slug}))
    assert f'href="/planer/{b.plan.slug}/budget/"' not in html.content.decode()


@pytest.mark.demo  # about the seed's content: its totals and no split
def test_the_demo_budget_has_the_seeds_totals_and_no_split(
    demo_plan: Plan, demo_client_for: Clients
) -> None:
    grid_url = reverse("finance:budget", kwargs={"slug": demo_plan.slug})
    html = demo_client_for("board").get(grid_url).content.decode()
    assert "Aftalen angiver kun de samlede beløb pr. finansieringskilde" in html
    assert "fordelingen på år og budgetposter er ikke indtastet" in html
    assert "Budgettet fordeler 0 kr. af Landsbyggefondens 25.000\u00a0t.kr." in html
    assert "19.450\u00a0t.kr." in html
    assert not BudgetAmount.objects.filter(line__plan=demo_plan).exists()
    lbf = FundingSource.objects.get(plan=demo_plan, kind="lbf")
    local = FundingSource.objects.get(plan=demo_plan, kind="local")
    assert (lbf.party, local.party) == (Party.LBF, Party.UNSPECIFIED)


def _page_queries(client: Client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_ask_the_same_queries_whatever_the_budget_holds(
    b: Budget, client_for: Clients
) -> None:
    client = client_for("secretariat")
    pages = [_url(b, "budget"), _url(b, "budget_edit"), _url(b, "budget_lines")]
    small = [_page_queries(client, url) for url in pages]
    for i in range(5):
        line = factories.BudgetLineFactory(
            plan=b.plan, name=f"Aktivitet {i}", kind="activities",
            focus_area=b.plan.focus_areas.first(),
        )  # fmt: skip
        for year in b.plan.years:
            factories.BudgetAmountFactory(line=line, source=b.local, year=year, amount=100)
    assert [_page_queries(client, url) for url in pages] == small
