"""One document model for every generated report.

A report is built once as a list of blocks (headings, paragraphs, bullet lists, tables,
images); the DOCX, PDF and HTML renderers draw the same blocks, so they never disagree.
The other kind of report is ``reports.rows.Rows`` (sheets for XLSX and CSV).
Pure Python: no Django import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from helhedsplan.reports.smallnumbers import Rate


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = ""  # "" or "note" (smaller, muted)


@dataclass(frozen=True)
class Bullets:
    """A list; a ``numbered`` one counts from 1 on its own, whatever lists came before."""

    items: tuple[str, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    numeric_columns: frozenset[int] = frozenset()
    footer: tuple[str, ...] | None = None
    # Columns holding counts of people: the cells small-number suppression works on.
    count_columns: frozenset[int] = frozenset()
    # A count column that is the sum of the row's other count columns (a "total" column);
    # ``footer``, when given, holds the column totals. Suppression hides enough cells that
    # no hidden count can be worked out from these totals (secondary suppression).
    total_column: int | None = None
    # Rate columns (a percentage of two of the row's cells): hidden where a part is small
    # or hidden (``smallnumbers.Rate``: the rate's column, its numerator's, its denominator's).
    rates: tuple[Rate, ...] = ()


@dataclass(frozen=True)
class Image:
    """An SVG drawing (e.g. the organisation chart), embedded as it is in PDF and HTML.

    DOCX cannot embed SVG: its renderer draws ``png`` when given, else the same SVG as PNG.
    """

    svg: str
    caption: str = ""
    png: bytes | None = None


Block = Heading | Paragraph | Bullets | Table | Image


@dataclass
class Document:
    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)
    footer_note: str = ""
    # The content's own date (a version's "i kraft fra", a meeting's date): the DOCX's
    # created/modified stamps, so the same content gives the same bytes.
    dated: date | None = None
    landscape: bool = False  # the PDF's pages (a wide drawing such as the organisation chart)

    def add(self, *blocks: Block) -> Document:
        self.blocks.extend(blocks)
        return self


def text_to_blocks(markup: str, base_level: int = 2) -> list[Block]:
    """The light markup agreement texts are stored in.

    Blank lines part blocks; "### " starts a sub-heading; a block whose lines all start
    with "- " is a bullet list; a block of tab-separated lines is a table (first row is
    the header); anything else is a paragraph.
    """
    blocks: list[Block] = []
    for raw in re.split(r"\n\s*\n", markup.strip()):
        lines = [line.rstrip() for line in raw.splitlines() if line.strip()]
        if not lines:
            continue
        if len(lines) == 1 and lines[0].startswith("### "):
            blocks.append(Heading(lines[0][4:].strip(), base_level + 1))
        elif all(line.lstrip().startswith("- ") for line in lines):
            blocks.append(Bullets(tuple(line.lstrip()[2:].strip() for line in lines)))
        elif all("\t" in line for line in lines) and len(lines) > 1:
            cells = [tuple(c.strip() for c in line.split("\t")) for line in lines]
            width = max(len(c) for c in cells)
            padded = [c + ("",) * (width - len(c)) for c in cells]
            numeric = frozenset(range(1, width))
            blocks.append(Table(header=padded[0], rows=tuple(padded[1:]), numeric_columns=numeric))
        else:
            blocks.append(Paragraph(" ".join(line.strip() for line in lines)))
    return blocks
