"""Byte-stable generated files: the same content gives the same bytes on every download.

The LBF package's manifest carries a SHA-256 per file, so a file that differs only in
when it was written (ZIP entry times, an Office file's "created"/"modified" stamps) would
look changed to everyone who compares two packages. Everything we hand out as ZIP, DOCX
or XLSX goes through ``stable_zip``; the Office files get the content's own date.
WeasyPrint's PDFs and poppler's PNGs carry no time of writing (asserted in the tests).
Pure Python: no Django import.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

# The earliest time a ZIP entry can hold; the same for every entry we write.
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# Used where a document has no date of its own (a draft).
FIXED_DATE = date(2000, 1, 1)

_CORE_PROPERTIES = "docProps/core.xml"
_CORE_DATE = re.compile(
    rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)",
)


def zip_entry(name: str) -> zipfile.ZipInfo:
    """A ZIP entry with a fixed time and fixed attributes, compressed."""
    info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # the same on every platform
    info.external_attr = 0o644 << 16
    return info


def _w3c(dated: date | datetime | None) -> bytes:
    when = dated or FIXED_DATE
    if isinstance(when, datetime):
        when = when.date()
    return f"{when.isoformat()}T00:00:00Z".encode()


def stable_zip(data: bytes, *, dated: date | datetime | None = None) -> bytes:
    """``data`` (a ZIP, DOCX or XLSX) rewritten with fixed entry times, in the same order.

    An Office file's core properties ``created`` and ``modified`` become ``dated`` (the
    content's own date: an agreement version's "i kraft fra", a meeting's date), or a
    fixed date when the content has none.
    """
    out = io.BytesIO()
    stamp = _w3c(dated)
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == _CORE_PROPERTIES:
                content = _CORE_DATE.sub(lambda m: m.group(1) + stamp + m.group(3), content)
            target.writestr(zip_entry(info.filename), content)
    return out.getvalue()
