"""Recording business events that are not plain field changes (downloads, approvals)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from django.db import models

from helhedsplan.audit.context import check_reason
from helhedsplan.audit.models import AuditEntry, concrete_changes
from helhedsplan.plans import versions


def audit_event(
    *,
    instance: models.Model,
    event: str,
    actor: Any = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Write one entry for ``event`` (a dotted code such as ``file.downloaded``).

    A ``reason`` holding a CPR number is refused (``audit.context.check_reason``).
    """
    check_reason(reason)
    entry: AuditEntry = AuditEntry.objects.log_create(
        instance,
        force_log=True,
        action=AuditEntry.Action.ACCESS,
        event=event,
        changes=changes or {},
        actor=actor,
        reason=reason,
    )
    return entry


def audit_changes(
    *,
    changes: Iterable[tuple[models.Model | None, models.Model]],
    actor: Any = None,
    reason: str = "",
) -> list[AuditEntry]:
    """One entry per object written in bulk (``bulk_create``/``bulk_update`` skip the
    signals auditlog writes entries from): ``(None, obj)`` records a creation, ``(before,
    obj)`` a change, with auditlog's own field diff so they read like any other entry.
    Pairs without a difference are skipped. Written with one ``bulk_create``."""
    from auditlog.cid import get_cid
    from auditlog.context import auditlog_value
    from auditlog.diff import model_instance_diff
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.utils.encoding import smart_str

    as_json = getattr(settings, "AUDITLOG_STORE_JSON_CHANGES", False)
    try:
        remote_addr = auditlog_value.get().get("remote_addr")
    except LookupError:
        remote_addr = None
    cid = get_cid()
    entries = []
    changes = list(changes)
    plain_fields: dict[type[models.Model], list[Any] | None] = {}
    focus_areas = _focus_areas_across_many([after for _before, after in changes])
    for before, after in changes:
        model = type(after)
        if model not in plain_fields:
            plain_fields[model] = _plain_tracked_fields(after)
        fields = plain_fields[model]
        if fields is None:
            diff = model_instance_diff(before, after, use_json_for_changes=as_json)
        else:
            diff = _diff(before, after, fields, as_json)
        diff = concrete_changes(model, diff)
        if not diff:
            continue
        entries.append(
            AuditEntry(
                content_type=ContentType.objects.get_for_model(after),
                object_pk=str(after.pk),
                object_id=after.pk if isinstance(after.pk, int) else None,
                object_repr=smart_str(after),
                action=AuditEntry.Action.CREATE if before is None else AuditEntry.Action.UPDATE,
                changes=diff,
                actor=actor,
                actor_email=getattr(actor, "email", None) if actor is not None else None,
                remote_addr=remote_addr,
                cid=cid,
                plan_id=getattr(after, "audit_plan_id", None),
                focus_area_id=_focus_area_id(after, focus_areas),
                reason=reason,
            )
        )
    written: list[AuditEntry] = AuditEntry.objects.bulk_create(entries, batch_size=1000)
    if written:
        versions.bump({entry.plan_id for entry in written})
    return written


def _focus_area_id(
    instance: models.Model, known: dict[tuple[type[models.Model], Any], int | None]
) -> int | None:
    """``audit_focus_area_id``, remembered per parent: a bulk import of a measure's
    observations or an activity's registrations reads the focus area once."""
    path = getattr(instance, "focus_area_path", None)
    if path is None:
        return None
    first = path.split("__")[0]
    if first in ("pk", path):
        return getattr(instance, "audit_focus_area_id", None)
    attname = getattr(type(instance)._meta.get_field(first), "attname", first)
    key = (type(instance), getattr(instance, attname))
    if key not in known:
        known[key] = getattr(instance, "audit_focus_area_id", None)
    return known[key]


def _focus_areas_across_many(
    objects: list[models.Model],
) -> dict[tuple[type[models.Model], Any], int | None]:
    """What ``_focus_area_id`` remembers, read ahead in one query per model whose path
    crosses a to-many relation after the parent (an observation's: its measure's first
    criterion's focus area), which ``audit_focus_area_id`` reads with a query per parent:
    an import of 40 measures' figures read 40. The same first-by-pk at each to-many hop."""
    routes: dict[type[models.Model], _Route | None] = {}
    parents: dict[type[models.Model], set[Any]] = {}
    for obj in objects:
        model = type(obj)
        if model not in routes:
            routes[model] = _through_many(model)
        route = routes[model]
        if route is not None:
            parents.setdefault(model, set()).add(getattr(obj, route.attname))
    known: dict[tuple[type[models.Model], Any], int | None] = {}
    for model, ids in parents.items():
        route = routes[model]
        assert route is not None
        rows = (
            route.parent._default_manager.filter(pk__in=ids - {None})
            .order_by("pk", *route.order)
            .values_list("pk", route.rest)
        )
        for pk, focus_area_id in rows:
            known.setdefault((model, pk), focus_area_id)
    return known


class _Route(NamedTuple):
    attname: str  # the parent's foreign key on the object
    parent: type[models.Model]
    rest: str  # the path from the parent
    order: list[str]  # the to-many hops from the parent, each first by pk


def _through_many(model: type[models.Model]) -> _Route | None:
    """The route of a ``focus_area_path`` that leaves through a foreign key and then crosses
    a to-many relation ("measure__criteria__focus_area"); None for any other path (read
    by ``audit_focus_area_id``, which costs no query when the parent is loaded)."""
    path = getattr(model, "focus_area_path", None)
    if not path or "__" not in path:
        return None
    first, rest = path.split("__", 1)
    field = model._meta.get_field(first)
    if not isinstance(field, models.ForeignKey):
        return None
    parent: Any = field.related_model
    hop_model = parent
    hops: list[str] = []
    order: list[str] = []
    for hop in rest.split("__")[:-1]:
        hop_field = hop_model._meta.get_field(hop)
        hops.append(hop)
        if hop_field.one_to_many or hop_field.many_to_many:
            order.append("__".join(hops) + "__pk")
        hop_model = hop_field.related_model
    if not order:
        return None
    return _Route(field.attname, parent, rest, order)


def _plain_tracked_fields(instance: models.Model) -> list[Any] | None:
    """The fields auditlog diffs for this model, or None when its registration filters or
    masks fields (then auditlog's own, slower ``model_instance_diff`` is used)."""
    from auditlog.diff import get_fields_in_model
    from auditlog.registry import auditlog

    options = auditlog.get_model_fields(type(instance))
    if options["include_fields"] or options["exclude_fields"] or options["mask_fields"]:
        return None
    return [f for f in get_fields_in_model(instance) if f.concrete or not f.auto_created]


def _diff(
    before: models.Model | None, after: models.Model, fields: list[Any], as_json: bool
) -> dict[str, Any] | None:
    """``auditlog.diff.model_instance_diff`` for unfiltered fields, without its per-call
    set-up: a bulk import diffs hundreds of objects of one model."""
    from auditlog.diff import get_field_value, is_primitive
    from django.utils.encoding import smart_str

    diff: dict[str, Any] = {}
    for field in fields:
        # A created object's "before" is auditlog's default for a missing instance: None.
        old = get_field_value(before, field, as_json) if before is not None else None
        if before is None and not as_json:
            old = smart_str(None)
        new = get_field_value(after, field, as_json)
        if old == new:
            continue
        if not as_json:
            diff[field.name] = (smart_str(old), smart_str(new))
        else:
            diff[field.name] = (
                old if is_primitive(old) else smart_str(old),
                new if is_primitive(new) else smart_str(new),
            )
    return diff or None
