"""Refuse free text that contains a Danish CPR number.

The product stores counts, never people. A CPR number is ddmmyy-ssss (the dash may be
missing or a space). We refuse anything with a valid calendar date in the first six
digits followed by four digits; the modulus-11 check is not used because CPR numbers
issued since 2007 need not satisfy it.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_CPR = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})[-\s]?(\d{4})(?!\d)")


def contains_cpr(text: str) -> bool:
    for match in _CPR.finditer(text or ""):
        day, month, year = (int(match.group(i)) for i in (1, 2, 3))
        try:
            date(2000 + year, month, day)
        except ValueError:
            continue
        return True
    return False


def validate_no_cpr(text: str) -> None:
    """Validator for every free-text field a user can write into."""
    if contains_cpr(text):
        raise ValidationError(
            _(
                "Teksten ser ud til at indeholde et CPR-nummer. Personnumre må aldrig "
                "registreres; fjern nummeret og prøv igen."
            ),
            code="cpr_number",
        )
