"""Synthetic national data set, then each bench in BENCHES, side by side as ratios.

Runs against a throwaway SQLite database in a temporary HELHEDSPLAN_VAR_DIR (never the dev or
production database). Add a bench by appending a function ``(ctx) -> list[Result]`` to
BENCHES; ``ctx`` holds the data set built once.

    python -m bench [--plans 100] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

AREAS, CRITERIA, YEARS = 4, 40, list(range(2012, 2022))


@dataclass
class Result:
    name: str
    ours: float
    baseline: float
    baseline_name: str

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline else float("inf")


@dataclass
class Context:
    plans: list[Any]
    repeat: int
    extra: dict[str, Any] = field(default_factory=dict)


def _setup_django(tmp: str) -> None:
    os.environ["HELHEDSPLAN_VAR_DIR"] = tmp
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helhedsplan.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def build(n_plans: int) -> list[Any]:
    """n plans x 4 areas x 40 criteria (one measure each, a threshold target) x 10 years."""
    from django.db import transaction

    from helhedsplan.criteria.models import Measure, Observation, SuccessCriterion, Target
    from helhedsplan.plans.models import FocusArea, HousingArea, Municipality, Plan

    with transaction.atomic():
        muni = Municipality.objects.create(name="Benchkommune")
        plans = Plan.objects.bulk_create(
            Plan(name=f"Plan {p}", slug=f"plan-{p}", municipality=muni,
                 start_date=date(2018, 1, 1), end_date=date(2021, 12, 31), status="active")
            for p in range(n_plans)
        )  # fmt: skip
        areas = HousingArea.objects.bulk_create(
            HousingArea(plan=p, slug=f"omr-{a}", name=f"Område {a}", order=a)
            for p in plans for a in range(AREAS)
        )  # fmt: skip
        focus = FocusArea.objects.bulk_create(
            FocusArea(plan=p, code=f"5.{f}", name=f"Indsatsområde {f}", order=f)
            for p in plans for f in range(1, 5)
        )  # fmt: skip
        measures = Measure.objects.bulk_create(
            Measure(plan=p, slug=f"m-{c}", name=f"Måling {c}", value_kind="percent", unit="%",
                    direction="lower_is_better", is_rate=True, first_year=2012, last_year=2025,
                    order=c)
            for p in plans for c in range(CRITERIA)
        )  # fmt: skip
        focus_by_plan = {}
        for fa in focus:
            focus_by_plan.setdefault(fa.plan_id, []).append(fa)
        criteria = SuccessCriterion.objects.bulk_create(
            SuccessCriterion(plan_id=m.plan_id, focus_area=focus_by_plan[m.plan_id][m.order % 4],
                             code=f"5.{m.order % 4 + 1}.{m.order}", title=m.name, text=m.name,
                             measure=m, order=m.order)
            for m in measures
        )  # fmt: skip
        targets = Target.objects.bulk_create(
            Target(criterion=c, kind="threshold", op="lt", value=Decimal(30), first_year=2018,
                   last_year=2021, applies_to_total=True)
            for c in criteria
        )  # fmt: skip
        areas_by_plan: dict[int, list[Any]] = {}
        for area in areas:
            areas_by_plan.setdefault(area.plan_id, []).append(area)
        through = Target.areas.through
        plan_of = {c.pk: c.plan_id for c in criteria}
        through.objects.bulk_create(
            through(target_id=t.pk, housingarea_id=a.pk)
            for t in targets for a in areas_by_plan[plan_of[t.criterion_id]]
        )  # fmt: skip
        Observation.objects.bulk_create(
            (
                Observation(measure=m, area=a, year=y, value=Decimal(25 + (y % 7)),
                            numerator=25 + (y % 7), denominator=100, state="approved")
                for m in measures for a in areas_by_plan[m.plan_id] for y in YEARS
            ),
            batch_size=5000,
        )  # fmt: skip
    return plans


def bench_scorecard(ctx: Context) -> list[Result]:
    """The scorecard selector (server side, no template) against raw SQL for the same rows."""
    from django.db import connection

    from helhedsplan.criteria import selectors

    sql = [
        "SELECT o.measure_id, o.area_id, o.year, o.value, o.numerator, o.denominator, "
        "o.source_note, o.rating FROM criteria_observation o JOIN criteria_measure m "
        "ON m.id = o.measure_id WHERE m.plan_id = %s AND o.state = 'approved' AND o.variant = ''",
        "SELECT c.*, m.* FROM criteria_successcriterion c JOIN criteria_measure m "
        "ON m.id = c.measure_id WHERE c.plan_id = %s",
        "SELECT t.*, ta.housingarea_id FROM criteria_target t JOIN criteria_successcriterion c "
        "ON c.id = t.criterion_id LEFT JOIN criteria_target_areas ta ON ta.target_id = t.id "
        "WHERE c.plan_id = %s",
        "SELECT * FROM plans_housingarea WHERE plan_id = %s",
        "SELECT * FROM plans_focusarea WHERE plan_id = %s",
    ]

    def ours(plan: Any) -> None:
        selectors.scorecard(plan, 2019)

    def raw(plan: Any) -> None:
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement, [plan.pk])
                cursor.fetchall()

    sample = ctx.plans[: min(len(ctx.plans), 10)]
    return [Result("Scorecard (selector + engine)", _time(ours, sample, ctx.repeat),
                   _time(raw, sample, ctx.repeat), "rå SQL, samme rækker")]  # fmt: skip


def bench_import(ctx: Context) -> list[Result]:
    """observations_import (validation, all-or-nothing, an audit entry per row and the import's
    event) against a bare bulk_create of the observations."""
    from django.db import transaction

    from helhedsplan.criteria import services
    from helhedsplan.criteria.models import Observation, SuccessCriterion

    plan = ctx.plans[0]
    criteria = list(SuccessCriterion.objects.filter(plan=plan).select_related("measure"))
    areas = list(plan.areas.all())
    years = range(2022, 2026)
    rows = [
        services.ImportRow(line=i + 2, code=c.code, area=a.slug, year=y,
                           value=None, numerator=Decimal(20), denominator=Decimal(100),
                           source="bench")
        for i, (c, a, y) in enumerate((c, a, y) for c in criteria for a in areas for y in years)
    ]  # fmt: skip

    class Rollback(Exception):
        pass

    def ours(_: Any) -> None:
        try:
            with transaction.atomic():
                services.observations_import(plan=plan, rows=rows, approve=True)
                raise Rollback
        except Rollback:
            pass

    def bare(_: Any) -> None:
        try:
            with transaction.atomic():
                Observation.objects.bulk_create(
                    [Observation(measure=c.measure, area=a, year=y, value=Decimal(20),
                                 numerator=20, denominator=100, state="approved",
                                 source_note="bench")
                     for c in criteria for a in areas for y in years],
                    batch_size=2000,
                )  # fmt: skip
                raise Rollback
        except Rollback:
            pass

    label = f"Import af {len(rows)} rækker"
    return [Result(label, _time(ours, [None], ctx.repeat), _time(bare, [None], ctx.repeat),
                   "bulk_create af de samme rækker")]  # fmt: skip


def _time(fn: Callable[[Any], None], items: list[Any], repeat: int) -> float:
    """Median seconds per item over ``repeat`` rounds (after one warm-up round)."""
    for item in items:
        fn(item)
    rounds = []
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            fn(item)
        rounds.append((time.perf_counter() - start) / len(items))
    return statistics.median(rounds)


def bench_delivery(ctx: Context) -> list[Result]:
    """Issue 4: the delivery page over 1.000.000 registrations vs the raw SQL aggregate.

    BENCH_REGISTRATIONS sets the count (default 1.000.000, a few minutes on two cores).
    """
    from bench.activities import bench_delivery as run

    timings = run()
    return [
        Result(
            "leverancemåling (side)",
            timings["page_ms"] / 1000,
            timings["sql_ms"] / 1000,
            "rå SQL-aggregat",
        )
    ]


BENCHES: list[Callable[[Context], list[Result]]] = [bench_scorecard, bench_import, bench_delivery]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="helhedsplan-bench-") as tmp:
        _setup_django(tmp)
        start = time.perf_counter()
        plans = build(args.plans)
        n_obs = args.plans * AREAS * CRITERIA * len(YEARS)
        print(f"Datasæt: {args.plans} planer x {AREAS} områder x {CRITERIA} kriterier x "
              f"{len(YEARS)} år = {n_obs:,} observationer ({time.perf_counter() - start:.1f} s)"
              .replace(",", "."), flush=True)  # fmt: skip
        ctx = Context(plans=plans, repeat=args.repeat)
        results = [r for bench in BENCHES for r in bench(ctx)]
    width = max(len(r.name) for r in results)
    print(f"\n{'måling':<{width}}  {'vores':>10}  {'grundlinje':>10}  forhold  grundlinje")
    for r in results:
        flag = "" if r.ratio <= 2 else "  (over målet 2)"
        print(f"{r.name:<{width}}  {r.ours * 1000:>8.1f}ms  {r.baseline * 1000:>8.1f}ms  "
              f"{r.ratio:>6.2f}x  {r.baseline_name}{flag}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.getcwd())
    sys.exit(main())
