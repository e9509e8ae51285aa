"""The agreement's exports: the agreement and sub-agreements, the generated attachments and
the LBF package. All of it leaves the secretariat (LBF reads it at any time).

The attachments are exporters with an ``attachment_kind``: the checklist
(``attachments.checklist``) and the package find them in the registry. The agreements app
gathers what the other apps export; they never import it.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any, ClassVar

from django.db.models import Model
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.activities.exports import ActivityPlanExporter
from helhedsplan.activities.models import PlannedQuantity
from helhedsplan.agreements import documents, selectors
from helhedsplan.agreements.models import AgreementVersion, AttachmentKind, SubAgreementVersion
from helhedsplan.organisation.exports import OrgChartExporter, chart_document
from helhedsplan.plans.models import FocusArea, Plan
from helhedsplan.reports.document import Document
from helhedsplan.reports.exporters import (
    LEAVES,
    Archive,
    Exporter,
    GeneratedFile,
    MissingFile,
    register,
)

NOT_IN_FORCE = _lazy("Ingen godkendt version er i kraft.")


class _VersionExporter(Exporter):
    """A version as a document (PDF, Word), audited on the version as ``document.downloaded``."""

    permission = "agreement.view"
    audience = LEAVES
    formats: ClassVar[tuple[str, ...]] = ("pdf", "docx")
    event = "document.downloaded.{format}"
    in_lbf_package = True
    cached = True
    version: AgreementVersion | SubAgreementVersion

    def audit_instance(self) -> Model:
        return self.version

    def audit_changes(self, fmt: str, data: bytes) -> dict[str, Any]:
        return {}

    def in_force_files(self, folder: str, what: str) -> list[GeneratedFile | MissingFile]:
        """The version in force as the package's PDF and Word files in ``folder``."""
        dated = self.version.in_force_from.isoformat() if self.version.in_force_from else ""
        return [
            self.as_file(
                fmt,
                filename=f"{folder}/{self.filename(fmt)}",
                what=what,
                version=str(self.version.number),
                dated=dated,
            )
            for fmt in ("pdf", "docx")
        ]


@register
class AgreementExporter(_VersionExporter):
    """A version of the strategic agreement (``?version=<number>``)."""

    identifier = "aftale"
    title = _lazy("Strategisk samarbejdsaftale")
    version: AgreementVersion

    def resolve(self) -> None:
        self.version = get_object_or_404(
            AgreementVersion.objects.select_related("plan", "lbf_letter"),
            plan=self.plan,
            number=self.int_param("version"),
        )

    def output(self) -> Document:
        return documents.agreement_document(self.version)

    def filename(self, fmt: str) -> str:
        return f"strategisk-samarbejdsaftale-v{self.version.number}.{fmt}"

    @classmethod
    def package_files(cls, plan: Plan, today: date) -> list[GeneratedFile | MissingFile]:
        what = _("Strategisk samarbejdsaftale (gældende)")
        version = selectors.agreement_in_force(plan, today)
        if version is None:
            return [MissingFile(what, str(NOT_IN_FORCE))]
        params = {"version": str(version.number)}
        exporter = cls(plan, params, today=today, resolved={"version": version})
        return exporter.in_force_files("01-aftale", what)


@register
class SubAgreementExporter(_VersionExporter):
    """A version of a focus area's sub-agreement (``?kode=5.1&version=<number>``)."""

    identifier = "delaftale"
    title = _lazy("Delaftale")
    version: SubAgreementVersion

    def resolve(self) -> None:
        self.focus_area = get_object_or_404(
            FocusArea.objects.select_related("plan"), plan=self.plan, code=self.param("kode")
        )
        self.version = self._version()

    def _version(self) -> SubAgreementVersion:
        return get_object_or_404(
            SubAgreementVersion, focus_area=self.focus_area, number=self.int_param("version")
        )

    def output(self) -> Document:
        return documents.sub_agreement_document(self.version)

    def filename(self, fmt: str) -> str:
        return f"delaftale-{self.focus_area.code}-v{self.version.number}.{fmt}"

    @classmethod
    def package_files(cls, plan: Plan, today: date) -> list[GeneratedFile | MissingFile]:
        files: list[GeneratedFile | MissingFile] = []
        for row in selectors.sub_agreement_overview(plan, today):
            fa = row.focus_area
            what = _("Delaftale %(code)s %(name)s") % {"code": fa.code, "name": fa.name}
            if row.in_force is None:
                files.append(MissingFile(what, str(NOT_IN_FORCE)))
                continue
            params = {"kode": fa.code, "version": str(row.in_force.number)}
            resolved = {"focus_area": fa, "version": row.in_force}
            exporter = cls(plan, params, today=today, resolved=resolved)
            files += exporter.in_force_files("02-delaftaler", what)
        return files


class _Attachment(Exporter):
    """What a generated attachment's download writes to the audit trail (as it always has).

    First among an attachment's bases, so these win over the exporter it is a copy of.
    """

    event = "attachment.generated.downloaded"

    def audit_instance(self) -> Model:
        return self.plan

    def audit_changes(self, fmt: str, data: bytes) -> dict[str, Any]:
        return {"file": self.filename(fmt)}


@register
class SubAgreementsAttachment(_Attachment, SubAgreementExporter):
    """Attachment 2: each focus area's sub-agreement in force (``?kode=``), once all are."""

    identifier = "bilag-delaftale"
    title = _lazy("Delaftale (bilag)")
    formats: ClassVar[tuple[str, ...]] = ("pdf",)
    attachment_kind = AttachmentKind.SUB_AGREEMENTS
    in_lbf_package = False  # the package holds them in 02-delaftaler, in Word too

    def _version(self) -> SubAgreementVersion:
        rows = selectors.sub_agreement_overview(self.plan, self.today)
        if any(r.in_force is None for r in rows):
            raise Http404
        versions = [r.in_force for r in rows if r.focus_area.pk == self.focus_area.pk]
        if not versions or versions[0] is None:
            raise Http404
        return versions[0]

    @classmethod
    def generated(cls, plan: Plan, today: date) -> list[GeneratedFile] | None:
        rows = selectors.sub_agreement_overview(plan, today)
        if not rows or any(r.in_force is None for r in rows):
            return None
        files = []
        for row in rows:
            assert row.in_force is not None
            resolved = {"focus_area": row.focus_area, "version": row.in_force}
            exporter = cls(plan, {"kode": row.focus_area.code}, today=today, resolved=resolved)
            files.append(
                exporter.as_file(
                    "pdf", description=str(row.in_force), version=str(row.in_force.number)
                )
            )
        return files


@register
class OrgChartAttachment(_Attachment, OrgChartExporter):
    """Attachment 1: the organisation chart as it is today."""

    identifier = "bilag-organisationsdiagram"
    title = _lazy("Organisationsdiagram (bilag)")
    permission = "agreement.view"
    formats: ClassVar[tuple[str, ...]] = ("pdf",)
    attachment_kind = AttachmentKind.ORG_CHART
    in_lbf_package = True

    def resolve(self) -> None:
        self.on = self.today

    def output(self) -> Document:
        return chart_document(self.plan, self.on)

    def filename(self, fmt: str) -> str:
        return f"organisationsdiagram-{self.plan.slug}.{fmt}"

    @classmethod
    def generated(cls, plan: Plan, today: date) -> list[GeneratedFile] | None:
        if not plan.bodies.exists():
            return None
        return [cls(plan, today=today).as_file("pdf", description="Organisationsdiagram")]


@register
class ActivitySchemeAttachment(_Attachment, ActivityPlanExporter):
    """Attachment 6: the activity plan in LBF's template, as sent to LBF."""

    identifier = "bilag-aktivitetsskema"
    title = _lazy("Aktivitetsskema (bilag)")
    permission = "agreement.view"
    audience = LEAVES
    attachment_kind = AttachmentKind.ACTIVITY_SCHEME
    in_lbf_package = True

    @classmethod
    def generated(cls, plan: Plan, today: date) -> list[GeneratedFile] | None:
        if not PlannedQuantity.objects.filter(activity__plan=plan).exists():
            return None
        return [cls(plan, today=today).as_file("xlsx", description="Aktivitetsskema")]


@register
class LbfPackageExporter(Exporter):
    """The LBF package (``agreements.package``): everything LBF may ask for, in one ZIP."""

    identifier = "lbf-pakke"
    title = _lazy("LBF-pakke")
    permission = "package.download"
    audience = LEAVES
    formats: ClassVar[tuple[str, ...]] = ("zip",)
    event = "lbf_package.downloaded"

    def output(self) -> Archive:
        from helhedsplan.agreements.package import build_lbf_package

        data, entries = build_lbf_package(self.plan, self.today)
        return Archive(data, files=len(entries))

    def filename(self, fmt: str) -> str:
        return f"lbf-pakke-{self.plan.slug}-{self.today.isoformat()}.{fmt}"

    def audit_changes(self, fmt: str, data: bytes) -> dict[str, Any]:
        assert isinstance(self._prepared, Archive)
        return {"files": self._prepared.files, "sha256": hashlib.sha256(data).hexdigest()}
