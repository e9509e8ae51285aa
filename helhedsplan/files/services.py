"""Storing an upload: validate by content, hash, write under a random name, audit."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from helhedsplan.audit.services import audit_event
from helhedsplan.files.models import StoredFile
from helhedsplan.files.validation import ALL_KINDS, DEFAULT_MAX_BYTES, validate_upload
from helhedsplan.lib.cpr import check_file_name
from helhedsplan.plans.models import Plan


@transaction.atomic
def stored_file_create(
    *,
    plan: Plan,
    upload: UploadedFile,
    allowed: Iterable[str] = ALL_KINDS,
    actor: Any = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> StoredFile:
    """Validate ``upload`` and store it for ``plan``; ValidationError (nothing written) if bad.

    Callers validate their own data first: a file stored and then rolled back by the
    caller's transaction would stay on disk, unreferenced.

    Writes the audit event ``file.uploaded`` with name, kind, size and hash. A file name that
    holds a CPR number is refused first (code ``cpr_number``): every upload enters here.
    """
    check_file_name(upload.name)
    kind = validate_upload(upload, allowed=allowed, max_bytes=max_bytes)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    original = PurePath(upload.name or "fil").name[:255]
    stored = StoredFile(
        plan=plan,
        original_name=original,
        kind=kind,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    stored.file.save(original, upload, save=False)
    try:
        stored.full_clean()
        stored.save()
    except Exception:
        stored.file.delete(save=False)
        raise
    audit_event(
        instance=stored,
        event="file.uploaded",
        actor=stored.uploaded_by,
        changes={"name": original, "kind": kind, "size": stored.size, "sha256": stored.sha256},
    )
    return stored
