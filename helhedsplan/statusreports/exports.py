"""The status report as PDF and Word (``/planer/<slug>/eksport/statusrapport.pdf?rapport=<pk>``).

An issued report is drawn from its snapshot; a draft (the secretariat only) from a snapshot
built now, marked "KLADDE". Landsbyggefonden reads only reports sent to it, and always the
released copy (small numbers suppressed); anyone may ask for that copy with
``?udgave=ekstern``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.reports import suppression
from helhedsplan.reports.document import Document
from helhedsplan.reports.exporters import INTERNAL, LEAVES, Audience, Exporter, register
from helhedsplan.statusreports import snapshot
from helhedsplan.statusreports.document import status_document
from helhedsplan.statusreports.models import StatusReport

if TYPE_CHECKING:
    from django.db.models import Model

    from helhedsplan.accounts.access import PlanAccess

EXTERNAL_EDITION = "ekstern"


def _name(user: object) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())  # type: ignore[attr-defined]


def report_document(report: StatusReport) -> Document:
    """The report's document: from its snapshot once issued, a live preview while a draft."""
    title = _("Statusrapport: %(plan)s") % {"plan": report.plan.name}
    if report.is_draft:
        return status_document(snapshot.build(report), title=title, draft=True)
    supersedes = report.supersedes
    return status_document(
        report.snapshot,
        title=title,
        version=report.version,
        issued_by=_name(report.issued_by),
        issued_at=report.issued_at,
        supersedes=(
            _("version %(version)s (%(period)s): %(reason)s")
            % {
                "version": supersedes.version,
                "period": supersedes.period_label,
                "reason": report.supersede_reason,
            }
            if supersedes is not None
            else ""
        ),
    )


def may_read(access: PlanAccess, report: StatusReport) -> bool:
    """LBF only what was sent to it; a draft only the secretariat (who edits it)."""
    if access.reads_released_copies:
        return report.shared_with_lbf_at is not None and not report.is_draft
    if report.is_draft:
        return access.can("statusreport.edit")
    return True


def released(document: Document, exporter: Exporter) -> Document:
    """The copy that may leave the secretariat (small numbers suppressed, with the legend):
    the page's LBF copy passes the same hook as the download does."""
    out = suppression.prepare_for_release(document, exporter)
    assert isinstance(out, Document)
    return out


@register
class StatusReportExporter(Exporter):
    """A status report (``?rapport=<pk>``), as issued, or the draft's preview."""

    identifier = "statusrapport"
    title = _lazy("Statusrapport")
    permission = "statusreport.view"
    audience = INTERNAL
    formats: ClassVar[tuple[str, ...]] = ("pdf", "docx")
    event = "statusreport.downloaded.{format}"

    def resolve(self) -> None:
        pk = self.int_param("rapport")
        found = (
            StatusReport.objects.filter(plan=self.plan, pk=pk)
            .select_related("plan", "issued_by", "supersedes")
            .first()
        )
        if found is None:
            raise Http404("rapport findes ikke")
        self.report = found

    def allowed(self, access: PlanAccess) -> bool:
        return may_read(access, self.report)

    def audience_for(self, access: PlanAccess) -> Audience:
        if access.reads_released_copies or self.params.get("udgave") == EXTERNAL_EDITION:
            return LEAVES
        return INTERNAL

    def output(self) -> Document:
        return report_document(self.report)

    def filename(self, fmt: str) -> str:
        r = self.report
        half = f"{r.period_start:%Y%m%d}-{r.period_end:%Y%m%d}"
        version = f"v{r.version}" if r.version else "kladde"
        edition = "-ekstern" if self.audience_in_use == LEAVES else ""
        return f"statusrapport-{self.plan.slug}-{half}-{version}{edition}.{fmt}"

    def audit_instance(self) -> Model:
        return self.report
