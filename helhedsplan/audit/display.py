"""How an audit entry reads for people, whatever was stored in it: the one place.

Two kinds of entries share the trail. Field diffs (create, update, delete from auditlog's
signals) hold ``{field: [old, new]}`` with every value as text ("None", "True", "2019-03-01",
a foreign key's id) and m2m changes as ``{"type": "m2m", "operation": "add", "objects":
[...]}``. Business events (``audit_event``: an upload, an import, a download) hold plain
data, ``{"size": 1234, "file": "x.csv"}``; they read as a Danish label for the event code
and their data as key/value pairs.

A field diff reads in Danish: the field by the model's ``verbose_name``, a choice by its
label, a foreign key by the related object's name, a boolean as Ja/Nej, dates and numbers
through ``lib.numbers``, a missing value as "—", an m2m change in words. The names of
related objects are looked up for a whole page at once (``Labels``): a bounded number of
queries, however many entries and foreign keys the page holds. A name comes from the trail
itself (the latest entry about that object: the name as last written, also after it was
deleted), else from the object (users, which the trail does not describe).

Nothing stored may break the page: entries written by older code, by hand or by a model
that no longer exists fall back to showing the raw data as text, and the reverse relations
old entries of a creation hold ("decisions": "meetings.Decision.None") are left out, as are
a creation's empty fields and the object's own id. Every function here returns plain
strings.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.numbers import fmt_date, fmt_datetime, fmt_number

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from helhedsplan.audit.models import AuditEntry

# A Danish label per event code. A code not listed reads by its longest listed prefix
# ("document.downloaded.pdf" -> "Dokument hentet (pdf)"), else as the code itself.
EVENT_LABELS: dict[str, StrOrPromise] = {
    "file.uploaded": _("Fil uploadet"),
    "file.downloaded": _("Fil hentet"),
    "document.downloaded": _("Dokument hentet"),
    "attachment.generated.downloaded": _("Genereret bilag hentet"),
    "lbf_package.downloaded": _("LBF-pakke hentet"),
    "export.downloaded": _("Eksport hentet"),
    "observations.imported": _("Observationer importeret"),
    "list_thresholds.imported": _("Landstal for listerne indlæst"),
    "activity_plan.imported": _("Aktivitetsskema importeret"),
    "plan.exported": _("Plan eksporteret"),
    "statusreport.issued": _("Statusrapport udsendt"),
    "statusreport.shared": _("Statusrapport sendt til Landsbyggefonden"),
    "statusreport.downloaded": _("Statusrapport hentet"),
    "meeting.invitation_sent": _("Mødeindkaldelse sendt"),
    "target.set_from_baseline": _("Mål fastlagt ud fra nulpunktet"),
    "budget.imported": _("Budget indlæst"),
    "spending.imported": _("Regnskab indlæst"),
    "central_measurements.imported": _("Centrale målinger indlæst"),
}

# Danish names for the keys business events store; any other key is shown as stored.
DATA_LABELS: dict[str, StrOrPromise] = {
    "file": _("fil"),
    "files": _("filer"),
    "name": _("navn"),
    "kind": _("filtype"),
    "size": _("størrelse (bytes)"),
    "sha256": _("SHA-256"),
    "created": _("oprettet"),
    "updated": _("ændret"),
    "unchanged": _("uændret"),
    "state": _("status"),
    "format": _("format"),
    "exporter": _("eksport"),
    "missing": _("mangler"),
    "version": _("version"),
    "period": _("periode"),
    "supersedes": _("erstatter version"),
    "observations": _("godkendte tal"),
    "registrations": _("registreringer"),
    # target.set_from_baseline
    "area": _("boligområde"),
    "baseline": _("nulpunkt"),
    "target": _("mål"),
    # central_measurements.imported
    "rows": _("rækker"),
}

# auditlog ships no Danish catalogue: its actions ("create", "update"...) are named here.
ACTION_LABELS: dict[int, StrOrPromise] = {
    0: _("Oprettet"),
    1: _("Ændret"),
    2: _("Slettet"),
    3: _("Hændelse"),
}

# The event filter's codes for the plain actions (a business event filters by its code).
ACTION_CODES: dict[str, int] = {"create": 0, "update": 1, "delete": 2}

MAX_VALUE_LENGTH = 300
NONE = "—"  # a missing value, never "None"

# Integers from this size are figures (grouped: 12.500); below it they are years, numbers
# and counts, written as they are (2019, not 2.019).
_GROUPED_FROM = 10_000


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str | None  # None: no old value (a creation)
    new: str


def event_label(code: str) -> str:
    parts = code.split(".")
    for cut in range(len(parts), 0, -1):
        label = EVENT_LABELS.get(".".join(parts[:cut]))
        if label is not None:
            rest = ".".join(parts[cut:])
            return f"{label} ({rest})" if rest else str(label)
    return code


def action_label(action: int) -> str:
    return str(ACTION_LABELS.get(action, action))


def model_label(model: type[models.Model] | None, fallback: str = "") -> str:
    """A model's Danish name ("Indsatsområde"), or the fallback for a vanished model."""
    if model is None:
        return fallback
    return str(capfirst(model._meta.verbose_name))


def as_text(value: Any) -> str:
    """Any JSON value as one short line of text."""
    if value is None or value == "None":
        return NONE
    if isinstance(value, bool):
        return gettext("Ja") if value else gettext("Nej")
    if isinstance(value, str):
        text = value
    elif isinstance(value, Mapping):
        text = "; ".join(f"{k}: {as_text(v)}" for k, v in value.items())
    elif isinstance(value, list | tuple):
        text = ", ".join(as_text(v) for v in value)
    elif isinstance(value, int | float | Decimal):
        text = _number(value)
    else:
        text = str(value)
    return _short(text)


def _short(text: str) -> str:
    if len(text) > MAX_VALUE_LENGTH:
        return text[:MAX_VALUE_LENGTH] + "…"
    return text


def _number(value: int | float | Decimal) -> str:
    if isinstance(value, int) and abs(value) < _GROUPED_FROM:
        return str(value)
    return fmt_number(value)


def stored_changes(entry: AuditEntry) -> Any:
    """What the entry holds: the JSON field, else the old text column parsed, else {}."""
    if entry.changes not in (None, "", {}, []):
        return entry.changes
    if entry.changes_text:
        try:
            return json.loads(entry.changes_text)
        except ValueError:
            return entry.changes_text
    return {}


def event_data(entry: AuditEntry) -> list[tuple[str, str]]:
    """A business event's data as (Danish key, value) pairs, in the order stored."""
    data = stored_changes(entry)
    if isinstance(data, Mapping):
        return [(str(DATA_LABELS.get(str(k), k)), as_text(v)) for k, v in data.items()]
    if data in ({}, [], ""):
        return []
    return [(gettext("data"), as_text(data))]


# --- the names of related objects, for a page at once ----------------------------------


def _model_of(entry: AuditEntry) -> type[models.Model] | None:
    try:
        model: type[models.Model] | None = entry.content_type.model_class()
    except Exception:  # a content type that cannot be read: show the raw diff
        return None
    return model


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _is_reverse(field: Any) -> bool:
    return bool(field is not None and field.auto_created and not field.concrete)


def _is_key(field: Any) -> bool:
    return bool(
        field is not None
        and field.concrete
        and (field.many_to_one or field.one_to_one)
        and field.related_model is not None
    )


def _key_value(field: Any, raw: Any) -> Any:
    """A stored foreign-key value as the related model's pk, or None."""
    if raw in (None, "None", ""):
        return None
    try:
        return field.target_field.to_python(raw)
    except (ValidationError, TypeError, ValueError):
        return None


class Labels:
    """The names of the objects the foreign keys of ``entries`` point at.

    Made in at most 1 + (models outside the trail or not found in it) queries: one query
    over the trail for the latest name of every referenced object, then one per model for
    what the trail did not name (users, mostly).
    """

    def __init__(self, entries: Iterable[AuditEntry], known: Iterable[models.Model] = ()) -> None:
        wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        for entry in entries:
            if entry.is_event:
                continue
            model = _model_of(entry)
            data = stored_changes(entry)
            if model is None or not isinstance(data, Mapping):
                continue
            for name, value in data.items():
                field = _field(model, str(name))
                if not _is_key(field) or not _is_pair(value):
                    continue
                if field.related_model is ContentType:
                    continue  # Django's cache names these
                for raw in value:
                    pk = _key_value(field, raw)
                    if pk is not None:
                        wanted[field.related_model._meta.concrete_model].add(pk)
        # Objects the caller has loaded already (the users the filter offers).
        self._names: dict[tuple[type[models.Model], Any], str] = {
            (type(obj)._meta.concrete_model or type(obj), obj.pk): str(obj) for obj in known
        }
        if wanted:
            self._resolve(wanted)

    def _resolve(self, wanted: dict[type[models.Model], set[Any]]) -> None:
        from django.db.models import Max, Q

        from helhedsplan.audit.models import AuditEntry
        from helhedsplan.lib.models import Audited

        wanted = {m: {pk for pk in pks if (m, pk) not in self._names} for m, pks in wanted.items()}
        in_trail = {m: pks for m, pks in wanted.items() if pks and issubclass(m, Audited)}
        if in_trail:
            types = ContentType.objects.get_for_models(*in_trail)
            by_type = {types[m].pk: m for m in in_trail}
            where = Q()
            for audited, pks in in_trail.items():
                where |= Q(content_type_id=types[audited].pk, object_pk__in=[str(p) for p in pks])
            latest = (
                AuditEntry.objects.filter(where)
                .order_by()
                .values("content_type_id", "object_pk")
                .annotate(last=Max("pk"))
                .values("last")
            )
            rows = AuditEntry.objects.filter(pk__in=latest).values_list(
                "content_type_id", "object_pk", "object_repr"
            )
            for ct_id, object_pk, name in rows:
                found = by_type[ct_id]
                pk = found._meta.pk.to_python(object_pk)  # type: ignore[union-attr]
                self._names[(found, pk)] = name
        for model, pks in wanted.items():
            missing = [pk for pk in pks if (model, pk) not in self._names]
            if not missing:
                continue
            # select_related(): the names of most models read their non-null parents.
            for obj in model._default_manager.select_related().filter(pk__in=missing):
                self._names[(model, obj.pk)] = str(obj)

    def name(self, model: type[models.Model], pk: Any) -> str:
        concrete = model._meta.concrete_model or model
        found = self._names.get((concrete, pk))
        if found is not None:
            return found
        return gettext("%(model)s nr. %(pk)s (findes ikke længere)") % {
            "model": model_label(model),
            "pk": pk,
        }


def prepare(
    entries: Sequence[AuditEntry], known: Iterable[models.Model] = ()
) -> Sequence[AuditEntry]:
    """Read the field diffs of a page of entries with one ``Labels`` for them all: after
    this, ``entry.field_rows`` asks the database nothing. ``known``: objects loaded already
    whose names the entries may need."""
    labels = Labels(entries, known)
    kinds: dict[int, str] = {}  # a model's name once per page, not once per row
    for entry in entries:
        entry._field_rows = None if entry.is_event else field_changes(entry, labels)  # type: ignore[attr-defined]
        if entry.content_type_id not in kinds:
            kinds[entry.content_type_id] = entry.object_type_label
        entry._type_label = kinds[entry.content_type_id]  # type: ignore[attr-defined]
    return entries


# --- one field diff ---------------------------------------------------------------------


def field_changes(entry: AuditEntry, labels: Labels | None = None) -> list[FieldChange]:
    """A field diff as one row per field, in Danish (the module's rules)."""
    data = stored_changes(entry)
    if not isinstance(data, Mapping):
        return [] if data in ([], "") else [FieldChange(gettext("data"), None, as_text(data))]
    model = _model_of(entry)
    if labels is None:
        labels = Labels([entry])
    rows = []
    for name, value in data.items():
        field = _field(model, str(name))
        if _is_reverse(field):
            continue  # "decisions": "meetings.Decision.None" says nothing
        if isinstance(field, GenericForeignKey):
            continue  # its type and id are fields of their own
        if field is None and isinstance(value, list | tuple) and _is_relation_text(value):
            continue
        if getattr(field, "primary_key", False) and getattr(field, "auto_created", False):
            continue  # the object's own id: the entry names the object already
        label = str(getattr(field, "verbose_name", None) or name)
        row = _row(entry, label, field, value, labels)
        if entry.action == 0 and row.new in ("", NONE):
            continue  # a creation lists what was given, not every empty field
        rows.append(row)
    return rows


def _is_relation_text(value: Sequence[Any]) -> bool:
    """A reverse relation's text as auditlog writes it for a vanished field."""
    return all(v in (None, "None") or (isinstance(v, str) and v.endswith(".None")) for v in value)


def _is_pair(value: Any) -> bool:
    return isinstance(value, list | tuple) and len(value) == 2


def _row(entry: AuditEntry, label: str, field: Any, value: Any, labels: Labels) -> FieldChange:
    if isinstance(value, Mapping) and value.get("type") == "m2m":
        return FieldChange(label, None, m2m_text(value))
    if not _is_pair(value):
        return FieldChange(label, None, as_text(value))
    old, new = (value_text(field, v, labels) for v in value)
    if entry.action == 0:  # a creation: no old value
        return FieldChange(label, None, new)
    return FieldChange(label, old, new)


def m2m_text(value: Mapping[str, Any]) -> str:
    """``{"operation": "add", "objects": ["Motalavej"]}`` -> "Tilføjet: Motalavej"."""
    objects = value.get("objects") or []
    names = as_text(list(objects)) if isinstance(objects, list | tuple) else as_text(objects)
    operation = str(value.get("operation"))
    if operation == "add":
        return gettext("Tilføjet: %(names)s") % {"names": names}
    if operation == "delete":
        return gettext("Fjernet: %(names)s") % {"names": names}
    if operation == "clear":
        return gettext("Alle fjernet")
    return names


def value_text(field: Any, raw: Any, labels: Labels) -> str:
    """One stored value of ``field`` as it reads: choice label, name, Ja/Nej, date, number."""
    if raw is None or raw == "None":
        return NONE
    if field is None:
        return as_text(raw)
    if _is_key(field):
        pk = _key_value(field, raw)
        if pk is None:
            return as_text(raw)
        if field.related_model is ContentType:
            try:
                kind = ContentType.objects.get_for_id(pk)
            except ContentType.DoesNotExist:
                return as_text(raw)
            return model_label(kind.model_class(), kind.model)
        return _short(labels.name(field.related_model, pk))
    choices = getattr(field, "flatchoices", None)
    if choices:
        shown = {str(k): v for k, v in choices}
        if str(raw) in shown:
            return str(shown[str(raw)])
    try:
        kind = field.get_internal_type()
    except AttributeError:
        return as_text(raw)
    text = str(raw)
    if kind in ("BooleanField", "NullBooleanField"):
        if text in ("True", "False", "true", "false"):
            return gettext("Ja") if text.lower() == "true" else gettext("Nej")
        return as_text(raw)
    if kind == "DateField":
        try:
            return fmt_date(date.fromisoformat(text[:10]))
        except ValueError:
            return as_text(raw)
    if kind == "DateTimeField":
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            return as_text(raw)
        # auditlog stores a moment naive in UTC.
        return fmt_datetime(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    if kind in ("DecimalField", "FloatField") or kind.endswith("IntegerField"):
        try:
            number = Decimal(text)
        except InvalidOperation:
            return as_text(raw)
        if number == number.to_integral_value() and kind != "DecimalField":
            return _number(int(number))
        return fmt_number(number)
    if kind == "JSONField" and isinstance(raw, str):
        try:
            return as_text(json.loads(raw))
        except ValueError:
            return as_text(raw)
    return as_text(raw)
