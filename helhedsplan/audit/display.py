"""How an audit entry reads on the page, whatever was stored in it.

Two kinds of entries share the trail. Field diffs (create, update, delete from auditlog's
signals) hold ``{field: [old, new]}`` and read through auditlog's ``changes_display_dict``
(verbose names, choices, foreign keys). Business events (``audit_event``: an upload, an
import, a download) hold plain data, ``{"size": 1234, "file": "x.csv"}``, which is no diff
and which auditlog's display cannot read; they read as a Danish label for the event code
and their data as key/value pairs.

Nothing stored may break the page: entries written by older code, by hand or by a model
that no longer exists fall back to showing the raw data as text. Every function here
returns plain strings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
    "activity_plan.imported": _("Aktivitetsskema importeret"),
    "plan.exported": _("Plan eksporteret"),
    "statusreport.issued": _("Statusrapport udsendt"),
    "statusreport.shared": _("Statusrapport sendt til Landsbyggefonden"),
    "statusreport.downloaded": _("Statusrapport hentet"),
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
}

# auditlog ships no Danish catalogue: its actions ("create", "update"...) are named here.
ACTION_LABELS: dict[int, StrOrPromise] = {
    0: _("Oprettet"),
    1: _("Ændret"),
    2: _("Slettet"),
    3: _("Hændelse"),
}

MAX_VALUE_LENGTH = 300


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


def as_text(value: Any) -> str:
    """Any JSON value as one short line of text."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return gettext("ja") if value else gettext("nej")
    if isinstance(value, str):
        text = value
    elif isinstance(value, Mapping):
        text = "; ".join(f"{k}: {as_text(v)}" for k, v in value.items())
    elif isinstance(value, list | tuple):
        text = ", ".join(as_text(v) for v in value)
    else:
        text = str(value)
    if len(text) > MAX_VALUE_LENGTH:
        text = text[:MAX_VALUE_LENGTH] + "…"
    return text


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


def field_changes(entry: AuditEntry) -> list[FieldChange]:
    """A field diff as one row per field, through auditlog's display where it can read it."""
    data = stored_changes(entry)
    if not isinstance(data, Mapping):
        return [] if data in ([], "") else [FieldChange(gettext("data"), None, as_text(data))]
    if all(_is_pair(v) for v in data.values()):
        try:
            display = entry.changes_display_dict
        except Exception:  # the page shows the raw diff rather than fail
            display = None
        # auditlog drops relations it cannot name: then show the raw diff rather than lose them.
        if (
            isinstance(display, Mapping)
            and all(_is_pair(v) for v in display.values())
            and len(display) >= len(data)
        ):
            return [_pair(str(k), v) for k, v in display.items()]
    return [_row(str(k), v) for k, v in data.items()]


def _is_pair(value: Any) -> bool:
    return isinstance(value, list | tuple) and len(value) == 2


def _pair(field: str, value: Any) -> FieldChange:
    old, new = value
    # auditlog writes a missing value as the text "None".
    return FieldChange(
        field,
        None if old in (None, "None") else as_text(old),
        as_text(None if new == "None" else new),
    )


def _row(field: str, value: Any) -> FieldChange:
    if _is_pair(value):
        return _pair(field, value)
    if isinstance(value, Mapping) and value.get("type") == "m2m":
        sign = {"add": "+", "delete": "−", "clear": "∅"}.get(str(value.get("operation")), "")
        return FieldChange(field, None, f"{sign} {as_text(value.get('objects', []))}".strip())
    return FieldChange(field, None, as_text(value))
