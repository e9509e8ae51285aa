"""A closed plan is read-only at the data layer too: no audited row of it is written.

``accounts.access.PlanAccess.can`` hides every form and refuses every POST on a closed plan;
this guard makes the services refuse as well, whoever calls them (the CLI, the API, the demo
loader, an import): before any ``Audited`` row of a closed plan is saved or deleted, or its
many-to-many links change, ``ValidationError`` with code ``plan_closed``. Writes that skip
the model signals (``bulk_create``/``bulk_update``) call ``ensure_plan_open`` themselves
(``tests/plans/test_closing.py`` finds every bulk write and checks that its module does).

Two writes are let through, explicitly: ``plan_reopen`` itself (inside
``writes_allowed(plan_id)``), and the audit trail, which is not an ``Audited`` model (an
entry is written for every download of a closed plan's documents). Roles on the plan
(``accounts.Membership``) are not plan content: giving someone read access to a closed
plan, or taking it away, stays possible.

Whether a plan is closed is read once per transaction, not per row: the answer is kept on
the database connection for as long as the outermost transaction lasts (it is recognised by
Django's list of on-commit callbacks, which is replaced whenever a transaction or savepoint
ends, so a new transaction always reads again), and updated when the plan itself is saved.
Outside a transaction every write reads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save
from django.utils.translation import gettext as _

from helhedsplan.lib.models import Audited

# Models a closed plan still writes: who holds a role on it (read access), not its content.
EXEMPT = frozenset({"accounts.membership"})

_allowed: ContextVar[frozenset[int]] = ContextVar("closed_plan_writes", default=frozenset())
_CACHE = "_helhedsplan_closed_plans"


@contextmanager
def writes_allowed(plan_id: int) -> Iterator[None]:
    """Let writes to this closed plan through (``plan_reopen`` only)."""
    token = _allowed.set(_allowed.get() | {plan_id})
    try:
        yield
    finally:
        _allowed.reset(token)


def _cache(using: str) -> dict[int, bool] | None:
    """plan id -> closed, for the current transaction; None outside one."""
    connection = connections[using]
    if not connection.in_atomic_block:
        return None
    marker = connection.run_on_commit
    held: tuple[list[Any], dict[int, bool]] | None = getattr(connection, _CACHE, None)
    if held is None or held[0] is not marker:
        held = (marker, {})
        setattr(connection, _CACHE, held)
    return held[1]


def is_closed(plan_id: int, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the plan is closed as stored (one query per transaction and plan)."""
    from helhedsplan.plans.models import Plan

    cache = _cache(using)
    if cache is not None and plan_id in cache:
        return cache[plan_id]
    closed = Plan.objects.using(using).filter(pk=plan_id, closed_at__isnull=False).exists()
    if cache is not None:
        cache[plan_id] = closed
    return closed


def plan_closed_error() -> ValidationError:
    return ValidationError(
        _(
            "Planen er afsluttet og kan kun læses. Intet er gemt. Et afsluttet planforløb "
            "kan genåbnes af systemets administratorer."
        ),
        code="plan_closed",
    )


def ensure_plan_open(plan_id: int | None, using: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse (code ``plan_closed``) a write to a closed plan, unless ``writes_allowed``."""
    if plan_id is None or plan_id in _allowed.get():
        return
    if is_closed(plan_id, using):
        raise plan_closed_error()


def _guarded(instance: Any) -> bool:
    return isinstance(instance, Audited) and instance._meta.label_lower not in EXEMPT


def _check(instance: Audited, using: str) -> None:
    if instance._meta.label_lower == "plans.plan" and instance.pk is None:
        return  # a new plan is not closed
    ensure_plan_open(instance.audit_plan_id, using)


def _before_save(sender: type[models.Model], instance: Any, using: str, **kwargs: Any) -> None:
    if _guarded(instance):
        _check(instance, using)


def _before_delete(sender: type[models.Model], instance: Any, using: str, **kwargs: Any) -> None:
    if _guarded(instance):
        _check(instance, using)


def _before_links(sender: Any, instance: Any, action: str, using: str, **kwargs: Any) -> None:
    if action.startswith("pre_") and _guarded(instance):
        _check(instance, using)


def _plan_saved(sender: type[models.Model], instance: Any, using: str, **kwargs: Any) -> None:
    """The plan's own state, as just written, is what the rest of the transaction sees."""
    cache = _cache(using)
    if cache is not None:
        cache[instance.pk] = instance.closed_at is not None


def install(model_classes: list[type[models.Model]]) -> None:
    """Connect the guard to every audited model (``PlansConfig.ready``)."""
    from helhedsplan.plans.models import Plan

    for model in model_classes:
        if not _guarded_model(model):
            continue
        uid = f"closed-plan-guard-{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid)
        pre_delete.connect(_before_delete, sender=model, dispatch_uid=uid)
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through  # type: ignore[attr-defined]
            m2m_changed.connect(_before_links, sender=through, dispatch_uid=f"{uid}-{field.name}")
    post_save.connect(_plan_saved, sender=Plan, dispatch_uid="closed-plan-cache")


def _guarded_model(model: type[models.Model]) -> bool:
    return (
        issubclass(model, Audited)
        and not model._meta.abstract
        and model._meta.label_lower not in EXEMPT
    )
