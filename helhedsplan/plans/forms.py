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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A plan is closed only by "Afslut planen" (plans.services.plan_close), which stamps
        # and freezes it; the ordinary edit form does not offer it.
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [c for c in Plan.Status.choices if c[0] != Plan.Status.CLOSED]

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


class PlanCloseForm(GuardedForm, forms.Form):
    reason = forms.CharField(
        label=_("Begrundelse"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Fx at planperioden er slut, og slutevalueringen er afleveret."),
        error_messages={"required": _("Skriv en begrundelse. Intet er gemt.")},
    )
    confirm = forms.BooleanField(
        label=_("Jeg ved, at planen derefter kun kan læses, af alle."),
        error_messages={"required": _("Bekræft, at planen skal afsluttes.")},
    )


class PlanReopenForm(GuardedForm, forms.Form):
    reason = forms.CharField(
        label=_("Begrundelse"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv en begrundelse. Intet er gemt.")},
    )
