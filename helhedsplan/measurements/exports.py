"""The central measurements as documents: the values with their trend charts (``maalinger``,
the values page as PDF, Word or XLSX), and attachment 7.

Attachment 7: "Et bilag med de centralt genererede målinger ved indsatsens
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
from typing import TYPE_CHECKING, Any, ClassVar

from django.db.models import Model
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.lib.numbers import fmt_number
from helhedsplan.measurements import selectors
from helhedsplan.measurements.models import CentralMeasurement
from helhedsplan.plans.models import Plan
from helhedsplan.reports.document import Block, Document, Heading, Image, Paragraph, Table
from helhedsplan.reports.exporters import (
    INTERNAL,
    LEAVES,
    Audience,
    Exporter,
    GeneratedFile,
    register,
)
from helhedsplan.reports.smallnumbers import Rate

if TYPE_CHECKING:
    from helhedsplan.accounts.access import PlanAccess

IDENTIFIER = "centrale_maalinger"
VALUES_IDENTIFIER = "maalinger"
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


def trend_blocks(plan: Plan, *, released: bool) -> list[Block]:
    """Per indicator with values: its heading, the values by area and year (the charts' text
    alternative) and a trend chart per area: the values page's, for any document (the
    status report may embed them). ``released``: small numbers suppressed, as on the page."""
    page = selectors.values_page(plan, released=released)
    blocks: list[Block] = []
    for block in page.blocks:
        if not block.has_values:
            continue
        indicator = block.indicator
        blocks.append(Heading(indicator.name, 2))
        meta = [indicator.code, str(indicator.get_unit_display())]
        if indicator.is_rate:
            meta.append(f"{indicator.numerator_label} / {indicator.denominator_label}")
        if selectors.direction_label(indicator):
            meta.append(selectors.direction_label(indicator))
        meta.append(_("Kilde: %(source)s") % {"source": "; ".join(block.sources)})
        blocks.append(Paragraph(" · ".join(meta), "note"))
        rows = []
        for row in block.rows:
            cells = []
            for cell in row.line:
                if cell is None:
                    cells.append("–")
                elif cell.numerator or cell.denominator:
                    cells.append(f"{cell.text} ({cell.numerator or '–'}/{cell.denominator or '–'})")
                else:
                    cells.append(cell.text)
            rows.append((row.area.name, *cells))
        blocks.append(
            Table(
                header=(_("Område"), *[str(y) for y in block.years]),
                rows=tuple(rows),
                caption=_("%(name)s pr. område og år") % {"name": indicator.name},
                numeric_columns=frozenset(range(1, len(block.years) + 1)),
            )
        )
        blocks.extend(
            Image(svg=row.chart, caption=f"{indicator.name} – {row.area.name}")
            for row in block.rows
            if row.chart
        )
    return blocks


@register
class MeasurementsExporter(Exporter):
    """The values page as a document: every indicator's values by area and year and their
    trend charts. The secretariat's and the plan's partners' copy; Landsbyggefonden gets
    the released copy (small numbers suppressed, as on the page)."""

    identifier = VALUES_IDENTIFIER
    title = _lazy("Centrale målinger")
    permission = "measurements.view"
    audience = INTERNAL
    formats: ClassVar[tuple[str, ...]] = ("pdf", "docx", "xlsx")

    def audience_for(self, access: PlanAccess) -> Audience:
        return LEAVES if access.reads_released_copies else INTERNAL

    def output(self) -> Document:
        released = self.audience_in_use == LEAVES
        doc = Document(
            title=_("Centrale målinger"),
            subtitle=_("%(plan)s · Landsbyggefondens centralt genererede målinger")
            % {"plan": self.plan.name},
        )
        blocks = trend_blocks(self.plan, released=released)
        if released:
            doc.add(
                Paragraph(
                    _(
                        "Små tal er skjult: <5 betyder færre end 5; x er en andel, hvis tæller "
                        "eller nævner er under 5."
                    ),
                    "note",
                )
            )
        doc.add(
            *(blocks or [Paragraph(_("Der er endnu ikke indlæst målinger for planens områder."))])
        )
        return doc

    def filename(self, fmt: str) -> str:
        edition = "-ekstern" if self.audience_in_use == LEAVES else ""
        return f"centrale-maalinger-{self.plan.slug}{edition}.{fmt}"
