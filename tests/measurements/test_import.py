"""The import of LBF's central measurements: every bad input refused with its row, column
and reason (nothing written), the default and a custom layout, suppressed values stored as
suppressed, updates audited with old and new values, and a bounded number of queries.
Factory plans (areas "nord" and "syd")."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from helhedsplan.audit.models import AuditEntry
from helhedsplan.measurements import catalogue, importing, services
from helhedsplan.measurements.models import CentralMeasurement
from helhedsplan.plans.models import Plan
from tests import factories

pytestmark = pytest.mark.django_db

HEAD = "område;år;indikator;værdi;tæller;nævner;kilde"


def csv(*rows: str, head: str = HEAD) -> bytes:
    return ("\n".join([head, *rows]) + "\n").encode()


def run(plan: Plan, data: bytes, **kw: Any) -> importing.ImportResult:
    return services.central_measurements_import(plan=plan, file=data, file_name="lbf.csv", **kw)


def refused(plan: Plan, data: bytes) -> str:
    before = CentralMeasurement.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        run(plan, data)
    assert (CentralMeasurement.objects.count(), AuditEntry.objects.count()) == before
    return " | ".join(exc.value.messages)


def test_imports_the_default_layout(factory_plan: Plan) -> None:
    user = factories.UserFactory(username="importer")
    result = run(
        factory_plan,
        csv(
            "nord;2018;doemte_pct;2,5;20;800;",
            "syd;2018;doemte_pct;;30;1200;LBF Beboerdata",
            "nord;2018;beboere;800;;;",
            "nord;2018;indkomst_pct_region;104,3;;;",
        ),
        user=user,
    )
    assert (result.rows, result.created, result.updated) == (4, 4, 0)
    nord = CentralMeasurement.objects.get(area__slug="nord", indicator__code="doemte_pct")
    assert (nord.value, nord.numerator, nord.denominator) == (
        Decimal("2.5"),
        Decimal(20),
        Decimal(800),
    )
    assert nord.source == catalogue.SOURCE and nord.imported_by == user
    syd = CentralMeasurement.objects.get(area__slug="syd", indicator__code="doemte_pct")
    assert syd.value == Decimal("2.5")  # computed: 30 of 1200
    assert syd.source == "LBF Beboerdata"
    income = CentralMeasurement.objects.get(indicator__code="indkomst_pct_region")
    assert income.value == Decimal("104.3")  # a share of the region's average: may pass 100
    event = AuditEntry.objects.get(event=importing.EVENT)
    assert event.changes["file"] == "lbf.csv" and event.changes["rows"] == 4
    assert event.actor == user


def test_optional_columns_may_be_left_out_and_headers_are_in_any_order(
    factory_plan: Plan,
) -> None:
    run(factory_plan, csv("2019;beboere;nord;812", head="år;indikator;område;værdi"))
    assert CentralMeasurement.objects.get().value == 812


def test_a_custom_layout_round_trip(factory_plan: Plan) -> None:
    services.measurement_settings_update(
        plan=factory_plan,
        columns={"area": "Afdeling", "year": "Aar", "indicator": "Kode", "value": "Vaerdi",
                 "numerator": "Antal", "denominator": "Ialt", "source": "Kilde"},
    )  # fmt: skip
    head = "Afdeling;Aar;Kode;Vaerdi;Antal;Ialt;Kilde"
    run(factory_plan, csv("nord;2018;doemte_pct;2,5;20;800;", head=head))
    assert CentralMeasurement.objects.get().numerator == 20
    # the default headers are now unknown: the missing columns are named
    message = refused(factory_plan, csv("nord;2018;doemte_pct;2,5;20;800;"))
    assert "'Afdeling'" in message and "mangler" in message
    # the columns argument overrides the plan's layout for one import
    run(factory_plan, csv("syd;2018;doemte_pct;2,5;30;1200;"),
        columns=catalogue.DEFAULT_COLUMNS)  # fmt: skip
    assert CentralMeasurement.objects.count() == 2


def test_an_xlsx_file_is_read_too(factory_plan: Plan) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEAD.split(";"))
    sheet.append(["nord", 2018, "doemte_pct", 2.5, 20, 800, None])
    sheet.append(["syd", 2018, "doemte_pct", "diskretioneret", None, None, None])
    out = io.BytesIO()
    book.save(out)
    services.central_measurements_import(
        plan=factory_plan, file=out.getvalue(), file_name="lbf.xlsx"
    )
    assert CentralMeasurement.objects.get(area__slug="nord").value == Decimal("2.5")
    assert CentralMeasurement.objects.get(area__slug="syd").suppressed


@pytest.mark.parametrize("mark", ["diskretioneret", "Diskretioneret", "DISKRETIONERET"])
def test_a_suppressed_value_is_stored_as_suppressed_never_zero(
    factory_plan: Plan, mark: str
) -> None:
    run(factory_plan, csv(f"nord;2018;doemte_pct;{mark};;;", f"syd;2018;doemte_pct;;{mark};1200;"))
    for m in CentralMeasurement.objects.all():
        assert m.suppressed and m.value is None
    assert CentralMeasurement.objects.get(area__slug="syd").denominator == 1200


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        ("nord;2018;ukendt_kode;2,5;;;", "indikator", "findes ikke i kataloget"),
        ("vest;2018;doemte_pct;2,5;;;", "område", "findes ikke i planen"),
        ("nord;2018;doemte_pct;100,5;;;", "værdi", "over 100"),
        ("nord;2018;doemte_pct;-1;;;", "værdi", "under 0"),
        ("nord;2018;indkomst_pct_region;-3;;;", "værdi", "under 0"),
        ("nord;2018;doemte_pct;;900;800;", "tæller", "større end nævneren"),
        ("nord;2018;beboere;800,5;;;", "værdi", "ikke et helt tal"),
        ("nord;2018;beboere;-2;;;", "værdi", "negativt"),
        ("nord;atten;doemte_pct;2,5;;;", "år", "ikke et årstal"),
        ("nord;1850;doemte_pct;2,5;;;", "år", "ikke et årstal"),
        ("nord;2018;doemte_pct;2,7;20;800;", "værdi", "passer ikke med tæller og nævner"),
        ("nord;2018;doemte_pct;;20;;", "værdi", "mangler"),
        ("nord;2018;doemte_pct;;0;0;", "nævner", "nævneren er 0"),
        ("nord;2018;doemte_pct;;;;", "værdi", "ingen værdi"),
        ("nord;2018;beboere;800;800;900;", "tæller", "ikke en andel"),
        ("nord;2018;doemte_pct;2.5;;;", "værdi", "komma"),
        ("nord;2018;doemte_pct;abc;;;", "værdi", "ikke et tal"),
        ("nord;2018;doemte_pct;;-1;800;", "tæller", "negativt"),
    ],
)
def test_bad_rows_are_refused_naming_row_column_and_reason(
    factory_plan: Plan, row: str, column: str, words: str
) -> None:
    message = refused(factory_plan, csv("syd;2018;doemte_pct;2,5;30;1200;", row))
    assert f"Række 3, kolonne '{column}'" in message, message
    assert words in message, message


def test_the_value_may_be_rounded_within_the_tolerance(factory_plan: Plan) -> None:
    run(factory_plan, csv("nord;2018;doemte_pct;33,3;1;3;", "syd;2018;doemte_pct;33,38;1;3;"))
    assert CentralMeasurement.objects.count() == 2
    assert "passer ikke" in refused(factory_plan, csv("nord;2019;doemte_pct;33,4;1;3;"))


def test_an_area_of_another_plan_is_said_to_be_so_without_naming_the_plan(
    factory_plan: Plan,
) -> None:
    other = factories.PlanFactory(name="Hemmelig plan", slug="hemmelig")
    factories.HousingAreaFactory(plan=other, slug="oest", name="Østparken")
    message = refused(factory_plan, csv("oest;2018;doemte_pct;2,5;;;"))
    assert "findes ikke i planen" in message and "anden plan" in message
    assert "Hemmelig" not in message and "hemmelig" not in message and "Østparken" not in message
    assert "nord, syd" in message  # the plan's own areas are named
    plain = refused(factory_plan, csv("vest;2018;doemte_pct;2,5;;;"))
    assert "anden plan" not in plain


def test_an_indicator_of_another_framework_is_unknown(factory_plan: Plan) -> None:
    factories.IndicatorFactory(framework="2019-26", code="kun_i_2019")
    message = refused(factory_plan, csv("nord;2018;kun_i_2019;2,5;;;"))
    assert "2015-18" in message and "findes ikke i kataloget" in message


def test_the_same_area_indicator_and_year_twice_is_refused(factory_plan: Plan) -> None:
    message = refused(
        factory_plan, csv("nord;2018;doemte_pct;2,5;;;", "NORD;2018;doemte_pct;2,6;;;")
    )
    assert "Række 3" in message and "står også i række 2" in message


def test_every_error_is_reported_and_nothing_is_written(factory_plan: Plan) -> None:
    message = refused(
        factory_plan,
        csv("nord;2018;doemte_pct;2,5;;;", "vest;2018;doemte_pct;2,5;;;",
            "nord;2018;doemte_pct;101;;;", "nord;2019;beboere;1,5;;;"),
    )  # fmt: skip
    assert "Række 3" in message and "Række 4" in message and "Række 5" in message


def test_a_file_that_is_not_a_table_is_refused(factory_plan: Plan) -> None:
    assert "tom" in refused(factory_plan, b"")
    assert "mangler" in refused(factory_plan, csv("nord;2018", head="område;år"))


def test_existing_values_are_updated_with_old_and_new_in_the_trail(factory_plan: Plan) -> None:
    run(factory_plan, csv("nord;2018;doemte_pct;2,5;20;800;", "syd;2018;doemte_pct;2;24;1200;"))
    result = run(
        factory_plan,
        csv("nord;2018;doemte_pct;3;24;800;", "syd;2018;doemte_pct;2;24;1200;",
            "nord;2019;doemte_pct;diskretioneret;;;"),
    )  # fmt: skip
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    nord = CentralMeasurement.objects.get(area__slug="nord", year=2018)
    assert nord.value == 3 and nord.numerator == 24
    change = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(CentralMeasurement),
        object_pk=str(nord.pk),
        action=AuditEntry.Action.UPDATE,
    ).get()
    assert [Decimal(v) for v in change.changes["value"]] == [Decimal("2.5"), 3]
    assert [Decimal(v) for v in change.changes["numerator"]] == [20, 24]
    assert AuditEntry.objects.filter(event=importing.EVENT).count() == 2


def test_suppressing_a_stored_value_removes_the_value(factory_plan: Plan) -> None:
    run(factory_plan, csv("nord;2018;doemte_pct;2,5;20;800;"))
    run(factory_plan, csv("nord;2018;doemte_pct;diskretioneret;;;"))
    m = CentralMeasurement.objects.get()
    assert m.suppressed and m.value is None and m.numerator is None


def test_the_preview_writes_nothing_and_says_what_would_change(factory_plan: Plan) -> None:
    run(factory_plan, csv("nord;2018;doemte_pct;2,5;20;800;"))
    preview = importing.preview(
        plan=factory_plan, file=csv("nord;2018;doemte_pct;3;24;800;", "syd;2018;beboere;1200;;;")
    )
    assert len(preview.created) == 1 and len(preview.changed) == 1
    assert preview.changed[0].old is not None and preview.changed[0].old.value == Decimal("2.5")
    assert CentralMeasurement.objects.get().value == Decimal("2.5")


def test_a_closed_plan_is_not_written(factory_plan: Plan) -> None:
    from django.utils import timezone

    factory_plan.status, factory_plan.closed_at = Plan.Status.CLOSED, timezone.now()
    factory_plan.save()
    with pytest.raises(ValidationError):
        run(factory_plan, csv("nord;2018;doemte_pct;2,5;;;"))
    assert not CentralMeasurement.objects.exists()


def _rows(n: int) -> bytes:
    years = range(1990, 1990 + n)
    return csv(*[f"nord;{y};doemte_pct;;{y % 50};800;" for y in years])


def test_the_checking_takes_a_fixed_number_of_queries(factory_plan: Plan) -> None:
    counts = []
    for n in (5, 40):
        with CaptureQueriesContext(connection) as queries:
            importing.preview(plan=factory_plan, file=_rows(n))
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[0] <= 6, counts


def test_the_import_writes_without_per_row_lookups(factory_plan: Plan) -> None:
    """Each new row costs its insert and its audit entry, nothing more."""
    counts = []
    for n, plan in ((5, factory_plan), (25, factories.small_plan(slug="zweite"))):
        with CaptureQueriesContext(connection) as queries:
            run(plan, _rows(n))
        counts.append(len(queries))
    per_row = (counts[1] - counts[0]) / 20
    assert per_row <= 2, counts
