"""The milestone plan as a document (PDF and Word): the required attachment "milepælsplan"
(the seed's front part: "En milepælsplan for den samlede projektperiode"), generated from the
milestones with the page's Gantt chart and the same rows as a table.

It is an attachment of the agreement, so it is read as the agreement is (``agreement.view``:
Landsbyggefonden too, in the LBF package); the milestones page itself is the plan workers'.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.lib.numbers import fmt_date
from helhedsplan.milestones import selectors
from helhedsplan.milestones.models import Milestone
from helhedsplan.plans.models import Plan
from helhedsplan.reports.document import Document, Image, Paragraph, Table
from helhedsplan.reports.exporters import LEAVES, Exporter, GeneratedFile, register

IDENTIFIER = "milepaelsplan"
# agreements.models.AttachmentKind.MILESTONE_PLAN: the agreements app gathers what the other
# apps export and they never import it, so the kind is named by its value.
MILESTONE_PLAN = "milestone_plan"


def milestone_plan_document(plan: Plan, today: date) -> Document:
    rows = selectors.milestone_rows(plan, today)
    doc = Document(
        title=_("Milepælsplan"),
        subtitle=_("%(plan)s · planperioden %(start)s – %(end)s")
        % {
            "plan": plan.name,
            "start": fmt_date(plan.start_date),
            "end": fmt_date(plan.end_date),
        },
        landscape=True,
    )
    doc.add(
        Paragraph(
            _(
                "Milepælene for den samlede projektperiode med dato, ansvarlig, hvornår de er "
                "nået, og hvad der dokumenterer det. Status pr. %(today)s."
            )
            % {"today": fmt_date(today)}
        ),
        Image(svg=selectors.milestone_chart(plan, rows, today), caption=_("Milepælsplan")),
        milestone_table(rows),
    )
    return doc


def milestone_table(rows: list[selectors.MilestoneRow]) -> Table:
    """The text alternative of the chart: every milestone in date order."""
    body = []
    for row in rows:
        m = row.milestone
        state = row.state_label
        if m.done_on:
            state = _("nået %(day)s") % {"day": fmt_date(m.done_on)}
        body.append(
            (
                fmt_date(m.due_on),
                fmt_date(m.starts_on) if m.starts_on else "",
                m.title,
                m.timing_text,
                m.owner,
                m.done_when,
                "; ".join(f"{p.label}: {p.text}" for p in row.proofs),
                state,
                m.source,
            )
        )
    return Table(
        header=(
            _("Dato"),
            _("Påbegyndes"),
            _("Milepæl"),
            _("Tidspunkt ifølge aftalen"),
            _("Ansvarlig"),
            _("Hvornår er den nået"),
            _("Dokumentation"),
            _("Status"),
            _("Kilde"),
        ),
        rows=tuple(body),
        caption=_("Milepælene i datoorden"),
    )


@register
class MilestonePlanExporter(Exporter):
    """Attachment 4: the milestone plan for the whole period, from the milestones."""

    identifier = IDENTIFIER
    title = _lazy("Milepælsplan")
    permission = "agreement.view"
    audience = LEAVES
    formats: ClassVar[tuple[str, ...]] = ("pdf", "docx")
    event = "attachment.generated.downloaded"
    attachment_kind = MILESTONE_PLAN
    in_lbf_package = True

    def output(self) -> Document:
        return milestone_plan_document(self.plan, self.today)

    def filename(self, fmt: str) -> str:
        return f"milepaelsplan-{self.plan.slug}.{fmt}"

    def audit_instance(self) -> Model:
        return self.plan

    def audit_changes(self, fmt: str, data: bytes) -> dict[str, Any]:
        return {"file": self.filename(fmt)}

    @classmethod
    def generated(cls, plan: Plan, today: date) -> list[GeneratedFile] | None:
        """None while the plan has no milestones: the attachment is then missing."""
        if not Milestone.objects.filter(plan=plan).exists():
            return None
        exporter = cls(plan, today=today)
        return [exporter.as_file(fmt, description=str(cls.title)) for fmt in cls.formats]
