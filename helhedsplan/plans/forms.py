from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.forms import GuardedForm
from helhedsplan.plans.models import FocusArea, Plan


class PlanForm(GuardedForm, forms.ModelForm[Plan]):
    class Meta:
        model = Plan
        fields = ["name", "status", "start_date", "end_date", "period_note"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "period_note": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and start >= end:
            self.add_error("end_date", _("Slutdatoen skal ligge efter startdatoen."))
        return data


class FocusAreaForm(GuardedForm, forms.ModelForm[FocusArea]):
    reason = forms.CharField(
        label=_("Begrundelse for ændringen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Kræves, når aftalen er godkendt: ændringen indgår så i kladden til en ny version "
            "af aftalen og gælder først, når Landsbyggefonden har godkendt den."
        ),
    )

    class Meta:
        model = FocusArea
        fields = ["name", "purpose", "sub_goals", "target_groups"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 8}),
            "sub_goals": forms.Textarea(attrs={"rows": 6}),
            "target_groups": forms.Textarea(attrs={"rows": 4}),
        }
