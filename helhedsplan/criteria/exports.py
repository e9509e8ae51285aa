"""The scorecard as XLSX: one row generator (``scorecard_rows``) feeds the sheet and the API."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from helhedsplan.criteria.selectors import Scorecard
from helhedsplan.criteria.wording import status_label
from helhedsplan.lib.stable import stable_zip


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


def scorecard_xlsx(card: Scorecard) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from helhedsplan.lib.spreadsheets import xlsx_text_only

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(card.year)
    sheet.append([f"{card.plan.name} – {_('succeskriterier')} {card.year}"])
    sheet["A1"].font = Font(bold=True, size=13)
    for i, row in enumerate(scorecard_rows(card)):
        sheet.append(row)
        if i == 0:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
    for col in sheet.iter_cols(min_row=3):
        for cell in col:
            if isinstance(cell.value, float | Decimal):
                cell.number_format = "#,##0.##"
    sheet.column_dimensions["C"].width = 40
    xlsx_text_only(workbook)  # titles and names are text, never formulas
    out = io.BytesIO()
    workbook.save(out)
    return stable_zip(out.getvalue())  # byte-stable: fixed times and stamps
