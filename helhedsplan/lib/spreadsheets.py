"""Exports that no spreadsheet runs as formulas (CSV and formula injection, OWASP).

Text from users (an activity named ``=HYPERLINK(...)``, a file name ``+cmd``) must reach the
reader as text. Every XLSX and CSV writer in the project goes through this module:

- ``xlsx_text_only(workbook)`` before saving: openpyxl turns any ``str`` beginning with ``=``
  into a formula; such cells, and text starting with ``+``, ``-``, ``@``, tab or CR, become
  string cells with Excel's quote prefix, so the text is shown as typed and never evaluated.
  Numbers (negative ones too) stay numbers. Exports write no formulas of their own.
- ``csv_writer(stream, ...)``: a ``csv.writer`` that prefixes such text with a single quote.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# "-3", "+4,5" and "-1.234,5" are numbers written as text, not formulas: left as they are.
_PLAIN_NUMBER = re.compile(r"^[+-]?\d[\d.,]*$")


def looks_like_formula(value: Any) -> bool:
    """Whether a spreadsheet program could read this text as a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_PREFIXES)
        and not _PLAIN_NUMBER.match(value)
    )


def csv_safe(value: Any) -> Any:
    """The value for a CSV cell: formula-like text gets a leading single quote."""
    return "'" + value if looks_like_formula(value) else value


def xlsx_text_only(workbook: Any) -> Any:
    """Make every formula-like text cell of ``workbook`` a plain string cell; returns it."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if looks_like_formula(cell.value) or (
                    cell.data_type == "f" and isinstance(cell.value, str)
                ):
                    cell.data_type = "s"
                    cell.quotePrefix = True
    return workbook


class _SafeWriter:
    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_safe(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream: Any, **kwargs: Any) -> _SafeWriter:
    """``csv.writer(stream, **kwargs)`` whose rows are made formula-safe with ``csv_safe``."""
    return _SafeWriter(csv.writer(stream, **kwargs))
