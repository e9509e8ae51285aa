from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.formats import date_format

from helhedsplan.lib.cpr import contains_cpr, validate_no_cpr
from helhedsplan.lib.forms import DanishDecimalField
from helhedsplan.lib.numbers import (
    NumberError,
    fmt_date,
    fmt_number,
    fmt_percent,
    format_amount,
    format_number,
    format_percent,
    parse_decimal,
    share,
)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (44450, None, "44.450"),
        (Decimal("30.65"), None, "30,65"),
        (Decimal("25000"), None, "25.000"),
        (Decimal("58.3"), 1, "58,3"),
        (Decimal("1234567.891"), 2, "1.234.567,89"),
        (0, None, "0"),
    ],
)
def test_danish_numbers(value: Decimal, decimals: int | None, expected: str) -> None:
    with translation.override("da"):
        assert fmt_number(value, decimals) == expected


def test_english_numbers_use_english_separators() -> None:
    with translation.override("en"):
        assert fmt_number(44450) == "44,450"
        assert fmt_number(Decimal("30.65")) == "30.65"


def test_local_share_of_the_seed_budget_reads_43_8_percent() -> None:
    with translation.override("da"):
        assert fmt_percent(share(19450, 44450)) == "43,8\u00a0%"


def test_share_of_nothing_is_none() -> None:
    assert share(1, 0) is None


@pytest.mark.parametrize(
    "text",
    ["CPR 010203-1234", "cpr: 0102031234", "født 311299 1234 i Slagelse", "x290200-4321y"],
)
def test_cpr_numbers_are_found(text: str) -> None:
    assert contains_cpr(text)
    with pytest.raises(ValidationError) as exc:
        validate_no_cpr(text)
    assert exc.value.code == "cpr_number"


@pytest.mark.parametrize(
    "text",
    [
        "44.450 t.kr. i alt",
        "Telefon 58 57 36 00",
        "30,65 afgørelser pr. 1000 beboere i 2016",
        "dato 320199-1234 findes ikke",  # day 32 is no date
        "12345678901",  # too long to be a CPR number
        "",
    ],
)
def test_ordinary_text_passes(text: str) -> None:
    assert not contains_cpr(text)
    validate_no_cpr(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("44.450", Decimal(44450)),
        ("30,65", Decimal("30.65")),
        ("1.234,5", Decimal("1234.5")),
        (" 19 450 ", Decimal(19450)),
        ("1.234", Decimal(1234)),
        ("-3", Decimal(-3)),
    ],
)
def test_parse_decimal_reads_danish(text: str, expected: Decimal) -> None:
    assert parse_decimal(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "12.34.5", "1.23,4.5", "30 %"])
def test_parse_decimal_refuses_non_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        parse_decimal(text)


@pytest.mark.parametrize("text", ["30.65", "1.5", "-0.25", "1234.5"])
def test_parse_decimal_refuses_a_decimal_point(text: str) -> None:
    """The one rule: a point only groups thousands, so "30.65" is refused (write "30,65"),
    where it used to be read as 30,65 here and refused by the criteria engine."""
    with pytest.raises(NumberError) as exc:
        parse_decimal(text)
    assert exc.value.code == "decimal_point"


def test_prose_makes_paragraphs_and_bullets_and_escapes() -> None:
    from helhedsplan.lib.templatetags.danish import prose

    html = prose("Formålet er\n\n- Øget tryghed\n- <b>Styrket</b> civilsamfund")
    assert html == (
        "<p>Formålet er</p><ul><li>Øget tryghed</li>"
        "<li>&lt;b&gt;Styrket&lt;/b&gt; civilsamfund</li></ul>"
    )


@pytest.mark.parametrize("lang", ["da", "en"])
def test_dates_read_as_the_templates_write_them(lang: str) -> None:
    """lib.numbers writes a date as Django's DATE_FORMAT/SHORT_DATE_FORMAT does, per language."""
    with translation.override(lang):
        for month in range(1, 13):
            day = datetime.date(2019, month, 7)
            assert fmt_date(day) == date_format(day, "DATE_FORMAT")
            assert fmt_date(day, short=True) == date_format(day, "SHORT_DATE_FORMAT")


def test_english_numbers_amounts_and_percentages() -> None:
    assert format_number(Decimal("1234567.891"), 2, lang="en") == "1,234,567.89"
    assert format_percent(Decimal("43.757"), lang="en") == "43.8%"
    assert format_amount(25000, lang="en") == "DKK\u00a025,000k"
    assert format_amount(25000) == "25.000\u00a0t.kr."


def test_the_number_field_refuses_a_decimal_point_and_shows_danish_in_english() -> None:
    field = DanishDecimalField(required=False)
    with pytest.raises(ValidationError) as exc:
        field.clean("30.65")
    assert exc.value.code == "decimal_point"
    assert field.clean("30,65") == Decimal("30.65")
    with translation.override("en"):  # what the field shows is what it reads back
        assert field.prepare_value(Decimal("1234.5")) == "1.234,5"


def test_a_moment_reads_as_the_pages_write_it_in_each_language() -> None:
    """The audit trail's and the reasons' timestamps: the long date and the time, from the
    one numbers-and-dates module, in local time and the active language."""
    from datetime import UTC, datetime

    from django.utils import translation

    from helhedsplan.lib.numbers import fmt_datetime, format_datetime
    from helhedsplan.lib.templatetags.danish import when

    moment = datetime(2019, 1, 1, 14, 5)
    assert format_datetime(moment) == "1. januar 2019 14:05"
    assert format_datetime(moment, lang="en") == "Jan. 1, 2019 14:05"
    utc = datetime(2019, 6, 30, 22, 30, tzinfo=UTC)  # Copenhagen is two hours ahead in summer
    with translation.override("da"):
        assert fmt_datetime(utc) == "1. juli 2019 00:30"
        assert when(None) == "" and fmt_datetime(None) == "–"
    with translation.override("en"):
        assert when(utc) == "July 1, 2019 00:30"


def test_a_danish_decimal_field_is_a_text_input_that_shows_and_takes_danish_numbers() -> None:
    """A browser's number input empties "30,65" and cannot take "1.250,50": the field is a
    text input with a decimal keyboard, showing the stored value the Danish way."""
    from django import forms

    class F(forms.Form):
        value = DanishDecimalField(decimal_places=2, max_digits=10)

    html = str(F(initial={"value": Decimal("1250.5")})["value"])
    assert 'type="text"' in html and 'inputmode="decimal"' in html
    assert 'value="1.250,5"' in html
    bound = F({"value": "1.250,50"})
    assert bound.is_valid() and bound.cleaned_data["value"] == Decimal("1250.50")
