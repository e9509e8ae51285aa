"""A whole plan in and out: one ZIP with a versioned JSON document and the plan's files.

``plan_export(plan)`` writes everything that defines the plan and all its data; ``plan_import``
loads such a file as a new plan, all or nothing, through each model's ``full_clean``. The
format is described in ``docs/plan-export-format.md``.

Which models: found by introspection (``schema.exported_models``): every ``Audited`` model with
a ``plan_path``, plus the shared rows they point to (municipality, housing organisations, users)
and the plan's audit trail. A model added to any app is carried without a change here; a model
that must not be carried is named in ``schema.EXCLUDED`` with the reason.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

from auditlog.context import disable_auditlog
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helhedsplan.accounts.models import User
from helhedsplan.audit.models import AuditEntry
from helhedsplan.audit.services import audit_event
from helhedsplan.plans import closing, versions
from helhedsplan.plans.models import Plan
from helhedsplan.transfer import schema

FORMAT = 1
PLAN_MEMBER = "plan.json"
MANIFEST_MEMBER = "manifest.json"
FILES_DIR = "files/"
# An audit entry's object (or an old foreign-key value in its changes) that no longer exists:
# written as {"deleted": pk} in the document and stored with this prefix after an import, so
# it can never point at another object of the new database.
DELETED_PREFIX = "slettet:"
IMPORT_EVENT = "plan.imported"


def _ref(label: str, index: int) -> str:
    return f"{label}#{index}"


def _ref_key(ref: str) -> tuple[str, int]:
    label, _sep, index = ref.rpartition("#")
    return label, int(index)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str | float | dict | list):
        return value
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    raise TypeError(f"Cannot export {type(value).__name__}")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def product_version() -> str | None:
    from importlib import metadata

    try:
        return metadata.version("helhedsplan")
    except metadata.PackageNotFoundError:
        import tomllib

        from django.conf import settings

        try:
            with open(settings.BASE_DIR / "pyproject.toml", "rb") as handle:
                return str(tomllib.load(handle)["project"]["version"])
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return None


# --- export ---


@dataclass
class _Exporter:
    plan: Plan
    rows: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)
    refs: dict[tuple[str, Any], str] = field(default_factory=dict)
    shared_pks: dict[type[models.Model], set[Any]] = field(default_factory=lambda: defaultdict(set))
    files: dict[str, bytes] = field(default_factory=dict)

    def collect(self) -> None:
        for model in schema.exported_models():
            rows = list(model.for_plan(self.plan).order_by("pk"))  # type: ignore[attr-defined]
            self.rows[model] = rows
            label = model._meta.label
            for index, row in enumerate(rows, start=1):
                self.refs[(label, row.pk)] = _ref(label, index)
        self.audit = list(AuditEntry.objects.filter(plan=self.plan).order_by("pk"))
        # The shared rows the plan's rows point to.
        for model, rows in self.rows.items():
            for f in model._meta.concrete_fields:
                target = _shared_target(f)
                if target is not None:
                    self.shared_pks[target].update(
                        v for v in (getattr(r, f.attname) for r in rows) if v is not None
                    )
            for m2m in _plain_m2m(model):
                m2m_target: Any = m2m.related_model
                if m2m_target in schema.SHARED:
                    for _src, dst in self._m2m_pairs(model, m2m, rows):
                        self.shared_pks[m2m_target].add(dst)
        self.shared_pks[User].update(e.actor_id for e in self.audit if e.actor_id is not None)
        self.shared: dict[str, list[dict[str, Any]]] = {}
        for model, natural in schema.SHARED.items():
            pks = self.shared_pks.get(model, set())
            objects = sorted(model._default_manager.filter(pk__in=pks), key=natural.sort_key)
            label = model._meta.label
            self.shared[label] = []
            for index, obj in enumerate(objects, start=1):
                self.refs[(label, obj.pk)] = _ref(label, index)
                self.shared[label].append(
                    {
                        "ref": _ref(label, index),
                        "fields": {name: _jsonable(getattr(obj, name)) for name in natural.fields},
                    }
                )

    def _m2m_pairs(
        self, model: type[models.Model], m2m: models.ManyToManyField[Any, Any], rows: list[Any]
    ) -> list[tuple[Any, Any]]:
        through: Any = m2m.remote_field.through
        src = m2m.m2m_field_name()
        dst = m2m.m2m_reverse_field_name()
        return list(
            through._default_manager.filter(**{f"{src}__in": [r.pk for r in rows]})
            .order_by("pk")
            .values_list(f"{src}_id", f"{dst}_id")
        )

    def ref_of(self, model: type[models.Model], pk: Any, where: str) -> str:
        label = model._meta.label
        try:
            return self.refs[(label, pk)]
        except KeyError:
            raise ValidationError(
                _("%(where)s peger på %(label)s %(pk)s, som ikke hører til planen.")
                % {"where": where, "label": label, "pk": pk},
                code="export_outside_plan",
            ) from None

    def object_ref(self, content_type_id: int | None, pk: Any) -> Any:
        """A generic reference (a decision's subject, an audit entry's object)."""
        if content_type_id is None or pk in (None, ""):
            return pk
        text = str(pk)
        if text.startswith(DELETED_PREFIX):
            return {"deleted": text[len(DELETED_PREFIX) :]}
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            return {"deleted": text}
        label = model._meta.label
        for key in (pk, _as_int(text)):
            if (label, key) in self.refs:
                return {"ref": self.refs[(label, key)]}
        return {"deleted": text}

    def record(self, model: type[models.Model], obj: models.Model) -> dict[str, Any]:
        label = model._meta.label
        values: dict[str, Any] = {}
        generic_ids = {g.fk_field: g.ct_field for g in _generic_keys(model)}
        for f in model._meta.concrete_fields:
            if f.primary_key:
                continue
            raw = getattr(obj, f.attname)
            where = f"{self.refs[(label, obj.pk)]}.{f.name}"
            if f.is_relation:
                target = f.related_model
                if raw is None:
                    values[f.name] = None
                elif target is ContentType:
                    content_type = ContentType.objects.get_for_id(raw)
                    values[f.name] = f"{content_type.app_label}.{content_type.model}"
                else:
                    values[f.name] = self.ref_of(target, raw, where)  # type: ignore[arg-type]
            elif isinstance(f, models.FileField):
                if raw:
                    try:
                        with getattr(obj, f.attname).open("rb") as handle:
                            data = handle.read()
                    except OSError:
                        raise ValidationError(
                            _("%(where)s: filen %(name)s mangler i filarkivet.")
                            % {"where": where, "name": raw},
                            code="export_file_missing",
                        ) from None
                    digest = _sha256(data)
                    self.files[digest] = data
                    values[f.name] = FILES_DIR + digest
                else:
                    values[f.name] = None
            elif f.name in generic_ids:
                ct_field: Any = model._meta.get_field(generic_ids[f.name])
                values[f.name] = self.object_ref(getattr(obj, ct_field.attname), raw)
            else:
                values[f.name] = _jsonable(raw)
        return {"ref": self.refs[(label, obj.pk)], "fields": values}

    def audit_record(self, entry: AuditEntry, index: int) -> dict[str, Any]:
        content_type = ContentType.objects.get_for_id(entry.content_type_id)
        model = content_type.model_class()
        changes = entry.changes
        if isinstance(changes, dict) and model is not None:
            changes = self._audit_changes(model, changes)
        additional = entry.additional_data
        if isinstance(additional, dict) and additional.get("plan") == self.plan.pk:
            additional = {**additional, "plan": {"ref": self.refs[("plans.Plan", self.plan.pk)]}}
        return {
            "ref": _ref("audit.AuditEntry", index),
            "fields": {
                "content_type": f"{content_type.app_label}.{content_type.model}",
                "object": self.object_ref(entry.content_type_id, entry.object_pk),
                "object_repr": entry.object_repr,
                "serialized_data": entry.serialized_data,
                "action": entry.action,
                "changes_text": entry.changes_text,
                "changes": changes,
                "actor": (self.refs[("accounts.User", entry.actor_id)] if entry.actor_id else None),
                "actor_email": entry.actor_email,
                "cid": entry.cid,
                "remote_addr": entry.remote_addr,
                "remote_port": entry.remote_port,
                "timestamp": _jsonable(entry.timestamp),
                "additional_data": additional,
                "reason": entry.reason,
                "event": entry.event,
                # The focus area the entry is filed under (the trail's filter), if it exists.
                "focus_area": self.refs.get(("plans.FocusArea", entry.focus_area_id)),
            },
        }

    def _audit_changes(self, model: type[models.Model], changes: dict[str, Any]) -> dict[str, Any]:
        """Foreign-key values in a field diff ("area": ["3", "5"]) as references."""
        out = {}
        for name, change in changes.items():
            try:
                f: Any = model._meta.get_field(name)
            except FieldDoesNotExist:
                f = None
            target = getattr(f, "related_model", None) if f is not None else None
            if (
                f is not None
                and f.many_to_one
                and target is not None
                and target is not ContentType
                and isinstance(change, list)
            ):
                change = [self._value_ref(target, value) for value in change]
            out[name] = change
        return out

    def _value_ref(self, target: type[models.Model], value: Any) -> Any:
        if value in (None, "", "None"):
            return value
        text = str(value)
        if text.startswith(DELETED_PREFIX):
            return {"deleted": text[len(DELETED_PREFIX) :]}
        key = (target._meta.label, _as_int(text))
        if key in self.refs:
            return {"ref": self.refs[key]}
        return {"deleted": text}

    def document(self) -> dict[str, Any]:
        records: dict[str, list[dict[str, Any]]] = {}
        for model, rows in self.rows.items():
            records[model._meta.label] = [self.record(model, row) for row in rows]
            for m2m in _plain_m2m(model):
                by_source: dict[Any, list[str]] = defaultdict(list)
                target = m2m.related_model
                for src, dst in self._m2m_pairs(model, m2m, rows):
                    by_source[src].append(self.ref_of(target, dst, m2m.name))  # type: ignore[arg-type]
                for row, record in zip(rows, records[model._meta.label], strict=True):
                    record["fields"][m2m.name] = sorted(by_source.get(row.pk, []), key=_ref_key)
        return {
            "format": FORMAT,
            "exported_at": timezone.now().isoformat(),
            "product_version": product_version(),
            "plan": {"slug": self.plan.slug, "name": self.plan.name},
            "shared": self.shared,
            "records": records,
            "audit": [self.audit_record(e, i) for i, e in enumerate(self.audit, start=1)],
        }


def _as_int(text: str) -> Any:
    try:
        return int(text)
    except ValueError:
        return text


def _shared_target(f: Any) -> type[models.Model] | None:
    if f.is_relation and f.related_model in schema.SHARED:
        return f.related_model  # type: ignore[no-any-return]
    return None


def _plain_m2m(model: type[models.Model]) -> list[models.ManyToManyField[Any, Any]]:
    """Many-to-many fields kept in an automatic table (an explicit ``through`` model is
    exported as records of its own)."""
    return [
        m
        for m in model._meta.many_to_many
        if isinstance(m, models.ManyToManyField) and m.remote_field.through._meta.auto_created  # type: ignore[union-attr]
    ]


def _generic_keys(model: type[models.Model]) -> list[GenericForeignKey]:
    return [f for f in model._meta.private_fields if isinstance(f, GenericForeignKey)]


def plan_document(plan: Plan) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The plan as the export's document, and its files by SHA-256."""
    exporter = _Exporter(plan)
    exporter.collect()
    return exporter.document(), exporter.files


def plan_export(plan: Plan) -> bytes:
    """The plan as one ZIP: ``plan.json``, ``files/<sha256>``, ``manifest.json``."""
    document, files = plan_document(plan)
    members: dict[str, bytes] = {
        PLAN_MEMBER: json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    }
    for digest in sorted(files):
        members[FILES_DIR + digest] = files[digest]
    manifest = {
        "format": FORMAT,
        "members": {name: _sha256(data) for name, data in members.items()},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        archive.writestr(MANIFEST_MEMBER, json.dumps(manifest, indent=1))
    return buffer.getvalue()


# --- reading a file ---


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def read_archive(data: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The document and the files of an export, after every check of the container:
    a ZIP, a manifest, every member present with its checksum, a format this product reads."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(_("Filen er ikke en ZIP-fil fra en planeksport."), "not_zip") from None
    if MANIFEST_MEMBER not in names:
        raise _refuse(_("Filen mangler manifest.json og kan ikke kontrolleres."), "no_manifest")
    try:
        manifest = json.loads(archive.read(MANIFEST_MEMBER))
        listed = manifest["members"]
        if not isinstance(listed, dict):
            raise TypeError
    except (ValueError, KeyError, TypeError, zipfile.BadZipFile):
        raise _refuse(
            _("manifest.json er ikke gyldig JSON med en liste over filens dele."),
            "bad_manifest",
        ) from None
    contents: dict[str, bytes] = {}
    for name, expected in sorted(listed.items()):
        if name not in names:
            raise _refuse(
                _("Filen mangler delen %(name)s, som manifest.json nævner.") % {"name": name},
                "missing_member",
            )
        try:
            content = archive.read(name)
        except (zipfile.BadZipFile, OSError):
            content = b""
            expected = None
        if _sha256(content) != expected:
            raise _refuse(
                _(
                    "Kontrolsummen for %(name)s passer ikke: filen er ændret eller beskadiget "
                    "efter eksporten."
                )
                % {"name": name},
                "checksum",
            )
        contents[name] = content
    extra = sorted(names - set(listed) - {MANIFEST_MEMBER})
    if extra:
        raise _refuse(
            _("Delen %(name)s står ikke i manifest.json.") % {"name": extra[0]}, "unlisted_member"
        )
    if PLAN_MEMBER not in contents:
        raise _refuse(_("Filen mangler plan.json."), "missing_member")
    try:
        document = json.loads(contents.pop(PLAN_MEMBER).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _refuse(
            _("plan.json er ikke gyldig JSON: %(error)s") % {"error": exc}, "bad_json"
        ) from None
    if not isinstance(document, dict):
        raise _refuse(_("plan.json er ikke et JSON-objekt."), "bad_json")
    version = document.get("format")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _refuse(_("plan.json angiver ikke sit formatnummer (format)."), "bad_json")
    if version > FORMAT:
        raise _refuse(
            _(
                "Filen er i eksportformat %(version)s, men denne installation læser kun format "
                "op til %(known)s. Opdatér produktet, før filen importeres."
            )
            % {"version": version, "known": FORMAT},
            "newer_format",
        )
    for key, kind in (("shared", dict), ("records", dict), ("audit", list)):
        if not isinstance(document.get(key), kind):
            raise _refuse(
                _("plan.json mangler afsnittet %(key)s eller det har forkert form.") % {"key": key},
                "bad_json",
            )
    files = {name[len(FILES_DIR) :]: body for name, body in contents.items()}
    return document, files


# --- structure only ---


def structure_of(document: dict[str, Any]) -> dict[str, Any]:
    """The document reduced to the plan's setup: the models of ``schema.STRUCTURE``; users,
    the audit trail and everything else left out; the agreement as one new draft."""
    records: dict[str, list[dict[str, Any]]] = {
        label: [dict(r, fields=dict(r["fields"])) for r in rows]
        for label, rows in document["records"].items()
        if label in schema.STRUCTURE
    }
    # The plan starts over.
    for record in records.get("plans.Plan", []):
        record["fields"].update(schema.PLAN_RESET)
    # The agreement: the version in force (else the newest) becomes version 1, a draft.
    # What belongs to a version (cascades) goes with it; what refers to one points at it.
    versions = records.get(schema.AGREEMENT_VERSION, [])
    redirect: dict[str, str] = {}
    if versions:

        def rank(r: dict[str, Any]) -> tuple[bool, int]:
            f = r["fields"]
            return (f.get("status") == "approved", int(f.get("number") or 0))

        kept = max(versions, key=rank)
        redirect = {r["ref"]: kept["ref"] for r in versions}
        kept_fields = {k: v for k, v in kept["fields"].items() if k == "plan"}
        kept["fields"] = {**kept_fields, **schema.VERSION_RESET}
        records[schema.AGREEMENT_VERSION] = [kept]
    kept_refs = {r["ref"] for rows in records.values() for r in rows}
    kept_refs |= {r["ref"] for rows in document["shared"].values() for r in rows}
    changed = True
    while changed:  # dropping a record may drop those that need it
        changed = False
        for label, rows in records.items():
            model = schema.model_for(label)
            kept_rows = []
            owned = label in schema.VERSION_CONTENT
            for record in rows:
                if _reduce_record(model, record, kept_refs, redirect, owned):
                    kept_rows.append(record)
                else:
                    kept_refs.discard(record["ref"])
                    changed = True
            records[label] = kept_rows
    shared = {label: rows for label, rows in document["shared"].items() if label != "accounts.User"}
    return {**document, "records": records, "shared": shared, "audit": []}


def _reduce_record(
    model: type[models.Model] | None,
    record: dict[str, Any],
    kept: set[str],
    redirect: dict[str, str],
    owned: bool,
) -> bool:
    """Point ``record`` only at kept rows; False when it cannot live without a dropped one."""
    if model is None:
        return True
    values = record["fields"]
    for f in model._meta.concrete_fields:
        value = values.get(f.name)
        if not f.is_relation or f.related_model is ContentType or not isinstance(value, str):
            continue
        if f.related_model is User:
            value = None
        elif value in redirect and value != redirect[value]:
            if owned:
                return False
            value = redirect[value]
        elif value not in kept:
            value = None
        if value is None and not f.null:
            return False
        values[f.name] = value
    for g in _generic_keys(model):
        value = values.get(g.fk_field)
        if isinstance(value, dict) and value.get("ref") not in kept:
            values[g.fk_field] = ""
            values[g.ct_field] = None
    for m2m in _plain_m2m(model):
        if isinstance(values.get(m2m.name), list):
            values[m2m.name] = [ref for ref in values[m2m.name] if ref in kept]
    return True


# --- import ---


@dataclass
class _Importer:
    document: dict[str, Any]
    files: dict[str, bytes]
    slug: str
    name: str | None
    new: dict[str, Any] = field(default_factory=dict)  # ref -> new pk
    objects: dict[str, models.Model] = field(default_factory=dict)
    saved_files: list[tuple[Any, str]] = field(default_factory=list)
    plan: Plan | None = None
    allow: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    held: list[tuple[models.Model, str, Any]] = field(default_factory=list)

    def fail(self, where: str, message: str, code: str = "invalid") -> ValidationError:
        return ValidationError(
            _("%(where)s: %(message)s") % {"where": where, "message": message}, code=code
        )

    def run(self) -> Plan:
        with contextlib.ExitStack() as self.allow:
            return self._run()

    def _run(self) -> Plan:
        self.load_shared()
        records = self.document["records"]
        known = {model._meta.label for model in schema.exported_models()}
        unknown = sorted(set(records) - known)
        if unknown:
            raise self.fail(
                unknown[0],
                _("filen indeholder data af en slags, som denne installation ikke kender."),
                "unknown_model",
            )
        plans = records.get("plans.Plan")
        if not isinstance(plans, list) or len(plans) != 1:
            raise self.fail("plans.Plan", _("filen skal indeholde præcis én plan."), "bad_json")
        pending: list[tuple[models.Model, str, str, str]] = []  # obj, attname, ref, where
        m2m: list[tuple[models.Model, str, list[str], str]] = []
        for model in schema.exported_models():
            rows = records.get(model._meta.label, [])
            if not isinstance(rows, list):
                raise self.fail(model._meta.label, _("forventede en liste."), "bad_json")
            for record in rows:
                self.create(model, record, pending, m2m)
        for obj, attname, ref, where in pending:
            setattr(obj, attname, self.resolve(ref, where))
        for obj, attname, value in self.held:
            setattr(obj, attname, value)
        for obj in {id(o): o for o, *_rest in pending}.values():
            self.clean(obj, self.where_of(obj))
            obj.save()
        for obj, name, refs, where in m2m:
            if not isinstance(refs, list):
                raise self.fail(where, _("forventede en liste af referencer."), "bad_json")
            getattr(obj, name).set([self.resolve(ref, where) for ref in refs])
        self.load_audit()
        assert self.plan is not None
        return self.plan

    def where_of(self, obj: models.Model) -> str:
        return getattr(obj, "_transfer_ref", type(obj)._meta.label)

    def resolve(self, ref: Any, where: str) -> Any:
        if not isinstance(ref, str) or ref not in self.new:
            raise self.fail(
                where, _("referencen %(ref)s findes ikke i filen.") % {"ref": ref}, "bad_ref"
            )
        return self.new[ref]

    def load_shared(self) -> None:
        shared = self.document["shared"]
        for model, natural in schema.SHARED.items():
            rows = shared.get(model._meta.label, [])
            if not isinstance(rows, list):
                raise self.fail(model._meta.label, _("forventede en liste."), "bad_json")
            for record in rows:
                try:
                    ref, values = record["ref"], dict(record["fields"])
                except (KeyError, TypeError):
                    raise self.fail(
                        model._meta.label, _("en række mangler ref eller fields."), "bad_json"
                    ) from None
                values = {k: v for k, v in values.items() if k in natural.fields}
                obj = natural.find(values)
                if obj is None:
                    obj = natural.make(values)
                    self.clean(obj, ref)
                    obj.save()
                self.new[ref] = obj.pk

    def create(
        self,
        model: type[models.Model],
        record: Any,
        pending: list[tuple[models.Model, str, str, str]],
        m2m: list[tuple[models.Model, str, list[str], str]],
    ) -> None:
        label = model._meta.label
        try:
            ref, values = record["ref"], record["fields"]
            if not isinstance(values, dict) or not isinstance(ref, str):
                raise TypeError
        except (KeyError, TypeError):
            raise self.fail(label, _("en række mangler ref eller fields."), "bad_json") from None
        if ref in self.new:
            raise self.fail(ref, _("referencen står to gange i filen."), "bad_ref")
        obj = model()
        obj._transfer_ref = ref  # type: ignore[attr-defined]
        generic = {g.fk_field: g for g in _generic_keys(model)}
        plain_m2m = {m.name for m in _plain_m2m(model)}
        later_files: list[tuple[Any, Any]] = []
        stamps: dict[str, Any] = {}
        held_types: list[str] = []
        for name, value in values.items():
            where = f"{ref}.{name}"
            if name in plain_m2m:
                m2m.append((obj, name, value, where))
                continue
            try:
                f: Any = model._meta.get_field(name)
            except FieldDoesNotExist:
                raise self.fail(
                    where, _("feltet findes ikke i denne installation."), "unknown_field"
                ) from None
            if not getattr(f, "concrete", False) or f.primary_key:
                raise self.fail(where, _("feltet kan ikke importeres."), "unknown_field")
            if label == "plans.Plan" and name == "slug":
                value = self.slug
            if label == "plans.Plan" and name == "name" and self.name:
                value = self.name
            if f.is_relation:
                if value is None:
                    setattr(obj, f.attname, None)
                elif f.related_model is ContentType:
                    setattr(obj, f.attname, self.content_type(value, where).pk)
                elif isinstance(value, str) and value in self.new:
                    setattr(obj, f.attname, self.new[value])
                elif f.null and isinstance(value, str):
                    setattr(obj, f.attname, None)
                    pending.append((obj, f.attname, value, where))
                else:
                    self.resolve(value, where)  # raises
            elif isinstance(f, models.FileField):
                later_files.append((f, value))
            elif name in generic:
                if isinstance(value, dict) and "ref" in value:
                    if value["ref"] in self.new:
                        setattr(obj, name, str(self.new[value["ref"]]))
                    else:
                        setattr(obj, name, "")
                        pending.append((obj, name, value["ref"], where))
                        held_types.append(generic[name].ct_field)
                elif isinstance(value, dict) and "deleted" in value:
                    setattr(obj, name, DELETED_PREFIX + str(value["deleted"]))
                else:
                    setattr(obj, name, value)
            else:
                try:
                    python = value if isinstance(f, models.JSONField) else f.to_python(value)
                except ValidationError as exc:
                    raise self.fail(where, " ".join(exc.messages), "invalid") from None
                setattr(obj, f.attname, python)
                if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
                    stamps[f.attname] = python
        for ct_field in held_types:
            # A generic key whose object comes later: its type waits with it, since the
            # pair is all or nothing (e.g. meetings.Decision's check constraint).
            attname = cast(Any, model._meta.get_field(ct_field)).attname
            self.held.append((obj, attname, getattr(obj, attname)))
            setattr(obj, attname, None)
        for f, value in later_files:
            self.attach_file(obj, f, value, f"{ref}.{f.name}")
        self.clean(obj, ref, exclude_pending=[p[1] for p in pending if p[0] is obj])
        obj.save()
        if stamps:
            model._default_manager.filter(pk=obj.pk).update(**stamps)
            for attname, stamp in stamps.items():
                setattr(obj, attname, stamp)
        self.new[ref] = obj.pk
        self.objects[ref] = obj
        if isinstance(obj, Plan):
            self.plan = obj
            # An export of a closed plan carries its closing stamp on the plan row, which
            # comes before its children: they are written as the import's own (plans.closing).
            self.allow.enter_context(closing.writes_allowed(obj.pk))

    def attach_file(self, obj: models.Model, f: Any, value: Any, where: str) -> None:
        if value is None:
            return
        if not isinstance(value, str) or not value.startswith(FILES_DIR):
            raise self.fail(where, _("filhenvisningen er ugyldig."), "bad_json")
        digest = value[len(FILES_DIR) :]
        if digest not in self.files:
            raise self.fail(
                where, _("filen %(name)s mangler i ZIP-filen.") % {"name": value}, "missing_member"
            )
        file = getattr(obj, f.attname)
        file.save(digest, ContentFile(self.files[digest]), save=False)
        self.saved_files.append((file.storage, file.name))

    def clean(self, obj: models.Model, where: str, exclude_pending: Iterable[str] = ()) -> None:
        exclude = [
            f.name for f in type(obj)._meta.concrete_fields if f.attname in set(exclude_pending)
        ]
        try:
            obj.full_clean(exclude=exclude or None)
        except ValidationError as exc:
            raise self.fail(where, _describe(exc), "invalid") from None

    def content_type(self, label: Any, where: str) -> ContentType:
        try:
            app_label, model = str(label).split(".", 1)
            return ContentType.objects.get_by_natural_key(app_label, model.lower())
        except (ValueError, ContentType.DoesNotExist):
            raise self.fail(
                where, _("modellen %(label)s findes ikke.") % {"label": label}, "unknown_model"
            ) from None

    def load_audit(self) -> None:
        entries = []
        for index, record in enumerate(self.document["audit"], start=1):
            where = f"audit.AuditEntry#{index}"
            try:
                values = dict(record["fields"])
            except (KeyError, TypeError):
                raise self.fail(where, _("en række mangler fields."), "bad_json") from None
            content_type = self.content_type(values.pop("content_type", None), where)
            model = content_type.model_class()
            obj = values.pop("object", None)
            object_pk = self.object_pk(obj, where)
            actor = values.pop("actor", None)
            focus_area = values.pop("focus_area", None)
            changes = values.pop("changes", None)
            if isinstance(changes, dict):
                changes = {
                    k: [self.value_back(x) for x in v] if isinstance(v, list) else v
                    for k, v in changes.items()
                }
            additional = values.pop("additional_data", None)
            if isinstance(additional, dict) and isinstance(additional.get("plan"), dict):
                additional = {
                    **additional,
                    "plan": self.resolve(additional["plan"].get("ref"), where),
                }
            unknown = set(values) - {f.name for f in AuditEntry._meta.concrete_fields}
            if unknown:
                raise self.fail(
                    f"{where}.{sorted(unknown)[0]}",
                    _("feltet findes ikke i denne installation."),
                    "unknown_field",
                )
            entry = AuditEntry(
                content_type=content_type,
                object_pk=object_pk,
                object_id=_as_int(object_pk) if object_pk.isdigit() else None,
                actor_id=self.resolve(actor, where) if actor is not None else None,
                focus_area_id=(
                    self.resolve(focus_area, f"{where}.focus_area") if focus_area else None
                ),
                changes=changes,
                additional_data=additional,
                plan=self.plan,
            )
            for name, value in values.items():
                f = AuditEntry._meta.get_field(name)
                try:
                    python = value if isinstance(f, models.JSONField) else f.to_python(value)
                except ValidationError as exc:
                    raise self.fail(f"{where}.{name}", " ".join(exc.messages)) from None
                setattr(entry, f.attname, python)
            if model is None:
                raise self.fail(where, _("modellen findes ikke."), "unknown_model")
            # auditlog's own fields may be empty where its model says blank=False (it writes
            # them itself, without validation).
            empty = [
                f.attname
                for f in AuditEntry._meta.concrete_fields
                if f.null and getattr(entry, f.attname) is None
            ]
            self.clean(entry, where, exclude_pending=empty)
            entries.append(entry)
        AuditEntry.objects.bulk_create(entries, batch_size=500)
        versions.bump({entry.plan_id for entry in entries})

    def object_pk(self, value: Any, where: str) -> str:
        if isinstance(value, dict) and "ref" in value:
            return str(self.resolve(value["ref"], where))
        if isinstance(value, dict) and "deleted" in value:
            return DELETED_PREFIX + str(value["deleted"])
        return "" if value is None else str(value)

    def value_back(self, value: Any) -> Any:
        if isinstance(value, dict) and "ref" in value and value["ref"] in self.new:
            return str(self.new[value["ref"]])
        if isinstance(value, dict) and "deleted" in value:
            return DELETED_PREFIX + str(value["deleted"])
        return value


def _describe(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(str(m) for m in errors[0].messages)}"
            if name != "__all__"
            else " ".join(errors[0].messages)
            for name, errors in exc.error_dict.items()
        )
    return " ".join(exc.messages)


def _delete_files(saved: Iterator[tuple[Any, str]] | list[tuple[Any, str]]) -> None:
    for storage, name in saved:
        storage.delete(name)


def plan_import(
    *,
    data: bytes,
    slug: str,
    name: str | None = None,
    structure_only: bool = False,
    actor: User | None = None,
) -> Plan:
    """A new plan ``slug`` from an export: everything, or (``structure_only``) its setup.

    All or nothing: any check that fails raises ``ValidationError`` and nothing is written
    (the files stored on the way are deleted again)."""
    document, files = read_archive(data)
    return plan_import_document(
        document=document,
        files=files,
        slug=slug,
        name=name,
        structure_only=structure_only,
        actor=actor,
    )


def plan_import_document(
    *,
    document: dict[str, Any],
    files: dict[str, bytes],
    slug: str,
    name: str | None = None,
    structure_only: bool = False,
    actor: User | None = None,
) -> Plan:
    slug = (slug or "").strip()
    if not slug:
        raise ValidationError(_("Angiv et kort navn til den nye plan."), code="slug_missing")
    if Plan.objects.filter(slug=slug).exists():
        raise ValidationError(
            _("Der findes allerede en plan med det korte navn “%(slug)s”. Vælg et andet.")
            % {"slug": slug},
            code="slug_exists",
        )
    source = document.get("plan", {}) if isinstance(document.get("plan"), dict) else {}
    if structure_only:
        document = structure_of(document)
    importer = _Importer(document=document, files=files, slug=slug, name=name)
    try:
        with transaction.atomic():
            with disable_auditlog():
                plan = importer.run()
            audit_event(
                instance=plan,
                event=IMPORT_EVENT,
                actor=actor,
                changes={
                    "source": str(source.get("slug", "")),
                    "format": document.get("format"),
                    "structure_only": structure_only,
                },
            )
    except BaseException:
        _delete_files(importer.saved_files)
        raise
    return plan


def plan_copy_structure(
    *, plan: Plan, slug: str, name: str | None = None, actor: Any = None
) -> Plan:
    """A new plan from ``plan``'s structure ("ny plan ud fra denne plans struktur")."""
    document, files = plan_document(plan)
    return plan_import_document(
        document=document, files=files, slug=slug, name=name, structure_only=True, actor=actor
    )
