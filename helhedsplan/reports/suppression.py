"""The one door output passes before it leaves the secretariat: small-number suppression.

Every exporter whose audience is ``LEAVES`` hands its output (a Document or Rows) to
``prepare_for_release`` before it is rendered; internal output never comes here. A page
that shows a Document to a reader of released copies (the status report for LBF) calls
``release_document`` itself. Exporters mark the cells that count people
(``Table.count_columns``, columns of kind ``ColumnKind.COUNT``), the totals
(``Table.total_column``/``footer``, ``Sheet.total_column``/``last_row_is_total``) and the
rates (``rates``); the rules are ``smallnumbers``'s: a count of 1-4 is shown as ``<5``,
a cell hidden so a small count cannot be worked out from the totals as ``x``, a rate with
a small or hidden part as ``x``. A table with anything hidden is followed by the legend
(a note paragraph; a sheet gets it as a note line above its header). Tables hold text
(Danish numbers, read with ``lib.numbers.parse_decimal``), sheets values.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from helhedsplan.lib.numbers import NumberError, parse_decimal
from helhedsplan.reports import smallnumbers
from helhedsplan.reports.document import Block, Document, Paragraph, Table
from helhedsplan.reports.rows import ColumnKind, Line, Rows, Sheet
from helhedsplan.reports.smallnumbers import Count, State

if TYPE_CHECKING:
    from helhedsplan.reports.exporters import Exporter, Output

# (a table's rows, its count columns) -> the rows as they may be released
TableSuppressor = Callable[[list[list[Any]], frozenset[int]], list[list[Any]]]


def legend() -> str:
    """The line that says what the marks mean, in the active language."""
    return _("<5: færre end 5. x: skjult, så et lille tal ikke kan regnes ud fra totalerne.")


def prepare_for_release(output: Output, exporter: Exporter) -> Output:
    """``output`` as it may leave the secretariat (an archive's files passed here one by
    one when they were made)."""
    return release(output)


def release(output: Output) -> Output:
    if isinstance(output, Document):
        return release_document(output)
    if isinstance(output, Rows):
        return release_rows(output)
    return output


def release_document(doc: Document) -> Document:
    """A copy of ``doc`` as it may leave the secretariat: every table's small counts
    suppressed, and the legend after each table where anything was. Releasing a released
    copy again changes nothing."""
    blocks: list[Block] = []
    note = legend()
    for n, block in enumerate(doc.blocks):
        if not (isinstance(block, Table) and (block.count_columns or block.rates)):
            blocks.append(block)
            continue
        table, hidden = release_table(block)
        blocks.append(table)
        following = doc.blocks[n + 1] if n + 1 < len(doc.blocks) else None
        if hidden and following != Paragraph(note, "note"):
            blocks.append(Paragraph(note, "note"))
    return dataclasses.replace(doc, blocks=blocks)


def release_table(table: Table) -> tuple[Table, bool]:
    """The table as released, and whether anything in it is hidden."""
    body = [list(r) for r in table.rows]
    if table.footer is not None:
        body.append(list(table.footer))
    read = table.count_columns | {
        c for rate in table.rates for c in (rate.numerator, rate.denominator)
    }
    values = [[_text_value(v) if i in read else None for i, v in enumerate(row)] for row in body]
    states = _states(
        values, table.count_columns, table.total_column, table.footer is not None, table.rates
    )
    out = [
        tuple(
            smallnumbers.mark(s) if s != State.SHOWN else v
            for v, s in zip(row, row_states, strict=True)
        )
        for row, row_states in zip(body, states, strict=True)
    ]
    footer = out.pop() if table.footer is not None else None
    return dataclasses.replace(table, rows=tuple(out), footer=footer), _any_hidden(states)


def release_rows(output: Rows) -> Rows:
    return dataclasses.replace(output, sheets=[release_sheet(s) for s in output.sheets])


def release_sheet(sheet: Sheet) -> Sheet:
    counts = sheet.columns_of(ColumnKind.COUNT)
    if not (counts or sheet.rates):
        return sheet
    read = counts | {c for rate in sheet.rates for c in (rate.numerator, rate.denominator)}
    values = [[_value(v) if i in read else None for i, v in enumerate(row)] for row in sheet.rows]
    states = _states(values, counts, sheet.total_column, sheet.last_row_is_total, sheet.rates)
    rows = [
        tuple(
            smallnumbers.mark(s) if s != State.SHOWN else v
            for v, s in zip(row, row_states, strict=True)
        )
        for row, row_states in zip(sheet.rows, states, strict=True)
    ]
    lines = sheet.lines
    note = Line(legend(), "note")
    if _any_hidden(states) and note not in lines:
        lines = (*lines, note)
    return dataclasses.replace(sheet, rows=rows, lines=lines)


def _states(
    values: list[list[Count]],
    counts: frozenset[int],
    total_column: int | None,
    total_row: bool,
    rates: Sequence[smallnumbers.Rate],
) -> list[list[State]]:
    return smallnumbers.suppress_table(
        values, counts, total_column=total_column, total_row=total_row, rates=rates
    )


def _any_hidden(states: list[list[State]]) -> bool:
    return any(s != State.SHOWN for row in states for s in row)


def _text_value(text: str) -> Count:
    """A table cell as the engine reads it: a number, a mark, or None ("–", "", text)."""
    raw = text.strip()
    if raw in (smallnumbers.SMALL_MARK, smallnumbers.HIDDEN_MARK):
        return raw
    try:
        return _number(parse_decimal(raw.removesuffix("%").strip()))
    except NumberError:
        return None


def _value(value: Any) -> Count:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, str):
        return _text_value(value)
    return None


def _number(value: Decimal) -> float:
    return int(value) if value == value.to_integral_value() else float(value)


def map_counts(output: Output, suppress: TableSuppressor) -> Output:
    """A copy of ``output`` with every table that holds counts passed through ``suppress``
    (a hook for tests and other rules: the cells only, no totals)."""
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
