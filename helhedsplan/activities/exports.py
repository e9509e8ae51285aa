"""Delivery measurement and the activity plan as exports: the same rows the pages show."""

from __future__ import annotations

from typing import ClassVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from helhedsplan.activities import selectors
from helhedsplan.activities.activity_plan import activity_plan_rows
from helhedsplan.activities.selectors import DeliveryCell, DeliveryReport
from helhedsplan.plans.models import Plan
from helhedsplan.plans.years import delivery_years
from helhedsplan.reports.exporters import INTERNAL, Exporter, register
from helhedsplan.reports.rows import Column, ColumnKind, Line, Rows, Sheet
from helhedsplan.reports.smallnumbers import Rate

FLAG_TEXT = {
    "under": "Underlevering",
    "over": "Overlevering",
    "ok": "Som planlagt",
    "unplanned": "Ikke planlagt",
    "running": "I gang",
    "": "",
}


def flag_text(cell: DeliveryCell) -> str:
    return _(FLAG_TEXT[cell.flag]) if cell.flag else ""


def delivery_rows(report: DeliveryReport) -> Rows:
    number, count = ColumnKind.NUMBER, ColumnKind.COUNT
    columns = (
        Column(_("Indsatsområde"), 12),
        Column(_("Aktivitet"), 45),
        Column(_("Boligområde"), 32),
        Column(_("År"), 7),
        Column(_("Kvartal"), 8),
        Column(_("Enhed"), 20),
        Column(_("Planlagt"), 10, number),
        # What was delivered counts participants (or events held): small-number suppression.
        Column(_("Leveret"), 10, count),
        Column(_("Leveringsgrad (%)"), 16, number),
        Column(_("Vurdering"), 16),
        Column(_("Kvartal lukket"), 14),
    )
    rows = []
    for block in report.activities:
        activity = block.activity
        for row in block.rows:
            for q, cell in enumerate(row.quarters, start=1):
                rows.append(
                    (
                        activity.focus_area.code,
                        activity.name,
                        row.area.name,
                        report.year,
                        q,
                        activity.unit_display,
                        cell.planned,
                        cell.delivered,
                        round(float(cell.pct), 1) if cell.pct is not None else None,
                        flag_text(cell),
                        _("ja") if q in report.closed_quarters else _("nej"),
                    )
                )
    title = _("Leverancemåling %(year)s") % {"year": report.year}
    warning = (
        (Line(_("Demonstrationsdata – ikke fra aftalen"), "warning"),)
        if report.is_demo_data
        else ()
    )
    # Should it leave: the delivery rate is delivered (7) over planned (6).
    rates = (Rate(8, numerator=7, denominator=6),)
    return Rows(title=title, sheets=[Sheet(title, columns, rows, warning, rates=rates)])


def delivery_year(plan: Plan, value: str) -> int:
    """The year asked for (``?aar=``) if it is offered, else the latest year with
    registrations (``plans.years.delivery_years``; the activity pages and the delivery
    export read it alike)."""
    return delivery_years(plan).pick(value)


@register
class DeliveryExporter(Exporter):
    """Planned against delivered per quarter (``?aar=``): the secretariat's follow-up."""

    identifier = "leverancemaaling"
    title = _lazy("Leverancemåling")
    permission = "delivery.view"
    audience = INTERNAL
    formats: ClassVar[tuple[str, ...]] = ("xlsx", "csv")

    def resolve(self) -> None:
        self.report = selectors.delivery_report(
            self.plan, delivery_year(self.plan, self.params.get("aar", ""))
        )

    def output(self) -> Rows:
        return delivery_rows(self.report)

    def filename(self, fmt: str) -> str:
        return f"leverancemaaling-{self.plan.slug}-{self.report.year}.{fmt}"


@register
class ActivityPlanExporter(Exporter):
    """The activity plan (aktivitetsskema) as its import reads it: for editing and re-import.

    The copy sent to LBF is the attachment (``agreements.exports``), which leaves.
    """

    identifier = "aktivitetsskema"
    title = _lazy("Aktivitetsskema")
    permission = "activities.view"
    audience = INTERNAL
    formats: ClassVar[tuple[str, ...]] = ("xlsx",)

    def output(self) -> Rows:
        return activity_plan_rows(self.plan)

    def filename(self, fmt: str) -> str:
        return f"aktivitetsskema-{self.plan.slug}.{fmt}"
