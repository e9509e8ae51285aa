"""Delivery measurement as XLSX: the same rows the page shows."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from helhedsplan.activities.selectors import DeliveryCell, DeliveryReport
from helhedsplan.lib.spreadsheets import xlsx_text_only
from helhedsplan.lib.stable import stable_zip

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


def delivery_xlsx(report: DeliveryReport) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Leverancemåling %(year)s") % {"year": report.year}
    if report.is_demo_data:
        sheet.append([_("Demonstrationsdata – ikke fra aftalen")])
        sheet["A1"].font = Font(bold=True, color="B26A00")
    header = [
        _("Indsatsområde"),
        _("Aktivitet"),
        _("Boligområde"),
        _("År"),
        _("Kvartal"),
        _("Enhed"),
        _("Planlagt"),
        _("Leveret"),
        _("Leveringsgrad (%)"),
        _("Vurdering"),
        _("Kvartal lukket"),
    ]
    sheet.append(header)
    for block in report.activities:
        activity = block.activity
        for row in block.rows:
            for q, cell in enumerate(row.quarters, start=1):
                sheet.append(
                    [
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
                    ]
                )
    for i, width in enumerate([12, 45, 32, 7, 8, 20, 10, 10, 16, 16, 14]):
        sheet.column_dimensions[chr(65 + i)].width = width
    xlsx_text_only(book)  # activity and area names are text, never formulas
    out = io.BytesIO()
    book.save(out)
    return stable_zip(out.getvalue())  # byte-stable: fixed times and stamps
