# ruff: noqa: E501  (a table of cases: one case a line reads best)
"""Write the corpus of malformed import and upload files: ``python tests/corpus/make_corpus.py``.

Each case is a file under ``tests/corpus/<kind>/`` and a sidecar ``<file>.expect`` holding the
fragment(s) of the Danish refusal, one a line. Kinds: ``observations`` (the criteria import,
CSV or XLSX), ``activity_plan`` (the XLSX activity plan), ``upload`` (attachments; a name
starting ``minutes-`` is uploaded as meeting minutes). ``tests/test_malformed_corpus.py`` runs
every file through the real service and asserts the refusal, the fragment and that nothing
was written. The output is byte-stable (fixed ZIP times), so regenerating changes nothing
unless a case changes. Big cases stay small: the test lowers the limits to ``LIMIT_BYTES``
and ``LIMIT_ROWS``; zip bombs declare a huge size or pack zeros at a high ratio.

Needs only openpyxl (run it with the project's virtualenv).
"""

from __future__ import annotations

import io
import random
import re
import shutil
import struct
import sys
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LIMIT_BYTES = 32 * 1024  # the test's lowered size limit for every kind
LIMIT_ROWS = 50  # the test's lowered row limit for the imports
FIXED = (2020, 1, 1, 0, 0, 0)
MARK = 424242  # a number cell the XML patches replace

OBS_HEADER = ["kriterium", "område", "år", "værdi", "tæller", "nævner", "kilde"]
OBS_HEADER_CSV = ";".join(OBS_HEADER)
GOOD_OBS = "5.2.3;total;2017;20;;;ok"  # a valid row: all or nothing keeps it out too
PLAN_HEADER = ["Aktivitet", "Boligområde", "År", "Kvartal", "Planlagt antal", "Enhed"]
GOOD_PLAN = ["Tryghedsvandringer", "Motalavej", 2019, 1, 4, ""]

CASES: dict[str, dict[str, tuple[bytes, str]]] = {
    "observations": {},
    "activity_plan": {},
    "upload": {},
}


def case(kind: str, name: str, data: bytes, *expect: str) -> None:
    assert name not in CASES[kind], name
    CASES[kind][name] = (data, "\n".join(expect) + "\n")


# --- building blocks -------------------------------------------------------------------------


def restamp(data: bytes) -> bytes:
    """The same ZIP with fixed member times and document dates (byte-stable output)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" on save
                content = re.sub(
                    rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2020-01-01T00:00:00Z", content
                )
            fixed = zipfile.ZipInfo(info.filename, FIXED)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, content)
    return out.getvalue()


def xlsx(
    rows: list[list[Any]], *, title: str = "Ark1", extra: Callable[[Any], None] | None = None
) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.properties.created = book.properties.modified = datetime(2020, 1, 1)
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if extra is not None:
        extra(book)
    out = io.BytesIO()
    book.save(out)
    return restamp(out.getvalue())


def patch(data: bytes, member: str, old: bytes, new: bytes) -> bytes:
    """Replace bytes inside one ZIP member (to write XML openpyxl would never write)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == member:
                assert old in content, (member, old)
                content = content.replace(old, new)
            fixed = zipfile.ZipInfo(info.filename, FIXED)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, content)
    return out.getvalue()


SHEET1 = "xl/worksheets/sheet1.xml"


def number_cell_as(data: bytes, raw: bytes) -> bytes:
    """The MARK number cell now stores ``raw`` (e.g. b'abc', b'1E+400', b'NaN')."""
    return patch(data, SHEET1, b"<v>%d</v>" % MARK, b"<v>" + raw + b"</v>")


def error_cell(data: bytes, error: bytes = b"#DIV/0!") -> bytes:
    return patch(data, SHEET1, b't="n"><v>%d</v>' % MARK, b't="e"><v>' + error + b"</v>")


def declared_size(data: bytes, member: str, size: int = 0x7FFF0000) -> bytes:
    """A ZIP whose ``member`` claims to unpack to ``size`` bytes (the header lies; tiny file)."""
    buf = bytearray(data)
    name = member.encode()
    central = buf.find(b"PK\x01\x02" + b"\x00" * 0, 0)
    while central != -1:
        name_len = struct.unpack_from("<H", buf, central + 28)[0]
        if bytes(buf[central + 46 : central + 46 + name_len]) == name:
            struct.pack_into("<I", buf, central + 24, size)
            local = struct.unpack_from("<I", buf, central + 42)[0]
            struct.pack_into("<I", buf, local + 22, size)
            return bytes(buf)
        central = buf.find(b"PK\x01\x02", central + 4)
    raise AssertionError(member)


def ratio_bomb(names: list[str], big: str) -> bytes:
    """A ZIP with ``big`` holding 2 MB of zeros: ratio of about 1000 (the limit is 200)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in names:
            archive.writestr(zipfile.ZipInfo(n, FIXED), "<x/>" if n != big else b"\0" * (2 << 20),
                             compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
    return out.getvalue()


def cfb(encrypted: bool) -> bytes:
    """An OLE compound file as Excel writes for a password or the old .xls format."""
    head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    name = ("EncryptedPackage" if encrypted else "Workbook").encode("utf-16-le")
    return head + name + b"\0" * (1024 - len(name))


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, text in (
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", "<w:document/>"),
        ):
            archive.writestr(zipfile.ZipInfo(n, FIXED), text, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


HTML = b"<!DOCTYPE html>\n<html><head><title>Log ind</title></head><body>Session udloebet</body></html>\n"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"This program cannot be run in DOS mode.\r\n" * 4


def noise(n: int, seed: int = 9) -> bytes:
    return random.Random(seed).randbytes(n)


def csv_obs(*rows: str, header: str = OBS_HEADER_CSV, good: bool = True) -> bytes:
    lines = [header, *([GOOD_OBS] if good else []), *rows]
    return ("\n".join(lines) + "\n").encode()


def obs_xlsx(*rows: list[Any], header: list[Any] = OBS_HEADER, title: str = "Observationer",
             extra: Callable[[Any], None] | None = None) -> bytes:  # fmt: skip
    return xlsx([header, [*GOOD_OBS.split(";")[:2], 2017, 20, None, None, "ok"], *rows],
                title=title, extra=extra)  # fmt: skip


def plan_xlsx(*rows: list[Any], header: list[Any] = PLAN_HEADER, good: bool = True,
              extra: Callable[[Any], None] | None = None) -> bytes:  # fmt: skip
    return xlsx([header, *([GOOD_PLAN] if good else []), *rows], title="Aktivitetsskema",
                extra=extra)  # fmt: skip


def obs_row(value: Any, **kw: Any) -> list[Any]:
    row = {"kriterium": "5.2.2", "område": "motalavej", "år": 2018, "værdi": value,
           "tæller": None, "nævner": None, "kilde": "corpus"}  # fmt: skip
    row.update(kw)
    return list(row.values())


def plan_row(quantity: Any, **kw: Any) -> list[Any]:
    row = dict(
        zip(PLAN_HEADER, ["Tryghedsvandringer", "Sydbyen", 2019, 2, quantity, ""], strict=True)
    )
    row.update(kw)
    return list(row.values())


def formula(book: Any, cell: str = "D3", text: str = "=SUM(A1:A2)") -> None:
    book.active[cell] = text


# --- observations (criteria import) ----------------------------------------------------------


def observations() -> None:
    k = "observations"
    case(k, "empty.csv", b"", "er tom")
    case(k, "blank-lines.csv", b"\n  \n\r\n", "Filen er tom")
    case(k, "header-only.csv", (OBS_HEADER_CSV + "\n").encode(), "Filen har ingen datarækker")
    case(
        k, "header-only-bom.csv", ("\ufeff" + OBS_HEADER_CSV + "\r\n").encode(), "ingen datarækker"
    )
    case(k, "missing-columns.csv", b"kriterium;v\xc3\xa6rdi\n5.2.2;3\n",
         "Række 1: overskriftsrækken mangler kolonnen/kolonnerne 'område', 'år'")  # fmt: skip
    case(k, "duplicate-column.csv", csv_obs(header=OBS_HEADER_CSV + ";value"),
         "Række 1: kolonnen 'værdi' står flere gange (kolonne D og H)")  # fmt: skip
    case(k, "unknown-column.csv", csv_obs(header=OBS_HEADER_CSV + ";bemærkning"),
         "Række 1: ukendt kolonne 'bemærkning'")  # fmt: skip
    case(k, "misspelt-column.csv", csv_obs(header=OBS_HEADER_CSV.replace("kilde", "kilder")),
         "ukendt kolonne 'kilder'")  # fmt: skip
    case(k, "no-header.csv", b"5.2.2;motalavej;2018;3\n", "mangler kolonnen/kolonnerne")
    case(k, "pipe-delimited.csv", ("|".join(OBS_HEADER) + "\n5.2.2|motalavej|2018|3\n").encode(),
         "overskriftsrækken har kun én kolonne")  # fmt: skip
    case(k, "comma-file-decimal-comma.csv",
         (",".join(OBS_HEADER[:4]) + "\n5.2.2,motalavej,2018,27,4\n").encode(),
         "Række 2: rækken har 1 udfyldte celler ud over")  # fmt: skip
    case(k, "comma-delimited-bad-value.csv",
         (",".join(OBS_HEADER) + '\n5.2.2,motalavej,2018,"27,x",,,BL\n').encode(),
         "Række 2, kolonne »værdi«: '27,x' er ikke et tal")  # fmt: skip
    case(k, "tab-delimited-bad-year.csv",
         ("\t".join(OBS_HEADER) + "\n5.2.2\tmotalavej\t18/19\t3\t\t\tBL\n").encode(),
         "Række 2, kolonne »år«: '18/19' er ikke et årstal")  # fmt: skip
    case(k, "text-value.csv", csv_obs("5.2.2;motalavej;2018;mange;;;x"),
         "Række 3, kolonne »værdi«: 'mange' er ikke et tal")  # fmt: skip
    case(k, "nan.csv", csv_obs("5.2.2;motalavej;2018;NaN;;;x"), "Række 3, kolonne »værdi«: 'NaN'")
    case(k, "infinity.csv", csv_obs("5.2.2;motalavej;2018;inf;;;x"),
         "Række 3, kolonne »værdi«: 'inf' er ikke et tal")  # fmt: skip
    case(k, "exponent-1e400.csv", csv_obs("5.2.2;motalavej;2018;1E+400;;;x"),
         "Række 3, kolonne »værdi«: '1E+400' er ikke et tal")  # fmt: skip
    case(k, "negative-count.csv", csv_obs("5.2.3;total;2018;-3;;;x"),
         "Række 3, kolonne »værdi«: Et antal kan ikke være negativt")  # fmt: skip
    case(k, "year-text.csv", csv_obs("5.2.2;motalavej;i fjor;3;;;x"),
         "Række 3, kolonne »år«: 'i fjor' er ikke et årstal")  # fmt: skip
    case(k, "year-decimal.csv", csv_obs("5.2.2;motalavej;2018,5;3;;;x"),
         "Række 3, kolonne »år«: '2018,5' er ikke et årstal")  # fmt: skip
    case(k, "year-1850.csv", csv_obs("5.2.2;motalavej;1850;3;;;x"),
         "Række 3, kolonne »år«: '1850' er ikke et årstal mellem 1990 og 2100")  # fmt: skip
    case(k, "year-outside-measure.csv", csv_obs("5.2.2;motalavej;2030;3;;;x"),
         "Række 3, kolonne »år«: Året 2030 ligger uden for målingens år")  # fmt: skip
    case(k, "year-missing.csv", csv_obs("5.2.2;motalavej;;3;;;x"),
         "Række 3, kolonne »år«: Angiv et helt årstal")  # fmt: skip
    case(k, "unknown-criterion.csv", csv_obs("9.9.9;motalavej;2018;3;;;x"),
         "Række 3, kolonne »kriterium«: Ukendt kriterium »9.9.9«")  # fmt: skip
    case(k, "unknown-area.csv", csv_obs("5.2.2;vollsmose;2018;3;;;x"),
         "Række 3, kolonne »område«: Ukendt område »vollsmose«")  # fmt: skip
    case(k, "missing-criterion.csv", csv_obs(";motalavej;2018;3;;;x"),
         "Række 3, kolonne »kriterium«: Kriteriet mangler")  # fmt: skip
    case(k, "duplicate-row.csv", csv_obs("5.2.3;total;2017;21;;;igen"),
         "Række 3: Dubletrække: samme kriterium, område og år som række 2")  # fmt: skip
    # Encodings: undefined in Windows-1252 (0x81, 0x8D, 0x8F, 0x90, 0x9D) and not UTF-8.
    for byte, row in ((0x81, 2), (0x8D, 3), (0x8F, 3), (0x90, 2), (0x9D, 3)):
        body = csv_obs("5.2.2;motalavej;2018;3;;;BL" + "\xe6".encode("cp1252").decode("latin-1"))
        lines = body.decode("latin-1").split("\n")
        lines[row - 1] += chr(byte)
        data = "\n".join(lines).encode("latin-1")
        case(k, f"bad-encoding-{byte:02x}.csv", data,
             f"Række {row}: tegnsættet kan ikke læses: byte 0x{byte:02X} ved position")  # fmt: skip
    # Good encodings, refused for a later reason: proves the header was read right.
    case(k, "utf8-bom-unknown-area.csv",
         ("\ufeff" + OBS_HEADER_CSV + "\n5.2.2;skælskør;2018;3;;;x\n").encode(),
         "Række 2, kolonne »område«: Ukendt område »skælskør«")  # fmt: skip
    case(k, "cp1252-unknown-area.csv",
         (OBS_HEADER_CSV + "\n5.2.2;skælskør;2018;3;;;Økonomi\n").encode("cp1252"),
         "Række 2, kolonne »område«: Ukendt område »skælskør«")  # fmt: skip
    case(k, "utf16-tab-bad-value.csv",
         ("\t".join(OBS_HEADER) + "\r\n5.2.2\tmotalavej\t2018\tti\t\t\tBL\r\n").encode("utf-16"),
         "Række 2, kolonne »værdi«: 'ti' er ikke et tal")  # fmt: skip
    case(
        k,
        "nul-bytes.csv",
        csv_obs("5.2.2;motalavej;2018;3\0;;;x"),
        "Række 3: Filen nul-bytes.csv indeholder binære data",
    )
    case(k, "too-many-rows.csv", csv_obs(*[f"5.2.3;total;{y};1;;;x" for y in range(1990, 1990 + LIMIT_ROWS)]),
         f"mere end {LIMIT_ROWS} rækker")  # fmt: skip
    case(k, "oversize.csv", csv_obs(*["5.2.3;total;2017;1;;;" + "x" * 400] * 90),
         "MB; højst 0,03 MB er tilladt")  # fmt: skip
    # Not a CSV at all, whatever the name says.
    case(k, "html-renamed.csv", HTML, "er en HTML-side, ikke et regneark")
    case(k, "pdf-renamed.csv", PDF, "er PDF, ikke et regneark")
    case(k, "png-renamed.csv", PNG, "er PNG, ikke et regneark")
    case(k, "docx-renamed.xlsx", docx(), "er Word (DOCX), ikke et regneark")
    case(k, "csv-renamed.xlsx", csv_obs("5.2.2;motalavej;2018;3;;;x"), "er ikke et XLSX-regneark")
    case(k, "html-renamed.xlsx", HTML, "er en HTML-side")
    case(k, "exe-renamed.xlsx", EXE, "er en binær fil (f.eks. et program), ikke et regneark")
    # Broken workbooks.
    good = obs_xlsx(obs_row(3))
    case(k, "truncated.xlsx", good[: len(good) // 2], "beskadiget eller ufuldstændig")
    case(k, "corrupt-xml.xlsx", patch(good, "xl/workbook.xml", b"<sheets>", b"<sheets><<"),
         "beskadiget: XLSX-indholdet kan ikke læses")  # fmt: skip
    case(
        k,
        "zip-bomb-declared.xlsx",
        declared_size(good, SHEET1),
        "udpakket ville fylde urimeligt meget",
    )
    case(k, "zip-bomb-ratio.xlsx",
         ratio_bomb(["[Content_Types].xml", "xl/workbook.xml", SHEET1], SHEET1),
         "udpakket ville fylde urimeligt meget")  # fmt: skip
    case(k, "encrypted.xlsx", cfb(True), "beskyttet med adgangskode")
    case(k, "old-format.xls", cfb(False), "gamle Excel-format (XLS)")
    case(k, "wrong-sheet.xlsx", obs_xlsx(obs_row(3), title="Ark1"),
         "Arket »Observationer« findes ikke i filen (fundet: Ark1)")  # fmt: skip
    case(k, "no-worksheet.xlsx", _no_worksheet(), "har intet regneark")
    case(k, "empty-sheet.xlsx", xlsx([], title="Observationer"), "Filen er tom")
    case(k, "header-only.xlsx", xlsx([OBS_HEADER], title="Observationer"), "ingen datarækker")
    case(k, "duplicate-header.xlsx", obs_xlsx(header=[*OBS_HEADER, "år"]),
         "kolonnen 'år' står flere gange (kolonne C og H)")  # fmt: skip
    # Cells.
    case(k, "xlsx-text-value.xlsx", obs_xlsx(obs_row("mange")),
         "Række 3, kolonne »værdi«: 'mange' er ikke et tal")  # fmt: skip
    case(k, "xlsx-text-in-number-cell.xlsx", number_cell_as(obs_xlsx(obs_row(MARK)), b"abc"),
         "Række 3, kolonne »værdi«: cellen kan ikke læses: 'abc' er gemt som et tal")  # fmt: skip
    case(k, "xlsx-1e400.xlsx", number_cell_as(obs_xlsx(obs_row(MARK)), b"1E+400"),
         "Række 3, kolonne »værdi«: 'uendelig' er ikke et endeligt tal")  # fmt: skip
    case(k, "xlsx-nan.xlsx", number_cell_as(obs_xlsx(obs_row(MARK)), b"NaN"),
         "Række 3, kolonne »værdi«: cellen kan ikke læses: 'NaN'")  # fmt: skip
    case(k, "xlsx-formula-without-value.xlsx", obs_xlsx(obs_row(None), extra=formula),
         "Række 3, kolonne »værdi«: cellen indeholder formlen '=SUM(A1:A2)' uden en beregnet værdi")  # fmt: skip
    case(k, "xlsx-error-cell.xlsx", error_cell(obs_xlsx(obs_row(MARK))),
         "Række 3, kolonne »værdi«: cellen indeholder fejlen #DIV/0!")  # fmt: skip
    case(k, "xlsx-date-value.xlsx", obs_xlsx(obs_row(datetime(2018, 5, 1))),
         "Række 3, kolonne »værdi«: '2018-05-01' er en dato, ikke et tal")  # fmt: skip
    case(k, "xlsx-bool-value.xlsx", obs_xlsx(obs_row(True)),
         "Række 3, kolonne »værdi«: 'True' er en sandhedsværdi, ikke et tal")  # fmt: skip
    case(k, "xlsx-year-decimal.xlsx", obs_xlsx(obs_row(3, **{"år": 2018.5})),
         "Række 3, kolonne »år«: '2018.5' er ikke et årstal")  # fmt: skip
    case(k, "xlsx-unknown-area.xlsx", obs_xlsx(obs_row(3, **{"område": "Vollsmose"})),
         "Række 3, kolonne »område«: Ukendt område »vollsmose«")  # fmt: skip


def _no_worksheet() -> bytes:
    """A workbook whose sheet list is empty (what is left when every sheet is removed)."""
    data = xlsx([["x"]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        workbook = archive.read("xl/workbook.xml")
    start, end = workbook.index(b"<sheets>"), workbook.index(b"</sheets>")
    return patch(data, "xl/workbook.xml", workbook[start : end + 9], b"<sheets/>")


# --- activity plan -----------------------------------------------------------------------------


def activity_plan() -> None:
    k = "activity_plan"
    q = "Række 3, kolonne 'Planlagt antal': "
    case(k, "empty.xlsx", b"", "er tom")
    case(k, "csv-content.xlsx", b"Aktivitet;Planlagt antal\nTryghedsvandringer;4\n",
         "er ikke et XLSX-regneark (indholdet er tekst)")  # fmt: skip
    case(k, "csv-file.csv", b"Aktivitet;Planlagt antal\nTryghedsvandringer;4\n",
         "er ikke et XLSX-regneark")  # fmt: skip
    case(k, "pdf-renamed.xlsx", PDF, "er PDF, ikke et regneark")
    case(k, "html-renamed.xlsx", HTML, "er en HTML-side, ikke et regneark")
    case(k, "docx-renamed.xlsx", docx(), "er Word (DOCX), ikke et regneark")
    good = plan_xlsx(plan_row(5))
    case(k, "truncated.xlsx", good[:-200], "beskadiget eller ufuldstændig")
    case(
        k,
        "zip-bomb-declared.xlsx",
        declared_size(good, SHEET1),
        "udpakket ville fylde urimeligt meget",
    )
    case(k, "zip-bomb-ratio.xlsx",
         ratio_bomb(["[Content_Types].xml", "xl/workbook.xml", SHEET1], SHEET1),
         "udpakket ville fylde urimeligt meget")  # fmt: skip
    case(k, "encrypted.xlsx", cfb(True), "beskyttet med adgangskode")
    case(k, "corrupt-sheet-xml.xlsx", patch(good, SHEET1, b"<sheetData>", b"<sheetData><row"),
         "Række 1: regnearket kan ikke læses herfra")  # fmt: skip
    case(k, "empty-sheet.xlsx", xlsx([]), "Filen er tom")
    case(k, "header-only.xlsx", plan_xlsx(good=False), "Filen har ingen datarækker")
    case(k, "missing-column.xlsx", plan_xlsx(header=["Aktivitet", "År", "Kvartal", "Planlagt antal"]),
         "Række 1: overskriftsrækken mangler kolonnen/kolonnerne 'Boligområde'")  # fmt: skip
    case(k, "duplicate-header.xlsx", plan_xlsx(header=[*PLAN_HEADER, "År"]),
         "Række 1: kolonnen 'År' står flere gange (kolonne C og G)")  # fmt: skip
    case(
        k,
        "quantity-1e20.xlsx",
        plan_xlsx(plan_row(1e20)),
        q + "1e+20 er for stort; højst 2.147.483.647",
    )
    case(k, "quantity-over-32-bit.xlsx", plan_xlsx(plan_row(2_147_483_648)),
         q + "2147483648 er for stort; højst 2.147.483.647")  # fmt: skip
    case(k, "quantity-1e400.xlsx", number_cell_as(plan_xlsx(plan_row(MARK)), b"1E+400"),
         q + "'uendelig' er ikke et endeligt tal")  # fmt: skip
    case(k, "quantity-minus-1e400.xlsx", number_cell_as(plan_xlsx(plan_row(MARK)), b"-1E+400"),
         q + "'minus uendelig' er ikke et endeligt tal")  # fmt: skip
    case(k, "quantity-nan.xlsx", number_cell_as(plan_xlsx(plan_row(MARK)), b"NaN"),
         q + "cellen kan ikke læses: 'NaN' er gemt som et tal")  # fmt: skip
    case(k, "quantity-text-in-number-cell.xlsx", number_cell_as(plan_xlsx(plan_row(MARK)), b"fire"),
         q + "cellen kan ikke læses: 'fire' er gemt som et tal")  # fmt: skip
    case(k, "quantity-text.xlsx", plan_xlsx(plan_row("fire")), q + "'fire' er ikke et tal")
    case(k, "quantity-text-1e20.xlsx", plan_xlsx(plan_row("1e20")), q + "'1e20' er ikke et tal")
    case(k, "quantity-decimal.xlsx", plan_xlsx(plan_row(2.5)), q + "'2.5' er ikke et helt tal")
    case(
        k,
        "quantity-decimal-comma.xlsx",
        plan_xlsx(plan_row("2,5")),
        q + "'2,5' er ikke et helt tal",
    )
    case(
        k,
        "quantity-negative.xlsx",
        plan_xlsx(plan_row(-3)),
        q + "tallet må ikke være negativt (-3)",
    )
    case(k, "quantity-empty.xlsx", plan_xlsx(plan_row(None)), q + "cellen er tom")
    case(
        k,
        "quantity-date.xlsx",
        plan_xlsx(plan_row(datetime(2019, 4, 1))),
        q + "'2019-04-01' er en dato, ikke et tal",
    )
    case(k, "quantity-formula.xlsx", plan_xlsx(plan_row(None), extra=lambda b: formula(b, "E3", "=2*2")),
         q + "cellen indeholder formlen '=2*2' uden en beregnet værdi")  # fmt: skip
    case(k, "quantity-error-cell.xlsx", error_cell(plan_xlsx(plan_row(MARK)), b"#VALUE!"),
         q + "cellen indeholder fejlen #VALUE!")  # fmt: skip
    case(k, "unknown-activity.xlsx", plan_xlsx(plan_row(2, Aktivitet="Fodboldskole")),
         "Række 3, kolonne 'Aktivitet': ukendt aktivitet 'Fodboldskole'")  # fmt: skip
    case(k, "unknown-area.xlsx", plan_xlsx(plan_row(2, Boligområde="Vollsmose")),
         "Række 3, kolonne 'Boligområde': ukendt boligområde 'Vollsmose'")  # fmt: skip
    case(k, "area-not-in-activity.xlsx",
         plan_xlsx(plan_row(2, Aktivitet="Fritidsjobindsats", Boligområde="Skælskør")),
         "Række 3, kolonne 'Boligområde': Fritidsjobindsats kører ikke i Skælskør")  # fmt: skip
    case(k, "year-outside-plan.xlsx", plan_xlsx(plan_row(2, År=2023)),
         "Række 3, kolonne 'Kvartal': 1. kvartal 2023 ligger uden for planens periode".replace("1.", "2."))  # fmt: skip
    case(k, "year-text.xlsx", plan_xlsx(plan_row(2, År="næste år")),
         "Række 3, kolonne 'År': 'næste år' er ikke et årstal")  # fmt: skip
    case(k, "bad-quarter.xlsx", plan_xlsx(plan_row(2, Kvartal=5)),
         "Række 3, kolonne 'Kvartal': '5' er ikke et kvartal (1-4)")  # fmt: skip
    case(k, "duplicate-row.xlsx", plan_xlsx(GOOD_PLAN),
         "Række 3, kolonne 'Aktivitet': Tryghedsvandringer i Motalavej, 1. kvartal 2019 står også i række 2")  # fmt: skip
    case(k, "too-many-rows.xlsx",
         plan_xlsx(*[plan_row(1, År=2019 + (i // 4) % 3, Kvartal=i % 4 + 1) for i in range(LIMIT_ROWS)]),
         f"mere end {LIMIT_ROWS} rækker")  # fmt: skip
    case(k, "oversize.xlsx",
         plan_xlsx(*[plan_row(1, Enhed=noise(200, i).hex()) for i in range(130)]), "MB; højst 0,03 MB er tilladt")  # fmt: skip


# --- uploads (attachments and minutes) ---------------------------------------------------------


def upload() -> None:
    k = "upload"
    not_allowed = "er ikke en tilladt filtype"
    case(k, "empty.pdf", b"", "er tom")
    case(k, "exe-renamed.pdf", EXE, not_allowed)
    case(k, "html-renamed.pdf", HTML, not_allowed)
    case(k, "text-renamed.docx", b"Referat af bestyrelsesmoedet\n", not_allowed)
    case(k, "svg-renamed.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
         not_allowed)  # fmt: skip
    case(k, "zip-bomb-declared.docx", declared_size(docx(), "word/document.xml"),
         "udpakket ville fylde urimeligt meget")  # fmt: skip
    case(k, "zip-bomb-ratio.docx", ratio_bomb(["[Content_Types].xml", "word/document.xml"], "word/document.xml"),
         "udpakket ville fylde urimeligt meget")  # fmt: skip
    case(k, "truncated.docx", docx()[:-40], not_allowed)
    case(k, "plain-zip.docx", ratio_bomb(["readme.txt"], "none"), not_allowed)
    case(k, "encrypted.docx", cfb(True), not_allowed)
    case(k, "oversize.pdf", PDF + noise(2 * LIMIT_BYTES), "MB; højst 0,03 MB er tilladt")
    case(k, "minutes-xlsx.xlsx", xlsx([["Referat"]]), not_allowed, "Word (DOCX)")
    case(k, "minutes-png.png", PNG, not_allowed)


def main() -> None:
    observations()
    activity_plan()
    upload()
    for kind, files in CASES.items():
        folder = HERE / kind
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        for name, (data, expect) in files.items():
            (folder / name).write_bytes(data)
            (folder / f"{name}.expect").write_text(expect, encoding="utf-8")
    total = sum(len(f) for f in CASES.values())
    sys.stdout.write(f"{total} files in {', '.join(f'{k} ({len(v)})' for k, v in CASES.items())}\n")


if __name__ == "__main__":
    main()
