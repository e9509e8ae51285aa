"""What tests read off a refusal: the codes of a ValidationError, never its wording."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def codes(exc: ValidationError) -> set[str]:
    """Every code in the error, whether it names fields (``error_dict``) or not."""
    if hasattr(exc, "error_dict"):
        return {e.code or "" for errors in exc.error_dict.values() for e in errors}
    return {e.code or "" for e in exc.error_list}
