"""Free text: the field types for whatever a person types into a model, with the CPR guard.

Every CharField or TextField a user fills in (a name, a title, a note, a narrative) is a
``FreeCharField`` or ``FreeTextField``: the CPR validator is one of its default validators, so
the guard travels with the field wherever Django validates it (``full_clean``, a model form,
``field.clean``), and the refusal names the field. tests/lib/test_cpr_guard.py fails for a
typed text field of a helhedsplan model that is neither.

The model-wide guard (``lib.cpr.install_model_guard``) stays for what is not free text but can
still hold a typed number: slugs, e-mail addresses, URLs, the strings inside JSON fields and
the fields Django's own ``AbstractUser`` declares.

The columns are ordinary text columns and validators are not part of a migration's state, so
``deconstruct`` names Django's class: no migration imports this module.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import Combinable

from helhedsplan.lib.cpr import CODE, cpr_error, validate_no_cpr

if TYPE_CHECKING:  # django-stubs reads the attribute's type from the generic parameters
    _CharField = models.CharField[str | int | Combinable, str]
    _TextField = models.TextField[str | Combinable, str]
else:
    _CharField, _TextField = models.CharField, models.TextField


class _FreeText:
    """The CPR validator by default, and a refusal that names the field."""

    default_validators: ClassVar[Sequence[Callable[[Any], None]]] = [validate_no_cpr]
    django_path = ""
    verbose_name: Any

    def run_validators(self, value: Any) -> None:
        try:
            super().run_validators(value)  # type: ignore[misc]
        except ValidationError as exc:
            raise ValidationError(
                [cpr_error(self.verbose_name) if e.code == CODE else e for e in exc.error_list]
            ) from exc

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        return name, self.django_path, args, kwargs


class FreeCharField(_FreeText, _CharField):
    """A short text a person types (name, title, note): refused when it holds a CPR number."""

    django_path = "django.db.models.CharField"


class FreeTextField(_FreeText, _TextField):
    """A longer text a person types (description, minutes, narrative): refused when it holds
    a CPR number."""

    django_path = "django.db.models.TextField"


FREE_TEXT_FIELDS = (FreeCharField, FreeTextField)
