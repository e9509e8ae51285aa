"""The scorecard as XLSX or CSV: one row generator (``scorecard_rows``) feeds the sheet."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.charts import line_chart
from helhedsplan.criteria import selectors
from helhedsplan.criteria.models import SuccessCriterion
from helhedsplan.criteria.selectors import Scorecard
from helhedsplan.criteria.wording import status_label
from helhedsplan.lib.numbers import YEAR_PARAM
from helhedsplan.plans.years import criteria_years
from helhedsplan.reports.document import Document, Image
from helhedsplan.reports.exporters import INTERNAL, Exporter, register
from helhedsplan.reports.rows import Column, ColumnKind, Line, Rows, Sheet

NUMBER_FORMAT = "#,##0.##"


def scorecard_rows(card: Scorecard) -> Iterator[list[Any]]:
    """Header, then one row per criterion: code, title, then value and status per column."""
    header: list[Any] = [_("Indsatsområde"), _("Kriterium"), _("Titel")]
    for col in card.columns:
        header += [col.label, f"{col.label} – {_('status')}"]
    header.append(_("Modstrid i aftalen"))
    yield header
    for group in card.groups:
        for row in group.rows:
            out: list[Any] = [str(group.focus_area), row.criterion.code, row.criterion.title]
            for cell in row.cells:
                value: Any = None
                if cell.point is not None:
                    value = float(cell.point.value) if cell.point.value is not None else (
                        cell.point.rating or None)  # fmt: skip
                elif cell.not_derivable:
                    value = _("kan ikke udledes")
                out += [value, status_label(cell.status) if cell.status else ""]
            out.append(_("ja") if row.has_contradiction else "")
            yield out


def scorecard_sheet(card: Scorecard) -> Rows:
    generator = scorecard_rows(card)
    header = next(generator)
    columns = [Column(header[0], 16), Column(header[1], 10), Column(header[2], 40)]
    for value, status in zip(header[3:-1:2], header[4:-1:2], strict=True):
        columns += [
            Column(value, 12, ColumnKind.NUMBER, NUMBER_FORMAT),
            Column(status, 16),
        ]
    columns.append(Column(header[-1], 12))
    title = f"{card.plan.name} – {_('succeskriterier')} {card.year}"
    sheet = Sheet(str(card.year), tuple(columns), [tuple(r) for r in generator], (Line(title),))
    return Rows(title=title, sheets=[sheet])


@register
class ScorecardExporter(Exporter):
    """The scorecard of a year (``?aar=``): the secretariat's and partners' work sheet."""

    identifier = "succeskriterier"
    title = _lazy("Succeskriterier (scorecard)")
    permission = "criteria.view"
    audience = INTERNAL
    formats: ClassVar[tuple[str, ...]] = ("xlsx", "csv")

    def resolve(self) -> None:
        offered = criteria_years(self.plan)
        year = offered.pick(self.params.get(YEAR_PARAM))
        self.card = selectors.scorecard(self.plan, year, years=offered.years)

    def output(self) -> Rows:
        return scorecard_sheet(self.card)

    def filename(self, fmt: str) -> str:
        return f"succeskriterier-{self.plan.slug}-{self.card.year}.{fmt}"


@register
class CriterionChartExporter(Exporter):
    """A criterion's trend in one column (``?kriterium=5.2.2&kolonne=<area slug|total>``),
    the same drawing as on the criterion's page."""

    identifier = "graf"
    title = _lazy("Graf for et succeskriterium")
    permission = "criteria.view"
    audience = INTERNAL
    formats: ClassVar[tuple[str, ...]] = ("svg", "png")

    def resolve(self) -> None:
        self.code, self.column = self.param("kriterium"), self.param("kolonne")
        try:
            self.svg = line_chart(selectors.criterion_chart(self.plan, self.code, self.column))
        except SuccessCriterion.DoesNotExist:
            raise Http404 from None

    def output(self) -> Document:
        return Document(title=self.code, blocks=[Image(svg=self.svg)])

    def filename(self, fmt: str) -> str:
        return f"graf-{self.code}-{self.column}.{fmt}"
