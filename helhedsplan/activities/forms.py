from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from helhedsplan.activities.models import (
    AGE_BANDS,
    COUNT_FIELDS,
    DEFAULT_COLUMN_MAPPING,
    SEXES,
    Activity,
    DeliverySettings,
    Evaluation,
    Partner,
    Registration,
)
from helhedsplan.lib.forms import DanishDecimalField, GuardedForm
from helhedsplan.plans.models import HousingArea

COLUMN_LABELS = {
    "activity": _("Aktivitet"),
    "area": _("Boligområde"),
    "year": _("År"),
    "quarter": _("Kvartal"),
    "quantity": _("Planlagt antal"),
    "unit": _("Enhed (valgfri)"),
}


class ActivityChoiceField(forms.ModelChoiceField[Activity]):
    def label_from_instance(self, obj: Activity) -> str:
        return f"{obj.focus_area.code} · {obj.name}"


class RegistrationForm(GuardedForm, forms.Form):
    """One short form: what, where, when, how many. Negative numbers are left to the
    service, which names the field in Danish."""

    activity = ActivityChoiceField(queryset=Activity.objects.none(), label=_("Aktivitet"))
    area = forms.ModelChoiceField(queryset=HousingArea.objects.none(), label=_("Boligområde"))
    date = forms.DateField(
        label=_("Dato"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    volunteers = forms.IntegerField(label=_("Frivillige"), initial=0)
    quantity = forms.IntegerField(
        label=_("Antal i aktivitetens enhed"),
        required=False,
        help_text=_("Kun når aktiviteten planlægges i en anden enhed, fx samtaler."),
    )
    partners = forms.ModelMultipleChoiceField(
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Partnere med"),
    )
    note = forms.CharField(
        label=_("Kort note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ingen navne eller CPR-numre – kun hvad der skete."),
    )
    reason = forms.CharField(
        label=_("Begrundelse (kun i et lukket kvartal)"),
        required=False,
        max_length=500,
    )

    def __init__(
        self,
        *args: Any,
        activities: QuerySet[Activity],
        areas: QuerySet[HousingArea],
        partners: QuerySet[Partner],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities  # type: ignore[attr-defined]
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["partners"].queryset = partners  # type: ignore[attr-defined]
        for name in COUNT_FIELDS:
            self.fields[name] = forms.IntegerField(
                label=getattr(Registration._meta.get_field(name), "verbose_name", name),
                initial=0,
                required=False,
                widget=forms.NumberInput(attrs={"class": "count", "inputmode": "numeric"}),
            )

    def counts(self) -> dict[str, int]:
        return {name: self.cleaned_data.get(name) or 0 for name in COUNT_FIELDS}

    def count_grid(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (label, [self[f"n_{band}_{sex}"] for sex, _s in SEXES]) for band, label in AGE_BANDS
        ]

    @property
    def sex_labels(self) -> list[Any]:
        return [label for _c, label in SEXES]

    @staticmethod
    def initial_from(
        registration: Registration | None, today: dt.date, start: dt.date, end: dt.date
    ) -> dict[str, Any]:
        """Prefill from the user's last registration: activity, area, partners. The date is
        today, or (outside the plan period) the last registration's date."""
        day = today if start <= today <= end else (registration.date if registration else None)
        if registration is None:
            return {"date": day}
        return {
            "activity": registration.activity_id,
            "area": registration.area_id,
            "partners": [p.pk for p in registration.partners.all()],
            "date": day,
        }

    @staticmethod
    def initial_for_edit(registration: Registration) -> dict[str, Any]:
        return {
            "activity": registration.activity_id,
            "area": registration.area_id,
            "date": registration.date,
            "volunteers": registration.volunteers,
            "quantity": registration.quantity,
            "partners": [p.pk for p in registration.partners.all()],
            "note": registration.note,
            **registration.counts(),
        }


class EvaluationForm(GuardedForm, forms.ModelForm[Evaluation]):
    evidence_link = forms.URLField(
        label=_("Dokumentation (link)"),
        required=False,
        assume_scheme="https",
        help_text=_("Fx et link til et referat eller en rapport."),
    )
    evidence_upload = forms.FileField(
        label=_("Dokumentation (fil)"),
        required=False,
        help_text=_("PDF, Word, Excel eller billede."),
    )

    class Meta:
        model = Evaluation
        fields = [
            "period_start",
            "period_end",
            "rating",
            "narrative",
            "evidence_link",
            "evidence_upload",
            "evaluated_on",
        ]
        widgets = {
            "period_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "evaluated_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "rating": forms.RadioSelect,
            "narrative": forms.Textarea(attrs={"rows": 5}),
        }


class ActivityPlanImportForm(GuardedForm, forms.Form):
    file = forms.FileField(
        label=_("Aktivitetsskema (XLSX)"),
        help_text=_("Første ark; første række er overskrifterne, som de er sat op for planen."),
    )


class DeliverySettingsForm(GuardedForm, forms.Form):
    under_threshold = DanishDecimalField(
        label=_("Underlevering under (%)"), min_value=Decimal(0), max_digits=5, decimal_places=1
    )
    over_threshold = DanishDecimalField(
        label=_("Overlevering over (%)"), min_value=Decimal(0), max_digits=5, decimal_places=1
    )

    def __init__(self, *args: Any, settings: DeliverySettings, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "under_threshold": settings.under_threshold,
                "over_threshold": settings.over_threshold,
                **{f"col_{c}": settings.header(c) for c in DEFAULT_COLUMN_MAPPING},
            },
        )
        super().__init__(*args, **kwargs)
        for column in DEFAULT_COLUMN_MAPPING:
            self.fields[f"col_{column}"] = forms.CharField(
                label=_("Overskrift for kolonnen: %(column)s") % {"column": COLUMN_LABELS[column]},
                max_length=100,
                help_text=_("Standard: %(header)s") % {"header": DEFAULT_COLUMN_MAPPING[column]},
            )

    def mapping(self) -> dict[str, str]:
        return {c: self.cleaned_data[f"col_{c}"] for c in DEFAULT_COLUMN_MAPPING}
