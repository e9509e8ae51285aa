"""One validation for every observation: the form, the import and the demo loader share it.

Each case is refused with its Danish message naming row and column (import) or the field
(form), and nothing is written. Runs on a factory plan with one criterion of each kind of
figure, numbered as the seed numbers them (``tests/criteria/conftest.py``).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from helhedsplan.criteria import importing, services
from helhedsplan.criteria.models import Measure, Observation, SuccessCriterion
from helhedsplan.lib.concurrency import NEW
from helhedsplan.plans.models import Plan
from tests.factories import HousingAreaFactory

HEADER = "kriterium;område;år;værdi;tæller;nævner;kilde;vurdering;beskrivelse\n"

# (criterion, row after the criterion code, column, code, words of the Danish message)
BAD_ROWS = [
    # 5.2.3 arson (a count), 5.2.2 criminal decisions (per 1000), 5.1.2 moving out (a share,
    # a rate of numerator/denominator), 5.4.1 a qualitative rating.
    ("5.2.3", "total;2019;120000000000000000000000000000;;;x;;", "værdi", "number_too_large",
     "højst være 10 cifre før kommaet"),
    ("5.2.2", "total;2019;1200;;;x;;", "værdi", "rate_over_1000",
     "En rate pr. 1000 kan ikke være over 1000"),
    ("5.1.2", "total;2019;104;;;x;;", "værdi", "share_over_100", "kan ikke være over 100"),
    ("5.1.2", "total;2019;;120;100;x;;", "tæller", "numerator_over_denominator",
     "Tælleren (120) kan ikke være større end nævneren (100)"),
    ("5.1.2", "total;2019;;0;0;x;;", "nævner", "zero_denominator", "Nævneren skal være over 0"),
    ("5.1.2", "total;2019;;4,5;100;x;;", "tæller", "not_whole", "Et antal skal være et helt tal"),
    ("5.1.2", "total;2019;;5;100,5;x;;", "nævner", "not_whole", "Et antal skal være et helt tal"),
    ("5.2.3", "total;2019;3,5;;;x;;", "værdi", "not_whole", "Et antal skal være et helt tal"),
    ("5.2.3", "total;2019;-3;;;x;;", "værdi", "negative", "Et antal kan ikke være negativt"),
    ("5.1.2", "total;2019;;-1;100;x;;", "tæller", "negative", "Et antal kan ikke være negativt"),
    ("5.2.2", "total;2019;27,41234;;;x;;", "værdi", "max_decimal_places", "4 decimaler"),
    ("5.1.2", "total;2019;30;42;200;x;;", "værdi", "value_mismatch", "passer ikke med tæller"),
    ("5.1.2", "total;2019;;42;;x;;", "nævner", "half_rate", "både tæller og nævner"),
    ("5.2.3", "total;2019;;;;x;;", "værdi", "value_required", "Angiv en værdi"),
    ("5.2.3", "total;2019;3;;;x;opfyldt;", "vurdering", "rating_for_number",
     "en vurdering kan ikke registreres"),
    ("5.4.1", "total;2020;3;;;x;opfyldt;", "værdi", "number_for_rating", "har ingen tal"),
    ("5.4.1", "total;2020;;;;x;;", "vurdering", "rating_required", "Vælg en vurdering"),
    ("5.4.1", "total;2020;;;;x;godt nok;", "vurdering", "unknown_rating",
     "»godt nok« er ikke en vurdering"),
    ("5.2.3", "total;2030;3;;;x;;", "år", "year_outside_measure", "uden for målingens år"),
    ("5.2.3", "total;2019;3;;;" + "k" * 501 + ";;", "kilde", "max_length", "500"),
    ("5.4.1", "total;2020;;;;x;opfyldt;Mor 010190-1234 deltog", "beskrivelse", "cpr_number",
     "CPR-nummer"),
]  # fmt: skip


def _rows_written(plan: Plan) -> int:
    return Observation.objects.filter(measure__plan=plan, year__gte=2018).count()


@pytest.mark.parametrize(("code", "row", "column", "error_code", "words"), BAD_ROWS)
def test_an_import_row_breaking_a_rule_is_refused_with_row_and_column(
    plan: Plan, code: str, row: str, column: str, error_code: str, words: str
) -> None:
    # A good row first: all or nothing, so it is not written either.
    data = HEADER + "5.2.3;total;2018;20;;;ok;;\n" + f"{code};{row}\n"
    before = _rows_written(plan)
    with pytest.raises(services.ImportFailed) as exc:
        rows = importing.read_file("data.csv", data.encode())
        services.observations_import(plan=plan, rows=rows)
    errors = exc.value.errors
    assert [e.code for e in errors] == [error_code], [str(e) for e in errors]
    assert str(errors[0]).startswith(f"Række 3, kolonne »{column}«: "), str(errors[0])
    assert words in str(errors[0])
    assert _rows_written(plan) == before


# The same rules through the form's service: same code, on the field the form shows.
FORM_CASES = [
    ("5.2.3", {"value": Decimal("1.2E+29")}, "value", "number_too_large"),
    ("5.2.2", {"value": Decimal(1200)}, "value", "rate_over_1000"),
    ("5.1.2", {"value": Decimal(104)}, "value", "share_over_100"),
    ("5.1.2", {"numerator": Decimal(120), "denominator": Decimal(100)}, "numerator",
     "numerator_over_denominator"),
    ("5.1.2", {"numerator": Decimal(0), "denominator": Decimal(0)}, "denominator",
     "zero_denominator"),
    ("5.1.2", {"numerator": Decimal("4.5"), "denominator": Decimal(100)}, "numerator",
     "not_whole"),
    ("5.2.3", {"value": Decimal("3.5")}, "value", "not_whole"),
    ("5.2.2", {"value": Decimal("27.41234")}, "value", "max_decimal_places"),
    ("5.2.3", {"value": Decimal(3), "rating": "opfyldt"}, "rating", "rating_for_number"),
    ("5.4.1", {"value": Decimal(3), "rating": "opfyldt", "year": 2020}, "value",
     "number_for_rating"),
    ("5.4.1", {"year": 2020}, "rating", "rating_required"),
    ("5.4.1", {"rating": "opfyldt", "year": 2020, "narrative": "010190-1234"}, "narrative",
     "cpr_number"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "kwargs", "field", "error_code"), FORM_CASES)
def test_the_form_service_refuses_the_same(
    plan: Plan, code: str, kwargs: dict[str, object], field: str, error_code: str
) -> None:
    measure = SuccessCriterion.objects.get(plan=plan, code=code).measure
    args: dict[str, object] = {"year": 2019, **kwargs}
    with pytest.raises(ValidationError) as exc:
        services.observation_register(measure=measure, area=None, **args)  # type: ignore[arg-type]
    assert [e.code for e in exc.value.error_dict[field]] == [error_code]
    assert not Observation.objects.filter(measure=measure, year=int(str(args["year"]))).exists()


def test_the_entry_page_shows_the_danish_message(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    url = reverse("criteria:observation_new", kwargs={"slug": plan.slug, "code": "5.2.2"})
    response = client_for("municipal").post(url, {"area": "total", "year": "2019",
                                                  "value": "1200", "version": NEW})  # fmt: skip
    assert response.status_code == 200
    assert "En rate pr. 1000 kan ikke være over 1000 (1.200)" in response.content.decode()
    assert not Observation.objects.filter(year=2019, measure__plan=plan).exists()


def test_the_demo_loader_uses_the_same_validation(plan: Plan) -> None:
    """The seed's figures pass; a seed figure breaking a rule stops the load."""
    from helhedsplan.demo.criteria import _observation

    measure = Measure.objects.get(plan=plan, slug="kriminalretlige-afgoerelser")
    assert _observation(measure, None, 2016, "30.65", "seed").value == Decimal("30.65")
    with pytest.raises(ValueError, match="rate_over_1000"):
        _observation(measure, None, 2016, "1200", "seed")


def test_the_xlsx_number_1_2e29_is_refused(plan: Plan) -> None:
    """The issue's row: a number cell of 1,2e29 for the coordinator's own area."""
    HousingAreaFactory(plan=plan, slug="motalavej", name="Motalavej", order=0)
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Observationer"
    ws.append(["kriterium", "område", "år", "værdi"])
    ws.append(["5.2.3", "motalavej", 2019, 1.2e29])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(services.ImportFailed) as exc:
        rows = importing.read_file("data.xlsx", out.getvalue())
        services.observations_import(plan=plan, rows=rows)
    assert [e.code for e in exc.value.errors] == ["number_too_large"]
    assert str(exc.value.errors[0]).startswith("Række 2, kolonne »værdi«: Tallet er for stort")
    assert _rows_written(plan) == 0
