"""The page bench: whole responses through ``django.test.Client`` against raw-SQL floors.

Each page is requested as a logged-in member (the session cookie, the middleware, the view,
the template, the response), its queries counted with ``CaptureQueriesContext`` on a request
of its own (the debug cursor is not in the timed requests). Its floor is the raw SQL that
returns every row the page renders, with the page's WHERE clauses, including the session,
user, membership and plan rows every request reads, each statement executed through the same
connection and fetched with ``cursor.fetchall()``. Both are medians of ``repeat`` runs after a
warm-up, in the same run; the ratio is page / floor.

"varm" (warm) means what a user meets the second time: whatever the product caches is cached.
"kold" (cold) is the first request after a write to the plan (a target changed through
``criteria.services.target_update``): every cache keyed by the plan's data version misses, and
the product renders the scorecard views read lately again when the write commits
(``plans.fragments.rewarm``), so the row shows what the next reader meets. What that costs the
writer, and what a view nobody has read lately costs its first reader, ``write_costs`` prints
beside the table.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from bench.dataset import Dataset

RATIO_GOAL = 3.0
QUERY_GOAL = 10
PDF_GOAL_S = 0.5

Statement = tuple[str, list[Any]]
# A plan's targets with the areas each applies to.
TARGETS = (
    "SELECT t.*, ta.housingarea_id FROM criteria_target t JOIN criteria_successcriterion c "
    "ON c.id = t.criterion_id LEFT JOIN criteria_target_areas ta ON ta.target_id = t.id "
    "WHERE c.plan_id = %s"
)


@dataclass
class Page:
    name: str
    url: str
    floor: Callable[[], list[Statement]]
    cache: str = "varm"
    before: Callable[[], None] | None = None
    goal_s: float | None = None


@dataclass
class Row:
    name: str
    cache: str
    page_s: float
    floor_s: float
    floor_rows: int
    queries: int | None
    status: int = 200
    goal_s: float | None = None
    floor_name: str = "rå SQL"
    notes: list[str] = field(default_factory=list)
    query_goal: int | None = QUERY_GOAL

    @property
    def ratio(self) -> float:
        return self.page_s / self.floor_s if self.floor_s else float("inf")

    @property
    def marks(self) -> list[str]:
        marks = list(self.notes)
        if self.status != 200:
            marks.append(f"HTTP {self.status}")
        if self.ratio > RATIO_GOAL:
            marks.append(f"over {RATIO_GOAL:g}x")
        if self.queries is not None and self.query_goal and self.queries > self.query_goal:
            marks.append(f"over {self.query_goal} forespørgsler")
        if self.goal_s is not None and self.page_s > self.goal_s:
            marks.append(f"over {num(self.goal_s)} s")
        return marks


def median_seconds(
    fn: Callable[[], Any],
    repeat: int,
    before: Callable[[], None] | None = None,
    warm_up: bool = True,
) -> float:
    """Median wall time of ``fn`` over ``repeat`` runs (after a warm-up run unless told it is
    warm); ``before`` runs untimed ahead of each."""
    if warm_up:
        if before:
            before()
        fn()
    times = []
    for _n in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run_floor(statements: list[Statement]) -> int:
    from django.db import connection

    rows = 0
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            rows += len(cursor.fetchall())
    return rows


def _ct(model: Any) -> int:
    from django.contrib.contenttypes.models import ContentType

    return int(ContentType.objects.get_for_model(model).pk)


class Floors:
    """The raw SQL of each page; ``auth`` is what every request of a member reads."""

    def __init__(self, session_key: str, user_id: int) -> None:
        self.session_key = session_key
        self.user_id = user_id

    def auth(self, plan: Any) -> list[Statement]:
        from django.conf import settings
        from django.utils import timezone

        statements: list[Statement] = []
        if settings.SESSION_ENGINE in (
            "django.contrib.sessions.backends.db",
            "django.contrib.sessions.backends.cached_db",
        ):
            statements.append((
                "SELECT session_key, session_data, expire_date FROM django_session "
                "WHERE expire_date > %s AND session_key = %s",
                [timezone.now(), self.session_key],
            ))  # fmt: skip
        return [
            *statements,
            ("SELECT * FROM accounts_user WHERE id = %s", [self.user_id]),
            ("SELECT m.*, p.* FROM accounts_membership m JOIN plans_plan p ON p.id = m.plan_id "
             "WHERE m.user_id = %s AND p.slug = %s", [self.user_id, plan.slug]),
            ("SELECT ma.membership_id, a.* FROM accounts_membership_areas ma "
             "JOIN accounts_membership m ON m.id = ma.membership_id "
             "JOIN plans_housingarea a ON a.id = ma.housingarea_id "
             "WHERE m.user_id = %s AND m.plan_id = %s", [self.user_id, plan.pk]),
        ]  # fmt: skip

    @staticmethod
    def areas_and_focus(plan: Any) -> list[Statement]:
        return [
            ('SELECT * FROM plans_housingarea WHERE plan_id = %s ORDER BY "order"', [plan.pk]),
            ('SELECT * FROM plans_focusarea WHERE plan_id = %s ORDER BY "order"', [plan.pk]),
        ]

    def scorecard(self, plan: Any) -> list[Statement]:
        """The years offered are those of the observation rows: no statement of their own."""
        p = [plan.pk]
        return [
            *self.auth(plan),
            *self.areas_and_focus(plan),
            ("SELECT c.*, m.* FROM criteria_successcriterion c JOIN criteria_measure m "
             "ON m.id = c.measure_id WHERE c.plan_id = %s", p),
            (TARGETS, p),
            ("SELECT n.* FROM criteria_seednote n JOIN criteria_successcriterion c "
             "ON c.id = n.criterion_id WHERE c.plan_id = %s", p),
            ("SELECT o.measure_id, o.area_id, o.year, o.value, o.numerator, o.denominator, "
             "o.source_note, o.rating FROM criteria_observation o JOIN criteria_measure m "
             "ON m.id = o.measure_id WHERE m.plan_id = %s AND o.state = 'approved' "
             "AND o.variant = ''", p),
            ("SELECT v.series_id, v.year, v.value FROM criteria_referencevalue v "
             "JOIN criteria_referenceseries s ON s.id = v.series_id WHERE s.plan_id = %s", p),
        ]  # fmt: skip

    def criterion(self, criterion: Any) -> list[Statement]:
        from helhedsplan.criteria.models import Observation, SuccessCriterion, Target

        plan = criterion.plan
        c = [criterion.pk]
        return [
            *self.auth(plan),
            *self.areas_and_focus(plan),
            ("SELECT c.*, m.* FROM criteria_successcriterion c JOIN criteria_measure m "
             "ON m.id = c.measure_id WHERE c.plan_id = %s AND c.code = %s",
             [plan.pk, criterion.code]),
            ("SELECT t.*, ta.housingarea_id FROM criteria_target t LEFT JOIN criteria_target_areas "
             "ta ON ta.target_id = t.id WHERE t.criterion_id = %s", c),
            ("SELECT * FROM criteria_seednote WHERE criterion_id = %s", c),
            ("SELECT o.* FROM criteria_observation o JOIN criteria_successcriterion c "
             "ON c.measure_id = o.measure_id WHERE c.id = %s", c),
            ("SELECT s.*, v.* FROM criteria_referenceseries s LEFT JOIN criteria_referencevalue "
             "v ON v.series_id = s.id JOIN criteria_successcriterion c "
             "ON c.measure_id = s.measure_id WHERE c.id = %s", c),
            ("SELECT * FROM statusreports_statusreport WHERE plan_id = %s", [plan.pk]),
            ("SELECT e.*, u.username, u.first_name, u.last_name FROM audit_auditentry e "
             "LEFT JOIN accounts_user u ON u.id = e.actor_id WHERE e.plan_id = %s AND ("
             "(e.content_type_id = %s AND e.object_id = %s) OR "
             "(e.content_type_id = %s AND e.object_id IN "
             " (SELECT id FROM criteria_target WHERE criterion_id = %s)) OR "
             "(e.content_type_id = %s AND e.object_id IN (SELECT o.id FROM criteria_observation o "
             " JOIN criteria_successcriterion c ON c.measure_id = o.measure_id WHERE c.id = %s))"
             ") ORDER BY e.timestamp DESC LIMIT 50",
             [plan.pk, _ct(SuccessCriterion), criterion.pk, _ct(Target), criterion.pk,
              _ct(Observation), criterion.pk]),
        ]  # fmt: skip

    def delivery(self, plan: Any, year: int) -> list[Statement]:
        p = [plan.pk]
        return [
            *self.auth(plan),
            *self.areas_and_focus(plan),
            ("SELECT DISTINCT year FROM activities_registration WHERE plan_id = %s", p),
            ("SELECT * FROM activities_deliverysettings WHERE plan_id = %s", p),
            ('SELECT * FROM activities_activity WHERE plan_id = %s ORDER BY "order"', p),
            ("SELECT aa.activity_id, aa.area_id FROM activities_activityarea aa "
             "JOIN activities_activity a ON a.id = aa.activity_id WHERE a.plan_id = %s", p),
            ("SELECT q.activity_id, q.area_id, q.quarter, q.quantity FROM "
             "activities_plannedquantity q JOIN activities_activity a ON a.id = q.activity_id "
             "WHERE a.plan_id = %s AND q.year = %s", [plan.pk, year]),
            ("SELECT r.activity_id, r.area_id, r.quarter, COUNT(*), SUM(r.participants) "
             "FROM activities_registration r WHERE r.plan_id = %s AND r.year = %s "
             "GROUP BY r.activity_id, r.area_id, r.quarter", [plan.pk, year]),
        ]  # fmt: skip

    def overview(self, plan: Any) -> list[Statement]:
        from django.utils import timezone

        p = [plan.pk]
        return [
            *self.auth(plan),
            *self.areas_and_focus(plan),
            ("SELECT * FROM criteria_successcriterion WHERE plan_id = %s", p),
            ("SELECT * FROM activities_activity WHERE plan_id = %s", p),
            ("SELECT b.kind, COUNT(m.id) FROM organisation_body b LEFT JOIN "
             "organisation_membership m ON m.body_id = b.id AND (m.end_date IS NULL OR "
             "m.end_date >= %s) WHERE b.plan_id = %s GROUP BY b.kind",
             [timezone.localdate(), plan.pk]),
            ("SELECT kind, SUM(amount_tkr) FROM finance_fundingsource WHERE plan_id = %s "
             "GROUP BY kind", p),
            ("SELECT m.role FROM accounts_membership m JOIN accounts_user u ON u.id = m.user_id "
             "WHERE m.plan_id = %s AND u.is_active", p),
            ("SELECT * FROM accounts_invitation WHERE plan_id = %s", p),
            ("SELECT * FROM lists_listvision WHERE plan_id = %s", p),
            ("SELECT h.* FROM plans_housingorganisation h JOIN plans_plan_housing_organisations "
             "x ON x.housingorganisation_id = h.id WHERE x.plan_id = %s", p),
        ]  # fmt: skip

    def audit(self, plan: Any) -> list[Statement]:
        p = [plan.pk]
        return [
            *self.auth(plan),
            ('SELECT * FROM plans_focusarea WHERE plan_id = %s ORDER BY "order"', p),
            ("SELECT * FROM accounts_user WHERE id IN "
             "(SELECT actor_id FROM audit_auditentry WHERE plan_id = %s)", p),
            ("SELECT DISTINCT content_type_id, event FROM audit_auditentry WHERE plan_id = %s", p),
            ("SELECT COUNT(*) FROM audit_auditentry WHERE plan_id = %s", p),
            ("SELECT e.*, u.*, ct.* FROM audit_auditentry e LEFT JOIN accounts_user u "
             "ON u.id = e.actor_id JOIN django_content_type ct ON ct.id = e.content_type_id "
             "WHERE e.plan_id = %s ORDER BY e.timestamp DESC, e.id DESC LIMIT 50", p),
            # The names the diffs' foreign keys point at (the plan's measures and areas).
            ("SELECT id, name FROM criteria_measure WHERE plan_id = %s", p),
            ("SELECT id, name FROM plans_housingarea WHERE plan_id = %s", p),
        ]  # fmt: skip

    def agreement(self, version: Any) -> list[Statement]:
        plan = version.plan
        p = [plan.pk]
        return [
            *self.auth(plan),
            *self.areas_and_focus(plan),
            ("SELECT v.* FROM agreements_agreementversion v WHERE v.plan_id = %s AND v.number = %s",
             [plan.pk, version.number]),
            ('SELECT * FROM agreements_agreementsection WHERE version_id = %s ORDER BY "order"',
             [version.pk]),
            ("SELECT b.*, m.*, pe.* FROM organisation_body b LEFT JOIN organisation_membership m "
             "ON m.body_id = b.id LEFT JOIN organisation_person pe ON pe.id = m.person_id "
             "WHERE b.plan_id = %s", p),
            ("SELECT c.*, m.* FROM criteria_successcriterion c JOIN criteria_measure m "
             "ON m.id = c.measure_id WHERE c.plan_id = %s", p),
            (TARGETS, p),
            ("SELECT * FROM criteria_referenceseries WHERE plan_id = %s", p),
            ("SELECT * FROM finance_fundingsource WHERE plan_id = %s", p),
        ]  # fmt: skip


def pages(data: Dataset, floors: Floors, year: int = 2019) -> list[Page]:
    from helhedsplan.agreements.models import AgreementVersion
    from helhedsplan.criteria import services
    from helhedsplan.criteria.models import SuccessCriterion, Target

    plan = data.plans[0]
    criterion = (
        SuccessCriterion.objects.filter(plan=plan).select_related("plan").order_by("order").first()
    )
    assert criterion is not None
    target = Target.objects.filter(criterion=criterion).first()
    version = (
        AgreementVersion.objects.filter(plan=data.demo, status="approved")
        .select_related("plan")
        .order_by("-number")
        .first()
    )
    assert version is not None
    base = f"/planer/{plan.slug}/"
    # The data set's targets are 30: the first write must change the value (31, 30, 31, ...),
    # or it writes nothing, raises no version and the "cold" request is a warm one.
    values = iter(Decimal(31 - n % 2) for n in range(10_000))

    def write() -> None:
        """An audited write to the plan: every cache keyed by its data version misses."""
        assert target is not None
        services.target_update(
            target=target, user=data.user, reason="Bench: en ændring", value=next(values)
        )

    return [
        Page("Resultatoversigt", f"{base}succeskriterier/?aar={year}",
             lambda: floors.scorecard(plan)),
        Page("Resultatoversigt", f"{base}succeskriterier/?aar={year}",
             lambda: floors.scorecard(plan), cache="kold", before=write),
        Page("Succeskriterium", f"{base}succeskriterier/{criterion.code}/",
             lambda: floors.criterion(criterion)),
        Page("Leverancemåling", f"{base}leverancemaaling/?aar={year}",
             lambda: floors.delivery(plan, year)),
        Page("Planens forside", base, lambda: floors.overview(plan)),
        Page("Revisionsspor (50 rækker)", f"{base}revisionsspor/", lambda: floors.audit(plan)),
        Page("Aftalen som PDF", f"/planer/{data.demo.slug}/eksport/aftale.pdf?version="
             f"{version.number}", lambda: floors.agreement(version), goal_s=PDF_GOAL_S),
    ]  # fmt: skip


def client_for(user: Any) -> tuple[Any, Floors]:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client, Floors(client.cookies[settings.SESSION_COOKIE_NAME].value, user.pk)


def measure(page: Page, client: Any, repeat: int) -> Row:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    statuses = {client.get(page.url).status_code}
    if page.before:
        page.before()
    with CaptureQueriesContext(connection) as captured:
        statuses.add(client.get(page.url).status_code)
    queries = len(captured.captured_queries)

    def request() -> None:
        statuses.add(client.get(page.url).status_code)

    # Warm: the two requests above.
    page_s = median_seconds(request, repeat, page.before, warm_up=False)
    statements = page.floor()
    floor_rows = run_floor(statements)
    floor_s = median_seconds(lambda: run_floor(statements), repeat, warm_up=False)
    status = max(statuses, key=lambda code: code != 200)
    return Row(page.name, page.cache, page_s, floor_s, floor_rows, queries, status, page.goal_s)


def bench_import(data: Dataset, repeat: int, years: range = range(2022, 2026)) -> Row:
    """observations_import (validation, all-or-nothing, an audit entry per row, the import's
    event) against a bare bulk_create of the same observations and their audit entries,
    both rolled back. Its statements (without transaction control) are held to the pages'
    10 for these 640 rows; the inserts go in batches (2.000 observations, 1.000 audit
    entries), so a larger file costs an insert more per batch, whatever the number of
    measures it covers."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from helhedsplan.audit.models import AuditEntry
    from helhedsplan.criteria import services
    from helhedsplan.criteria.models import Observation, SuccessCriterion

    plan = data.plans[-1]
    criteria = list(SuccessCriterion.objects.filter(plan=plan).select_related("measure"))
    areas = list(plan.areas.all())
    rows = [
        services.ImportRow(line=i + 2, code=c.code, area=a.slug, year=y,
                           value=None, numerator=Decimal(20), denominator=Decimal(100),
                           source="bench")
        for i, (c, a, y) in enumerate((c, a, y) for c in criteria for a in areas for y in years)
    ]  # fmt: skip

    class Rollback(Exception):
        pass

    def ours() -> None:
        try:
            with transaction.atomic():
                services.observations_import(plan=plan, rows=rows, approve=True)
                raise Rollback
        except Rollback:
            pass

    content_type = ContentType.objects.get_for_model(Observation)

    def bare() -> None:
        """What the import must write, by the fastest road: the observations and an audit
        entry for each (the product may not write one without the other)."""
        try:
            with transaction.atomic():
                written = Observation.objects.bulk_create(
                    [Observation(measure=c.measure, area=a, year=y, value=Decimal(20),
                                 numerator=20, denominator=100, state="approved",
                                 source_note="bench")
                     for c in criteria for a in areas for y in years],
                    batch_size=2000,
                )  # fmt: skip
                AuditEntry.objects.bulk_create(
                    [AuditEntry(content_type=content_type, object_pk=str(o.pk), object_id=o.pk,
                                object_repr="bench", action=AuditEntry.Action.CREATE,
                                changes={"value": ["None", "20"]}, plan_id=plan.pk)
                     for o in written],
                    batch_size=2000,
                )  # fmt: skip
                raise Rollback
        except Rollback:
            pass

    ours()  # as for the pages, the count is taken on a run of its own after the first
    with CaptureQueriesContext(connection) as captured:
        ours()
    statements = [q for q in captured.captured_queries if not _transaction_control(q["sql"])]
    row = Row(f"Import af {len(rows)} observationer", "-", median_seconds(ours, repeat),
              median_seconds(bare, repeat), len(rows), len(statements),
              floor_name="bulk_create + revisionsspor")  # fmt: skip
    return row


def _transaction_control(sql: str) -> bool:
    """BEGIN, SAVEPOINT, RELEASE, ROLLBACK: the bench's rolled-back transaction around the
    import and the import's own atomic block (a COMMIT in production), not its work."""
    return sql.split(None, 1)[0].upper() in {"BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT"}


def bench_pages(data: Dataset, repeat: int, import_years: range = range(2022, 2026)) -> list[Row]:
    client, floors = client_for(data.user)
    rows = [measure(page, client, repeat) for page in pages(data, floors)]
    rows.append(bench_import(data, repeat, import_years))
    return rows


def write_costs(data: Dataset, repeat: int) -> list[str]:
    """The other side of the cold row: the write that precedes it, with and without
    rendering the views read lately on commit, and the first read of the scorecard after a
    write when nothing was rendered for it (a view nobody read in the last hours)."""
    from django.test import override_settings

    client, floors = client_for(data.user)
    cold = next(p for p in pages(data, floors) if p.cache == "kold")
    assert cold.before is not None
    write = cold.before
    client.get(cold.url)  # the view is read: the write renders it again
    with_rewarm = median_seconds(write, repeat)
    with override_settings(FRAGMENT_REWARM=0):
        without = median_seconds(write, repeat)
        unread = median_seconds(lambda: client.get(cold.url), repeat, before=write)
    floor = median_seconds(lambda: run_floor(cold.floor()), repeat)
    return [
        f"Skrivningen før den kolde række (et mål ændret, target_update): {ms(with_rewarm)} "
        f"med gentegning af de læste visninger, {ms(without)} uden (FRAGMENT_REWARM=0).",
        f"Første læsning af en visning, ingen har læst de sidste timer, efter en skrivning: "
        f"{ms(unread)} ({num(unread / floor)}x gulvet på {ms(floor)}).",
    ]


def table(rows: list[Row], engine: str, when: datetime | None = None) -> str:
    """One table, Markdown, so it can go into the README as printed."""
    lines = [
        f"| side ({engine}) | cache | svartid | gulv | gulvets rækker | forhold | forespørgsler "
        "| over målet |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.name} | {r.cache} | {ms(r.page_s)} | {ms(r.floor_s)} ({r.floor_name}) | "
            f"{_int(r.floor_rows)} | {num(r.ratio, 1)}x | "
            f"{r.queries if r.queries is not None else ''} | {'; '.join(r.marks)} |"
        )
    return "\n".join(lines)


def _int(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def num(value: float, decimals: int = 1) -> str:
    return f"{value:.{decimals}f}".replace(".", ",")


def ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{num(ms, 1 if ms < 100 else 0)} ms"
