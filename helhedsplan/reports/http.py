"""The one place a download's headers are set: its type and ``Content-Disposition``.

RFC 6266: an ASCII name as ``filename="..."``; a name with other characters also as
``filename*=UTF-8''...`` (percent-encoded), with an ASCII fallback for old clients. Every
download in the product goes through ``attach`` (the export view, stored files); a test
fails on a hand-built header anywhere else.
"""

from __future__ import annotations

from typing import TypeVar

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
    "zip": "application/zip",
}


R = TypeVar("R", bound=HttpResponseBase)


def attach(response: R, filename: str) -> R:
    """Mark ``response`` as a download named ``filename``; returns it."""
    header = content_disposition_header(as_attachment=True, filename=filename)
    assert header is not None
    response["Content-Disposition"] = header
    return response


def download(content: bytes, *, fmt: str, filename: str) -> HttpResponse:
    """``content`` as a download of format ``fmt`` (a key of CONTENT_TYPES)."""
    return attach(HttpResponse(content, content_type=CONTENT_TYPES[fmt]), filename)
