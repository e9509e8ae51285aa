"""The shared tabular reader: what it accepts, and that its refusals name row and column.

The malformed files themselves are in tests/corpus (tests/test_malformed_corpus.py); these
tests pin what is accepted and the parts the corpus cannot show on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from helhedsplan.activities.models import PlannedQuantity
from helhedsplan.criteria.models import Observation
from helhedsplan.files.tabular import (
    Column,
    TableError,
    TableRejected,
    parse_decimal_cell,
    parse_whole_cell,
    read_table,
)
from helhedsplan.plans.models import Plan
from tests.corpus.make_corpus import SHEET1, declared_size, number_cell_as, patch
from tests.files.samples import xlsx_from_rows

COLUMNS = [Column("name", "navn", ("name",), required=True), Column("count", "antal")]


def _xlsx(rows: list[list[Any]]) -> bytes:
    return xlsx_from_rows(rows)


def _read(data: bytes, name: str = "x.csv", **kw: Any) -> list[dict[str, Any]]:
    table = read_table(data, name=name, columns=COLUMNS, **kw)
    return [{"row": r.number, **r.cells} for r in table.rows]


@pytest.mark.parametrize(
    "data",
    [
        "navn;antal\nSkælskør;3\n".encode(),
        "\ufeffnavn;antal\r\nSkælskør;3\r\n".encode(),
        "navn;antal\nSkælskør;3\n".encode("cp1252"),
        "navn\tantal\nSkælskør\t3\n".encode("utf-16"),
        "Name,Antal\nSkælskør,3\n".encode(),
        "navn;antal\n\n;\nSkælskør;3\n".encode(),  # blank rows are skipped, numbers kept
    ],
    ids=["utf8", "utf8-bom", "cp1252", "utf16-tab", "comma-alias", "blank-rows"],
)
def test_csv_encodings_and_delimiters(data: bytes) -> None:
    rows = _read(data)
    assert [(r["name"], r["count"]) for r in rows] == [("Skælskør", "3")]
    assert rows[0]["row"] in {2, 4}


def test_xlsx_row_numbers_are_the_sheets_and_a_cached_formula_value_is_used() -> None:
    data = number_cell_as(_xlsx([["navn", "antal"], [None, None], ["Motalavej", 424242]]), b"7")
    # A formula Excel saved with its value: <c><f>3+4</f><v>7</v></c> reads as 7.
    data = patch(data, SHEET1, b"<v>7</v>", b"<f>3+4</f><v>7</v>")
    assert _read(data, "x.xlsx") == [{"row": 3, "name": "Motalavej", "count": 7}]


def test_a_sheet_declaring_16384_columns_is_read_only_as_wide_as_needed() -> None:
    data = _xlsx([["navn", "antal"], ["Motalavej", 3]])
    wide = patch(data, SHEET1, b'<dimension ref="A1:B2"/>', b'<dimension ref="A1:XFD1048576"/>')
    assert (
        _read(wide, "x.xlsx")
        == _read(data, "x.xlsx")
        == [{"row": 2, "name": "Motalavej", "count": 3}]
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("30,65", Decimal("30.65")), ("44.450", Decimal(44450)), ("1.234,5", Decimal("1234.5")),
     (27.4, Decimal("27.4")), (3, Decimal(3)), ("", None), (None, None),
     (240 / 7, Decimal("34.2857")), (0.1 + 0.2, Decimal("0.3"))],
)  # fmt: skip
def test_decimal_cells(raw: object, expected: Decimal | None) -> None:
    assert parse_decimal_cell(raw, row=2, column="værdi", decimal_places=4) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [(float("nan"), "not_finite"), (float("inf"), "not_finite"),
     (Decimal("Infinity"), "not_finite"), (1.2e29, "out_of_range"),
     ("1E+400", "not_a_number"), (True, "not_a_number"),
     ("27,12345", "too_many_decimals"), ("mange", "not_a_number")],
)  # fmt: skip
def test_decimal_cells_refused(raw: object, code: str) -> None:
    with pytest.raises(TableError) as exc:
        parse_decimal_cell(raw, row=7, column="værdi", max_digits=14, decimal_places=4)
    assert exc.value.code == code
    assert str(exc.value).startswith("Række 7, kolonne 'værdi': ")


@pytest.mark.parametrize(
    ("raw", "code"),
    [(2.5, "not_whole"), (-1, "negative"), (1e20, "out_of_range"), (float("inf"), "not_finite")],
)
def test_whole_cells_refused(raw: object, code: str) -> None:
    with pytest.raises(TableError) as exc:
        parse_whole_cell(raw, row=3, column="antal", min_value=0, max_value=2_147_483_647)
    assert exc.value.code == code


def test_whole_cells() -> None:
    assert parse_whole_cell(12.0, row=2, column="antal", min_value=0) == 12
    assert parse_whole_cell("1.200", row=2, column="antal", min_value=0) == 1200


def test_a_300_mb_sheet_is_refused_before_it_is_unpacked() -> None:
    # A sheet that unpacks to 300 MB (declared by a small file): the upload checks refuse it.
    data = declared_size(_xlsx([["navn", "antal"], ["Motalavej", 3]]), SHEET1, 300 << 20)
    with pytest.raises(TableRejected) as exc:
        read_table(data, name="stor.xlsx", columns=COLUMNS)
    assert exc.value.errors[0].code == "zip_bomb"
    assert "300 MB" in str(exc.value.errors[0])


def test_the_import_pages_explain_instead_of_answering_500(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for("secretariat")
    bad_bytes = "kriterium;område;år;værdi\n5.2.2;motalavej;2018;3\x81\n".encode("latin-1")
    response = client.post(
        reverse("criteria:import", kwargs={"slug": plan.slug}),
        {"file": SimpleUploadedFile("data.csv", bad_bytes)},
    )
    assert response.status_code == 400
    assert "Række 2: tegnsættet kan ikke læses: byte 0x81" in response.content.decode()
    inf = number_cell_as(
        _xlsx([
            ["Aktivitet", "Boligområde", "År", "Kvartal", "Planlagt antal"],
            ["Tryghedsvandringer", "Motalavej", 2019, 1, 424242],
        ]),
        b"1E+400",
    )  # fmt: skip
    before = list(PlannedQuantity.objects.values_list("pk", "quantity"))
    observations = Observation.objects.count()
    response = client.post(
        reverse("activities:plan_import", args=[plan.slug]),
        {"file": SimpleUploadedFile("plan.xlsx", inf)},
    )
    assert response.status_code == 200
    assert "Række 2, kolonne &#x27;Planlagt antal&#x27;: &#x27;uendelig&#x27; er ikke" in (
        response.content.decode()
    )
    assert list(PlannedQuantity.objects.values_list("pk", "quantity")) == before
    assert Observation.objects.count() == observations
