from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.apps import apps

from helhedsplan.transfer.services import IMPORT_EVENT


def document_of(data: bytes) -> dict[str, Any]:
    return json.loads(zipfile.ZipFile(io.BytesIO(data)).read("plan.json"))  # type: ignore[no-any-return]


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    """The document without what names this export (its time, the plan's slug and name) and
    the import's own audit event: what must survive export, import and export."""
    document = json.loads(json.dumps(document))
    document.pop("exported_at")
    document.pop("plan")
    for record in document["records"]["plans.Plan"]:
        record["fields"].pop("slug")
        record["fields"].pop("name")
    document["audit"] = [e for e in document["audit"] if e["fields"]["event"] != IMPORT_EVENT]
    return document


def row_counts() -> dict[str, int]:
    """Rows of every model of the project, to show that a refused import wrote nothing."""
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label not in {"sessions", "axes"}
    }


def rezip(data: bytes, **replace: bytes | None) -> bytes:
    """The ZIP with members replaced (bytes) or removed (None), the manifest untouched."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            key = name.replace(".", "_").replace("/", "__")
            if key in replace:
                if replace[key] is not None:
                    target.writestr(name, replace[key])  # type: ignore[arg-type]
            else:
                target.writestr(name, source.read(name))
    return out.getvalue()


def with_manifest(data: bytes, document: dict[str, Any]) -> bytes:
    """The ZIP with another plan.json and a manifest that matches it (a consistent file)."""
    import hashlib

    source = zipfile.ZipFile(io.BytesIO(data))
    members = {n: source.read(n) for n in source.namelist() if n != "manifest.json"}
    members["plan.json"] = json.dumps(document).encode()
    manifest = {
        "format": 1,
        "members": {n: hashlib.sha256(b).hexdigest() for n, b in members.items()},
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name, body in members.items():
            target.writestr(name, body)
        target.writestr("manifest.json", json.dumps(manifest))
    return out.getvalue()
