"""Form helpers: fields that read numbers the Danish way (see lib.numbers.parse_decimal),
``GuardedForm``, the base of every form (the CPR guard, service errors on the form), and
showing a service's refusal on a form (``add_service_errors``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.concurrency import StaleEdit, show_stale
from helhedsplan.lib.cpr import any_cpr, contains_cpr, cpr_error, file_name_error
from helhedsplan.lib.numbers import NumberError, format_number, parse_decimal


class DanishDecimalField(forms.DecimalField):
    """Reads typed numbers by the one rule of ``lib.numbers.parse_decimal`` and shows a
    stored one in the active language.

    A text input with a decimal keyboard, not ``type=number``: a browser's number input
    takes neither a decimal comma ("30,65", which it empties) nor a thousands point, so
    the Danish way of writing a number could not be typed or shown there."""

    widget = forms.TextInput

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.setdefault("inputmode", "decimal")
        return attrs

    default_error_messages = {
        "invalid": _("Skriv et tal, fx 44.450 eller 30,65."),
        "decimal_point": _(
            "Skriv decimaler med komma: 30,65, ikke 30.65 (punktum skiller tusinder, fx 44.450)."
        ),
    }

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int | float):
            return Decimal(str(value))
        try:
            return parse_decimal(str(value))
        except NumberError as exc:
            code = "decimal_point" if exc.code == "decimal_point" else "invalid"
            raise ValidationError(self.error_messages[code], code=code) from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int | float):
            # Danish in every language: the field reads back by the one (Danish) rule.
            return format_number(value)
        return value


class GuardedForm(forms.BaseForm):
    """Every form's base (with ``forms.Form`` or ``forms.ModelForm``): the CPR guard and
    service errors that always land on the form.

    After the form's own cleaning, every visible text field's value and every uploaded file's
    name is checked by ``lib.cpr`` (fields added in ``__init__`` included); a refusal is a field
    error naming the field. A ModelForm's model fields are also refused by the model guard
    in ``full_clean``; a field refused once is not refused twice.
    """

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        for name, field in self.fields.items():
            # Hidden fields carry what the server wrote (a version, a token), not typed text;
            # a hash there can hold ten digits that read as a date.
            if name in self.errors or name not in self.cleaned_data or field.widget.is_hidden:
                continue
            value = self.cleaned_data[name]
            if isinstance(field, forms.FileField):
                if contains_cpr(getattr(value, "name", "")):
                    self.add_error(name, file_name_error())
            elif isinstance(field, forms.CharField | forms.JSONField) and any_cpr(value):
                self.add_error(name, cpr_error(field.label or name))

    def add_error(self, field: str | None, error: Any) -> None:
        """Like Django's, but a service's ValidationError never escapes as a 500: errors for
        fields the form has land on them, the rest (or all, given a field) on ``field`` or
        on the form as a whole."""
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            for key, errors in error.error_dict.items():
                target = key if key in self.fields else field
                super().add_error(target if target in self.fields else None, errors)
            return
        super().add_error(field, error)


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
