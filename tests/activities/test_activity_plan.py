"""The activity plan as XLSX: all or nothing, each problem named by row and column."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from helhedsplan.activities import services
from helhedsplan.activities.activity_plan import activity_plan_import, activity_plan_xlsx
from helhedsplan.activities.models import PlannedQuantity
from helhedsplan.plans.models import Plan

pytestmark = pytest.mark.django_db

HEADER = ["Aktivitet", "Boligområde", "År", "Kvartal", "Planlagt antal", "Enhed"]


def _xlsx(rows: list[list[Any]], header: list[str] = HEADER) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _snapshot(plan: Plan) -> list[tuple[Any, ...]]:
    return list(
        PlannedQuantity.objects.filter(activity__plan=plan)
        .order_by("pk")
        .values_list("pk", "activity_id", "area_id", "year", "quarter", "quantity")
    )


def _errors(plan: Plan, rows: list[list[Any]]) -> list[tuple[str, str]]:
    before = _snapshot(plan)
    with pytest.raises(ValidationError) as info:
        activity_plan_import(plan=plan, file=_xlsx(rows))
    assert _snapshot(plan) == before, "nothing may be written"
    return [(e.code or "", str(e.message)) for e in info.value.error_list]


def test_import_creates_and_updates(plan: Plan) -> None:
    result = activity_plan_import(
        plan=plan,
        file=_xlsx(
            [
                ["Tryghedsvandringer", "Motalavej", 2019, 1, 4, "afholdte aktiviteter"],
                ["fritidsjobindsats", "Sydbyen", "2019", "K2", "12", ""],
                ["Tryghedsvandringer", "Motalavej", 2018, 1, 99, ""],  # a demo row, updated
            ]
        ),
    )
    assert (result.created, result.updated) == (2, 1)
    row = PlannedQuantity.objects.get(
        activity__slug="fritidsjobindsats", area__slug="sydbyen", year=2019, quarter=2
    )
    assert row.quantity == 12 and not row.is_demo_data


def test_every_problem_named_by_row_and_column(plan: Plan) -> None:
    errors = _errors(
        plan,
        [
            ["Tryghedsvandringer", "Motalavej", 2019, 1, 4],
            ["Fodboldskole", "Motalavej", 2019, 1, 4],
            ["Tryghedsvandringer", "Slagelse Centrum", 2019, 1, 4],
            ["Tryghedsvandringer", "Sydbyen", 2019, 1, "fire"],
            ["Tryghedsvandringer", "Sydbyen", 2019, 2, -3],
            ["Tryghedsvandringer", "Motalavej", 2019, 1, 5],
            ["Tryghedsvandringer", "Sydbyen", 2023, 1, 2],
            ["Fritidsjobindsats", "Skælskør", 2019, 1, 2],
        ],
    )
    assert errors == [
        ("unknown_activity", "Række 3, kolonne 'Aktivitet': ukendt aktivitet 'Fodboldskole'."),
        ("unknown_area", "Række 4, kolonne 'Boligområde': ukendt boligområde 'Slagelse Centrum'."),
        ("not_a_number", "Række 5, kolonne 'Planlagt antal': 'fire' er ikke et helt tal."),
        (
            "negative_number",
            "Række 6, kolonne 'Planlagt antal': antallet må ikke være negativt (-3).",
        ),
        (
            "duplicate_row",
            "Række 7, kolonne 'Aktivitet': Tryghedsvandringer i Motalavej, 1. kvartal 2019 "
            "står også i række 2.",
        ),
        (
            "quarter_outside_plan",
            "Række 8, kolonne 'Kvartal': 1. kvartal 2023 ligger uden for planens periode.",
        ),
        (
            "area_not_in_activity",
            "Række 9, kolonne 'Boligområde': Fritidsjobindsats kører ikke i Skælskør "
            "ifølge aftalen.",
        ),
    ]


def test_missing_column(plan: Plan) -> None:
    with pytest.raises(ValidationError) as info:
        activity_plan_import(plan=plan, file=_xlsx([], header=["Aktivitet", "År"]))
    assert info.value.error_list[0].code == "missing_column"
    assert "'Boligområde'" in info.value.messages[0]


def test_not_a_spreadsheet(plan: Plan) -> None:
    with pytest.raises(ValidationError) as info:
        activity_plan_import(plan=plan, file=io.BytesIO(b"Aktivitet;Antal"))
    assert info.value.error_list[0].code == "bad_file"


def test_column_mapping_is_configurable_and_export_reimports(plan: Plan) -> None:
    mapping = {
        "activity": "Aktivitetsnavn",
        "area": "Afdeling",
        "year": "År",
        "quarter": "Kvt.",
        "quantity": "Antal",
        "unit": "Enhed",
    }
    services.delivery_settings_update(
        plan=plan, under_threshold=Decimal(70), over_threshold=Decimal(130), column_mapping=mapping
    )
    content = activity_plan_xlsx(plan)
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert [c.value for c in sheet[1]] == list(mapping.values())
    # The first import takes the rows over as the plan's own (no longer demonstration data);
    # the second changes nothing.
    first = activity_plan_import(plan=plan, file=io.BytesIO(content))
    assert first.created == 0 and first.updated == PlannedQuantity.objects.count()
    assert not PlannedQuantity.objects.filter(is_demo_data=True).exists()
    second = activity_plan_import(plan=plan, file=io.BytesIO(content))
    assert second.unchanged == PlannedQuantity.objects.count()


def test_duplicate_headers_refused(plan: Plan) -> None:
    with pytest.raises(ValidationError) as info:
        services.delivery_settings_update(
            plan=plan,
            under_threshold=Decimal(80),
            over_threshold=Decimal(120),
            column_mapping={
                "activity": "A",
                "area": "A",
                "year": "År",
                "quarter": "K",
                "quantity": "N",
                "unit": "E",
            },
        )
    assert info.value.code == "duplicate_header"


def test_import_page_lists_the_errors(plan: Plan, client_for: Callable[[str], Client]) -> None:
    upload = SimpleUploadedFile(
        "plan.xlsx", _xlsx([["Fodboldskole", "Motalavej", 2019, 1, 4]]).getvalue()
    )
    response = client_for("secretariat").post(
        reverse("activities:plan_import", args=[plan.slug]), {"file": upload}
    )
    text = response.content.decode()
    assert "Intet er indlæst" in text
    assert "Række 2, kolonne &#x27;Aktivitet&#x27;: ukendt aktivitet" in text
