"""The organisation chart as a download: SVG, PNG, and PDF as a document with the drawing."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.lib.numbers import fmt_date
from helhedsplan.organisation.chart import chart_svg
from helhedsplan.plans.models import Plan
from helhedsplan.reports.document import Document, Image
from helhedsplan.reports.exporters import LEAVES, Exporter, register


def chart_document(plan: Plan, on: date) -> Document:
    """One landscape page: the chart as composed on ``on``."""
    return Document(
        title=_("Organisationsdiagram"),
        subtitle=f"{plan.name}, {fmt_date(on)}",
        blocks=[Image(svg=chart_svg(plan, on))],
        dated=on,
        landscape=True,
    )


@register
class OrgChartExporter(Exporter):
    """The chart on a date (``?dato=``, today when absent): bilag 1, LBF reads it."""

    identifier = "organisationsdiagram"
    title = _lazy("Organisationsdiagram")
    permission = "organisation.chart"
    audience = LEAVES
    formats: ClassVar[tuple[str, ...]] = ("pdf", "png", "svg")

    def resolve(self) -> None:
        self.on = self.date_param("dato")

    def output(self) -> Document:
        return chart_document(self.plan, self.on)

    def filename(self, fmt: str) -> str:
        return f"organisationsdiagram-{self.on:%Y-%m-%d}.{fmt}"
