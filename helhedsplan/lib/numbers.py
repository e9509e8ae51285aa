"""Numbers and dates, written and read in one place: 44.450; 58,3 %; 25.000 t.kr.; 1. marts 2017.

The core is pure Python (no Django import), so the pure engines may use it: every function
takes the language (``"da"``, the default, or ``"en"``). The ``fmt_*`` functions at the end
are the thin Django side: the same, in the active language (``get_language()``). Pages,
charts, template filters, forms, imports and the engines' wording all go through here.

Grouping: Django's thousands grouping is switched off globally (so years never read
"2.017"); a number is grouped here, where it is a figure.

Reading typed numbers (``parse_decimal``) has ONE rule, the Danish one, in every language,
form and import: the comma is the decimal sign and a point only groups thousands. So
``30,65`` is thirty point six five, ``44.450`` and ``1.234,5`` have thousands points, and
``30.65`` is refused (code ``decimal_point``): in Danish it cannot be a thousands grouping,
and reading it as a decimal point would make ``1.500`` and ``1.50`` mean different things
by the digits that follow. The refusal says to write ``30,65``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = [
    "YEAR_PARAM",
    "Lang",
    "Number",
    "NumberError",
    "fmt_amount",
    "fmt_date",
    "fmt_datetime",
    "fmt_number",
    "fmt_percent",
    "format_amount",
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "format_period",
    "language",
    "parse_decimal",
    "parse_year",
    "share",
    "to_decimal",
    "year_param",
]

Number = int | float | Decimal
Lang = Literal["da", "en"]

# (decimal sign, thousands separator)
_SEPARATORS: dict[str, tuple[str, str]] = {"da": (",", "."), "en": (".", ",")}
MISSING = "–"


def to_decimal(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def format_number(
    value: Number,
    decimals: int | None = None,
    *,
    lang: Lang = "da",
    max_decimals: int | None = None,
    trim: bool = False,
) -> str:
    """A figure with thousands grouping: da ``1.234.567,89``, en ``1,234,567.89``.

    ``decimals`` fixes the number of decimals (rounded half up, zeros kept: 58,0). Without
    it the number keeps the decimals it has (30,65 stays 30,65; 25000.00 is 25.000);
    ``max_decimals`` rounds half up to at most that many, and it or ``trim`` drops trailing
    zeros (72,40 -> 72,4). A negative zero is written 0.
    """
    number = to_decimal(value)
    if not number.is_finite():
        raise ValueError(f"cannot format {number}")
    places = decimals if decimals is not None else max_decimals
    if places is not None:
        with localcontext() as ctx:
            ctx.prec = max(28, number.adjusted() + places + 2)
            number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    whole, _, fraction = format(abs(number), "f").partition(".")
    if decimals is None and (trim or max_decimals is not None or not fraction.strip("0")):
        fraction = fraction.rstrip("0")
    point, thousands = _SEPARATORS[lang]
    sign = "-" if number < 0 and (whole.strip("0") or fraction.strip("0")) else ""
    grouped = f"{int(whole):,}".replace(",", thousands)
    return sign + grouped + (point + fraction if fraction else "")


def format_percent(value: Number, decimals: int = 1, *, lang: Lang = "da") -> str:
    """da ``58,3 %`` (a no-break space before the sign, as Danish typesetting has it);
    en ``58.3%``."""
    space = "\u00a0" if lang == "da" else ""
    return f"{format_number(value, decimals, lang=lang)}{space}%"


def format_amount(value: Number, *, lang: Lang = "da") -> str:
    """Whole thousands of kroner, as the agreement writes them: ``25.000 t.kr.``;
    en ``DKK 25,000k``."""
    shown = format_number(value, 0, lang=lang)
    return f"{shown}\u00a0t.kr." if lang == "da" else f"DKK\u00a0{shown}k"


_MONTHS: dict[str, tuple[str, ...]] = {
    "da": ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
           "september", "oktober", "november", "december"),
    # The English months as Django's "N" writes them (its English DATE_FORMAT "N j, Y").
    "en": ("Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.",
           "Nov.", "Dec."),
}  # fmt: skip


def format_date(day: date, *, lang: Lang = "da", short: bool = False) -> str:
    """da ``1. januar 2019`` (short ``01.01.2019``); en ``Jan. 1, 2019`` (short
    ``01/01/2019``): Django's DATE_FORMAT and SHORT_DATE_FORMAT for each language, so a
    date written here reads as one a template writes."""
    if lang == "da":
        if short:
            return f"{day.day:02d}.{day.month:02d}.{day.year}"
        return f"{day.day}. {_MONTHS['da'][day.month - 1]} {day.year}"
    if short:
        return f"{day.month:02d}/{day.day:02d}/{day.year}"
    return f"{_MONTHS['en'][day.month - 1]} {day.day}, {day.year}"


def format_datetime(moment: datetime, *, lang: Lang = "da") -> str:
    """A moment as the pages show it: the long date and the time, ``1. januar 2019 14:05``
    (en ``Jan. 1, 2019 14:05``). ``moment`` is already in the reader's time zone."""
    return f"{format_date(moment.date(), lang=lang)} {moment:%H:%M}"


def format_period(first: date, last: date, *, lang: Lang = "da", short: bool = False) -> str:
    """Two dates joined by an en dash: ``1. januar 2019 – 31. december 2022``."""
    start, end = (format_date(d, lang=lang, short=short) for d in (first, last))
    return f"{start} – {end}"


def share(part: Number, whole: Number) -> Decimal | None:
    """part / whole in percent, or None when the whole is zero."""
    whole_d = to_decimal(whole)
    if whole_d == 0:
        return None
    return to_decimal(part) * 100 / whole_d


# --- reading -------------------------------------------------------------------------------


class NumberError(ValueError):
    """Typed text that is not a number by the rule above. ``code`` is ``not_a_number`` or
    ``decimal_point`` (``30.65``: write ``30,65``); the Django side words it."""

    def __init__(self, text: str, code: str) -> None:
        super().__init__(f"{code}: {text!r}")
        self.text = text
        self.code = code


_NUMBER = re.compile(r"-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?")
_DECIMAL_POINT = re.compile(r"-?\d+\.\d+")


def parse_decimal(text: str) -> Decimal:
    """Read a number as a Danish user or a Danish spreadsheet writes it (the module's rule).

    ``44.450`` is forty-four thousand, ``30,65`` has a decimal comma, ``1.234,5`` both;
    spaces between digit groups (``19 450``) are ignored. ``30.65`` raises ``NumberError``
    with code ``decimal_point``; anything else that is not a number, code ``not_a_number``.
    Inverse of ``format_number(..., lang="da")``.
    """
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if _NUMBER.fullmatch(raw):
        try:
            return Decimal(raw.replace(".", "").replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            raise NumberError(text, "not_a_number") from None
    if _DECIMAL_POINT.fullmatch(raw):
        raise NumberError(text, "decimal_point")
    raise NumberError(text, "not_a_number")


def parse_year(text: str | None, default: int, allowed: list[int] | None = None) -> int:
    """A year from a query string: four digits (within ``allowed`` if given), else
    ``default``. Never raises: a bad year in an address shows the default year."""
    raw = (text or "").strip()
    if len(raw) != 4 or not raw.isdigit():
        return default
    year = int(raw)
    if allowed is not None and year not in allowed:
        return default
    return year


# --- the Django side: the same in the active language -----------------------------------


YEAR_PARAM = "aar"  # the one query-string name for a year on every page: ?aar=2018


def language() -> Lang:
    """The active language as the core takes it (Danish unless English is active)."""
    from django.utils.translation import get_language

    return "en" if (get_language() or "da").startswith("en") else "da"


def fmt_number(value: Number | None, decimals: int | None = None, *, trim: bool = False) -> str:
    """``format_number`` in the active language; None is a dash."""
    if value is None:
        return MISSING
    return format_number(value, decimals, lang=language(), trim=trim)


def fmt_percent(value: Number | None, decimals: int = 1) -> str:
    return MISSING if value is None else format_percent(value, decimals, lang=language())


def fmt_amount(value: Number | None) -> str:
    return MISSING if value is None else format_amount(value, lang=language())


def fmt_date(day: date | None, *, short: bool = False) -> str:
    """A date in the active language; a datetime is first taken in local time."""
    if day is None:
        return MISSING
    if isinstance(day, datetime):
        from django.utils.timezone import localtime

        day = localtime(day).date() if day.tzinfo else day.date()
    return format_date(day, lang=language(), short=short)


def fmt_datetime(moment: datetime | None) -> str:
    """``format_datetime`` in the active language and local time; None is a dash."""
    if moment is None:
        return MISSING
    from django.utils.timezone import localtime

    return format_datetime(localtime(moment) if moment.tzinfo else moment, lang=language())


def year_param(request: HttpRequest, default: int, allowed: list[int] | None = None) -> int:
    """The page's year from ``?aar=`` (see ``parse_year``)."""
    return parse_year(request.GET.get(YEAR_PARAM), default, allowed)
