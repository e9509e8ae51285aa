"""The staff's forms for the national figures of the lists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.forms import DanishDecimalField, GuardedForm


class ThresholdForm(GuardedForm, forms.Form):
    list_year = forms.TypedChoiceField(label=_("Listeår"), coerce=int)
    key = forms.ChoiceField(label=_("Nøgletal"))
    value = DanishDecimalField(
        label=_("Værdi"),
        max_digits=12,
        decimal_places=4,
        help_text=_("En andel skrives i procent, fx 0,66 for 0,66 %."),
    )
    source = forms.CharField(
        label=_("Kilde"),
        max_length=300,
        help_text=_("Hvor tallet er offentliggjort, fx ministeriets liste med dato."),
    )

    def __init__(
        self, *args: Any, years: list[int], keys: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["list_year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        self.fields["key"].choices = keys  # type: ignore[attr-defined]


class ThresholdImportForm(GuardedForm, forms.Form):
    file = forms.FileField(
        label=_("Fil med landstal (XLSX eller CSV)"),
        help_text=_(
            "Kolonner: listeår, nøgletal, værdi, kilde (CSV med semikolon). Decimalkomma er i "
            "orden. Alt eller intet: fejler én række, indlæses intet."
        ),
    )
