"""Recording business events that are not plain field changes (downloads, approvals)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
    data_changed: bool = True,
) -> AuditEntry:
    """Write one entry for ``event`` (a dotted code such as ``file.downloaded``).

    ``data_changed``: whether the event went with a change to the data (an approval, an
    import, an upload: the default), which raises the plan's data version, so every cache
    of the plan's data misses; ``False`` for an event that only read (a download), which
    raises the plan's trail counter alone (``plans.versions``): the trail shows it at once
    and the plan's other pages stay cached. Say ``False`` only where nothing was written: a
    change recorded as a read would leave pages stale.

    A ``reason`` holding a CPR number is refused (``audit.context.check_reason``).
    """
    check_reason(reason)
    entry: AuditEntry = AuditEntry.objects.log_create(
        instance,
        force_log=True,
        data_changed=data_changed,
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
    plain_fields: dict[type[models.Model], list[_Reader] | None] = {}
    focus_areas = _focus_areas_across_many([after for _before, after in changes])
    for before, after in changes:
        model = type(after)
        if model not in plain_fields:
            plain_fields[model] = _plain_tracked_fields(after, as_json)
        fields = plain_fields[model]
        if fields is None:
            diff = concrete_changes(
                model, model_instance_diff(before, after, use_json_for_changes=as_json)
            )
        else:  # the tracked fields hold no reverse relation: nothing for concrete_changes
            diff = _diff(before, after, fields, as_json)
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


_Reader = tuple[str, Callable[[models.Model], Any]]  # a field's name and its value's reader


def _plain_tracked_fields(instance: models.Model, as_json: bool) -> list[_Reader] | None:
    """The fields auditlog diffs for this model, each with ``_reader``'s reader, or None
    when its registration filters or masks fields (then auditlog's own, slower
    ``model_instance_diff`` is used)."""
    from auditlog.diff import get_fields_in_model
    from auditlog.registry import auditlog

    options = auditlog.get_model_fields(type(instance))
    if options["include_fields"] or options["exclude_fields"] or options["mask_fields"]:
        return None
    fields = [f for f in get_fields_in_model(instance) if f.concrete or not f.auto_created]
    return [(field.name, _reader(field, as_json)) for field in fields]


def _reader(field: Any, as_json: bool) -> Callable[[models.Model], Any]:
    """``auditlog.diff.get_field_value(obj, field, as_json)`` as a function of ``obj``,
    decided once per field, not per value: a stored foreign key's id or a plain field's
    text are read directly, anything else (date-times, JSON, JSON changes, a value that
    fails to read) by ``get_field_value`` itself."""
    from auditlog.diff import get_field_value
    from django.conf import settings
    from django.core.exceptions import ObjectDoesNotExist
    from django.utils.encoding import smart_str

    def by_auditlog(obj: models.Model) -> Any:
        return get_field_value(obj, field, as_json)

    if as_json or not field.concrete or isinstance(field, models.DateTimeField | models.JSONField):
        return by_auditlog
    if (field.one_to_one or field.many_to_one) and hasattr(field, "rel_class"):
        if getattr(settings, "AUDITLOG_USE_FK_STRING_REPRESENTATION", False):
            return by_auditlog
        attname = field.get_attname()

        def foreign_key(obj: models.Model) -> Any:
            try:
                return smart_str(getattr(obj, attname), strings_only=True)
            except (ObjectDoesNotExist, AttributeError):
                return by_auditlog(obj)

        return foreign_key
    name = field.name

    def plain(obj: models.Model) -> Any:
        try:
            value = getattr(obj, name)
        except (ObjectDoesNotExist, AttributeError):
            return by_auditlog(obj)
        if type(value) is str:
            return value
        value = smart_str(value)
        return str(value) if type(value).__name__ == "__proxy__" else value

    return plain


def _diff(
    before: models.Model | None, after: models.Model, fields: list[_Reader], as_json: bool
) -> dict[str, Any] | None:
    """``auditlog.diff.model_instance_diff`` for unfiltered fields, without its per-call
    set-up: a bulk import diffs hundreds of objects of one model."""
    from auditlog.diff import is_primitive
    from django.utils.encoding import smart_str

    # A created object's "before" is auditlog's default for a missing instance: None.
    missing = None if as_json else smart_str(None)
    diff: dict[str, Any] = {}
    for name, read in fields:
        old = read(before) if before is not None else missing
        new = read(after)
        if old == new:
            continue
        if not as_json:
            diff[name] = (
                old if type(old) is str else smart_str(old),
                new if type(new) is str else smart_str(new),
            )
        else:
            diff[name] = (
                old if is_primitive(old) else smart_str(old),
                new if is_primitive(new) else smart_str(new),
            )
    return diff or None
