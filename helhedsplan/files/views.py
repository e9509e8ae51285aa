"""Serving a stored file: only through the owning object's view, which names the permission."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest

from helhedsplan.accounts.access import PlanAccess
from helhedsplan.audit.services import audit_event
from helhedsplan.files.models import StoredFile
from helhedsplan.files.validation import CONTENT_TYPES
from helhedsplan.reports.http import attach


def stored_file_response(
    *, request: HttpRequest, access: PlanAccess, stored: StoredFile, permission: str
) -> FileResponse:
    """The file as an attachment, after checking ``permission``; audited as ``file.downloaded``.

    A file of another plan answers 404 like everything else foreign.
    """
    access.require(permission)
    if stored.plan_id != access.plan.pk:
        raise Http404
    try:
        handle = stored.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit_event(
        instance=stored,
        event="file.downloaded",
        actor=request.user,
        changes={"name": stored.original_name},
        data_changed=False,  # a read: the plan's pages stay cached, its trail shows it
    )
    response = attach(
        FileResponse(handle, content_type=CONTENT_TYPES[stored.kind]), stored.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
