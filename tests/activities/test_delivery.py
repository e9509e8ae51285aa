"""Quarterly delivery measurement: planned vs delivered, flags, chart, export, query count."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from helhedsplan.activities import services
from helhedsplan.activities.models import COUNT_FIELDS, Activity, PlannedQuantity, Registration
from helhedsplan.activities.selectors import delivery_report
from helhedsplan.plans.models import Plan
from helhedsplan.reports.exporters import export_url
from tests import factories
from tests.activities.conftest import registrar

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seedlike")]


def _clean_slate(plan: Plan) -> None:
    Registration.objects.filter(plan=plan).delete()
    PlannedQuantity.objects.filter(activity__plan=plan).delete()


def _plan_cell(activity: Any, area: Any, quarter: int, quantity: int) -> None:
    PlannedQuantity.objects.create(
        activity=activity, area=area, year=2019, quarter=quarter, quantity=quantity
    )


def _held(access: Any, activity: Any, area: Any, times: int, day: date, **kw: Any) -> None:
    for _n in range(times):
        services.registration_create(
            **registrar(access), user=None, activity=activity, area=area, date=day, counts=kw
        )


def _cell(plan: Plan, slug: str, area_slug: str, quarter: int) -> Any:
    report = delivery_report(plan, 2019, today=date(2020, 6, 1))
    block = next(b for b in report.activities if b.activity.slug == slug)
    row = next(r for r in block.rows if r.area.slug == area_slug)
    return row.quarters[quarter - 1]


def test_events_delivered_against_plan_with_flags(
    plan: Plan, access_for: Any, activity: Any, area: Any
) -> None:
    _clean_slate(plan)
    walks, mota = activity("tryghedsvandringer"), area("motalavej")
    sec = access_for("sekretariat")
    _plan_cell(walks, mota, 1, 10)
    _plan_cell(walks, mota, 2, 10)
    _plan_cell(walks, mota, 3, 10)
    _held(sec, walks, mota, 7, date(2019, 2, 1))  # 70 %: under
    _held(sec, walks, mota, 8, date(2019, 5, 1))  # 80 %: on the line, not under
    _held(sec, walks, mota, 13, date(2019, 8, 1))  # 130 %: over
    _held(sec, walks, mota, 1, date(2019, 11, 1))  # nothing planned
    cells = [_cell(plan, "tryghedsvandringer", "motalavej", q) for q in (1, 2, 3, 4)]
    assert [(c.planned, c.delivered, c.flag) for c in cells] == [
        (10, 7, "under"),
        (10, 8, "ok"),
        (10, 13, "over"),
        (None, 1, "unplanned"),
    ]
    assert cells[0].pct == Decimal(70)


def test_participants_unit_sums_participants(
    plan: Plan, access_for: Any, activity: Any, area: Any
) -> None:
    _clean_slate(plan)
    jobs, syd = activity("fritidsjobindsats"), area("sydbyen")
    _plan_cell(jobs, syd, 1, 20)
    _held(access_for("sekretariat"), jobs, syd, 2, date(2019, 3, 1), n_13_17_m=5, n_13_17_f=4)
    cell = _cell(plan, "fritidsjobindsats", "sydbyen", 1)
    assert (cell.delivered, cell.pct, cell.flag) == (18, Decimal(90), "ok")


def test_thresholds_are_per_plan(plan: Plan, access_for: Any, activity: Any, area: Any) -> None:
    _clean_slate(plan)
    walks, mota = activity("tryghedsvandringer"), area("motalavej")
    _plan_cell(walks, mota, 1, 10)
    _held(access_for("sekretariat"), walks, mota, 9, date(2019, 2, 1))
    assert _cell(plan, "tryghedsvandringer", "motalavej", 1).flag == "ok"
    services.delivery_settings_update(
        plan=plan,
        under_threshold=Decimal(95),
        over_threshold=Decimal(105),
        column_mapping=services.delivery_settings_for(plan).column_mapping,
    )
    assert _cell(plan, "tryghedsvandringer", "motalavej", 1).flag == "under"


def test_running_quarter_is_not_flagged(plan: Plan) -> None:
    report = delivery_report(plan, 2018, today=date(2018, 5, 1))
    flags = {c.flag for b in report.activities for r in b.rows for c in r.quarters[1:]}
    assert "under" not in flags and "over" not in flags


def test_page_has_chart_table_and_badge(plan: Plan, client_for: Callable[[str], Client]) -> None:
    services.quarter_close(plan=plan, year=2018, quarter=1, user=None)  # as the demo does
    url = reverse("activities:delivery", args=[plan.slug]) + "?aar=2018"
    text = client_for("auditor").get(url).content.decode()
    assert "<svg" in text and "Leveringsgrad pr. aktivitet 2018" in text
    assert "Idrætspartnerskaber" in text
    assert "Demonstrationsdata – ikke fra aftalen" in text
    assert "lukket" in text  # the demo closes 1st quarter 2018


def test_export(plan: Plan, client_for: Callable[[str], Client]) -> None:
    for n in range(7):  # a row per activity and area, more than 40 as in the demo
        activity = factories.ActivityFactory(plan=plan, areas=list(plan.areas.all()))
        factories.PlannedQuantityFactory(
            activity=activity, area=plan.areas.first(), year=2018, quarter=n % 4 + 1
        )
    url = export_url(plan, "leverancemaaling", "xlsx", aar=2018)
    response = client_for("auditor").get(url)
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Demonstrationsdata – ikke fra aftalen"
    assert rows[1][:3] == ("Indsatsområde", "Aktivitet", "Boligområde")
    assert len(rows) > 40


def _count_queries(client: Client, url: str) -> int:
    """The queries of the page made afresh: the bulk insert below writes no audit entry (no
    service does that), so it does not raise the data version the page is cached under."""
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_registrations(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for("board")
    url = reverse("activities:delivery", args=[plan.slug]) + "?aar=2018"
    factories.RegistrationFactory(
        activity=Activity.objects.get(plan=plan, slug="tryghedsvandringer"),
        area=plan.areas.get(slug="motalavej"),
        date=date(2018, 5, 3),
    )
    before = _count_queries(client, url)
    template = Registration.objects.filter(plan=plan, year=2018).first()
    assert template is not None
    Registration.objects.bulk_create(
        [
            Registration(
                plan=plan,
                activity=template.activity,
                area=template.area,
                date=template.date,
                year=2018,
                quarter=template.quarter,
                participants=1,
                **{COUNT_FIELDS[0]: 1},
            )
            for _n in range(300)
        ]
    )
    assert _count_queries(client, url) == before


def test_closing_a_quarter(plan: Plan, client_for: Callable[[str], Client]) -> None:
    client = client_for("secretariat")
    url = reverse("activities:quarters", args=[plan.slug])
    client.post(url, {"quarter": "2019-3"})
    assert plan.closed_quarters.filter(year=2019, quarter=3).exists()
    response = client.post(url, {"quarter": "2019-3"}, follow=True)
    assert "3. kvartal 2019 er allerede lukket." in response.content.decode()
    assert client_for("coordinator").post(url, {"quarter": "2019-4"}).status_code == 403
