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

from helhedsplan.agreements import documents, selectors
from helhedsplan.agreements.attachments import (
    GENERATORS,
    MISSING_REMARKS,
    ChecklistItem,
    checklist,
)
from helhedsplan.lib.spreadsheets import csv_writer
from helhedsplan.lib.stable import zip_entry
from helhedsplan.plans.models import Plan
from helhedsplan.reports.render import render_docx, render_pdf


@dataclass(frozen=True)
class PackageEntry:
    path: str
    what: str
    version: str
    dated: str
    sha256: str
    state: str = ""  # the manifest's "Tilstand": vedlagt, forældet
    remark: str = ""


@dataclass(frozen=True)
class MissingEntry:
    """A manifest row for what the package should hold and does not."""

    what: str
    remark: str


def _why_missing(item: ChecklistItem) -> str:
    """The manifest's reason, for the reader of the package (not the checklist's advice)."""
    if item.kind in MISSING_REMARKS:
        return str(MISSING_REMARKS[item.kind])
    if item.kind in GENERATORS:
        return _("Ikke uploadet, og systemet kan ikke danne det, før data er registreret.")
    return _("Ikke uploadet.")


def build_lbf_package(plan: Plan, today: date | None = None) -> tuple[bytes, list[PackageEntry]]:
    """The ZIP and the files in it (the missing ones are rows of its manifest only)."""
    today = today or date.today()
    buffer = io.BytesIO()
    entries: list[PackageEntry] = []
    missing: list[MissingEntry] = []

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
        version = selectors.agreement_in_force(plan, today)
        if version is None:
            missing.append(
                MissingEntry(
                    _("Strategisk samarbejdsaftale (gældende)"),
                    _("Ingen godkendt version er i kraft."),
                )
            )
        else:
            doc = documents.agreement_document(version)
            dated = version.in_force_from.isoformat() if version.in_force_from else ""
            what = _("Strategisk samarbejdsaftale (gældende)")
            add(
                f"01-aftale/strategisk-samarbejdsaftale-v{version.number}.pdf",
                render_pdf(doc),
                what,
                str(version.number),
                dated,
            )
            add(
                f"01-aftale/strategisk-samarbejdsaftale-v{version.number}.docx",
                render_docx(doc),
                what,
                str(version.number),
                dated,
            )
        for row in selectors.sub_agreement_overview(plan, today):
            if row.in_force is None:
                missing.append(
                    MissingEntry(
                        _("Delaftale %(code)s %(name)s")
                        % {"code": row.focus_area.code, "name": row.focus_area.name},
                        _("Ingen godkendt version er i kraft."),
                    )
                )
                continue
            sub = row.in_force
            doc = documents.sub_agreement_document(sub)
            dated = sub.in_force_from.isoformat() if sub.in_force_from else ""
            what = _("Delaftale %(code)s %(name)s") % {
                "code": row.focus_area.code,
                "name": row.focus_area.name,
            }
            add(
                f"02-delaftaler/delaftale-{row.focus_area.code}-v{sub.number}.pdf",
                render_pdf(doc),
                what,
                str(sub.number),
                dated,
            )
            add(
                f"02-delaftaler/delaftale-{row.focus_area.code}-v{sub.number}.docx",
                render_docx(doc),
                what,
                str(sub.number),
                dated,
            )
        for n, item in enumerate(checklist(plan, today), start=1):
            folder = f"03-bilag/{n}-{item.kind}"
            if item.kind == "sub_agreements":
                continue  # already in 02-delaftaler
            if item.state == "missing":
                missing.append(MissingEntry(f"{_('Bilag')} {n}: {item.label}", _why_missing(item)))
                continue
            state = item.state_label.lower() if item.state == "outdated" else ""
            for generated in item.generated:
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
        manifest = io.StringIO()
        writer = csv_writer(manifest, delimiter=";")  # file names as text, never formulas
        writer.writerow(
            [
                _("Fil"),
                _("Hvad"),
                _("Version"),
                _("Dato"),
                _("Tilstand"),
                "SHA-256",
                _("Bemærkning"),
            ]
        )
        for e in entries:
            writer.writerow([e.path, e.what, e.version, e.dated, e.state, e.sha256, e.remark])
        for m in missing:
            writer.writerow(["", m.what, "", "", _("mangler"), "", m.remark])
        archive.writestr(zip_entry("manifest.csv"), "\ufeff" + manifest.getvalue())
    return buffer.getvalue(), entries
