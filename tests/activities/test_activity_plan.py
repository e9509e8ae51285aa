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
from openpyxl import load_workbook

from helhedsplan.activities import services
from helhedsplan.activities.activity_plan import activity_plan_import, activity_plan_xlsx
from helhedsplan.activities.models import PlannedQuantity
from helhedsplan.audit.models import AuditEntry
from helhedsplan.plans.models import Plan
from tests import factories
from tests.files.samples import xlsx_from_rows

pytestmark = pytest.mark.django_db

HEADER = ["Aktivitet", "Boligområde", "År", "Kvartal", "Planlagt antal", "Enhed"]


def _xlsx(rows: list[list[Any]], header: list[str] = HEADER) -> io.BytesIO:
    return io.BytesIO(xlsx_from_rows([header, *rows]))


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


@pytest.mark.usefixtures("seedlike")
def test_import_creates_and_updates(plan: Plan) -> None:
    result = activity_plan_import(
        plan=plan,
        file=_xlsx(
            [
                ["Tryghedsvandringer", "Motalavej", 2019, 1, 4, "afholdte aktiviteter"],
                ["fritidsjobindsats", "Sydbyen", "2019", "K2", "12", ""],
                ["Tryghedsvandringer", "Motalavej", 2018, 1, 99, ""],  # a stored row, updated
            ]
        ),
    )
    assert (result.created, result.updated) == (2, 1)
    row = PlannedQuantity.objects.get(
        activity__plan=plan,
        activity__slug="fritidsjobindsats",
        area__slug="sydbyen",
        year=2019,
        quarter=2,
    )
    assert row.quantity == 12 and not row.is_demo_data


@pytest.mark.usefixtures("seedlike")
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
        ("not_a_number", "Række 5, kolonne 'Planlagt antal': 'fire' er ikke et tal."),
        (
            "negative",
            "Række 6, kolonne 'Planlagt antal': tallet må ikke være negativt (-3).",
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
    assert info.value.error_list[0].code == "missing_header"
    assert "'Boligområde'" in info.value.messages[0]


def test_not_a_spreadsheet(plan: Plan) -> None:
    with pytest.raises(ValidationError) as info:
        activity_plan_import(plan=plan, file=io.BytesIO(b"Aktivitet;Antal"))
    assert info.value.error_list[0].code == "not_xlsx"


# Stays on the demo: its assertions count every plan's planned rows (no row left marked
# demonstration data anywhere), and the demo, loaded once into the test database for the tests
# about the seed's content, has such rows of its own; only the demo plan makes them true.
@pytest.mark.demo
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
    # Re-importing the export changes no number: 0 changed. The rows are confirmed as the
    # plan's own (no longer demonstration data); a second import writes nothing at all.
    count = PlannedQuantity.objects.count()
    first = activity_plan_import(plan=plan, file=io.BytesIO(content))
    assert (first.created, first.updated, first.unchanged, first.confirmed) == (0, 0, count, count)
    assert not PlannedQuantity.objects.filter(is_demo_data=True).exists()
    entries = AuditEntry.objects.filter(content_type__model="plannedquantity").count()
    second = activity_plan_import(plan=plan, file=io.BytesIO(content))
    assert (second.updated, second.unchanged, second.confirmed) == (0, count, 0)
    assert AuditEntry.objects.filter(content_type__model="plannedquantity").count() == entries


@pytest.mark.usefixtures("seedlike")
def test_one_audit_event_per_import_and_a_diff_per_changed_row(plan: Plan) -> None:
    user = factories.persona(plan, "secretariat")
    rows = [
        ["Tryghedsvandringer", "Motalavej", 2019, 1, 4],
        ["Tryghedsvandringer", "Motalavej", 2018, 1, 99],
    ]
    result = activity_plan_import(plan=plan, file=_xlsx(rows), user=user, file_name="plan.xlsx")
    assert (result.created, result.updated) == (1, 1)
    event = AuditEntry.objects.get(event="activity_plan.imported")
    assert event.actor == user and event.plan_id == plan.pk
    assert event.changes == {
        "file": "plan.xlsx", "created": 1, "changed": 1, "unchanged": 0, "confirmed": 0,
    }  # fmt: skip
    changed = PlannedQuantity.objects.get(
        activity__plan=plan,
        activity__slug="tryghedsvandringer",
        area__slug="motalavej",
        year=2018,
        quarter=1,
    )
    diff = AuditEntry.objects.get_for_object(changed).filter(action=AuditEntry.Action.UPDATE)
    assert diff.get().changes["quantity"][1] == "99"


@pytest.mark.parametrize(
    ("quantity", "code"),
    [
        (1e20, "out_of_range"),  # must fit PlannedQuantity.quantity (a 32-bit integer)
        (2_147_483_648, "out_of_range"),
        (2.5, "not_whole"),
        (-1, "negative"),
        ("1E+400", "not_a_number"),
    ],
)
@pytest.mark.usefixtures("seedlike")
def test_quantity_must_fit_be_whole_and_not_negative(
    plan: Plan, quantity: object, code: str
) -> None:
    errors = _errors(plan, [["Tryghedsvandringer", "Motalavej", 2019, 1, quantity]])
    assert [c for c, _m in errors] == [code]
    assert errors[0][1].startswith("Række 2, kolonne 'Planlagt antal': ")


def test_the_upload_limits_apply(plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("helhedsplan.activities.activity_plan.MAX_IMPORT_BYTES", 1000)
    with pytest.raises(ValidationError) as info:
        activity_plan_import(plan=plan, file=_xlsx([]))
    assert info.value.error_list[0].code == "file_too_large"


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


@pytest.mark.usefixtures("seedlike")
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
