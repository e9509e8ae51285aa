"""The one place a download's headers are set: its type and ``Content-Disposition``.

RFC 6266: an ASCII name as ``filename="..."``; a name with other characters also as
``filename*=UTF-8''...`` (percent-encoded), with an ASCII fallback for old clients. Every
download in the product goes through ``attach`` (the export view, stored files); a test
fails on a hand-built header anywhere else.
"""

from __future__ import annotations

import unicodedata
from typing import TypeVar
from urllib.parse import quote

from django.http import HttpResponse
from django.http.response import HttpResponseBase

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "svg": "image/svg+xml",
    "png": "image/png",
    "zip": "application/zip",
    # A calendar (the personal feed, notifications/feed.py).
    "ics": "text/calendar; charset=utf-8",
}


R = TypeVar("R", bound=HttpResponseBase)


# Danish letters as they are spelt without them, for the ASCII fallback name.
_ASCII_SPELLING = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def content_disposition(filename: str) -> str:
    """The header's value: ``attachment; filename="..."`` (+ ``filename*`` when not ASCII)."""
    if filename.isascii():
        return f"attachment; filename={_quoted(filename)}"
    fallback = unicodedata.normalize("NFKD", filename.translate(_ASCII_SPELLING))
    fallback = fallback.encode("ascii", "ignore").decode()
    return f"attachment; filename={_quoted(fallback)}; filename*=UTF-8''{quote(filename)}"


def attach(response: R, filename: str) -> R:
    """Mark ``response`` as a download named ``filename``; returns it."""
    response["Content-Disposition"] = content_disposition(filename)
    return response


def download(content: bytes, *, fmt: str, filename: str) -> HttpResponse:
    """``content`` as a download of format ``fmt`` (a key of CONTENT_TYPES)."""
    return attach(HttpResponse(content, content_type=CONTENT_TYPES[fmt]), filename)
