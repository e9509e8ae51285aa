"""LBF's national overview (/landsoversigt/): who may open it, which plans it spans, what
each row holds (only what is sent to LBF), sorting, filtering, the XLSX export of exactly the
rows shown, small-number suppression and the query count. Factory plans."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from helhedsplan.accounts.models import Role, User
from helhedsplan.finance.models import FundingSource
from helhedsplan.plans.models import Plan
from tests import factories

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("national:overview")
EXPORT = reverse("national:overview_export")


def snapshot(groups: dict[str, list[str]], participants: list[int]) -> dict[str, Any]:
    """A status report's snapshot as ``statusreports.snapshot.build`` shapes it: the
    scorecard's criteria per focus area with their status, and the period's participants
    (per registration row, girls of 13-17 in Nordparken)."""
    return {
        "format": 1,
        "year": 2018,
        "scorecard": {
            "year": 2018,
            "columns": [],
            "groups": [
                {
                    "focus_area": {"id": n, "code": code, "name": f"{code} Indsats"},
                    "rows": [{"code": f"{code}.{i}", "status": s} for i, s in enumerate(statuses)],
                }
                for n, (code, statuses) in enumerate(groups.items())
            ],
        },
        "participants": [
            {
                "activity_id": 1,
                "activity": "Lektiecafé",
                "area": "Nordparken",
                "total": n,
                "counts": {
                    f"{b}_{x}": n if (b, x) == ("13_17", "f") else 0 for b in BANDS for x in "fmx"
                },
            }
            for n in participants
        ],
    }


BANDS = ("0_5", "6_12", "13_17", "18_24", "25_64", "65")


def lbf_plan(
    user: User,
    *,
    name: str,
    lbf: int = 3000,
    local: int = 1000,
    shared: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Plan:
    """A small plan on which ``user`` holds LBF's role, with its funding and, if given, an
    issued status report sent to LBF with that snapshot."""
    plan = factories.small_plan(name=name, **kwargs)
    factories.PlanMembershipFactory(user=user, plan=plan, role=Role.LBF)
    factories.FundingSourceFactory(plan=plan, kind=FundingSource.Kind.LBF, amount_tkr=lbf)
    factories.FundingSourceFactory(plan=plan, kind=FundingSource.Kind.LOCAL, amount_tkr=local)
    if shared is not None:
        factories.StatusReportFactory(plan=plan, snapshot=shared, shared_with_lbf_at=timezone.now())
    return plan


@pytest.fixture
def lbf_user() -> User:
    return factories.UserFactory(username="lbf-national")


@pytest.fixture
def lbf(lbf_user: User) -> Client:
    client = Client()
    client.force_login(lbf_user)
    return client


def plan_names(response: Any) -> list[str]:
    return [r.plan.name for r in response.context["rows"]]


# --- who may open it -----------------------------------------------------------------------


def test_lbf_on_some_plan_opens_it_others_get_403_anonymous_the_login(
    lbf: Client, lbf_user: User, persona: Callable[[str], User]
) -> None:
    lbf_plan(lbf_user, name="Nordby")
    assert lbf.get(OVERVIEW).status_code == 200
    assert lbf.get(EXPORT).status_code == 200
    secretariat = Client()
    secretariat.force_login(persona("secretariat"))  # a role, but not LBF's, on a plan
    assert secretariat.get(OVERVIEW).status_code == 403
    assert secretariat.get(EXPORT).status_code == 403
    for path in (OVERVIEW, EXPORT):
        response = Client().get(path)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_rows_span_only_the_plans_the_user_reads_as_lbf(
    lbf: Client, lbf_user: User, other_plan: Plan
) -> None:
    lbf_plan(lbf_user, name="Nordby")
    lbf_plan(lbf_user, name="Sydby")
    # A plan where the user is the secretariat, not LBF, and one where they have no role.
    secretariat_only = factories.small_plan(name="Vestby")
    factories.PlanMembershipFactory(user=lbf_user, plan=secretariat_only, role=Role.SECRETARIAT)
    response = lbf.get(OVERVIEW)
    assert plan_names(response) == ["Nordby", "Sydby"]
    page = response.content.decode()
    assert "Vestby" not in page and other_plan.name not in page


def test_the_top_bar_links_the_overview_for_lbf_users_only(
    lbf: Client, lbf_user: User, persona: Callable[[str], User]
) -> None:
    plan = lbf_plan(lbf_user, name="Nordby")
    lbf_plan(lbf_user, name="Sydby")
    assert OVERVIEW in lbf.get(reverse("home")).content.decode()  # two plans: the home page
    assert OVERVIEW in lbf.get(plan.get_absolute_url()).content.decode()  # a plan's page
    secretariat = Client()
    secretariat.force_login(persona("secretariat"))
    assert (
        OVERVIEW
        not in secretariat.get(
            persona("secretariat").memberships.get().plan.get_absolute_url()
        ).content.decode()
    )


# --- what a row holds ---------------------------------------------------------------------


def test_a_row_holds_what_lbf_reads_of_the_plan(lbf: Client, lbf_user: User) -> None:
    today = timezone.localdate()
    plan = lbf_plan(
        lbf_user,
        name="Nordby",
        lbf=3000,
        local=1000,
        shared=snapshot({"5.1": ["met", "met", "not_met", "no_data"], "5.2": ["partly"]}, [40, 2]),
    )
    factories.agreement_version(plan, "approved", in_force_from=date(2018, 1, 1))
    factories.agreement_version(plan, "submitted")
    fa = plan.focus_areas.get()
    factories.SubAgreementVersionFactory(
        focus_area=fa, status="approved", in_force_from=today - timedelta(days=800)
    )
    # A later report that is issued but not sent to LBF: LBF does not read it.
    factories.StatusReportFactory(
        plan=plan,
        version=2,
        period_start=date(2019, 1, 1),
        period_end=date(2019, 6, 30),
        snapshot=snapshot({"5.1": ["not_met"]}, [999]),
    )
    response = lbf.get(OVERVIEW)
    (row,) = response.context["rows"]
    assert (row.lbf_tkr, row.local_tkr, row.local_share) == (3000, 1000, 25)
    assert row.in_force.number == 1 and row.waiting == [2]
    assert (
        row.attachments_missing
        and row.attachments_complete + len(row.attachments_missing) == row.attachments_total
    )
    assert row.overdue_sub_agreements == ["5.1"]
    assert row.report.period_label == "2018, 2. halvår"
    assert [(s.code, s.met, s.not_met, s.no_data) for s in row.report.scores] == [
        ("5.1", 2, 1, 1),
        ("5.2", 0, 1, 0),
    ]
    assert row.participants_shown == "42"
    page = response.content.decode()
    for text in ("3.000", "1.000", "Version 1 godkendt", "1 version", row.attachments_missing[0]):
        assert text in page, text
    assert "999" not in page


def test_a_plan_without_a_report_sent_to_lbf_says_so(lbf: Client, lbf_user: User) -> None:
    plan = lbf_plan(lbf_user, name="Nordby")
    factories.StatusReportFactory(plan=plan, snapshot=snapshot({"5.1": ["met"]}, [10]))
    response = lbf.get(OVERVIEW)
    (row,) = response.context["rows"]
    assert row.report is None and row.participants_shown is None
    assert "ingen statusrapport sendt" in response.content.decode()


def test_small_counts_of_people_are_suppressed_for_lbf(lbf: Client, lbf_user: User) -> None:
    lbf_plan(lbf_user, name="Nordby", shared=snapshot({"5.1": ["met"]}, [2, 1]))
    lbf_plan(lbf_user, name="Sydby", shared=snapshot({"5.1": ["met"]}, [0]))
    response = lbf.get(OVERVIEW)
    shown = {r.plan.name: r.participants_shown for r in response.context["rows"]}
    assert shown == {"Nordby": "<5", "Sydby": "0"}  # 0 names no one: shown
    page = response.content.decode()
    assert "Deltagere i perioden: &lt;5" in page
    book = load_workbook(io.BytesIO(lbf.get(EXPORT).content))
    sheet = book.active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in values if r[0] == "Plan")
    column = header.index("Deltagere i rapportens periode")
    body = values[values.index(header) + 1 :]
    assert [r[column] for r in body] == ["<5", 0]
    assert any("<5: færre end 5" in str(r[0]) for r in values[: values.index(header)])


def test_the_participants_are_the_released_reports_total(lbf: Client, lbf_user: User) -> None:
    """The overview shows the total the report's own table of participants by area shows in
    LBF's released copy (by age band and sex), not a sum of its own."""
    from helhedsplan.reports.document import Document, Table
    from helhedsplan.reports.suppression import release_document
    from helhedsplan.statusreports.document import participants_by_area

    shared = snapshot({"5.1": ["met"]}, [3])
    shared["participants"][0]["total"] = 50  # registered as 50, three by age and sex
    lbf_plan(lbf_user, name="Nordby", shared=shared)
    (row,) = lbf.get(OVERVIEW).context["rows"]
    released = release_document(Document("", blocks=[participants_by_area(shared)]))
    table = released.blocks[0]
    assert isinstance(table, Table) and table.footer is not None
    assert row.participants_shown == table.footer[-1] == "<5"


# --- sorting and filtering ----------------------------------------------------------------


def _three(user: User) -> None:
    north = factories.MunicipalityFactory(name="Nordby Kommune")
    south = factories.MunicipalityFactory(name="Sydby Kommune")
    a = lbf_plan(user, name="Anemone", lbf=2000, municipality=south)
    lbf_plan(user, name="Birk", lbf=5000, municipality=north, framework="2019-26")
    lbf_plan(
        user, name="Cedertræ", lbf=1000, municipality=north, status=Plan.Status.DRAFT,
        shared=snapshot({"5.1": ["met"]}, [10]),
    )  # fmt: skip
    factories.agreement_version(a, "submitted")


def test_sorting_by_a_column_both_ways_with_aria_sort(lbf: Client, lbf_user: User) -> None:
    _three(lbf_user)
    assert plan_names(lbf.get(OVERVIEW)) == ["Anemone", "Birk", "Cedertræ"]
    response = lbf.get(OVERVIEW, {"sort": "lbf"})
    assert plan_names(response) == ["Cedertræ", "Anemone", "Birk"]
    page = response.content.decode()
    assert re.search(r'<th scope="col" aria-sort="ascending"[^>]*><a href="\?sort=-lbf"', page)
    assert page.count("aria-sort=") == 1
    response = lbf.get(OVERVIEW, {"sort": "-lbf"})
    assert plan_names(response) == ["Birk", "Anemone", "Cedertræ"]
    page = response.content.decode()
    assert re.search(r'<th scope="col" aria-sort="descending"[^>]*><a href="\?sort=lbf"', page)
    # Rows without a value sort last, either way; an unknown key sorts by plan.
    assert plan_names(lbf.get(OVERVIEW, {"sort": "-rapport"}))[0] == "Cedertræ"
    assert plan_names(lbf.get(OVERVIEW, {"sort": "rapport"}))[0] == "Cedertræ"
    assert plan_names(lbf.get(OVERVIEW, {"sort": "findes-ikke"})) == ["Anemone", "Birk", "Cedertræ"]


def test_the_sort_links_keep_the_filters(lbf: Client, lbf_user: User) -> None:
    _three(lbf_user)
    page = lbf.get(OVERVIEW, {"ramme": "2015-18"}).content.decode()
    assert 'href="?ramme=2015-18&amp;sort=kommune"' in page


def test_filters(lbf: Client, lbf_user: User) -> None:
    _three(lbf_user)
    north = factories.MunicipalityFactory(name="Nordby Kommune")
    assert plan_names(lbf.get(OVERVIEW, {"kommune": north.pk})) == ["Birk", "Cedertræ"]
    assert plan_names(lbf.get(OVERVIEW, {"ramme": "2019-26"})) == ["Birk"]
    assert plan_names(lbf.get(OVERVIEW, {"status": "draft"})) == ["Cedertræ"]
    assert plan_names(lbf.get(OVERVIEW, {"venter": "on"})) == ["Anemone"]
    assert plan_names(lbf.get(OVERVIEW, {"mangler": "on"})) == ["Anemone", "Birk", "Cedertræ"]
    assert plan_names(lbf.get(OVERVIEW, {"kommune": north.pk, "status": "active"})) == ["Birk"]
    # A value that is not a choice is an error on its field and filters nothing.
    response = lbf.get(OVERVIEW, {"ramme": "1999", "status": "draft"})
    assert plan_names(response) == ["Cedertræ"]
    assert response.context["form"].errors["ramme"]


GHETTO_2018 = {
    "beboere": 1500,
    "ikke_vestlige_pct": 60,
    "uden_arbejde_uddannelse_pct": 45,
    "doemte_pct": Decimal("0.5"),
    "kun_grundskole_pct": 20,
    "indkomst_pct_region": 50,
}


def _measure(area: Any, year: int, values: dict[str, Any]) -> None:
    for code, value in values.items():
        factories.CentralMeasurementFactory(
            area=area, indicator=factories.indicator(code), year=year, value=value
        )


def test_the_list_status_per_area_and_the_list_filter(lbf: Client, lbf_user: User) -> None:
    """Per area its categories in the latest list year with data (lists.selectors), "ikke
    på listen" or "kan ikke afgøres"; the filter keeps the plans with an area on a list."""
    _three(lbf_user)
    birk = Plan.objects.get(name="Birk")
    factories.ListThresholdFactory(list_year=2018, value=Decimal("0.66"))
    _measure(birk.areas.get(slug="nord"), 2017, {"beboere": 1500})
    _measure(birk.areas.get(slug="nord"), 2018, GHETTO_2018)
    _measure(birk.areas.get(slug="syd"), 2018, {"beboere": 1500})  # the rest is missing
    anemone = Plan.objects.get(name="Anemone")
    _measure(anemone.areas.get(slug="nord"), 2018, {**GHETTO_2018, "beboere": 800})
    response = lbf.get(OVERVIEW)
    by_plan = {r.plan.name: r for r in response.context["rows"]}
    nord, syd = by_plan["Birk"].areas
    assert (nord.year, nord.on_list, nord.categories[:2]) == (
        2018, True, ("Udsat boligområde", "Ghettoområde"),
    )  # fmt: skip
    assert (syd.on_list, syd.label) == (None, "kan ikke afgøres")
    assert by_plan["Anemone"].areas[0].label == "ikke på listen"  # 800 residents
    assert {a.label for a in by_plan["Cedertræ"].areas} == {"kan ikke afgøres"}  # no data
    page = response.content.decode()
    assert 'Nordparken: <span class="badge bad">Udsat boligområde, Ghettoområde' in page
    assert plan_names(lbf.get(OVERVIEW, {"liste": "on"})) == ["Birk"]
    header, body = _sheet_rows(lbf.get(EXPORT, {"liste": "on"}).content)
    assert (
        "Nordparken: Udsat boligområde, Ghettoområde"
        in body[0][header.index("Områdernes listestatus")]
    )


# --- the export -----------------------------------------------------------------------------


def _sheet_rows(content: bytes) -> tuple[list[Any], list[list[Any]]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in values if r[0] == "Plan")
    return header, values[values.index(header) + 1 :]


def test_the_export_holds_exactly_the_rows_shown_in_their_order(
    lbf: Client, lbf_user: User
) -> None:
    _three(lbf_user)
    query = {"ramme": "2015-18", "sort": "-lbf"}
    shown = plan_names(lbf.get(OVERVIEW, query))
    response = lbf.get(EXPORT, query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "landsoversigt-" in response["Content-Disposition"]
    header, body = _sheet_rows(response.content)
    assert [r[0] for r in body] == shown == ["Anemone", "Cedertræ"]
    lbf_column = header.index("LBF-tilskud (t.kr.)")
    assert [r[lbf_column] for r in body] == [2000, 1000]
    report = header.index("Seneste statusrapport sendt til LBF")
    assert [r[report] for r in body] == ["ingen statusrapport sendt", "2018, 2. halvår"]
    waiting = header.index("Versioner, der venter på LBF")
    assert body[0][waiting] == "1"


def test_the_page_links_the_export_with_its_query(lbf: Client, lbf_user: User) -> None:
    _three(lbf_user)
    page = lbf.get(OVERVIEW, {"ramme": "2015-18", "sort": "-lbf"}).content.decode()
    assert f'href="{EXPORT}?ramme=2015-18&amp;sort=-lbf"' in page


# --- queries --------------------------------------------------------------------------------


def test_the_query_count_grows_by_a_fixed_number_per_plan_only_when_plans_changed(
    lbf: Client, lbf_user: User
) -> None:
    """The plans, funding, agreement versions, reports and areas are one query each for all
    plans; what a row asks its own selectors (the attachments checklist, the sub-agreements'
    review, the list status) is asked per plan only when the cache holds no answer under the
    plan's data version: on a cold cache a fixed number per plan, on a warm one none, so
    the page reads in the same number of queries at 2 and at 4 plans."""

    def count(*, cold: bool) -> int:
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert lbf.get(OVERVIEW).status_code == 200
        return len(ctx.captured_queries)

    def add(n: int) -> Plan:
        plan = lbf_plan(lbf_user, name=f"Plan {n}", shared=snapshot({"5.1": ["met"]}, [7]))
        factories.agreement_version(plan, "submitted")
        _measure(plan.areas.get(slug="nord"), 2018, GHETTO_2018)
        return plan

    factories.ListThresholdFactory(list_year=2018, value=Decimal("0.66"))
    add(1)
    add(2)
    two = count(cold=True)
    warm_two = count(cold=False)
    add(3)
    three = count(cold=True)
    fourth = add(4)
    four = count(cold=True)
    warm_four = count(cold=False)
    per_plan = three - two
    assert four - three == per_plan  # linear: the same for each plan added
    # 10 for the attachments checklist (with its generated attachments' own reads), 2 for
    # the sub-agreements' review, 4 for the list status (the list years, then the engine's
    # areas, measurements and national figures).
    assert per_plan <= 17, f"{per_plan} queries per plan"
    assert warm_four == warm_two <= 10, (warm_two, warm_four)
    # A change to one plan: that plan alone is asked again (and the areas, read in one
    # query for every plan when any is asked).
    factories.agreement_version(fourth, "draft")
    assert count(cold=False) == warm_four + per_plan + 1


def test_a_change_to_a_plan_shows_at_once_on_a_warm_page(lbf: Client, lbf_user: User) -> None:
    """Never stale: the cached part of a row (here the list status) is keyed by the plan's
    data version, which the new measurement raises; another day is another key too."""
    plan = lbf_plan(lbf_user, name="Birk")
    factories.ListThresholdFactory(list_year=2018, value=Decimal("0.66"))
    _measure(plan.areas.get(slug="nord"), 2017, {"beboere": 1500})
    before = {r.plan.name: r for r in lbf.get(OVERVIEW).context["rows"]}["Birk"]
    assert not before.on_list
    _measure(plan.areas.get(slug="nord"), 2018, GHETTO_2018)
    after = {r.plan.name: r for r in lbf.get(OVERVIEW).context["rows"]}["Birk"]
    assert after.on_list


def test_the_pages_only_read(lbf: Client, lbf_user: User) -> None:
    lbf_plan(lbf_user, name="Nordby")
    assert lbf.post(OVERVIEW).status_code == 405
    assert lbf.post(EXPORT).status_code == 405
