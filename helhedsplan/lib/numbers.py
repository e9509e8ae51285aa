"""Numbers as Danish readers expect them: 44.450; 58,3 %; 1. marts 2017.

Django's own localisation gives the decimal comma; thousands grouping is switched off
globally (so years never read "2.017") and applied here, where a number is an amount.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

Number = int | float | Decimal


def to_decimal(value: Number) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def fmt_number(value: Number | None, decimals: int | None = None) -> str:
    """Group thousands and use the active language's separators.

    With ``decimals=None`` the number keeps the decimals it has (30,65 stays 30,65;
    25000 stays 25.000).
    """
    if value is None:
        return "–"
    dec = to_decimal(value)
    if decimals is not None:
        dec = dec.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    elif dec == dec.to_integral_value():
        dec = dec.quantize(Decimal(1))
    return number_format(dec, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def fmt_percent(value: Number | None, decimals: int = 1) -> str:
    """58,3 % — a non-breaking space before the sign, as Danish typesetting has it."""
    if value is None:
        return "–"
    return f"{fmt_number(value, decimals)}\u00a0%"


def share(part: Number, whole: Number) -> Decimal | None:
    """part / whole in percent, or None when the whole is zero."""
    whole_d = to_decimal(whole)
    if whole_d == 0:
        return None
    return to_decimal(part) * 100 / whole_d


_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
_COMMA = re.compile(r"^-?\d+(,\d+)?$")
_POINT = re.compile(r"^-?\d+(\.\d+)?$")


def parse_decimal(text: str) -> Decimal:
    """Read a number as a Danish user or a Danish spreadsheet writes it.

    "44.450" is forty-four thousand (thousands dots, as Danish writes them); "30,65" has a
    decimal comma; "1.234,5" has both. A plain "30.65" (no grouping possible) is read with
    a decimal point, as machines write. Anything else raises ValueError.
    """
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if _GROUPED.match(raw):
        return Decimal(raw.replace(".", "").replace(",", "."))
    if _COMMA.match(raw):
        return Decimal(raw.replace(",", "."))
    if _POINT.match(raw):
        return Decimal(raw)
    raise ValueError(f"not a number: {text!r}")
