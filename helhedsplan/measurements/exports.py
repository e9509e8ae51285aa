"""Attachment 7: "Et bilag med de centralt genererede målinger ved indsatsens
starttidspunkt" (seed § 4), generated from the central measurements at the plan's start.

The values are those of the plan's start year (``plan.start_date.year``), or, where that
year has none, of the year before: LBF's yearly status available when the plan starts. With
no value for either year there is nothing to generate (``generated`` is None, and the
attachments checklist says the attachment is missing), so the attachment is *Komplet* only
once the values at the start are imported. It is sent to Landsbyggefonden (``LEAVES``):
numerators and denominators under 5 are suppressed, and a share whose part is (the
``Table``'s count columns and rates, ``reports.suppression``).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.db.models import Model
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.lib.numbers import fmt_number
from helhedsplan.measurements import selectors
from helhedsplan.measurements.models import CentralMeasurement
from helhedsplan.plans.models import Plan
from helhedsplan.reports.document import Document, Paragraph, Table
from helhedsplan.reports.exporters import LEAVES, Exporter, GeneratedFile, register
from helhedsplan.reports.smallnumbers import Rate

IDENTIFIER = "centrale_maalinger"
# agreements.models.AttachmentKind.BASELINE_APPENDIX, named by its value (the agreements app
# gathers what the other apps export; they never import it).
BASELINE_APPENDIX = "baseline_appendix"
VALUE, NUMERATOR, DENOMINATOR = 3, 4, 5


def baseline_document(plan: Plan, year: int) -> Document:
    """The values of ``year`` for every area and indicator of the plan's framework."""
    measurements = (
        CentralMeasurement.objects.filter(
            area__plan=plan, indicator__framework=plan.framework, year=year
        )
        .select_related("area", "indicator")
        .order_by("indicator__order", "indicator__code", "area__order", "area__name")
    )
    first, _before = selectors.start_years(plan)
    doc = Document(
        title=_("Centralt genererede målinger ved indsatsens start"),
        subtitle=_("%(plan)s · værdierne for %(year)s") % {"plan": plan.name, "year": year},
    )
    doc.add(
        Paragraph(
            _(
                "Landsbyggefondens registerbaserede målinger for planens boligområder (kilde: "
                "Danmarks Statistik via Landsbyggefonden), som de forelå ved indsatsens start. "
                "Bestyrelsen følger løbende, hvordan de udvikler sig."
            )
        )
    )
    if year != first:
        doc.add(
            Paragraph(
                _(
                    "Planens startår %(first)s har endnu ingen værdier; bilaget viser derfor "
                    "%(year)s, Landsbyggefondens seneste årlige status ved starten."
                )
                % {"first": first, "year": year},
                "note",
            )
        )
    rows = []
    for m in measurements:
        indicator = m.indicator
        if m.suppressed:
            value = _("diskretioneret")
        else:
            value = selectors.cell_for(m, indicator, released=False).text
        rows.append(
            (
                m.area.name,
                indicator.name,
                str(indicator.get_unit_display()),
                value,
                "" if m.numerator is None else fmt_number(m.numerator, trim=True),
                "" if m.denominator is None else fmt_number(m.denominator, trim=True),
                m.source or indicator.source,
            )
        )
    doc.add(
        Table(
            header=(
                _("Område"),
                _("Indikator"),
                _("Enhed"),
                _("Værdi"),
                _("Tæller"),
                _("Nævner"),
                _("Kilde"),
            ),
            rows=tuple(rows),
            caption=_("Målingerne for %(year)s pr. indikator og område") % {"year": year},
            numeric_columns=frozenset({VALUE, NUMERATOR, DENOMINATOR}),
            count_columns=frozenset({NUMERATOR, DENOMINATOR}),
            rates=(Rate(VALUE, NUMERATOR, DENOMINATOR),),
        )
    )
    return doc


@register
class BaselineExporter(Exporter):
    """Attachment 7: the central measurements at the plan's start."""

    identifier = IDENTIFIER
    title = _lazy("Centralt genererede målinger ved indsatsens start")
    permission = "agreement.view"
    audience = LEAVES
    formats: ClassVar[tuple[str, ...]] = ("pdf", "docx", "xlsx")
    event = "attachment.generated.downloaded"
    attachment_kind = BASELINE_APPENDIX
    in_lbf_package = True

    year: int

    def resolve(self) -> None:
        year = selectors.start_year_with_values(self.plan)
        if year is None:
            raise Http404("Ingen målinger ved planens start")
        self.year = year

    def output(self) -> Document:
        return baseline_document(self.plan, self.year)

    def filename(self, fmt: str) -> str:
        return f"centrale-maalinger-{self.plan.slug}-{self.year}.{fmt}"

    def audit_instance(self) -> Model:
        return self.plan

    def audit_changes(self, fmt: str, data: bytes) -> dict[str, Any]:
        return {"file": self.filename(fmt)}

    @classmethod
    def generated(cls, plan: Plan, today: date) -> list[GeneratedFile] | None:
        """None while no value of the start year (or the year before) is imported."""
        year = selectors.start_year_with_values(plan)
        if year is None:
            return None
        exporter = cls(plan, today=today, resolved={"year": year})
        return [exporter.as_file(fmt, description=str(cls.title)) for fmt in ("pdf", "xlsx")]
