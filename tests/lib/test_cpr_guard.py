"""The CPR guard (lib/cpr.py): the written variants are refused, ordinary numbers are not,
and every model field and every form is guarded, so a new one without the guard fails here.
"""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date, timedelta
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from hypothesis import given
from hypothesis import strategies as st

import helhedsplan
from helhedsplan.lib.cpr import (
    NOT_FREE_TEXT,
    NOT_GUARDED_MODELS,
    any_cpr,
    contains_cpr,
    guarded_fields,
    is_guarded,
)
from helhedsplan.lib.forms import GuardedForm

# --- the written variants ----------------------------------------------------------------

VARIANTS = [
    "010190-1234",
    "0101901234",
    "010190 1234",
    "010190–1234",  # en dash
    "010190—1234",  # em dash
    "010190−1234",  # minus sign
    "010190\u20111234",  # non-breaking hyphen
    "010190\u00a01234",  # non-breaking space
    "010190 - 1234",
    "01.01.90-1234",
    "01.01.90 1234",
    "01.01.90–1234",
    "01-01-90-1234",
    "01/01/90-1234",
    "01 01 90 12 34",
    "010190 12 34",
]


@pytest.mark.parametrize("cpr", VARIANTS)
@pytest.mark.parametrize("template", ["{}", "CPR: {}.", "Borgeren ({}) deltog", "x{}y"])
def test_every_written_variant_is_found(cpr: str, template: str) -> None:
    assert contains_cpr(template.format(cpr))


@pytest.mark.parametrize(
    "text",
    [
        "Telefon 58 57 36 00",
        "+45 58 57 36 00",
        "tlf. 5857 3600 eller 58573600",
        "CVR 29189706",
        "CVR-nr. 29 18 97 06",
        "LBF sag 2019-0123, j.nr. 2018-12345",
        "afd. 1013-01, afdeling 56",
        "44.450 t.kr. i alt",
        "44.450.000 kr.",
        "1.234.567,89 kr.",
        "12 345 678 kr.",
        "30,65 afgørelser pr. 1000 beboere i 2016",
        "01.01.2019",
        "01.01.2019-31.12.2022",
        "01-01-2019 1234",
        "2019-01-01",
        "2018-12-31 1234",
        "2019-2022",
        "perioden 2019-2022 1234 deltagere",
        "kl. 10.00-12.00",
        "Mødet 01.01.19 kl. 12.30",
        "Mødet 01.01.19 12.30",
        "Mødet 01.01.2019 12 deltagere",
        "01.01.19-31.12.19",
        "3201991234",  # day 32
        "0113901234",  # month 13
        "290201-1234",  # 29 February 2001 is no date
        "dato 320199-1234 findes ikke",
        "010190-12345",  # five digits after the date
        "10101901234",  # eleven digits
        "12345678901",
        "5790000123456",  # an EAN number
        "12 01 01 90 12 34",  # a list of two-digit numbers
        "01 01 90 12 34 56",
        "4200 Slagelse 58 57 36 00",
        "",
    ],
)
def test_ordinary_numbers_are_not_cpr_numbers(text: str) -> None:
    assert not contains_cpr(text)


def test_29_february_2000_is_a_date() -> None:
    assert contains_cpr("290200-4321")


_DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31))
_SERIAL = st.integers(0, 9999).map(lambda n: f"{n:04d}")
_DASH = st.sampled_from(["-", "–", "—", "−", "\u2010", "\u2011", " ", "\u00a0", " - ", ""])
_DATE_SEP = st.sampled_from(["", ".", "-", "/", " ", "–"])
_TEXT = st.text(alphabet=st.characters(categories=["L", "P", "Zs"]), max_size=20)


def _written(d: str, m: str, y: str, serial: str, date_sep: str, dash: str) -> str:
    if date_sep == " " and dash == " ":
        return f"{d} {m} {y} {serial[:2]} {serial[2:]}"
    # A separated date needs something between the year and the serial number.
    return f"{d}{date_sep}{m}{date_sep}{y}{dash if not date_sep or dash else '-'}{serial}"


@given(_DATES, _SERIAL, _DATE_SEP, _DASH, _TEXT, _TEXT)
def test_any_date_with_any_serial_is_found(
    day: date, serial: str, date_sep: str, dash: str, before: str, after: str
) -> None:
    cpr = _written(f"{day:%d}", f"{day:%m}", f"{day:%y}", serial, date_sep, dash)
    assert contains_cpr(f"{before} {cpr} {after}")


def _no_date(six: str) -> bool:
    try:
        date(2000 + int(six[4:]), int(six[2:4]), int(six[:2]))
    except ValueError:
        return True
    return False


@given(
    st.integers(0, 999999).map(lambda n: f"{n:06d}").filter(_no_date),
    _SERIAL,
    _DATE_SEP,
    _DASH,
)
def test_ten_digits_without_a_date_are_no_cpr_number(
    six: str, serial: str, date_sep: str, dash: str
) -> None:
    assert not contains_cpr(_written(six[:2], six[2:4], six[4:], serial, date_sep, dash))


@given(st.integers(10_000_000, 99_999_999), st.sampled_from(["", "+45 ", "tlf. "]))
def test_phone_and_cvr_numbers_are_never_cpr_numbers(number: int, prefix: str) -> None:
    digits = str(number)
    for written in (
        digits,
        f"{digits[:4]} {digits[4:]}",
        " ".join(digits[i : i + 2] for i in range(0, 8, 2)),
    ):
        assert not contains_cpr(prefix + written)


@given(st.integers(0, 10**12))
def test_amounts_with_thousands_separators_are_never_cpr_numbers(amount: int) -> None:
    assert not contains_cpr(f"{amount:,}".replace(",", ".") + " kr.")
    assert not contains_cpr(f"{amount:,}".replace(",", " ") + " kr.")


@given(_DATES, st.integers(0, 3000))
def test_dates_with_four_digit_years_and_ranges_are_never_cpr_numbers(day: date, days: int) -> None:
    end = day + timedelta(days=days)
    assert not contains_cpr(f"{day:%d.%m.%Y}-{end:%d.%m.%Y}")
    assert not contains_cpr(f"{day:%Y-%m-%d} {end:%H%M}")
    assert not contains_cpr(f"{day.year}-{end.year}")


# --- every model field -------------------------------------------------------------------


def _domain_models() -> list[type[models.Model]]:
    return [
        model
        for config in apps.get_app_configs()
        if config.name.startswith("helhedsplan.")
        for model in config.get_models()
    ]


def _text_fields(model: type[models.Model]) -> list[Any]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField | models.FileField)
    ]


def _refusal(model: type[models.Model], field: Any) -> ValidationError | None:
    instance = model()
    value: Any = {"overskrift": "Se 010190-1234"} if isinstance(field, models.JSONField) else None
    setattr(instance, field.attname, value or "Borger 010190-1234")
    others = [f.name for f in model._meta.fields if f.name != field.name]
    try:
        instance.clean_fields(exclude=others)
    except ValidationError as exc:
        return exc
    return None


def test_every_text_field_of_every_model_is_guarded() -> None:
    """A new CharField/TextField/JSONField anywhere in helhedsplan is refused a CPR number in
    full_clean without anyone adding a validator; the only exceptions are fields with
    choices and the short, explained list of generated values in lib/cpr.py."""
    unguarded = []
    checked = set()
    for model in _domain_models():
        if model._meta.label in NOT_GUARDED_MODELS:
            continue
        assert is_guarded(model), model
        for field in _text_fields(model):
            if field.choices or f"{model._meta.label}.{field.name}" in NOT_FREE_TEXT:
                continue
            exc = _refusal(model, field)
            checked.add(f"{model._meta.label}.{field.name}")
            errors = exc.error_dict.get(field.name, []) if exc else []
            if not any(e.code == "cpr_number" for e in errors):
                unguarded.append(f"{model._meta.label}.{field.name}")
                continue
            message = " ".join(ValidationError(errors).messages)
            assert "ligner et CPR-nummer" in message
            assert str(field.verbose_name) in message, message  # the field is named
    assert not unguarded, f"text fields without the CPR guard: {unguarded}"
    assert checked >= {  # the holes the issue found, among the rest
        "meetings.Meeting.title",
        "agreements.AgreementVersion.change_note",
        "agreements.PlanAttachment.note",
        "criteria.Observation.source_note",
        "files.StoredFile.original_name",
        "activities.DeliverySettings.column_mapping",
    }
    assert len(checked) > 80


def test_the_exceptions_are_few_and_exist() -> None:
    fields = {
        f"{m._meta.label}.{f.name}" for m in _domain_models() for f in m._meta.concrete_fields
    }
    assert set(NOT_FREE_TEXT) <= fields, "a stale entry in NOT_FREE_TEXT"
    assert len(NOT_FREE_TEXT) <= 5 and len(NOT_GUARDED_MODELS) <= 1
    assert {m._meta.label for m in _domain_models()} >= set(NOT_GUARDED_MODELS)


def test_every_upload_is_a_stored_file() -> None:
    """File names are guarded at the one upload entry (files.services.stored_file_create);
    a FileField elsewhere would be a second way in that the guard does not see."""
    file_fields = {
        f"{m._meta.label}.{f.name}"
        for m in _domain_models()
        for f in m._meta.concrete_fields
        if isinstance(f, models.FileField)
    }
    assert file_fields == {"files.StoredFile.file"}


def test_a_field_refused_by_the_guard_is_refused_once() -> None:
    """Free-text fields carry the CPR validator themselves (lib/fields.py): one message."""
    from helhedsplan.meetings.models import AgendaItem

    exc = _refusal(AgendaItem, AgendaItem._meta.get_field("title"))
    assert exc is not None and len(exc.error_dict["title"]) == 1


def _typed_text_fields(model: type[models.Model]) -> list[Any]:
    """The CharFields and TextFields a person types into: not choices, not the generated
    values in NOT_FREE_TEXT, not the formats the model guard covers (slugs, e-mail
    addresses, URLs) and not the fields Django's AbstractUser declares."""
    from django.contrib.auth.models import AbstractUser

    django_declared = {f.name for f in AbstractUser._meta.fields}
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not isinstance(f, models.SlugField | models.EmailField | models.URLField)
        and not f.choices
        and f"{model._meta.label}.{f.name}" not in NOT_FREE_TEXT
        and not (issubclass(model, AbstractUser) and f.name in django_declared)
    ]


def test_every_typed_text_field_is_free_text() -> None:
    """Every text field a person types into is a FreeCharField or FreeTextField, which carry
    the CPR validator; a plain CharField or TextField for typed text fails here, and no
    field spells the validator out (``validators=[validate_no_cpr]``)."""
    from helhedsplan.lib.cpr import validate_no_cpr
    from helhedsplan.lib.fields import FREE_TEXT_FIELDS

    plain, spelled_out, checked = [], [], set()
    for model in _domain_models():
        if model._meta.label in NOT_GUARDED_MODELS:
            continue
        for field in _typed_text_fields(model):
            label = f"{model._meta.label}.{field.name}"
            checked.add(label)
            if not isinstance(field, FREE_TEXT_FIELDS) or validate_no_cpr not in field.validators:
                plain.append(label)
            if validate_no_cpr in field._validators:
                spelled_out.append(label)
    assert not plain, f"typed text fields that are not free-text fields: {plain}"
    assert not spelled_out, f"free-text fields that spell out the validator: {spelled_out}"
    assert {"meetings.Meeting.title", "criteria.Observation.return_comment"} <= checked
    assert len(checked) > 70


def test_a_free_text_field_names_itself_in_the_refusal() -> None:
    """The field guards itself wherever Django validates it, not only in full_clean."""
    from helhedsplan.meetings.models import Meeting

    with pytest.raises(ValidationError) as caught:
        Meeting._meta.get_field("location").clean("Borger 010190-1234", Meeting())
    assert caught.value.error_list[0].code == "cpr_number"
    assert "»sted« indeholder noget, der ligner et CPR-nummer" in caught.value.messages[0]


def test_the_guard_checks_the_fields_it_says() -> None:
    from helhedsplan.meetings.models import Meeting

    names = {f.name for f in guarded_fields(Meeting)}
    assert {"title", "location", "minutes_text"} <= names
    assert "kind" not in names  # choices


@pytest.mark.django_db
def test_the_demo_plan_has_no_false_positive(demo_plan: Any) -> None:
    """About the seed's content, so it uses the demo: every text the seed and the demo
    data put in the database passes the guard (the agreement's amounts, dates, phone
    numbers, ranges)."""
    hits = []
    for model in _domain_models():
        fields = guarded_fields(model)
        if not fields:
            continue
        for row in model._default_manager.values_list(*(f.attname for f in fields)):
            hits += [value for value in row if any_cpr(value)]
    assert hits == []


# --- every form --------------------------------------------------------------------------


def _all_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(helhedsplan.__path__, "helhedsplan."):
        if ".migrations" in module.name or module.name.endswith(".wsgi"):
            continue
        importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    todo: list[type[forms.BaseForm]] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("helhedsplan.") and sub is not GuardedForm:
                found.append(sub)
    return found


def test_every_form_is_guarded() -> None:
    """Every form in helhedsplan has GuardedForm as a base: its text fields and file names
    are checked, and a service's error lands on the form instead of answering 500."""
    found = _all_forms()
    assert len(found) > 20
    unguarded = sorted(
        f"{c.__module__}.{c.__name__}" for c in found if not issubclass(c, GuardedForm)
    )
    assert not unguarded, f"forms without GuardedForm: {unguarded}"


class _Form(GuardedForm, forms.Form):
    title = forms.CharField(label="Titel")
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label="Note", required=False)
    file = forms.FileField(label="Fil", required=False)
    count = forms.IntegerField(required=False)


def test_a_form_names_the_refused_field() -> None:
    form = _Form(
        {
            "title": "Møde om 01 01 90 12 34",
            "note": "Ring 58 57 36 00",
            "count": "3",
            "token": "a0101901234f",  # written by the server, not typed: not checked
        }
    )
    assert not form.is_valid()
    assert list(form.errors) == ["title"]
    assert "»Titel« indeholder noget, der ligner et CPR-nummer" in form.errors["title"][0]
    assert form.errors.as_data()["title"][0].code == "cpr_number"


def test_a_form_refuses_an_uploaded_file_named_with_a_cpr_number() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
    from django.utils.datastructures import MultiValueDict

    files: MultiValueDict[str, UploadedFile] = MultiValueDict(
        {"file": [SimpleUploadedFile("010190-1234.pdf", b"x")]}
    )
    form = _Form({"title": "Referat"}, files)
    assert not form.is_valid()
    assert "Filnavnet ligner et CPR-nummer" in form.errors["file"][0]


def test_service_errors_for_fields_the_form_lacks_land_on_the_form() -> None:
    """The attachment note answered 500: add_error("file", <dict error>) raised TypeError."""
    form = _Form({"title": "Referat"})
    assert form.is_valid()
    form.add_error(
        "file",
        ValidationError({"note": ["Forkert note."], "stored_file": ["Ingen fil."]}),
    )
    form.add_error(None, ValidationError({"plan": ["Ukendt plan."], "title": ["For lang."]}))
    assert form.errors["note"] == ["Forkert note."]
    assert form.errors["file"] == ["Ingen fil."]
    assert form.errors["title"] == ["For lang."]
    assert form.non_field_errors() == ["Ukendt plan."]
