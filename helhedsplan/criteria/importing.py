"""Reading observation files (CSV or XLSX) into ``ImportRow``s, with Danish error reports.

Columns (header row, any order, case-insensitive): ``kriterium`` (criterion code, e.g. 5.2.2),
``område`` (area slug or ``total``), ``år``, ``værdi``, ``tæller``, ``nævner``, ``kilde``, and
for qualitative criteria ``vurdering`` (opfyldt / delvist opfyldt / ikke opfyldt) and
``beskrivelse``. The English names ``criterion, area, year, value, numerator, denominator,
source, rating, narrative`` work too. Numbers may use Danish decimal commas. XLSX files need
a sheet named ``Observationer``.

This module only reads: cells become ``ImportRow``s (or "not a number" errors). Whether a
row may be written – the same validation as the form – is ``services.observations_import``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from helhedsplan.criteria.services import ImportError_, ImportFailed, ImportRow
from helhedsplan.lib.numbers import parse_decimal

MAX_IMPORT_BYTES = 10 * 1024 * 1024
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


def _number(raw: Any, line: int, column: str, errors: list[ImportError_]) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, int | float | Decimal):
        return Decimal(str(raw))
    try:
        return parse_decimal(str(raw))
    except ValueError:
        errors.append(ImportError_(line, column, _("»%(text)s« er ikke et tal.")
                                   % {"text": str(raw)[:40]}, "not_a_number"))  # fmt: skip
        return None


def rows_from_table(table: Iterable[list[Any]], first_line: int = 1) -> list[ImportRow]:
    """The header row and data rows of a table -> rows; ImportFailed on any error."""
    lines = iter(table)
    header_cells = next(lines, None)
    if header_cells is None or not any(c not in (None, "") for c in header_cells):
        raise ImportFailed([ImportError_(None, "", _("Filen er tom."), "empty")])
    header = [ALIASES.get(str(c or "").strip().lower(), str(c or "").strip().lower())
              for c in header_cells]  # fmt: skip
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFailed(
            [
                ImportError_(
                    first_line,
                    "",
                    _(
                        "Overskriftsrækken mangler kolonnen/kolonnerne %(missing)s. "
                        "Forventet: %(expected)s."
                    )
                    % {"missing": ", ".join(missing), "expected": ", ".join(COLUMNS)},
                    "missing_header",
                )
            ]
        )
    index = {name: header.index(name) for name in COLUMNS if name in header}
    rows: list[ImportRow] = []
    errors: list[ImportError_] = []
    for offset, cells in enumerate(lines, start=1):
        line = first_line + offset
        if not any(c not in (None, "") and str(c).strip() for c in cells):
            continue

        def cell(name: str, cells: list[Any] = cells) -> Any:
            i = index.get(name)
            return cells[i] if i is not None and i < len(cells) else None

        before = len(errors)
        year_raw = cell("år")
        year_number = _number(year_raw, line, "år", errors)
        year = 0
        if year_number is not None and year_number == year_number.to_integral_value():
            year = int(year_number)
        elif len(errors) == before:
            errors.append(ImportError_(line, "år", _("Angiv et helt årstal."), "bad_year"))
        code = str(cell("kriterium") or "").strip()
        area = str(cell("område") or "").strip().lower()
        if not code:
            errors.append(ImportError_(line, "kriterium", _("Kriteriet mangler."), "missing"))
        if not area:
            errors.append(ImportError_(line, "område", _("Området mangler."), "missing"))
        value = _number(cell("værdi"), line, "værdi", errors)
        numerator = _number(cell("tæller"), line, "tæller", errors)
        denominator = _number(cell("nævner"), line, "nævner", errors)
        if len(errors) == before:
            source = str(cell("kilde") or "").strip()
            rating = str(cell("vurdering") or "").strip()
            narrative = str(cell("beskrivelse") or "").strip()
            rows.append(ImportRow(line, code, area, year, value, numerator, denominator, source,
                                  rating, narrative))  # fmt: skip
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed([ImportError_(None, "", _("Filen har ingen datarækker."), "empty")])
    return rows


def read_csv(data: bytes) -> list[ImportRow]:
    if not data.strip():
        raise ImportFailed([ImportError_(None, "", _("Filen er tom."), "empty")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    try:
        dialect: Any = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";"
    return rows_from_table(csv.reader(io.StringIO(text), dialect))


def read_xlsx(data: bytes) -> list[ImportRow]:
    from openpyxl import load_workbook

    if not data:
        raise ImportFailed([ImportError_(None, "", _("Filen er tom."), "empty")])
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not XLSX
        raise ImportFailed([ImportError_(None, "", _(
            "Filen kan ikke læses som XLSX."), "not_xlsx")]) from exc  # fmt: skip
    if SHEET not in workbook.sheetnames:
        raise ImportFailed(
            [
                ImportError_(
                    None,
                    "",
                    _("Arket »%(sheet)s« findes ikke i filen (fundet: %(found)s).")
                    % {"sheet": SHEET, "found": ", ".join(workbook.sheetnames)},
                    "missing_sheet",
                )
            ]
        )
    sheet = workbook[SHEET]
    return rows_from_table([list(r) for r in sheet.iter_rows(values_only=True)])


def read_file(name: str, data: bytes) -> list[ImportRow]:
    """By extension: .xlsx or .csv; anything else is refused."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFailed([too_large(len(data))])
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return read_xlsx(data)
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return read_csv(data)
    raise ImportFailed([ImportError_(None, "", _(
        "Filtypen kendes ikke. Brug .xlsx eller .csv."), "unknown_type")])  # fmt: skip


def too_large(size: int) -> ImportError_:
    mb = Decimal(size) / (1024 * 1024)
    return ImportError_(None, "", _(
        "Filen fylder %(size)s MB; der kan højst importeres %(max)s MB ad gangen. Del filen op."
    ) % {"size": f"{mb:.1f}".replace(".", ","), "max": MAX_IMPORT_BYTES // (1024 * 1024)},
        "too_large")  # fmt: skip
