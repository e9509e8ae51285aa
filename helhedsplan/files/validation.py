"""What an uploaded file really is, decided by its content, never by its name.

Pure checks over the bytes (Django is used only for ``ValidationError``): the kind is read
from the file's magic bytes; DOCX and XLSX are ZIP containers recognised by the parts every
Office document has. A ZIP whose members would unpack to an absurd size (a zip bomb) is
refused without unpacking anything. Every refusal is a ``ValidationError`` with a code:
``file_empty``, ``file_too_large``, ``file_type_not_allowed`` or ``zip_bomb``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any, Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from helhedsplan.lib.numbers import fmt_number

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
# A ZIP container may unpack to at most this much in total, and no large member may be
# compressed harder than this ratio (ordinary Office XML stays far below both).
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_RATIO = 200
RATIO_CHECK_FROM_BYTES = 1024 * 1024
MAX_MEMBERS = 10_000

ALL_KINDS = frozenset({"pdf", "docx", "xlsx", "png", "jpeg"})

KIND_LABELS = {
    "pdf": "PDF",
    "docx": "Word (DOCX)",
    "xlsx": "Excel (XLSX)",
    "png": "PNG",
    "jpeg": "JPEG",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
EXTENSIONS = {"pdf": "pdf", "docx": "docx", "xlsx": "xlsx", "png": "png", "jpeg": "jpg"}


class Upload(Protocol):
    name: str | None
    size: int | None

    def seek(self, offset: int, whence: int = ...) -> int: ...
    def read(self, size: int = ...) -> bytes: ...


def _mb(n: int) -> str:
    mb = Decimal(n) / (1024 * 1024)
    return fmt_number(mb, 0 if mb >= 10 else 1 if mb >= Decimal("0.1") else 2)


def _names(kinds: Iterable[str]) -> str:
    return ", ".join(label for kind, label in KIND_LABELS.items() if kind in set(kinds))


def validate_upload(
    uploaded_file: Upload,
    allowed: Iterable[str] = ALL_KINDS,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> str:
    """The file's kind (one of ``allowed``), or ValidationError saying what is wrong."""
    allowed = frozenset(allowed)
    unknown = allowed - ALL_KINDS
    if unknown:
        raise ValueError(f"Unknown file kinds {sorted(unknown)}")
    name = uploaded_file.name or _("filen")
    check_size(uploaded_file, max_bytes)
    kind = sniff_kind(uploaded_file)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _(
                "Filen %(name)s er ikke en tilladt filtype. Indholdet er kontrolleret, ikke "
                "filnavnet; tilladt er: %(allowed)s. Intet er gemt."
            )
            % {"name": name, "allowed": _names(allowed)},
            code="file_type_not_allowed",
        )
    return kind


def check_size(uploaded_file: Upload, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """ValidationError ``file_empty`` or ``file_too_large``; the size the upload declares."""
    name = uploaded_file.name or _("filen")
    size = uploaded_file.size or 0
    if size == 0:
        raise ValidationError(
            _("Filen %(name)s er tom. Intet er gemt.") % {"name": name}, code="file_empty"
        )
    if size > max_bytes:
        raise ValidationError(
            _("Filen %(name)s fylder %(size)s MB; højst %(max)s MB er tilladt. Intet er gemt.")
            % {"name": name, "size": _mb(size), "max": _mb(max_bytes)},
            code="file_too_large",
        )


def sniff_kind(uploaded_file: Upload) -> str | None:
    """The kind the content shows (one of ``ALL_KINDS``), or None; ``zip_bomb`` is raised.

    A ZIP container is checked for a bomb before anything else is read from it.
    """
    name = uploaded_file.name or _("filen")
    uploaded_file.seek(0)
    head = uploaded_file.read(8)
    uploaded_file.seek(0)
    kind = _sniff(head, uploaded_file, name)
    uploaded_file.seek(0)
    return kind


def _sniff(head: bytes, stream: Any, name: str) -> str | None:
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(stream, name)
    return None


def _office_kind(stream: IO[bytes], name: str) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    _check_not_a_bomb(infos, name)
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _check_not_a_bomb(infos: list[zipfile.ZipInfo], name: str) -> None:
    total = sum(info.file_size for info in infos)
    ratio_breach = any(
        info.file_size >= RATIO_CHECK_FROM_BYTES
        and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        for info in infos
    )
    if len(infos) > MAX_MEMBERS or total > MAX_UNCOMPRESSED_BYTES or ratio_breach:
        raise ValidationError(
            _(
                "Filen %(name)s er en komprimeret fil, der udpakket ville fylde urimeligt "
                "meget (%(size)s MB). Den er afvist af sikkerhedshensyn. Intet er gemt."
            )
            % {"name": name, "size": _mb(total)},
            code="zip_bomb",
        )
