"""The LBF package: one ZIP with what Landsbyggefonden may ask for at any time.

The agreement in force, every current sub-agreement and every attachment (uploaded or
generated), plus manifest.csv naming each file, what it is, its version, date, state and
SHA-256. What should be there and is not (no agreement in force, a focus area without a
sub-agreement in force, a missing attachment) has a row of its own in state "mangler" with
the reason, so a missing file is never left out silently. The same content gives the same
bytes: every file is byte-stable and the ZIP's entries carry a fixed time.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from helhedsplan.agreements.attachments import (
    MISSING_REMARKS,
    ChecklistItem,
    checklist,
    unknown_remark,
)
from helhedsplan.lib.stable import zip_entry
from helhedsplan.plans.models import Plan
from helhedsplan.reports import render
from helhedsplan.reports.exporters import MissingFile, registry
from helhedsplan.reports.rows import Column, Rows, Sheet


@dataclass(frozen=True)
class PackageEntry:
    path: str
    what: str
    version: str
    dated: str
    sha256: str
    state: str = ""  # the manifest's "Tilstand": vedlagt, forældet
    remark: str = ""


def _why_missing(item: ChecklistItem) -> str:
    """The manifest's reason, for the reader of the package (not the checklist's advice)."""
    if item.state == "unknown":
        return unknown_remark(item.source)
    if item.kind in MISSING_REMARKS:
        return str(MISSING_REMARKS[item.kind])
    if registry.for_attachment(item.kind):
        return _("Ikke uploadet, og systemet kan ikke danne det, før data er registreret.")
    return _("Ikke uploadet.")


def build_lbf_package(plan: Plan, today: date | None = None) -> tuple[bytes, list[PackageEntry]]:
    """The ZIP and the files in it (the missing ones are rows of its manifest only).

    First the exporters ``in_lbf_package`` with folders of their own (the agreement, the
    sub-agreements) in the registry's order, then the attachments of the checklist: uploads,
    and the files of the attachment exporters ``in_lbf_package``; then manifest.csv.
    """
    today = today or date.today()
    buffer = io.BytesIO()
    entries: list[PackageEntry] = []
    missing: list[MissingFile] = []

    def add(
        path: str,
        data: bytes,
        what: str,
        version: str,
        dated: str,
        state: str = "",
        remark: str = "",
    ) -> None:
        archive.writestr(zip_entry(path), data)
        digest = hashlib.sha256(data).hexdigest()
        entries.append(
            PackageEntry(path, what, version, dated, digest, state or _("vedlagt"), remark)
        )

    with zipfile.ZipFile(buffer, "w") as archive:
        for exporter in registry.in_lbf_package():
            if exporter.attachment_kind:
                continue  # in 03-bilag, below
            for file in exporter.package_files(plan, today):
                if isinstance(file, MissingFile):
                    missing.append(file)
                else:
                    add(file.filename, file.build(), file.what, file.version, file.dated)
        for n, item in enumerate(checklist(plan, today), start=1):
            folder = f"03-bilag/{n}-{item.kind}"
            if item.kind == "sub_agreements":
                continue  # the sub-agreements in force are in 02-delaftaler
            if item.is_missing:
                missing.append(MissingFile(f"{_('Bilag')} {n}: {item.label}", _why_missing(item)))
                continue
            state = item.state_label.lower() if item.state == "outdated" else ""
            for generated in item.generated:
                if not registry.in_package(generated.exporter):
                    continue
                add(
                    f"{folder}/{generated.filename}",
                    generated.build(),
                    f"{item.label} ({_('dannet af systemet')})",
                    generated.version,
                    today.isoformat(),
                    state,
                    item.remark,
                )
            for upload in item.uploads:
                stored = upload.stored_file
                with stored.file.open("rb") as handle:
                    data = handle.read()
                add(
                    f"{folder}/{stored.original_name}",
                    data,
                    item.label,
                    "",
                    upload.uploaded_at.date().isoformat(),
                    state,
                    item.remark,
                )
        archive.writestr(zip_entry("manifest.csv"), _manifest(entries, missing))
    return buffer.getvalue(), entries


def _manifest(entries: list[PackageEntry], missing: list[MissingFile]) -> bytes:
    """manifest.csv: ";"-separated UTF-8 with BOM; file names as text, never formulas."""
    header = [_("Fil"), _("Hvad"), _("Version"), _("Dato"), _("Tilstand"), "SHA-256"]
    columns = tuple(Column(title) for title in [*header, _("Bemærkning")])
    rows = [(e.path, e.what, e.version, e.dated, e.state, e.sha256, e.remark) for e in entries]
    rows += [("", m.what, "", "", _("mangler"), "", m.remark) for m in missing]
    return render.render_csv(Rows("manifest", [Sheet("manifest", columns, rows)]))
