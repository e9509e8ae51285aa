"""Form fields that read numbers the Danish way (see lib.numbers.parse_decimal), and
showing a service's refusal on a form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.concurrency import StaleEdit, show_stale
from helhedsplan.lib.numbers import fmt_number, parse_decimal


class DanishDecimalField(forms.DecimalField):
    default_error_messages = {"invalid": _("Skriv et tal, fx 44.450 eller 30,65.")}

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int | float):
            return Decimal(str(value))
        try:
            return parse_decimal(str(value))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int | float):
            return fmt_number(value)
        return value


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's refusal on the form: field errors by field, the rest on top.

    A stale edit also carries the newer version into the form (see lib.concurrency)."""
    if isinstance(exc, StaleEdit):
        show_stale(form, exc)
    elif hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
