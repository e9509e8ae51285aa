"""Bulk import: all or nothing, and every bad input named by row and column in Danish.

On the factory plan, with the areas the made-up files name (``_areas``)."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from helhedsplan.criteria import importing, services
from helhedsplan.criteria.forms import ImportForm
from helhedsplan.criteria.models import Observation
from helhedsplan.plans.models import Plan
from tests.factories import HousingAreaFactory
from tests.files.samples import xlsx_from_rows

HEADER = "kriterium;område;år;værdi;tæller;nævner;kilde\n"
GOOD = HEADER + (
    "5.2.2;motalavej;2018;27,4;;;BL-tabeller 2019\n"
    "5.2.2;total;2018;25,5;;;BL-tabeller 2019\n"
    "5.1.2;ringparken;2018;;42;200;Administrationen\n"
    "5.2.3;total;2017;24;;;Brand og Redning\n"
)


@pytest.fixture(autouse=True)
def _areas(plan: Plan) -> None:
    """The areas the files name, as the seed's: Motalavej first (the coordinator's)."""
    names = [("motalavej", "Motalavej"), ("ringparken", "Ringparken"), ("sydbyen", "Sydbyen"),
             ("skaelskoer", "Skælskør")]  # fmt: skip
    for order, (slug, name) in enumerate(names):
        HousingAreaFactory(plan=plan, slug=slug, name=name, order=order)


def _xlsx(rows: list[list[object]], sheet: str = "Observationer") -> bytes:
    return xlsx_from_rows(rows, sheet)


def _import(plan: Plan, name: str, data: bytes) -> int:
    return services.observations_import(plan=plan, rows=importing.read_file(name, data))


def _new_count(plan: Plan) -> int:
    return Observation.objects.filter(measure__plan=plan, year__gte=2017).count()


def test_csv_with_danish_decimals(plan: Plan) -> None:
    assert _import(plan, "data.csv", GOOD.encode()) == 4
    mota = Observation.objects.get(area__slug="motalavej", year=2018)
    assert mota.value == Decimal("27.4") and mota.state == Observation.State.DRAFT
    rate = Observation.objects.get(area__slug="ringparken", year=2018)
    assert rate.value == Decimal("21.00") and rate.numerator == 42


def test_xlsx(plan: Plan) -> None:
    data = _xlsx([
        ["kriterium", "område", "år", "værdi", "tæller", "nævner", "kilde"],
        ["5.2.2", "sydbyen", 2018, 29.5, None, None, "BL"],
        ["5.2.2", "skaelskoer", 2018, "18,2", None, None, "BL"],
    ])  # fmt: skip
    assert _import(plan, "data.xlsx", data) == 2
    assert Observation.objects.get(area__slug="skaelskoer", year=2018).value == Decimal("18.2")


BAD_CSV = [
    ("5.2.3;total;2018;-3;;;x\n", "Række 2, kolonne »værdi«", "negative"),
    ("5.1.2;total;2018;104;;;x\n", "Række 2, kolonne »værdi«", "share_over_100"),
    ("5.2.2;motalavej;2018;mange;;;x\n", "Række 2, kolonne »værdi«", "not_a_number"),
    ("9.9.9;motalavej;2018;3;;;x\n", "Række 2, kolonne »kriterium«", "unknown_criterion"),
    ("5.2.2;vollsmose;2018;3;;;x\n", "Række 2, kolonne »område«", "unknown_area"),
    ("5.2.2;motalavej;2030;3;;;x\n", "Række 2, kolonne »år«", "year_outside_measure"),
    ("5.2.2;motalavej;2018;3;;;x\n5.2.2;motalavej;2018;4;;;y\n", "Række 3", "duplicate_row"),
]


@pytest.mark.parametrize(("rows", "where", "code"), BAD_CSV)
def test_bad_rows_are_refused_and_nothing_is_written(
    plan: Plan, rows: str, where: str, code: str
) -> None:
    before = _new_count(plan)
    # A good row first: all or nothing means it is not written either.
    data = (HEADER + "5.2.3;total;2017;20;;;ok\n" + rows).replace("Række 2", "Række 3")
    with pytest.raises(services.ImportFailed) as exc:
        _import(plan, "data.csv", data.encode())
    errors = exc.value.errors
    assert [e.code for e in errors] == [code]
    expected_where = where.replace("Række 3", "Række 4").replace("Række 2", "Række 3")
    assert str(errors[0]).startswith(expected_where), str(errors[0])
    assert _new_count(plan) == before


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("tom.csv", b"", "file_empty"),
        ("kun-overskrift.csv", HEADER.encode(), "empty"),
        ("uden-overskrift.csv", b"5.2.2;motalavej;2018;3\n", "missing_header"),
        ("forkert-ark.xlsx", _xlsx([["kriterium", "område", "år"]], sheet="Ark1"), "missing_sheet"),
        ("uden-overskrift.xlsx", _xlsx([["5.2.2", "motalavej", 2018, 3]]), "missing_header"),
        ("ikke.xlsx", b"not a zip", "not_xlsx"),
        ("data.pdf", b"%PDF-1.7\n", "wrong_kind"),
    ],
)  # fmt: skip
def test_bad_files(plan: Plan, name: str, data: bytes, code: str) -> None:
    with pytest.raises(services.ImportFailed) as exc:
        _import(plan, name, data)
    assert exc.value.errors[0].code == code
    assert str(exc.value.errors[0]).startswith(("Filen", "Række 1"))


def test_missing_sheet_message_names_the_sheet(plan: Plan) -> None:
    with pytest.raises(services.ImportFailed) as exc:
        _import(plan, "x.xlsx", _xlsx([["a"]], sheet="Ark1"))
    assert str(exc.value.errors[0]) == (
        "Filen: Arket »Observationer« findes ikke i filen (fundet: Ark1)."
    )


def test_a_50_mb_upload_is_refused_by_the_form() -> None:
    upload = SimpleUploadedFile("stor.csv", b"x")
    upload.size = 50 * 1024 * 1024
    form = ImportForm(data={}, files={"file": upload})  # type: ignore[arg-type]
    assert not form.is_valid()
    assert form.errors.as_data()["file"][0].code == "too_large"
    assert "50,0 MB" in form.errors["file"][0]
    with pytest.raises(services.ImportFailed) as exc:
        importing.read_file("stor.csv", b"x" * (importing.MAX_IMPORT_BYTES + 1))
    assert exc.value.errors[0].code == "file_too_large"


def test_import_page_reports_every_error_and_writes_nothing(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    url = reverse("criteria:import", kwargs={"slug": plan.slug})
    data = HEADER + "5.2.3;total;2017;20;;;ok\n5.2.3;total;2018;-1;;;x\n5.2.2;x;2018;1;;;x\n"
    upload = SimpleUploadedFile("fejl.csv", data.encode())
    response = client_for("municipal").post(url, {"file": upload})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Intet er gemt" in text
    assert "Række 3, kolonne »værdi«: Et antal kan ikke være negativt" in text
    assert "Række 4, kolonne »område«: Ukendt område »x«" in text
    assert not Observation.objects.filter(year__in=[2017, 2018]).exists()


def test_import_page_secretariat_approves_on_import(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    url = reverse("criteria:import", kwargs={"slug": plan.slug})
    upload = SimpleUploadedFile("data.csv", GOOD.encode())
    client = client_for("secretariat")
    preview = client.post(url, {"file": upload, "approve": "on"})
    assert preview.status_code == 200  # the preview: nothing written yet
    assert not Observation.objects.filter(year=2018).exists()
    response = client.post(url, {"token": preview.context["token"]})
    assert response.status_code == 302
    assert Observation.objects.filter(year=2018, state="approved").count() == 3


def test_coordinator_import_is_limited_to_own_areas(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    url = reverse("criteria:import", kwargs={"slug": plan.slug})
    upload = SimpleUploadedFile("data.csv", GOOD.encode())
    response = client_for("coordinator").post(url, {"file": upload, "approve": "on"})
    assert response.status_code == 400
    assert "kun registrere for dine egne områder" in response.content.decode()
    assert not Observation.objects.filter(year=2018).exists()


def test_management_command(plan: Plan, tmp_path: Path) -> None:
    good = tmp_path / "data.csv"
    good.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("import_observations", str(good), "--plan", plan.slug, "--approve", stdout=out,
                 stderr=io.StringIO())  # fmt: skip
    assert "4 observationer er importeret" in out.getvalue()
    assert Observation.objects.filter(year=2018, state="approved").count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "5.2.3;total;2019;x;;;\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="Intet er gemt"):
        call_command(
            "import_observations", str(bad), "--plan", plan.slug, stdout=io.StringIO(), stderr=err
        )
    assert "Række 2, kolonne »værdi«" in err.getvalue()


def test_the_command_names_the_plan_when_the_install_has_several(
    plan: Plan, other_plan: Plan, tmp_path: Path
) -> None:
    """A hundred plans in one install: the command never guesses which one a file is for."""
    path = tmp_path / "data.csv"
    path.write_text("kriterium;område;år;værdi\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Angiv planen med --plan"):
        call_command("import_observations", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="»findes-ikke« findes ikke"):
        call_command("import_observations", str(path), "--plan", "findes-ikke")
