"""The national data set the bench measures against, built once per run.

Valid product data, written the way the product writes it, only faster: plans, areas and focus
areas through their services (so they carry their audit entries), measures, criteria,
targets, observations and activities with ``bulk_create`` plus ``audit.services.audit_changes``
(the product's own bulk path: the same field diffs auditlog writes, the plans' data versions
raised), registrations with COPY on PostgreSQL (``executemany`` on SQLite), events shaped as
``audit_event`` writes them. The Slagelse demo plan comes along for the agreement PDF.

Sizes: ``plans`` x 4 areas x 40 criteria x 10 years of approved observations; ``registrations``
spread over the plans' activities 2018-2021; about ``audit`` audit entries in all (creations
with their foreign keys, approvals as field changes, downloads and imports as events).
"""

from __future__ import annotations

import contextlib
import copy
import io
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from itertools import islice
from typing import Any

from helhedsplan.activities.models import COUNT_FIELDS

AREAS, FOCUS, CRITERIA, ACTIVITIES = 4, 4, 40, 10
YEARS = list(range(2012, 2022))
PASSWORD = "bench-adgangskode-1"  # noqa: S105 - a throwaway database's test users
USERS = 5
# How many plans the bench users are members of (the pages and the load visit these).
VISITED = 10


@dataclass
class Dataset:
    plans: list[Any]
    demo: Any
    users: list[Any]
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def user(self) -> Any:
        return self.users[0]

    def summary(self) -> str:
        c = {name: f"{n:,}".replace(",", ".") for name, n in self.counts.items()}
        return (
            f"Datasæt: {c['plans']} planer, {c['areas']} områder, {c['criteria']} kriterier, "
            f"{c['observations']} observationer, {c['registrations']} registreringer, "
            f"{c['audit']} revisionsspor-poster (bygget på {self.seconds:.0f} s)"
        )


def build(n_plans: int, registrations: int, audit: int, log: Any = print) -> Dataset:
    from django.db import connection, transaction

    from helhedsplan.demo import seed
    from helhedsplan.demo.loader import load_demo
    from helhedsplan.plans.models import Plan

    start = time.perf_counter()
    demo = Plan.objects.filter(slug=seed.PLAN_SLUG).first()
    if demo is None:
        with contextlib.redirect_stdout(io.StringIO()):  # its logins and the e-mails it sends
            demo = load_demo()
    users = _users()
    plans: list[Any] = []
    with transaction.atomic():
        for i in range(n_plans):
            plans.append(_plan(i))
        log(f"  {n_plans} planer, områder, indsatsområder ({time.perf_counter() - start:.0f} s)")
        _criteria(plans, users[0])
        log(f"  kriterier og observationer ({time.perf_counter() - start:.0f} s)")
        pairs = _activities(plans)
        _memberships(users, [demo, *plans[:VISITED]])
    _fill_registrations(pairs, registrations, log)
    log(f"  registreringer ({time.perf_counter() - start:.0f} s)")
    with transaction.atomic():
        _audit_mix(plans, users[0], audit)
    log(f"  revisionsspor ({time.perf_counter() - start:.0f} s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    data = Dataset(plans=plans, demo=demo, users=users, seconds=time.perf_counter() - start)
    data.counts = _counts()
    return data


def _counts() -> dict[str, int]:
    from helhedsplan.activities.models import Registration
    from helhedsplan.audit.models import AuditEntry
    from helhedsplan.criteria.models import Observation, SuccessCriterion
    from helhedsplan.plans.models import HousingArea, Plan

    return {
        "plans": Plan.objects.count(),
        "areas": HousingArea.objects.count(),
        "criteria": SuccessCriterion.objects.count(),
        "observations": Observation.objects.count(),
        "registrations": Registration.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def _users() -> list[Any]:
    from helhedsplan.accounts.services import user_create

    return [
        user_create(
            username=f"bench-{n}",
            password=PASSWORD,
            first_name="Bench",
            last_name=f"Bruger {n}",
            email=f"bench-{n}@bench.example",
        )
        for n in range(1, USERS + 1)
    ]


def _memberships(users: list[Any], plans: list[Any]) -> None:
    from helhedsplan.accounts.models import Role
    from helhedsplan.accounts.services import membership_create

    for user in users:
        for plan in plans:
            membership_create(user=user, plan=plan, role=Role.SECRETARIAT)


def _plan(i: int) -> Any:
    from helhedsplan.plans import services
    from helhedsplan.plans.models import Municipality, Plan

    name = f"Benchkommune {i // 4 + 1}"
    municipality = Municipality.objects.filter(name=name).first()
    if municipality is None:
        municipality = services.municipality_create(name=name)
    plan = services.plan_create(
        name=f"Boligsocial helhedsplan {i + 1}",
        slug=f"bench-{i + 1}",
        municipality=municipality,
        start_date=date(2018, 1, 1),
        end_date=date(2021, 12, 31),
        status=Plan.Status.ACTIVE,
    )
    for a in range(AREAS):
        services.housing_area_create(plan=plan, name=f"Område {i + 1}.{a + 1}", order=a)
    for f in range(FOCUS):
        services.focus_area_create(
            plan=plan, code=f"5.{f + 1}", name=f"Indsatsområde {f + 1}", order=f
        )
    return plan


def _areas_and_focus(plans: list[Any]) -> tuple[dict[int, list[Any]], dict[int, list[Any]]]:
    """Each plan's areas and focus areas, in their order, by the plan's id."""
    from helhedsplan.plans.models import FocusArea, HousingArea

    areas: dict[int, list[Any]] = {}
    for area in HousingArea.objects.filter(plan__in=plans).order_by("order"):
        areas.setdefault(area.plan_id, []).append(area)
    focus: dict[int, list[Any]] = {}
    for fa in FocusArea.objects.filter(plan__in=plans).order_by("order"):
        focus.setdefault(fa.plan_id, []).append(fa)
    return areas, focus


def _criteria(plans: list[Any], approver: Any) -> None:
    """40 measures and criteria per plan, a threshold target each, 10 years of approved
    observations per area; the creations of the measures, criteria and targets audited."""
    from django.utils import timezone

    from helhedsplan.audit.services import audit_changes
    from helhedsplan.criteria.models import Measure, Observation, SuccessCriterion, Target

    areas, focus = _areas_and_focus(plans)
    measures = Measure.objects.bulk_create(
        Measure(plan=p, slug=f"maaling-{c + 1}", name=f"Andel beboere, måling {c + 1}",
                value_kind="percent", unit="%", direction="lower_is_better", is_rate=True,
                first_year=YEARS[0], last_year=2025, order=c)
        for p in plans for c in range(CRITERIA)
    )  # fmt: skip
    criteria = SuccessCriterion.objects.bulk_create(
        SuccessCriterion(plan_id=m.plan_id, focus_area=focus[m.plan_id][m.order % FOCUS],
                         code=f"5.{m.order % FOCUS + 1}.{m.order // FOCUS + 1}",
                         title=m.name, text=f"{m.name} skal falde til under 30 %.",
                         measure=m, order=m.order)
        for m in measures
    )  # fmt: skip
    targets = Target.objects.bulk_create(
        Target(criterion=c, kind="threshold", op="lt", value=Decimal(30), first_year=2018,
               last_year=2021, applies_to_total=True)
        for c in criteria
    )  # fmt: skip
    plan_of = {c.pk: c.plan_id for c in criteria}
    through = Target.areas.through
    through.objects.bulk_create(
        through(target_id=t.pk, housingarea_id=a.pk)
        for t in targets for a in areas[plan_of[t.criterion_id]]
    )  # fmt: skip
    audit_changes(changes=[(None, o) for o in [*measures, *criteria, *targets]])
    now = timezone.now()
    Observation.objects.bulk_create(
        (
            Observation(measure=m, area=a, year=y, value=Decimal(22 + (y + a.order + m.order) % 14),
                        numerator=22 + (y + a.order + m.order) % 14, denominator=100,
                        state="approved", source_note="Danmarks Statistik", registered_at=now,
                        approved_at=now, approved_by=approver, registered_by=approver)
            for m in measures for a in areas[m.plan_id] for y in YEARS
        ),
        batch_size=5000,
    )  # fmt: skip


def _activities(plans: list[Any]) -> list[tuple[int, int, int]]:
    """Ten activities per plan in all four areas, with a planned quantity per quarter;
    returns the (plan, activity, area) triples registrations go to."""
    from helhedsplan.activities.models import Activity, ActivityArea, PlannedQuantity
    from helhedsplan.audit.services import audit_changes

    areas, focus = _areas_and_focus(plans)
    activities = Activity.objects.bulk_create(
        Activity(plan=p, focus_area=focus[p.pk][k % FOCUS], slug=f"aktivitet-{k + 1}",
                 name=f"Aktivitet {k + 1}",
                 unit=[Activity.Unit.EVENTS, Activity.Unit.PARTICIPANTS][k % 2], order=k)
        for p in plans for k in range(ACTIVITIES)
    )  # fmt: skip
    links = ActivityArea.objects.bulk_create(
        ActivityArea(activity=act, area=area) for act in activities for area in areas[act.plan_id]
    )
    planned = PlannedQuantity.objects.bulk_create(
        (
            PlannedQuantity(activity=act, area=area, year=y, quarter=q, quantity=40 + act.order)
            for act in activities for area in areas[act.plan_id]
            for y in range(2018, 2022) for q in range(1, 5)
        ),
        batch_size=5000,
    )  # fmt: skip
    audit_changes(changes=[(None, o) for o in [*activities, *links]])
    del planned
    return [(act.plan_id, act.pk, area.pk) for act in activities for area in areas[act.plan_id]]


def _registration_rows(
    pairs: list[tuple[int, int, int]], count: int, rng: random.Random, registered_at: str
) -> Iterator[list[str]]:
    """Each registration as its column values in text (COPY's and SQLite's input): on a day of
    2018-2021, one or two age bands counted, participants their sum (the table's check)."""
    first = date(2018, 1, 1)
    days = [first + timedelta(days=n) for n in range((date(2021, 12, 31) - first).days)]
    dated = [[d.isoformat(), str(d.year), str((d.month - 1) // 3 + 1)] for d in days]
    keys = [[str(n) for n in pair] for pair in pairs]
    zeros = ["0"] * len(COUNT_FIELDS)
    random_ = rng.random
    for _n in range(count):
        counts = zeros.copy()
        first_band, second_band = int(random_() * len(zeros)), int(random_() * len(zeros))
        a, b = 1 + int(random_() * 12), int(random_() * 7)
        counts[first_band] = str(a)
        counts[second_band] = str(a + b if first_band == second_band else b)
        yield [
            *keys[int(random_() * len(keys))], *dated[int(random_() * len(dated))], *counts,
            str(a + b), str(int(random_() * 4)), "", registered_at, "0",
        ]  # fmt: skip


def _fill_registrations(pairs: list[tuple[int, int, int]], count: int, log: Any) -> None:
    from django.db import connection, transaction

    columns = [
        "plan_id", "activity_id", "area_id", "date", "year", "quarter", *COUNT_FIELDS,
        "participants", "volunteers", "note", "registered_at", "is_demo_data",
    ]  # fmt: skip
    rng = random.Random(1_000_000)  # noqa: S311 - synthetic figures, not security
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    postgres = connection.vendor == "postgresql"
    rows = _registration_rows(pairs, count, rng, f"{now}+00:00" if postgres else now)
    # Column names are the model's own constants, never input.
    names = ", ".join(columns)
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            raw = cursor.cursor  # psycopg 3: COPY, the bulk path PostgreSQL has
            with raw.copy(f"COPY activities_registration ({names}) FROM STDIN") as copy_in:
                while batch := list(islice(rows, 50_000)):
                    copy_in.write("".join("\t".join(row) + "\n" for row in batch))
        else:
            sql = (
                f"INSERT INTO activities_registration ({names}) "  # noqa: S608
                f"VALUES ({', '.join(['%s'] * len(columns))})"
            )
            while batch := list(islice(rows, 20_000)):
                cursor.executemany(sql, batch)


def _audit_mix(plans: list[Any], actor: Any, total: int) -> None:
    """Top the trail up to about ``total`` entries, the same share in each plan: observation
    creations (foreign keys to the measure and the area), approvals (a field change from
    draft to approved) and events (downloads, imports), newest last."""
    from django.contrib.contenttypes.models import ContentType

    from helhedsplan.audit.models import AuditEntry
    from helhedsplan.audit.services import audit_changes
    from helhedsplan.criteria.models import Observation
    from helhedsplan.plans import versions

    missing = max(0, total - AuditEntry.objects.count())
    if not plans or not missing:
        return
    plan_type = ContentType.objects.get_for_model(type(plans[0]))
    for n_plan, plan in enumerate(plans):
        per_plan = missing // len(plans) + (1 if n_plan < missing % len(plans) else 0)
        events = per_plan // 10
        approvals = per_plan // 5
        creations = per_plan - events - approvals
        observations = list(
            Observation.objects.filter(measure__plan=plan)
            .select_related("measure", "area")
            .order_by("-year", "measure__order", "area__order")[: max(creations, approvals)]
        )
        changes: list[tuple[Any, Any]] = []
        for n in range(creations):
            changes.append((None, observations[n % len(observations)]))
        for n in range(approvals):
            after = observations[n % len(observations)]
            before = copy.copy(after)
            before.state, before.approved_at, before.approved_by = "draft", None, None
            changes.append((before, after))
        audit_changes(changes=changes, actor=actor)
        AuditEntry.objects.bulk_create(
            AuditEntry(content_type=plan_type, object_pk=str(plan.pk), object_id=plan.pk,
                       object_repr=str(plan), action=AuditEntry.Action.ACCESS,
                       event=["document.downloaded.pdf", "observations.imported"][n % 2],
                       changes={} if n % 2 == 0 else {"rows": 160}, actor=actor,
                       actor_email=actor.email, plan_id=plan.pk)
            for n in range(events)
        )  # fmt: skip
    versions.bump([p.pk for p in plans])
