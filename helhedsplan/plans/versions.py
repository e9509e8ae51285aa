"""The plan's data version and its trail: two counters per plan, raised by its audit entries.

Every change to domain data writes an audit entry (``audit.models.AuditEntryManager`` and
``audit.services.audit_changes``), and so does a pure read that must be on the record (a
download: ``audit.services.audit_event(..., data_changed=False)``). Each entry raises its
plan's counters in the same transaction:

* ``version``, the data version, by every entry that records a change. A cache of anything
  computed from a plan's data (the scorecard's evaluated cells, a rendered fragment, the
  agreement's PDF) is keyed by ``cache_key(plan_id, ...)``, which holds it: a write makes
  every older key unreachable, on every app server, without a cache to clear.
* ``trail`` by every entry, a change or a read. What shows the audit trail itself (the trail
  page, its filter's choices and count) is keyed by it as well (``cache_key(..., trail=)``),
  so a download shows there at once while the pages of the plan's data stay warm: a
  download changes no data, and no page but the trail shows it.

The two mistakes are not alike: a read filed as a change only costs (the plan's caches go
cold for nothing), a change filed as a read would leave pages stale. So a change is the
default, and a read says so where it is audited (``data_changed=False``), never guessed from
an event's name.

Why a counter and not the newest audit entry's id: on PostgreSQL two writers take ids in one
order and commit in another, so a reader could see the higher id before the lower one's
data and cache the older data under the newer id for good. The counter's row is locked by
the first writer's upsert until it commits; the second waits, so a committed count always
covers every commit before it.

Installation-wide data (the frameworks, the indicator catalogue, the lists' national
figures, people's names) has no plan: ``INSTALLATION`` is its counter (plan id 0 never names
a plan), raised by changes filed under no plan. A read filed under no plan raises nothing:
no cached page shows the entries filed under no plan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import connection, transaction

from helhedsplan.lib import cached

if TYPE_CHECKING:
    from helhedsplan.plans.models import Plan, PlanDataVersion

T = TypeVar("T")

# Entries filed under no plan (installation-wide data) raise this counter.
INSTALLATION = 0
_TABLE = "plans_installationdataversion"


# The raises gathered by ``batched``: for each plan (None: the installation), whether any
# of its gathered entries recorded a change (else only reads were gathered).
_batch: ContextVar[dict[int | None, bool] | None] = ContextVar("versions_batch", default=None)

# Called after commit with the ids of the plans whose data version a transaction raised
# (``plans.fragments`` renders the views read lately again, so the first reader after a
# write finds them).
_listeners: list[Callable[[frozenset[int]], object]] = []


def on_raised(listener: Callable[[frozenset[int]], object]) -> None:
    """Call ``listener(plan_ids)`` once per committed transaction that raised plans' data
    versions (at once outside a transaction; a read, which raises only the trail, calls
    nobody). A listener's error is logged; the write it
    follows has committed and stands."""
    if listener not in _listeners:
        _listeners.append(listener)


class _AfterCommit:
    """The one on-commit callback of a transaction: every plan it raised, gathered."""

    def __init__(self) -> None:
        self.plans: set[int] = set()

    def __call__(self) -> None:
        for listener in list(_listeners):
            listener(frozenset(self.plans))


def _after_commit(plans: Iterable[int]) -> None:
    if not _listeners:
        return
    if connection.in_atomic_block:
        # A transaction that raises many times (an approval writes several entries) gets one
        # callback: the one registered at the same savepoint takes the new plans (one of
        # another savepoint may yet be rolled back without this one).
        here = set(connection.savepoint_ids)
        for entry in connection.run_on_commit:  # (savepoint ids, callback, robust)
            func = entry[1]
            if isinstance(func, _AfterCommit) and entry[0] == here:
                func.plans.update(plans)
                return
    callback = _AfterCommit()
    callback.plans.update(plans)
    transaction.on_commit(callback, robust=True)


@contextmanager
def batched() -> Iterator[None]:
    """Inside: the raises are gathered and made once each when the block ends (an import
    that audits a thousand rows one by one raises its plan's counters once, not a thousand
    times): the data version of each plan some gathered entry changed, the trail of each
    plan with any gathered entry. Use it inside the writer's transaction, so the raise still
    commits with the writes it covers."""
    if _batch.get() is not None:  # already gathering: the outer block raises
        yield
        return
    token = _batch.set({})
    try:
        yield
        gathered = _batch.get() or {}
    finally:
        _batch.reset(token)
    changed = [p for p, data_changed in gathered.items() if data_changed]
    read = [p for p, data_changed in gathered.items() if not data_changed]
    if changed:
        bump(changed)
    if read:
        bump(read, data_changed=False)


def bump(plan_ids: Iterable[int | None], *, data_changed: bool = True) -> None:
    """Count an audit entry under each plan in ``plan_ids`` (None: the installation). An
    entry that records a change (``data_changed``) raises the plan's data version and its
    trail by one, or the installation's counter; one that records a read raises the plan's
    trail alone, and nothing for the installation."""
    ids = list(plan_ids)
    gathering = _batch.get()
    if gathering is not None:
        for plan_id in ids:
            gathering[plan_id] = gathering.get(plan_id, False) or data_changed
        return
    plans = sorted({p for p in ids if p is not None})
    if data_changed:
        upsert = (
            "INSERT INTO plans_plandataversion (plan_id, version, trail) VALUES (%s, 1, 1) "
            "ON CONFLICT (plan_id) DO UPDATE SET version = plans_plandataversion.version + 1, "
            "trail = plans_plandataversion.trail + 1"
        )
    else:
        upsert = (
            "INSERT INTO plans_plandataversion (plan_id, version, trail) VALUES (%s, 0, 1) "
            "ON CONFLICT (plan_id) DO UPDATE SET trail = plans_plandataversion.trail + 1"
        )
    with connection.cursor() as cursor:
        # Sorted, so two writers touching the same plans lock their rows in one order.
        for plan_id in plans:
            cursor.execute(upsert, [plan_id])
        if data_changed and any(p is None for p in ids):
            cursor.execute(
                f"INSERT INTO {_TABLE} (id, version) VALUES (1, 1) "  # noqa: S608 (a constant)
                f"ON CONFLICT (id) DO UPDATE SET version = {_TABLE}.version + 1"
            )
    if plans and data_changed:  # a read leaves every fragment of the data where it was
        _after_commit(plans)


def current(plan_id: int) -> int:
    """The plan's data version now (0 before its first audited change). One query."""
    return current_with_trail(plan_id)[0]


def current_with_trail(plan_id: int) -> tuple[int, int]:
    """The plan's data version and trail now, (0, 0) before its first entry. One query."""
    from helhedsplan.plans.models import PlanDataVersion

    found = PlanDataVersion.objects.filter(plan_id=plan_id).values_list("version", "trail")
    counters = found.first()
    return (int(counters[0]), int(counters[1])) if counters else (0, 0)


def of(plan: Plan) -> int:
    """The data version of ``plan`` as it was loaded: no query when the plan was fetched
    with ``select_related("data_version")`` (as ``accounts.access.get_plan_access`` fetches
    a page's plan, before anything the page shows), else one. For a request's reads only:
    the value does not follow writes made after the plan was loaded."""
    loaded = _loaded(plan)
    return int(loaded.version) if loaded is not None else 0


def trail_of(plan: Plan) -> int:
    """The trail counter of ``plan`` as it was loaded, as ``of`` reads the data version
    (from the same row: no query more)."""
    loaded = _loaded(plan)
    return int(loaded.trail) if loaded is not None else 0


def _loaded(plan: Plan) -> PlanDataVersion | None:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        loaded: PlanDataVersion = plan.data_version
    except ObjectDoesNotExist:
        return None
    return loaded


def current_installation() -> int:
    """The installation-wide counter now (0 before the first change). One query."""
    from helhedsplan.plans.models import InstallationDataVersion

    version = InstallationDataVersion.objects.filter(pk=1).values_list("version", flat=True)
    return version.first() or 0


def installation_subquery() -> Any:
    """The installation's counter as a subquery, to read with a page's first query
    (``accounts.access.get_plan_access``) instead of a query of its own."""
    from django.db.models import Subquery

    from helhedsplan.plans.models import InstallationDataVersion

    return Subquery(InstallationDataVersion.objects.filter(pk=1).values("version")[:1])


def carry_installation(plan: Plan, version: int | None) -> None:
    """Remember on ``plan`` the installation's counter read with it (None: no row yet)."""
    plan._installation_version = version or 0  # type: ignore[attr-defined]


def installation_of(plan: Plan) -> int:
    """The installation's counter as read with ``plan`` (``carry_installation``), else
    ``current_installation``'s one query. Like ``of``: for a request's reads only."""
    known: int | None = getattr(plan, "_installation_version", None)
    return current_installation() if known is None else known


def cache_key(
    plan_id: int,
    name: str,
    *parts: object,
    version: int | None = None,
    trail: int | None = None,
) -> str:
    """A cache key for ``name`` (e.g. "scorecard") of the plan, under its current data
    version (or the ``version`` the caller already read), with ``parts`` (the year, the
    language, the reader's kind of copy) that make the value differ. A value that shows
    audit entries passes the plan's ``trail`` counter too (``current_with_trail``,
    ``trail_of``): then a download, which raises only the trail, makes a new key."""
    if version is None:
        version = current(plan_id)
    tail = ":".join(str(p) for p in parts)
    counters = f"v{version}" if trail is None else f"v{version}t{trail}"
    return f"hp:{name}:{plan_id}:{counters}:{tail}"


def current_many(plan_ids: Iterable[int]) -> dict[int, int]:
    """The data versions of several plans in one query (0 for a plan without one yet)."""
    from helhedsplan.plans.models import PlanDataVersion

    ids = list(plan_ids)
    found = dict(PlanDataVersion.objects.filter(plan_id__in=ids).values_list("plan_id", "version"))
    return {plan_id: found.get(plan_id, 0) for plan_id in ids}


def per_plan(
    name: str,
    plan_ids: Iterable[int],
    compute: Callable[[int], T],
    *parts: object,
    installation: bool = False,
) -> dict[int, T]:
    """``compute(plan_id)`` for each plan, from the cache where the plan's data has not
    changed since it was computed: the versions in one query (two with ``installation``,
    for values that also read installation-wide data), the cache in one round trip, and
    ``compute`` only for the plans whose key is missing. ``parts`` must hold everything
    else the value depends on (the day, the language)."""
    ids = list(plan_ids)
    counters = current_many(ids)
    tail: tuple[object, ...] = parts
    if installation:
        tail = (*parts, f"i{current_installation()}")
    keys = {pk: cache_key(pk, name, *tail, version=counters[pk]) for pk in ids}
    return cached.get_many_or_build(keys, compute)
