"""The forms of the measurements pages: an indicator of the catalogue (staff), the plan's
column headers, and the import's upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helhedsplan.frameworks import catalogue as frameworks
from helhedsplan.lib.forms import GuardedForm
from helhedsplan.measurements import catalogue
from helhedsplan.measurements.models import Indicator, MeasurementSettings
from helhedsplan.measurements.services import INDICATOR_FIELDS, columns_for


class IndicatorForm(GuardedForm, forms.Form):
    """An indicator of one framework's catalogue. A list criterion's code is fixed."""

    framework = forms.ChoiceField(label=_("Bevillingsramme"), choices=())
    code = forms.SlugField(
        label=_("Kode"),
        max_length=60,
        help_text=_("Små bogstaver, tal, _ og -; den kode, LBF's fil bruger i kolonnen indikator."),
    )
    name = forms.CharField(label=_("Navn"), max_length=300)
    unit = forms.ChoiceField(label=_("Enhed"), choices=Indicator.Unit.choices)
    is_rate = forms.BooleanField(
        label=_("Andel med tæller og nævner"), required=False,
        help_text=_("Værdien er tæller i procent af nævner (fx dømte af beboere over 18 år)."),
    )  # fmt: skip
    numerator_label = forms.CharField(label=_("Tæller"), max_length=200, required=False)
    denominator_label = forms.CharField(label=_("Nævner"), max_length=200, required=False)
    direction = forms.ChoiceField(label=_("Retning"), choices=Indicator.Direction.choices)
    source = forms.CharField(label=_("Kilde"), max_length=200, initial=catalogue.SOURCE)
    description = forms.CharField(label=_("Beskrivelse"), widget=forms.Textarea, required=False)
    order = forms.IntegerField(label=_("Rækkefølge"), min_value=0, max_value=32767, initial=0)

    def __init__(self, *args: Any, indicator: Indicator | None = None, **kwargs: Any) -> None:
        if indicator is not None:
            kwargs.setdefault(
                "initial",
                {
                    name: getattr(indicator, name)
                    for name in ("framework", "code", *INDICATOR_FIELDS)
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = frameworks.choices()  # type: ignore[attr-defined]
        if indicator is not None:
            # The catalogue a row belongs to does not change; a list criterion's code neither.
            self.fields["framework"].disabled = True
            if indicator.list_criterion:
                for name in ("code", "unit", "is_rate"):
                    self.fields[name].disabled = True
                self.fields["code"].help_text = _(
                    "Et listekriterium: koden læses af listeberegningen og kan ikke ændres."
                )

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in INDICATOR_FIELDS}


COLUMN_LABELS = {
    "area": _("område (planens korte navn for boligområdet)"),
    "year": _("år"),
    "indicator": _("indikator (katalogets kode)"),
    "value": _("værdi"),
    "numerator": _("tæller"),
    "denominator": _("nævner"),
    "source": _("kilde"),
}


class MeasurementColumnsForm(GuardedForm, forms.Form):
    """The header texts of LBF's file, one per logical column."""

    def __init__(self, *args: Any, settings: MeasurementSettings, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {f"col_{k}": v for k, v in columns_for(settings).items()})
        super().__init__(*args, **kwargs)
        for column, default in catalogue.DEFAULT_COLUMNS.items():
            self.fields[f"col_{column}"] = forms.CharField(
                label=_("Overskrift for kolonnen: %(column)s") % {"column": COLUMN_LABELS[column]},
                max_length=100,
                help_text=_("Standard: %(header)s") % {"header": default},
            )

    def mapping(self) -> dict[str, str]:
        return {c: self.cleaned_data[f"col_{c}"] for c in catalogue.DEFAULT_COLUMNS}


class MeasurementImportForm(GuardedForm, forms.Form):
    file = forms.FileField(
        label=_("Fil med centrale målinger (XLSX eller CSV)"),
        required=False,
        help_text=_("Første række er overskrifterne, som de er sat op for planen."),
    )
    # The file of a preview, carried to the confirmation (checked again in full on saving).
    content = forms.CharField(widget=forms.HiddenInput, required=False)
    file_name = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)
