"""The one door output passes before it leaves the secretariat: small-number suppression.

Every exporter whose audience is ``LEAVES`` hands its output (a Document or Rows) to
``prepare_for_release`` before it is rendered; internal output never comes here. Today the
output passes unchanged. A later issue fills this in (counts under 5 blanked, with secondary
suppression so a blanked cell cannot be worked out from a total) without touching an
exporter: exporters mark the cells that count people (``Table.count_columns``, columns of
kind ``ColumnKind.COUNT``), and ``map_counts`` hands each table's values and its count
columns to a function that returns the table's values as they may be released.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from helhedsplan.reports.document import Document, Table
from helhedsplan.reports.rows import ColumnKind, Rows

if TYPE_CHECKING:
    from helhedsplan.reports.exporters import Exporter, Output

# (a table's rows, its count columns) -> the rows as they may be released
TableSuppressor = Callable[[list[list[Any]], frozenset[int]], list[list[Any]]]


def prepare_for_release(output: Output, exporter: Exporter) -> Output:
    """``output`` as it may leave the secretariat. Today: unchanged."""
    return output


def map_counts(output: Output, suppress: TableSuppressor) -> Output:
    """A copy of ``output`` with every table that holds counts passed through ``suppress``."""
    if isinstance(output, Document):
        blocks = [
            _table(block, suppress) if isinstance(block, Table) and block.count_columns else block
            for block in output.blocks
        ]
        return dataclasses.replace(output, blocks=blocks)
    if isinstance(output, Rows):
        sheets = []
        for sheet in output.sheets:
            counts = sheet.columns_of(ColumnKind.COUNT)
            if counts:
                values = suppress([list(r) for r in sheet.rows], counts)
                sheet = dataclasses.replace(sheet, rows=[tuple(r) for r in values])
            sheets.append(sheet)
        return dataclasses.replace(output, sheets=sheets)
    return output  # an archive: its files passed here one by one when they were made


def _table(table: Table, suppress: TableSuppressor) -> Table:
    values = suppress([list(r) for r in table.rows], table.count_columns)
    return dataclasses.replace(table, rows=tuple(tuple(str(v) for v in r) for r in values))
