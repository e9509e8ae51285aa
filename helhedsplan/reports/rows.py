"""Rows: a report as one or more sheets of typed columns (the XLSX and CSV renderers' input).

A sheet has lines above its header (a title, a warning that the data is demonstration
data), a header of ``Column``s and rows of plain values (str, int, float, Decimal, None).
A column says how wide it is, how its numbers are shown and what it holds: a ``COUNT``
column holds counts of people, the cells small-number suppression works on
(``reports.suppression``). Pure Python: no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from helhedsplan.reports.smallnumbers import Rate


class ColumnKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    # A count of people (participants, residents with ...): what suppression may blank out.
    COUNT = "count"


@dataclass(frozen=True)
class Column:
    title: str
    width: float | None = None
    kind: ColumnKind = ColumnKind.TEXT
    number_format: str = ""  # the XLSX number format of the column's numbers


@dataclass(frozen=True)
class Line:
    """A line above the header; ``style`` "title" (large, bold), "warning" (bold, orange)
    or "note" (small: the suppression legend)."""

    text: str
    style: str = "title"


@dataclass
class Sheet:
    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    lines: tuple[Line, ...] = ()
    # As ``Table``: a COUNT column that sums the row's other COUNT columns, and whether the
    # last row holds the column totals (secondary suppression keeps both from revealing).
    total_column: int | None = None
    last_row_is_total: bool = False
    # As ``Table.rates``: rate columns hidden where their numerator or denominator is.
    rates: tuple[Rate, ...] = ()

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(c.title for c in self.columns)

    def columns_of(self, *kinds: ColumnKind) -> frozenset[int]:
        return frozenset(i for i, c in enumerate(self.columns) if c.kind in kinds)


@dataclass
class Rows:
    title: str
    sheets: list[Sheet] = field(default_factory=list)
    # The content's own date: the XLSX's created/modified stamps (``lib.stable``).
    dated: date | None = None
