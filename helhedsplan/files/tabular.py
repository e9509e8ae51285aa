"""One reader for every tabular import (CSV or XLSX), with Danish messages naming row and column.

``read_table`` takes an upload and returns its rows as ``{column key: raw cell}`` with the row
number the user sees in their spreadsheet program. On the way it

- checks size, kind and zip bombs through ``files.validation`` (the same checks as uploads),
  decides CSV or XLSX by the content (a PDF or an HTML page named ``.csv`` is refused, as is
  a password-protected workbook),
- decodes CSV as UTF-8 (with or without BOM) or UTF-16 with BOM, else Windows-1252, else
  refuses naming the byte and its row; sniffs ``;``, ``,`` or tab as the delimiter,
- reads XLSX with openpyxl in read-only mode (cached values of formulas; a formula without
  one, an error cell or a cell openpyxl cannot parse is named by row and column),
- checks the header row: empty, duplicate, unknown (when asked) and missing required columns.

The cell parsers (``TableRow.decimal``, ``.whole``, ``.year``, ``.text``) turn raw cells into
typed values and raise ``TableError`` carrying row, column, a Danish message and a code:
NaN, infinity (an XLSX ``1E+400``), numbers the model field cannot hold, decimals in a whole
number, dates and booleans where a number belongs are all refused.

Everything the reader refuses is raised as ``TableRejected`` (a list of ``TableError``);
nothing has been written. Codes: file_empty, file_too_large, zip_bomb, wrong_kind, not_xlsx,
encrypted, old_xls, corrupt, bad_encoding, not_text, no_sheet, missing_sheet, empty,
no_header_columns, duplicate_header, unknown_header, missing_header, too_many_rows,
too_many_cells, bad_cell, formula_without_value, error_cell, not_a_number, not_finite,
out_of_range, too_many_decimals, not_whole, negative, bad_year, required, too_long.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from helhedsplan.files.validation import KIND_LABELS, Upload, check_size, sniff_kind
from helhedsplan.lib.cpr import CODE as CPR_CODE
from helhedsplan.lib.cpr import contains_cpr, cpr_message
from helhedsplan.lib.numbers import NumberError, fmt_number, parse_decimal

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_ROWS = 20_000
# Columns beyond this are not read (a sheet's declared width can be 16.384 columns).
MAX_COLUMNS = 100
# Physical rows read (blank ones included) before the sheet is refused as too long.
MAX_PHYSICAL_ROWS_FACTOR = 5

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
_HTML_START = re.compile(rb"^\s*<(!doctype|html|head|body|\?xml|table|div|script|meta)", re.I)


# --- errors ----------------------------------------------------------------------------------


class TableError(Exception):
    """One problem at a row (None: the file) and column ("" when not one column)."""

    def __init__(self, message: str, *, code: str, row: int | None = None, column: str = ""):
        super().__init__(message)
        self.message, self.code, self.row, self.column = message, code, row, column

    def __str__(self) -> str:
        if self.row is not None and self.column:
            return _("Række %(row)s, kolonne '%(column)s': %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row is not None:
            return _("Række %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message

    def validation_error(self) -> ValidationError:
        return ValidationError(str(self), code=self.code)


class TableRejected(Exception):
    """The file is refused; ``errors`` says every reason found. Nothing has been written."""

    def __init__(self, errors: Sequence[TableError]) -> None:
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = list(errors)

    def validation_error(self) -> ValidationError:
        return ValidationError([e.validation_error() for e in self.errors])


def _file_error(message: str, code: str) -> TableRejected:
    return TableRejected([TableError(message, code=code)])


# --- special cells ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FormulaWithoutValue:
    """A formula cell saved without its computed value (e.g. written by a program, not Excel)."""

    formula: str


@dataclass(frozen=True)
class ErrorCell:
    """A cell holding a spreadsheet error such as ``#DIV/0!``."""

    text: str


# --- columns, rows, table --------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column the import knows: ``label`` is the header (and the name in messages)."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    def names(self) -> set[str]:
        return {_norm(n) for n in (self.label, *self.aliases)}


@dataclass(frozen=True)
class TableRow:
    """One data row: ``number`` as the spreadsheet shows it; ``cells`` column key -> raw cell."""

    number: int
    cells: dict[str, Any]
    labels: dict[str, str] = field(repr=False, compare=False)

    def raw(self, key: str) -> Any:
        return self.cells.get(key)

    def is_empty(self, key: str) -> bool:
        return is_blank(self.cells.get(key))

    def _where(self, key: str) -> dict[str, Any]:
        return {"row": self.number, "column": self.labels.get(key, key)}

    def text(self, key: str, *, max_length: int | None = None, required: bool = False) -> str:
        return parse_text(self.raw(key), max_length=max_length, required=required,
                          **self._where(key))  # fmt: skip

    def decimal(self, key: str, **bounds: Any) -> Decimal | None:
        return parse_decimal_cell(self.raw(key), **bounds, **self._where(key))

    def whole(self, key: str, **bounds: Any) -> int | None:
        return parse_whole_cell(self.raw(key), **bounds, **self._where(key))

    def year(self, key: str, **bounds: Any) -> int | None:
        return parse_year_cell(self.raw(key), **bounds, **self._where(key))


@dataclass(frozen=True)
class Table:
    kind: str  # "csv" or "xlsx"
    headers: list[str]  # the column keys found, in file order
    rows: list[TableRow]


# --- cell parsers ----------------------------------------------------------------------------


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _shown(raw: Any) -> str:
    if isinstance(raw, float) and raw != raw:
        return "NaN"
    if isinstance(raw, float) and raw in (float("inf"), float("-inf")):
        return _("uendelig") if raw > 0 else _("minus uendelig")
    if isinstance(raw, datetime) and raw.time() == time():
        return raw.date().isoformat()
    text = str(raw).strip()
    return text if len(text) <= 40 else text[:39] + "…"


def _special(raw: Any, row: int | None, column: str) -> None:
    """Refuse the cells no parser can read: formula without value, error cells."""
    if isinstance(raw, FormulaWithoutValue):
        raise TableError(
            _(
                "cellen indeholder formlen '%(formula)s' uden en beregnet værdi. Åbn og gem "
                "filen i Excel, eller indsæt værdierne som tal."
            )
            % {"formula": _shown(raw.formula)},
            code="formula_without_value", row=row, column=column,
        )  # fmt: skip
    if isinstance(raw, ErrorCell):
        raise TableError(
            _("cellen indeholder fejlen %(error)s fra regnearket.") % {"error": raw.text},
            code="error_cell", row=row, column=column,
        )  # fmt: skip


def parse_text(
    raw: Any, *, row: int | None, column: str, max_length: int | None = None,
    required: bool = False,
) -> str:  # fmt: skip
    """The cell as stripped text ('' when empty); a whole float reads without ``.0``."""
    _special(raw, row, column)
    if is_blank(raw):
        if required:
            raise TableError(_("cellen er tom."), code="required", row=row, column=column)
        return ""
    if isinstance(raw, bool):
        text = _("sand") if raw else _("falsk")
    elif isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    elif isinstance(raw, datetime):
        text = raw.date().isoformat() if raw.time() == time() else raw.isoformat(" ")
    elif isinstance(raw, date | time):
        text = raw.isoformat()
    else:
        text = str(raw).strip()
    if max_length is not None and len(text) > max_length:
        raise TableError(
            _("teksten er på %(length)s tegn; højst %(max)s er tilladt.")
            % {"length": len(text), "max": max_length},
            code="too_long", row=row, column=column,
        )  # fmt: skip
    return text


def parse_decimal_cell(
    raw: Any,
    *,
    row: int | None,
    column: str,
    max_digits: int | None = None,
    decimal_places: int | None = None,
    min_value: Decimal | int | None = None,
    max_value: Decimal | int | None = None,
    required: bool = False,
) -> Decimal | None:
    """The cell as a finite Decimal (within ``max_digits``/``decimal_places`` when given).

    None if empty.

    Text is read as Danish numbers (``30,65``, ``44.450``, ``1.234,5``) and may have at most
    ``decimal_places`` decimals; an XLSX number is taken as stored, a float rounded to them.
    NaN, infinity and anything too big for the field are refused.
    """
    _special(raw, row, column)
    if is_blank(raw):
        if required:
            raise TableError(_("cellen er tom."), code="required", row=row, column=column)
        return None
    shown = _shown(raw)
    if isinstance(raw, bool | date | time):
        what = _("en dato") if isinstance(raw, date | time) else _("en sandhedsværdi")
        raise TableError(
            _("'%(value)s' er %(what)s, ikke et tal.") % {"value": shown, "what": what},
            code="not_a_number", row=row, column=column,
        )  # fmt: skip
    try:
        if isinstance(raw, int):
            number = Decimal(raw)
        elif isinstance(raw, float):
            number = Decimal(repr(raw))
        elif isinstance(raw, Decimal):
            number = raw
        else:
            number = parse_decimal(str(raw))
    except NumberError as exc:
        if exc.code != "decimal_point":
            raise TableError(
                _("'%(value)s' er ikke et tal.") % {"value": shown},
                code="not_a_number", row=row, column=column,
            ) from None  # fmt: skip
        raise TableError(
            _("'%(value)s' er ikke et tal: skriv decimaler med komma (fx 30,65); punktum "
              "skiller tusinder (fx 44.450).") % {"value": shown},
            code="decimal_point", row=row, column=column,
        ) from None  # fmt: skip
    except (ValueError, InvalidOperation):
        raise TableError(
            _("'%(value)s' er ikke et tal.") % {"value": shown},
            code="not_a_number", row=row, column=column,
        ) from None  # fmt: skip
    if not number.is_finite():
        raise TableError(
            _("'%(value)s' er ikke et endeligt tal (for stort eller ugyldigt).")
            % {"value": shown},
            code="not_finite", row=row, column=column,
        )  # fmt: skip
    places = decimal_places if decimal_places is not None else 0
    limit = Decimal(10) ** (max_digits - places) if max_digits is not None else None
    if (
        (limit is None or abs(number) < limit)
        and decimal_places is not None
        and (isinstance(raw, float))
    ):
        # A spreadsheet's binary float (34.285714285714285 for a computed rate): rounded to
        # what the field holds, as the spreadsheet shows it rounded. Typed text is not.
        number = number.quantize(Decimal(1).scaleb(-decimal_places), rounding=ROUND_HALF_UP)
    if limit is not None and abs(number) >= limit:
        raise TableError(
            _("%(value)s er for stort; tallet skal være under %(limit)s.")
            % {"value": shown, "limit": fmt_number(limit)},
            code="out_of_range", row=row, column=column,
        )  # fmt: skip
    if decimal_places is not None and not isinstance(raw, float):
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > decimal_places:
            raise TableError(
                _("%(value)s har for mange decimaler; højst %(places)s er tilladt.")
                % {"value": shown, "places": decimal_places},
                code="too_many_decimals", row=row, column=column,
            )  # fmt: skip
    if min_value is not None and number < min_value:
        code = "negative" if min_value == 0 else "out_of_range"
        raise TableError(
            _("%(value)s er for lille; mindst %(min)s er tilladt.")
            % {"value": fmt_number(number), "min": fmt_number(min_value)},
            code=code, row=row, column=column,
        )  # fmt: skip
    if max_value is not None and number > max_value:
        raise TableError(
            _("%(value)s er for stort; højst %(max)s er tilladt.")
            % {"value": fmt_number(number), "max": fmt_number(max_value)},
            code="out_of_range", row=row, column=column,
        )  # fmt: skip
    return number


def parse_whole_cell(
    raw: Any,
    *,
    row: int | None,
    column: str,
    min_value: int | None = None,
    max_value: int | None = None,
    required: bool = False,
) -> int | None:
    """The cell as a whole number within the bounds (12 and 12,0 are 12; 12,5 is refused)."""
    number = parse_decimal_cell(raw, row=row, column=column, max_digits=40, required=required)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise TableError(
            _("'%(value)s' er ikke et helt tal.") % {"value": _shown(raw)},
            code="not_whole", row=row, column=column,
        )  # fmt: skip
    whole = int(number)
    if min_value is not None and whole < min_value:
        if min_value == 0:
            message = _("tallet må ikke være negativt (%(value)s).") % {"value": whole}
        else:
            message = _("%(value)s er for lille; mindst %(min)s er tilladt.") % {
                "value": whole, "min": min_value}  # fmt: skip
        raise TableError(message, code="negative" if min_value == 0 else "out_of_range",
                         row=row, column=column)  # fmt: skip
    if max_value is not None and whole > max_value:
        raise TableError(
            _("%(value)s er for stort; højst %(max)s er tilladt.")
            % {"value": _shown(raw), "max": fmt_number(max_value)},
            code="out_of_range", row=row, column=column,
        )  # fmt: skip
    return whole


def parse_year_cell(
    raw: Any, *, row: int | None, column: str, first: int = 1990, last: int = 2100,
    required: bool = False,
) -> int | None:  # fmt: skip
    """A whole year between ``first`` and ``last``."""
    try:
        year = parse_whole_cell(raw, row=row, column=column, required=required)
    except TableError as exc:
        if exc.code in {"required", "formula_without_value", "error_cell"}:
            raise
        raise TableError(
            _("'%(value)s' er ikke et årstal.") % {"value": _shown(raw)},
            code="bad_year", row=row, column=column,
        ) from None  # fmt: skip
    if year is not None and not first <= year <= last:
        raise TableError(
            _("'%(value)s' er ikke et årstal mellem %(first)s og %(last)s.")
            % {"value": _shown(raw), "first": first, "last": last},
            code="bad_year", row=row, column=column,
        )  # fmt: skip
    return year


# --- reading ---------------------------------------------------------------------------------


class _BytesUpload(io.BytesIO):
    """bytes with the ``name`` and ``size`` an upload has."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(data)
        self.name: str | None = name
        self.size: int | None = len(data)


def as_upload(file: Any, name: str = "") -> Upload:
    """An upload, bytes, or a binary stream (its size measured) as something with name/size."""
    if isinstance(file, bytes):
        return _BytesUpload(file, name or _("filen"))
    if getattr(file, "size", None) is not None and getattr(file, "name", None):
        return file  # type: ignore[no-any-return]
    file.seek(0)
    return _BytesUpload(file.read(), name or getattr(file, "name", "") or _("filen"))


def read_table(
    file: Any,
    *,
    columns: Sequence[Column],
    name: str = "",
    kinds: Iterable[str] = ("csv", "xlsx"),
    sheet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    refuse_unknown_columns: bool = False,
) -> Table:
    """The rows of ``file`` (an upload, bytes or a stream); ``TableRejected`` on any problem.

    ``sheet`` names the XLSX sheet to read (None: the first). Empty rows are skipped.
    """
    kinds = frozenset(kinds)
    upload = as_upload(file, name)
    shown_name = upload.name or _("filen")
    try:
        check_size(upload, max_bytes)
        kind = _content_kind(upload, shown_name, kinds)
    except ValidationError as exc:
        raise _file_error(exc.messages[0], exc.code or "bad_file") from None
    upload.seek(0)
    if kind == "xlsx":
        table_rows = _xlsx_rows(upload, shown_name, sheet, max_rows)
    else:
        table_rows = _csv_rows(upload.read(), shown_name, max_rows)
    return _table(kind, table_rows, columns, refuse_unknown_columns, max_rows)


def _kinds_text(kinds: frozenset[str]) -> str:
    return _(" eller ").join(k.upper() for k in sorted(kinds))


def _content_kind(upload: Upload, name: str, kinds: frozenset[str]) -> str:
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if head.startswith(_CFB_MAGIC):
        upload.seek(0)
        body = upload.read()
        upload.seek(0)
        if _ENCRYPTED_MARK in body:
            raise ValidationError(
                _(
                    "Filen %(name)s er beskyttet med adgangskode. Gem den uden adgangskode som "
                    "XLSX, og indlæs den igen."
                )
                % {"name": name},
                code="encrypted",
            )
        raise ValidationError(
            _("Filen %(name)s er i det gamle Excel-format (XLS). Gem den som XLSX.")
            % {"name": name},
            code="old_xls",
        )
    if head.startswith(b"PK"):
        if "xlsx" not in kinds:
            raise ValidationError(_wrong_kind(name, _("en ZIP-fil"), kinds), code="wrong_kind")
        try:
            with zipfile.ZipFile(upload):
                pass
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise ValidationError(
                _(
                    "Filen %(name)s er beskadiget eller ufuldstændig: den er pakket som et "
                    "XLSX-regneark, men kan ikke åbnes."
                )
                % {"name": name},
                code="corrupt",
            ) from None
        found = sniff_kind(upload)  # raises zip_bomb before anything is unpacked
        if found != "xlsx":
            what = KIND_LABELS.get(found or "", _("en anden slags ZIP-fil"))
            raise ValidationError(_wrong_kind(name, what, kinds), code="wrong_kind")
        return "xlsx"
    found = sniff_kind(upload)
    if found is not None:
        raise ValidationError(_wrong_kind(name, KIND_LABELS[found], kinds), code="wrong_kind")
    if b"\0" in head[:16] and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValidationError(
            _wrong_kind(name, _("en binær fil (f.eks. et program)"), kinds), code="wrong_kind"
        )
    if _HTML_START.match(head.lstrip(b"\xef\xbb\xbf")):
        raise ValidationError(_wrong_kind(name, _("en HTML-side"), kinds), code="wrong_kind")
    if "csv" not in kinds or name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise ValidationError(
            _(
                "Filen %(name)s er ikke et XLSX-regneark (indholdet er tekst). Gem den som "
                "Excel-projektmappe (.xlsx)%(csv)s."
            )
            % {"name": name, "csv": _(" eller som .csv") if "csv" in kinds else ""},
            code="not_xlsx",
        )
    return "csv"


def _wrong_kind(name: str, what: str, kinds: frozenset[str]) -> str:
    return _(
        "Filen %(name)s er %(what)s, ikke et regneark. Indholdet er kontrolleret, ikke "
        "filnavnet; brug %(kinds)s."
    ) % {"name": name, "what": what, "kinds": _kinds_text(kinds)}


# CSV --------------------------------------------------------------------------------------


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252; TableRejected names the byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" in data:
        where = data.index(b"\x00")
        raise TableRejected([TableError(
            _(
                "Filen %(name)s indeholder binære data (en nul-byte ved byte %(pos)s) og er "
                "ikke en CSV-fil."
            ) % {"name": name, "pos": where + 1},
            code="not_text", row=data[:where].count(b"\n") + 1,
        )])  # fmt: skip
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        position = exc.start
        raise TableRejected([TableError(
            _(
                "tegnsættet kan ikke læses: byte %(byte)s ved position %(pos)s er hverken "
                "UTF-8 eller Windows-1252. Gem filen som »CSV UTF-8« og indlæs den igen."
            ) % {"byte": f"0x{data[position]:02X}", "pos": position + 1},
            code="bad_encoding", row=data[:position].count(b"\n") + 1,
        )]) from None  # fmt: skip


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ";"


def _csv_rows(data: bytes, name: str, max_rows: int) -> Iterator[tuple[int, list[Any]]]:
    text = decode_text(data, name).lstrip("\ufeff")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a field over csv's 128 kB limit
            raise TableRejected([TableError(
                _("rækken kan ikke læses som CSV (%(why)s).") % {"why": exc},
                code="bad_cell", row=number,
            )]) from None  # fmt: skip
        yield number, list(cells)


# XLSX -------------------------------------------------------------------------------------


def _xlsx_rows(
    upload: Upload, name: str, sheet_name: str | None, max_rows: int
) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    def corrupt() -> TableRejected:
        return _file_error(
            _("Filen %(name)s er beskadiget: XLSX-indholdet kan ikke læses.") % {"name": name},
            "corrupt",
        )

    try:
        book = load_workbook(upload, read_only=True, data_only=False)  # type: ignore[arg-type]
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise corrupt() from None
    try:
        sheets = list(book.worksheets)
        if not sheets:
            raise _file_error(_("Filen %(name)s har intet regneark.") % {"name": name}, "no_sheet")
        if sheet_name is None:
            sheet = sheets[0]
        else:
            matches = [s for s in sheets if _norm(s.title) == _norm(sheet_name)]
            if not matches:
                raise _file_error(
                    _("Arket »%(sheet)s« findes ikke i filen (fundet: %(found)s).")
                    % {"sheet": sheet_name, "found": ", ".join(s.title for s in sheets)},
                    "missing_sheet",
                )
            sheet = matches[0]
        limit = (max_rows + 1) * MAX_PHYSICAL_ROWS_FACTOR
        rows: list[list[Any]] = []
        formulas: list[tuple[int, int]] = []
        try:
            for number, cells in enumerate(
                sheet.iter_rows(max_col=MAX_COLUMNS, max_row=limit + 1), start=1
            ):
                values = []
                for i, cell in enumerate(cells):
                    kind = getattr(cell, "data_type", "n")
                    if kind == "f":
                        formulas.append((number - 1, i))
                    values.append(ErrorCell(str(cell.value)) if kind == "e" else cell.value)
                rows.append(values)
        except TableRejected:
            raise
        except Exception:
            raise _unreadable_cell(upload, sheet, len(rows) + 1, rows) from None
        if len(rows) > limit:
            raise _too_many_rows(max_rows)
        if formulas:
            _cached_values(upload, sheet.title, rows, formulas)
    finally:
        book.close()
    return iter(enumerate(rows, start=1))


def _cached_values(
    upload: Upload, title: str, rows: list[list[Any]], formulas: list[tuple[int, int]]
) -> None:
    """Put each formula's cached value (or FormulaWithoutValue) where the formula was."""
    from openpyxl import load_workbook

    wanted = {r for r, _c in formulas}
    upload.seek(0)
    book = load_workbook(upload, read_only=True, data_only=True)  # type: ignore[arg-type]
    try:
        cached: dict[tuple[int, int], Any] = {}
        last = max(wanted) + 1
        for r, cells in enumerate(book[title].iter_rows(max_col=MAX_COLUMNS, max_row=last)):
            if r in wanted:
                for c, cell in enumerate(cells):
                    kind = getattr(cell, "data_type", "n")
                    cached[(r, c)] = ErrorCell(str(cell.value)) if kind == "e" else cell.value
    finally:
        book.close()
    for r, c in formulas:
        value = cached.get((r, c))
        rows[r][c] = FormulaWithoutValue(str(rows[r][c])) if value is None else value


def _unreadable_cell(upload: Upload, sheet: Any, row: int, rows: list[list[Any]]) -> TableRejected:
    """openpyxl stopped inside a row: find the cell in the sheet's XML to name it."""
    header = [str(v).strip() for v in rows[0]] if rows else []
    where = _find_bad_cell(upload, getattr(sheet, "_worksheet_path", ""))
    column = ""
    if where is not None:
        row, index, raw = where
        column = header[index] if index < len(header) and header[index] else _letter(index)
        message = _(
            "cellen kan ikke læses: '%(value)s' er gemt som et tal, men er ikke et tal. "
            "Skriv et tal i cellen, eller gem den som tekst."
        ) % {"value": _shown(raw)}
    else:
        message = _("regnearket kan ikke læses herfra; filen er muligvis beskadiget.")
    return TableRejected([TableError(message, code="bad_cell", row=row, column=column)])


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index + 1))


_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _find_bad_cell(upload: Upload, path: str) -> tuple[int, int, str] | None:
    """(row, column index, stored text) of the first numeric cell whose value is no number."""
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.xml.functions import iterparse  # defusedxml when installed, as openpyxl

    if not path:
        return None
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive, archive.open(path.lstrip("/")) as xml:
            for _event, element in iterparse(xml):
                if element.tag != f"{_NS}c":
                    continue
                kind = element.get("t", "n")
                text = element.findtext(f"{_NS}v")
                bad = (kind == "n" and text is not None and not _NUMBER.match(text)) or (
                    kind in {"b", "s"} and text is not None and not text.strip().isdigit()
                )
                if bad and element.get("r"):
                    row, col = coordinate_to_tuple(element.get("r", ""))
                    return row, col - 1, text or ""
                element.clear()
    except Exception:  # the XML itself is broken: nothing more precise to say
        return None
    return None


def _too_many_rows(max_rows: int) -> TableRejected:
    return _file_error(
        _("Filen har mere end %(max)s rækker; del den op.") % {"max": fmt_number(max_rows)},
        "too_many_rows",
    )


# header and rows ------------------------------------------------------------------------------


def _holds_cpr(value: Any) -> bool:
    """A text cell with a CPR number, or a number cell that is one (a spreadsheet drops the
    leading zero: 0101901234 becomes 101901234)."""
    if isinstance(value, str):
        return contains_cpr(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return 100_000_000 <= value < 10_000_000_000 and contains_cpr(str(value).zfill(10))
    return False


def _header_name(header_cells: Sequence[Any], i: int) -> str:
    """The column's header as the user wrote it, or its letter (never a CPR number)."""
    text = str(header_cells[i]).strip() if i < len(header_cells) and not is_blank(
        header_cells[i]) else ""  # fmt: skip
    return _letter(i) if not text or contains_cpr(text) else text


def _cpr_cells(number: int, cells: Sequence[Any], headers: Sequence[str]) -> list[TableError]:
    """The guard of every free-text field (lib/cpr.py), on every cell of a row, mapped or
    not: a CPR number is refused wherever it stands, and the message never repeats it."""
    found = []
    for i, value in enumerate(cells):
        if _holds_cpr(value):
            column = headers[i] if i < len(headers) and headers[i] else _letter(i)
            found.append(TableError(cpr_message(column), code=CPR_CODE, row=number,
                                    column=column))  # fmt: skip
    return found


def _norm(text: Any) -> str:
    return " ".join(str(text or "").replace("\ufeff", "").split()).casefold()


def _table(
    kind: str,
    raw_rows: Iterator[tuple[int, list[Any]]],
    columns: Sequence[Column],
    refuse_unknown: bool,
    max_rows: int,
) -> Table:
    header_number, header_cells = next(
        ((n, cells) for n, cells in raw_rows if any(not is_blank(c) for c in cells)),
        (0, []),
    )
    if not header_number:
        raise _file_error(_("Filen er tom."), "empty")
    by_name = {name: col for col in columns for name in col.names()}
    labels = {col.key: col.label for col in columns}
    index: dict[str, int] = {}
    errors: list[TableError] = []
    for i, cell in enumerate(header_cells):
        if isinstance(cell, FormulaWithoutValue | ErrorCell):
            cell = getattr(cell, "formula", getattr(cell, "text", ""))
        name = _norm(cell)
        if not name or _holds_cpr(cell):
            continue  # a CPR number in a header is refused below, without repeating it
        col = by_name.get(name)
        if col is None:
            if refuse_unknown:
                errors.append(TableError(
                    _("ukendt kolonne '%(name)s'. Kendte kolonner: %(known)s.")
                    % {"name": str(cell).strip(), "known": ", ".join(labels.values())},
                    code="unknown_header", row=header_number,
                ))  # fmt: skip
            continue
        if col.key in index:
            errors.append(TableError(
                _("kolonnen '%(name)s' står flere gange (kolonne %(first)s og %(again)s).")
                % {"name": col.label, "first": _letter(index[col.key]), "again": _letter(i)},
                code="duplicate_header", row=header_number,
            ))  # fmt: skip
            continue
        index[col.key] = i
    if not index and len([c for c in header_cells if not is_blank(c)]) == 1 and kind == "csv":
        errors = []  # the one message that explains it
        errors.append(TableError(
            _(
                "overskriftsrækken har kun én kolonne. Adskil kolonnerne med semikolon (;) "
                "eller komma (,)."
            ),
            code="no_header_columns", row=header_number,
        ))  # fmt: skip
    missing = [col.label for col in columns if col.required and col.key not in index]
    if missing and not any(e.code == "no_header_columns" for e in errors):
        errors.insert(0, TableError(
            _("overskriftsrækken mangler kolonnen/kolonnerne %(missing)s. Forventet: %(expected)s.")
            % {"missing": ", ".join(f"'{m}'" for m in missing),
               "expected": ", ".join(labels.values())},
            code="missing_header", row=header_number,
        ))  # fmt: skip
    errors.extend(_cpr_cells(header_number, header_cells, [""] * len(header_cells)))
    if errors:
        raise TableRejected(errors)
    width = len(header_cells)
    headers = [_header_name(header_cells, i) for i in range(width)]
    rows: list[TableRow] = []
    for number, cells in raw_rows:
        if all(is_blank(c) for c in cells):
            continue
        cpr_at = _cpr_cells(number, cells, headers)
        if cpr_at:
            errors.extend(cpr_at)
            continue
        extra = [c for c in cells[width:] if not is_blank(c)]
        if extra:
            errors.append(TableError(
                _(
                    "rækken har %(cells)s udfyldte celler ud over overskriftsrækkens %(width)s "
                    "kolonner (første: '%(first)s'). Står der et decimalkomma i en "
                    "komma-separeret fil?"
                ) % {"cells": len(extra), "width": width, "first": _shown(extra[0])},
                code="too_many_cells", row=number,
            ))  # fmt: skip
            continue
        values = {key: (cells[i] if i < len(cells) else None) for key, i in index.items()}
        rows.append(TableRow(number, values, labels))
        if len(rows) > max_rows:
            raise _too_many_rows(max_rows)
    if errors:
        raise TableRejected(errors)
    if not rows:
        raise _file_error(_("Filen har ingen datarækker."), "empty")
    return Table(kind=kind, headers=list(index), rows=rows)
