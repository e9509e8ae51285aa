"""The one CPR guard: refuse free text and file names that hold a Danish CPR number.

The product stores counts, never people. A CPR number is ddmmyy-ssss. People write it in
many ways, and every one of them is refused::

    010190-1234   0101901234   010190 1234   010190–1234 (any dash)   010190 - 1234
    01.01.90-1234   01-01-90-1234   01/01/90 1234   01 01 90 12 34

False positives are kept rare: the first six digits must be a real calendar date (the
modulus-11 check is not used, as numbers issued since 2007 need not satisfy it); a digit run
longer than ten is no CPR number; a date with a four-digit year (01.01.2019) never is; an
eight-digit phone or CVR number, an amount with thousands separators (44.450.000), a year
range (2019-2022) or a time (12.30) has the wrong shape.

Where the guard runs, so that no field can forget it:

* every text field a person types into is a ``FreeCharField`` or ``FreeTextField``
  (``helhedsplan.lib.fields``), whose default validators hold ``validate_no_cpr``;
* every domain model's ``full_clean``: ``install_model_guard`` (called from
  ``helhedsplan.lib.apps``) wraps ``clean_fields`` of every model in a ``helhedsplan`` app
  and checks every CharField, TextField (and their subclasses) and the strings in a
  JSONField, except the few generated values in ``NOT_FREE_TEXT``: this also covers what is
  not free text but can hold a typed number (slugs, e-mail addresses, URLs, JSON, the fields
  of Django's ``AbstractUser``), and names the field in its refusal;
* every form: ``helhedsplan.lib.forms.GuardedForm`` checks every text field and every
  uploaded file's name;
* the upload entry (``files.services.stored_file_create``), the imports (row by row) and
  the audit trail's reasons (``audit.context.audit_reason``, ``audit.services.audit_event``).

tests/lib/test_cpr_guard.py enumerates the models and forms, so a new field or form without
the guard, or a typed text field that is not a free-text field, fails.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

CODE = "cpr_number"

_SPACE = "[ \t\u00a0\u2009\u202f]"
# Hyphen-minus, soft hyphen, hyphen, non-breaking hyphen, figure dash, en dash, em dash, minus.
_DASH = "[-\u00ad\u2010\u2011\u2012\u2013\u2014\u2212]"
_DATE_SEP = rf"(?:{_DASH}|[./]|{_SPACE})"
_SERIAL_SEP = rf"(?:{_SPACE}*(?:{_DASH}|[./]){_SPACE}*|{_SPACE}{{1,3}})"
_CPR = re.compile(
    rf"""
    (?<!\d)
    (?P<day>\d{{2}})
    (?:
        (?P<month>\d{{2}})(?P<year>\d{{2}})                       # ddmmyy
      | (?P<sep>{_DATE_SEP})(?P<month2>\d{{2}})(?P=sep)(?P<year2>\d{{2}})(?!\d)   # dd.mm.yy
    )
    {_SERIAL_SEP}?
    (?:
        \d{{4}}(?!\d)                                              # ssss
      | (?P<pair>\d{{2}}){_SPACE}\d{{2}}(?!\d)(?!{_SPACE}\d)          # ss ss
    )
    """,
    re.VERBOSE,
)
_SPACE_RE = re.compile(_SPACE)


def _is_date(day: str, month: str, year: str) -> bool:
    try:
        # 2000 + yy is a leap year exactly when 1900 + yy is, except 00 (29/02/1900 is no
        # date, 29/02/2000 is), so this accepts every date a CPR number can begin with.
        date(2000 + int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def _is_pair_run(text: str, match: re.Match[str]) -> bool:
    """ "01 01 90 12 34" inside a longer run of two-digit numbers is a list, not a CPR number."""
    start = match.start()
    return bool(
        match.group("pair")
        and match.group("sep")
        and _SPACE_RE.fullmatch(match.group("sep"))
        and start >= 2
        and text[start - 2].isdigit()
        and _SPACE_RE.fullmatch(text[start - 1])
    )


def contains_cpr(text: str | None) -> bool:
    """Whether ``text`` holds something written like a CPR number (see the module doc)."""
    if not text:
        return False
    for match in _CPR.finditer(text):
        month = match.group("month") or match.group("month2")
        year = match.group("year") or match.group("year2")
        if _is_date(match.group("day"), month, year) and not _is_pair_run(text, match):
            return True
    return False


def strings_in(value: Any) -> Iterator[str]:
    """Every string in ``value``: itself, or the keys and values of a JSON structure."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)


def any_cpr(value: Any) -> bool:
    return any(contains_cpr(text) for text in strings_in(value))


def cpr_error(where: Any = None) -> ValidationError:
    """The refusal, naming the field (or file name, column) when ``where`` is given."""
    if where:
        message = _(
            "»%(field)s« indeholder noget, der ligner et CPR-nummer. CPR-numre må aldrig "
            "registreres; fjern nummeret, og prøv igen. Intet er gemt."
        )
        return ValidationError(message, code=CODE, params={"field": str(where)})
    return ValidationError(
        _(
            "Teksten ligner et CPR-nummer. CPR-numre må aldrig registreres; fjern nummeret, "
            "og prøv igen. Intet er gemt."
        ),
        code=CODE,
    )


def file_name_error() -> ValidationError:
    return ValidationError(
        _(
            "Filnavnet ligner et CPR-nummer. CPR-numre må aldrig registreres; omdøb filen, "
            "og prøv igen. Intet er gemt."
        ),
        code=CODE,
    )


def check_file_name(name: str | None) -> None:
    """Refuse an uploaded file's name that holds a CPR number (the name is shown and audited)."""
    if contains_cpr(name):
        raise file_name_error()


def cpr_message(where: Any = None) -> str:
    """The refusal as text, for the imports' row and column reports."""
    return " ".join(cpr_error(where).messages)


def check_no_cpr(value: Any, where: Any = None) -> None:
    """Raise the refusal if ``value`` (text, or a JSON structure) holds a CPR number."""
    if any_cpr(value):
        raise cpr_error(where)


def validate_no_cpr(text: str) -> None:
    """The free-text fields' default validator (``lib.fields``; the early migrations name it
    too). The model guard below does the same for every text field in ``full_clean``."""
    check_no_cpr(text)


# --- every model -----------------------------------------------------------------------

# Values that are generated, never typed: checking them would only refuse at random (a
# SHA-256 or a random file name can hold ten digits that read as a date). Fields with
# choices are not free text either and are skipped wherever they are.
NOT_FREE_TEXT: dict[str, str] = {
    "accounts.User.password": "a password hash",
    "files.StoredFile.file": "the random storage name; the uploader's name is original_name",
    "files.StoredFile.sha256": "a hash of the content",
    "meetings.Decision.concerns_object_id": "the primary key of what the decision concerns",
    "accounts.ApiToken.prefix": "the generated secret's first characters, to tell tokens apart",
}
# Models written only by the system, never through full_clean. The audit trail's free text
# (the reason) is checked where it enters: audit.context.audit_reason and audit_event.
NOT_GUARDED_MODELS: dict[str, str] = {
    "audit.AuditEntry": "the trail; its reason is checked by audit_reason and audit_event",
}

_TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def guarded_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The fields of ``model`` the guard checks in ``clean_fields``."""
    if model._meta.label in NOT_GUARDED_MODELS:
        return []
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, _TEXT_FIELDS)
        and not field.choices
        and f"{model._meta.label}.{field.name}" not in NOT_FREE_TEXT
    ]


def _guard(clean_fields: Callable[..., None]) -> Callable[..., None]:
    @wraps(clean_fields)
    def guarded(self: models.Model, exclude: Any = None) -> None:
        skip = set(exclude or ())
        errors: dict[str, list[ValidationError]] = {}
        for field in guarded_fields(type(self)):
            if field.name not in skip and any_cpr(getattr(self, field.attname)):
                errors[field.name] = [cpr_error(field.verbose_name)]
        try:
            # A field refused here is not checked again by its own validators: one message.
            clean_fields(self, exclude=skip | set(errors))
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)  # type: ignore[assignment]
        if errors:
            raise ValidationError(errors)

    guarded.cpr_guarded = True  # type: ignore[attr-defined]
    return guarded


def is_guarded(model: type[models.Model]) -> bool:
    return getattr(model.clean_fields, "cpr_guarded", False)


def install_model_guard(model_classes: Any) -> None:
    """Wrap ``clean_fields`` of each concrete model once (a subclass inherits the wrapper)."""
    for model in model_classes:
        if model._meta.abstract or is_guarded(model):
            continue
        model.clean_fields = _guard(model.clean_fields)
