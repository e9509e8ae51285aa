"""Bench: the delivery page over a million registrations (``python -m bench.activities``).

Adds ``count`` registrations (default 1,000,000) spread over a synthetic national data set
(the Slagelse demo plan plus ``plans`` synthetic plans of four areas and ten activities each,
2018-2021), then times the delivery page for one plan and year, server side (the selector
plus the template render), against the raw SQL aggregate that yields the same figures,
and prints the ratio. The figures are checked equal before timing.

Runs on a throw-away SQLite file in a temporary folder unless DATABASE_URL is set (then it
uses that database: give it an empty one). ``BENCH_REGISTRATIONS`` and ``BENCH_PLANS``
override the sizes.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

DEFAULT_COUNT = 1_000_000
DEFAULT_PLANS = 24
BATCH = 20_000


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helhedsplan.settings")
    if "DATABASE_URL" not in os.environ:
        os.environ["HELHEDSPLAN_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-activities-")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _synthetic_plans(n: int) -> list[Any]:
    """n plans shaped like Slagelse's: four areas, four focus areas, ten activities."""
    from helhedsplan.activities.models import Activity, ActivityArea
    from helhedsplan.plans.models import FocusArea, HousingArea, Municipality, Plan

    plans = []
    for i in range(n):
        municipality, _ = Municipality.objects.get_or_create(name=f"Syntetisk Kommune {i + 1}")
        plan, created = Plan.objects.get_or_create(
            slug=f"syntetisk-{i + 1}",
            defaults={
                "name": f"Syntetisk plan {i + 1}",
                "municipality": municipality,
                "start_date": date(2018, 1, 1),
                "end_date": date(2021, 12, 31),
            },
        )
        if created:
            areas = HousingArea.objects.bulk_create(
                [
                    HousingArea(plan=plan, slug=f"omr-{a}", name=f"Område {a}", order=a)
                    for a in range(4)
                ]
            )
            focus = FocusArea.objects.bulk_create(
                [
                    FocusArea(plan=plan, code=f"5.{f + 1}", name=f"Indsats {f + 1}", order=f)
                    for f in range(4)
                ]
            )
            activities = Activity.objects.bulk_create(
                [
                    Activity(
                        plan=plan,
                        focus_area=focus[k % 4],
                        slug=f"aktivitet-{k}",
                        name=f"Aktivitet {k}",
                        unit=[Activity.Unit.EVENTS, Activity.Unit.PARTICIPANTS][k % 2],
                        order=k,
                    )
                    for k in range(10)
                ]
            )
            ActivityArea.objects.bulk_create(
                [ActivityArea(activity=act, area=area) for act in activities for area in areas]
            )
        plans.append(plan)
    return plans


def _rows(plans: list[Any], count: int, rng: random.Random) -> Iterator[tuple[Any, ...]]:
    """Plain tuples in COLUMNS order: building model instances would dominate the time."""
    from helhedsplan.activities.models import COUNT_FIELDS, ActivityArea

    pairs = {
        p.pk: list(
            ActivityArea.objects.filter(activity__plan=p).values_list("activity_id", "area_id")
        )
        for p in plans
    }
    pairs = {k: v for k, v in pairs.items() if v}
    plan_ids = list(pairs)
    days = (date(2021, 12, 31) - date(2018, 1, 1)).days
    now = timezone.now()
    width = len(COUNT_FIELDS)
    for _n in range(count):
        plan_id = rng.choice(plan_ids)
        activity_id, area_id = rng.choice(pairs[plan_id])
        day = date(2018, 1, 1) + timedelta(days=rng.randrange(days))
        counts = [0] * width
        counts[rng.randrange(width)] = rng.randint(1, 12)
        counts[rng.randrange(width)] += rng.randint(0, 6)
        yield (
            plan_id,
            activity_id,
            area_id,
            day,
            day.year,
            (day.month - 1) // 3 + 1,
            *counts,
            sum(counts),
            rng.randint(0, 3),
            "",
            now,
            True,
        )


def _fill(plans: list[Any], count: int) -> float:
    from itertools import islice

    from django.db import connection, transaction

    from helhedsplan.activities.models import COUNT_FIELDS

    columns = [
        "plan_id",
        "activity_id",
        "area_id",
        "date",
        "year",
        "quarter",
        *COUNT_FIELDS,
        "participants",
        "volunteers",
        "note",
        "registered_at",
        "is_demo_data",
    ]
    # Column names are the model's own constants, never input.
    sql = (
        f"INSERT INTO activities_registration ({', '.join(columns)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    rng = random.Random(1_000_000)  # noqa: S311 - synthetic figures, not security
    rows = _rows(plans, count, rng)
    start = time.perf_counter()
    done = 0
    while batch := list(islice(rows, BATCH)):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, batch)
        done += len(batch)
        if done % 200_000 == 0:
            print(f"  {done:>9,} registreringer ({time.perf_counter() - start:.0f} s)", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE activities_registration")
    return time.perf_counter() - start


RAW_SQL = """
SELECT r.activity_id, r.area_id, r.quarter, COUNT(*), SUM(r.participants), SUM(r.quantity)
FROM activities_registration r
WHERE r.plan_id = %s AND r.year = %s
GROUP BY r.activity_id, r.area_id, r.quarter
"""


def _raw(plan_id: int, year: int) -> dict[tuple[int, int, int], tuple[int, int]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(RAW_SQL, [plan_id, year])
        return {(a, b, q): (int(n), int(p or 0)) for a, b, q, n, p, _s in cursor.fetchall()}


def _page(plan: Any, year: int) -> tuple[Any, str]:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from helhedsplan.accounts.access import PlanAccess
    from helhedsplan.accounts.models import Role
    from helhedsplan.activities.selectors import delivery_report
    from helhedsplan.activities.views import delivery_chart

    report = delivery_report(plan, year)
    request = RequestFactory().get("/")
    access = PlanAccess(plan=plan, roles=frozenset({Role.BOARD}))
    request.plan_access = access  # type: ignore[attr-defined]
    html = render_to_string(
        "activities/delivery.html",
        {
            "access": access,
            "report": report,
            "chart": delivery_chart(report),
            "years": list(plan.years),
        },
        request=request,
    )
    return report, html


def _timed(fn: Any, repeat: int = 7) -> float:
    times = []
    for _n in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_delivery(count: int | None = None, plans: int | None = None) -> dict[str, float]:
    """The bench function (for a list of bench functions); returns the timings."""
    from helhedsplan.activities.models import Activity, Registration
    from helhedsplan.demo.loader import load_demo

    count = (
        count if count is not None else int(os.environ.get("BENCH_REGISTRATIONS", DEFAULT_COUNT))
    )
    n_plans = plans if plans is not None else int(os.environ.get("BENCH_PLANS", DEFAULT_PLANS))
    demo = load_demo()
    all_plans = [demo, *_synthetic_plans(n_plans)]
    print(f"Leverancemåling: {count:,} registreringer over {len(all_plans)} planer", flush=True)
    fill = _fill(all_plans, count)
    total = Registration.objects.count()
    print(f"  indsat på {fill:.0f} s; {total:,} registreringer i alt", flush=True)

    year = 2019
    report, _html = _page(demo, year)
    units = {a.pk: a.unit for a in Activity.objects.filter(plan=demo)}
    raw = _raw(demo.pk, year)
    for block in report.activities:
        for row in block.rows:
            for q, cell in enumerate(row.quarters, start=1):
                n, p = raw.get((block.activity.pk, row.area.pk, q), (0, 0))
                expected = p if units[block.activity.pk] == Activity.Unit.PARTICIPANTS else n
                if units[block.activity.pk] != Activity.Unit.OTHER:
                    assert cell.delivered == expected, (block.activity, row.area, q)
    page = _timed(lambda: _page(demo, year))
    sql = _timed(lambda: _raw(demo.pk, year))
    ratio = page / sql if sql else float("inf")
    print(
        f"  siden (selector + skabelon): {page * 1000:.1f} ms; "
        f"rå SQL-aggregat: {sql * 1000:.1f} ms; forhold {ratio:.1f}",
        flush=True,
    )
    return {"fill_s": fill, "page_ms": page * 1000, "sql_ms": sql * 1000, "ratio": ratio}


def main(argv: list[str]) -> int:
    _setup()
    count = int(argv[0]) if argv else None
    bench_delivery(count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
