from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.forms import DanishDecimalField, GuardedForm
from helhedsplan.organisation.models import Membership, Person
from helhedsplan.plans.models import Plan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DateForm(GuardedForm, forms.Form):
    dato = forms.DateField(label=_("Sammensætning pr."), required=False, widget=DATE)


class PersonForm(GuardedForm, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Person
        fields = [
            "name",
            "organisation_kind",
            "housing_organisation",
            "organisation_name",
            "level",
            "title",
            "email",
            "phone",
        ]

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["housing_organisation"].queryset = plan.housing_organisations.all()  # type: ignore[attr-defined]


class MembershipForm(GuardedForm, forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none())
    role = forms.ChoiceField(label=_("Rolle"), choices=Membership.Role.choices)
    area: forms.ModelChoiceField = forms.ModelChoiceField(  # type: ignore[type-arg]
        label=_("Boligområde"),
        queryset=None,  # type: ignore[arg-type]
        required=False,
        help_text=_("For koordinatorer: området, tiden gælder. Tomt = tværgående opgaver."),
    )
    fte_percent = DanishDecimalField(
        label=_("Andel af årsværk (%)"), required=False, max_digits=5, decimal_places=1
    )
    start_date = forms.DateField(label=_("Fra"), widget=DATE)
    end_date = forms.DateField(label=_("Til og med"), required=False, widget=DATE)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(plan=plan)  # type: ignore[attr-defined]
        self.fields["area"].queryset = plan.areas.all()  # type: ignore[attr-defined]


class MembershipEndForm(GuardedForm, forms.Form):
    end_date = forms.DateField(label=_("Sidste dag i organet"), widget=DATE)
