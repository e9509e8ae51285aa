"""Reading observation files (CSV or XLSX) into ``ImportRow``s, with Danish error reports.

Columns (header row, any order, case-insensitive): ``kriterium`` (criterion code, e.g. 5.2.2),
``område`` (area slug or ``total``), ``år``, ``værdi``, ``tæller``, ``nævner``, ``kilde``, and
for qualitative criteria ``vurdering`` (opfyldt / delvist opfyldt / ikke opfyldt) and
``beskrivelse``. The English names ``criterion, area, year, value, numerator, denominator,
source, rating, narrative`` work too. Numbers may use Danish decimal commas. XLSX files need
a sheet named ``Observationer``. Other columns are refused (a misspelt ``kilde`` would
otherwise be lost without a word).

This module only reads: cells become ``ImportRow``s (or "not a number" errors). Whether a
row may be written – the same validation as the form – is ``services.observations_import``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from helhedsplan.criteria.services import ImportError_, ImportFailed, ImportRow
from helhedsplan.files.tabular import Column, Table, TableError, TableRejected, read_table
from helhedsplan.lib.numbers import fmt_number

MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000
SHEET = "Observationer"
COLUMNS = ["kriterium", "område", "år", "værdi", "tæller", "nævner", "kilde", "vurdering",
           "beskrivelse"]  # fmt: skip
ALIASES = {
    "criterion": "kriterium", "code": "kriterium", "kode": "kriterium",
    "area": "område", "omraade": "område", "year": "år", "aar": "år",
    "value": "værdi", "vaerdi": "værdi", "numerator": "tæller", "taeller": "tæller",
    "denominator": "nævner", "naevner": "nævner", "source": "kilde",
    "rating": "vurdering", "narrative": "beskrivelse", "description": "beskrivelse",
    "begrundelse": "beskrivelse",
}  # fmt: skip
REQUIRED = ["kriterium", "område", "år"]
YEAR_MIN, YEAR_MAX = 1990, 2100  # Observation.year's validators


def _columns() -> list[Column]:
    aliases: dict[str, list[str]] = {}
    for alias, name in ALIASES.items():
        aliases.setdefault(name, []).append(alias)
    return [Column(name, name, tuple(aliases.get(name, ())), name in REQUIRED) for name in COLUMNS]


def _import_error(error: TableError) -> ImportError_:
    return ImportError_(error.row, error.column, error.message, error.code)


def rows_from_table(table: Table) -> list[ImportRow]:
    """The table's rows as ImportRows; ImportFailed listing every cell that cannot be read."""
    rows: list[ImportRow] = []
    errors: list[ImportError_] = []
    for row in table.rows:
        before = len(errors)

        def take(parse: Callable[..., Any], key: str, **kw: Any) -> Any:
            try:
                return parse(key, **kw)
            except TableError as exc:
                errors.append(_import_error(exc))
                return None

        line = row.number
        year: int | None = None
        if row.is_empty("år"):
            errors.append(ImportError_(line, "år", _("Angiv et helt årstal."), "bad_year"))
        else:
            year = take(row.year, "år", first=YEAR_MIN, last=YEAR_MAX)
        code = take(row.text, "kriterium")
        area = take(row.text, "område")
        if code == "":
            errors.append(ImportError_(line, "kriterium", _("Kriteriet mangler."), "missing"))
        if area == "":
            errors.append(ImportError_(line, "område", _("Området mangler."), "missing"))
        # Finite numbers and text; the field limits and rules are the service's (as the form's).
        value = take(row.decimal, "værdi")
        numerator = take(row.decimal, "tæller")
        denominator = take(row.decimal, "nævner")
        source = take(row.text, "kilde")
        rating = take(row.text, "vurdering")
        narrative = take(row.text, "beskrivelse")
        if len(errors) == before and year is not None:
            rows.append(ImportRow(line, code, area.lower(), year, value, numerator, denominator,
                                  source, rating, narrative))  # fmt: skip
    if errors:
        raise ImportFailed(errors)
    return rows


def read_upload(upload: Any, name: str = "") -> list[ImportRow]:
    """An upload (or bytes with ``name``) -> rows; ImportFailed on any problem, by row/column.

    Goes through the shared reader (``files.tabular``): size, kind and zip-bomb checks as for
    every upload, CSV or XLSX decided by the content.
    """
    try:
        table = read_table(
            upload, name=name, columns=_columns(), sheet=SHEET, max_bytes=MAX_IMPORT_BYTES,
            max_rows=MAX_IMPORT_ROWS,
            refuse_unknown_columns=True,
        )  # fmt: skip
    except TableRejected as exc:
        raise ImportFailed([_import_error(e) for e in exc.errors]) from None
    return rows_from_table(table)


def read_csv(data: bytes, name: str = "data.csv") -> list[ImportRow]:
    return read_upload(data, name)


def read_xlsx(data: bytes, name: str = "data.xlsx") -> list[ImportRow]:
    return read_upload(data, name)


def read_file(name: str, data: bytes) -> list[ImportRow]:
    """The file's rows (CSV or XLSX, by content); ImportFailed naming row and column."""
    return read_upload(data, name)


def too_large(size: int) -> ImportError_:
    mb = Decimal(size) / (1024 * 1024)
    return ImportError_(None, "", _(
        "Filen fylder %(size)s MB; der kan højst importeres %(max)s MB ad gangen. Del filen op."
    ) % {"size": fmt_number(mb, 1), "max": MAX_IMPORT_BYTES // (1024 * 1024)},
        "too_large")  # fmt: skip
