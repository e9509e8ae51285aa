"""The LBF package: one ZIP with what Landsbyggefonden may ask for at any time.

The agreement in force, every current sub-agreement and every attachment (uploaded or
generated), plus manifest.csv naming each file, what it is, its version, date and SHA-256.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from helhedsplan.agreements import documents, selectors
from helhedsplan.agreements.attachments import checklist
from helhedsplan.lib.spreadsheets import csv_writer
from helhedsplan.plans.models import Plan
from helhedsplan.reports.render import render_docx, render_pdf


@dataclass(frozen=True)
class PackageEntry:
    path: str
    what: str
    version: str
    dated: str
    sha256: str


def build_lbf_package(plan: Plan, today: date | None = None) -> tuple[bytes, list[PackageEntry]]:
    today = today or date.today()
    buffer = io.BytesIO()
    entries: list[PackageEntry] = []

    def add(path: str, data: bytes, what: str, version: str, dated: str) -> None:
        archive.writestr(path, data)
        entries.append(PackageEntry(path, what, version, dated, hashlib.sha256(data).hexdigest()))

    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        version = selectors.agreement_in_force(plan, today)
        if version is not None:
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
            for generated in item.generated:
                add(
                    f"{folder}/{generated.filename}",
                    generated.build(),
                    f"{item.label} ({_('dannet af systemet')})",
                    generated.version,
                    today.isoformat(),
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
                )
        manifest = io.StringIO()
        writer = csv_writer(manifest, delimiter=";")  # file names as text, never formulas
        writer.writerow([_("Fil"), _("Hvad"), _("Version"), _("Dato"), "SHA-256"])
        for e in entries:
            writer.writerow([e.path, e.what, e.version, e.dated, e.sha256])
        archive.writestr("manifest.csv", "\ufeff" + manifest.getvalue())
    return buffer.getvalue(), entries
