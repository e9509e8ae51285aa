"""The setup's forms. Each is read by one service of ``plans.services``; a service's
refusal lands on the form (``lib.forms.add_service_errors``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from helhedsplan.frameworks import catalogue
from helhedsplan.lib.forms import GuardedForm
from helhedsplan.plans.models import HousingArea, HousingOrganisation, Plan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LINES = forms.Textarea(attrs={"rows": 4})


class PlanDetailsForm(GuardedForm, forms.ModelForm[Plan]):
    """Name, LBF's case number, the grant framework (fixed once an agreement version is
    submitted or approved) and the period."""

    framework = forms.ChoiceField(label=_("Bevillingsramme"), choices=())

    class Meta:
        model = Plan
        fields = ["name", "lbf_case_number", "framework", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args: Any, framework_locked: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = catalogue.choices()
        if self.instance.framework not in dict(choices):
            choices = [(self.instance.framework, self.instance.framework), *choices]
        field = self.fields["framework"]
        field.choices = choices  # type: ignore[attr-defined]
        if framework_locked:
            field.disabled = True
            field.help_text = _(
                "Rammen ligger fast: en version af aftalen er indsendt eller godkendt."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("Slutdatoen skal ligge efter startdatoen."))
        return data


class HousingOrganisationCreateForm(GuardedForm, forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200)
    cvr = forms.CharField(
        label=_("CVR-nummer"), max_length=12, required=False, help_text=_("8 cifre.")
    )


class PartyLinkForm(GuardedForm, forms.Form):
    housing_organisation = forms.ModelChoiceField(
        label=_("Boligorganisation"), queryset=HousingOrganisation.objects.none()
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["housing_organisation"].queryset = HousingOrganisation.objects.exclude(  # type: ignore[attr-defined]
            plans=plan
        ).order_by("name")


class CvrForm(GuardedForm, forms.Form):
    cvr = forms.CharField(
        label=_("CVR-nummer"), max_length=12, required=False, help_text=_("8 cifre.")
    )


def _plan_organisations(plan: Plan) -> QuerySet[HousingOrganisation]:
    return plan.housing_organisations.order_by("name")


class AreaCreateForm(GuardedForm, forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200)
    slug = forms.SlugField(
        label=_("Kort navn"),
        max_length=50,
        required=False,
        help_text=_("Bruges i adresser. Tomt: dannes af navnet."),
    )
    priority = forms.IntegerField(
        label=_("Prioritet"),
        min_value=1,
        required=False,
        help_text=_("1 = først; flere områder kan have samme prioritet."),
    )
    housing_organisations = forms.ModelMultipleChoiceField(
        label=_("Boligorganisationer"),
        queryset=HousingOrganisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sub_areas = forms.CharField(
        label=_("Delområder"), required=False, widget=LINES, help_text=_("Ét pr. linje.")
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["housing_organisations"].queryset = _plan_organisations(plan)  # type: ignore[attr-defined]

    def sub_area_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["sub_areas"].splitlines()]


class AreaEditForm(GuardedForm, forms.ModelForm[HousingArea]):
    class Meta:
        model = HousingArea
        fields = ["name", "priority", "housing_organisations"]
        widgets = {"housing_organisations": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].min_value = 1  # type: ignore[attr-defined]
        self.fields["housing_organisations"].queryset = _plan_organisations(  # type: ignore[attr-defined]
            self.instance.plan
        )


class DepartmentForm(GuardedForm, forms.Form):
    prefix = "department"

    number = forms.CharField(label=_("Afdelingsnummer"), max_length=20)
    housing_organisation = forms.ModelChoiceField(
        label=_("Boligorganisation"),
        queryset=HousingOrganisation.objects.none(),
        required=False,
        empty_label=_("(ingen)"),
    )
    name = forms.CharField(label=_("Afdelingens navn"), max_length=200, required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["housing_organisation"].queryset = _plan_organisations(plan)  # type: ignore[attr-defined]


class SubAreaForm(GuardedForm, forms.Form):
    prefix = "sub_area"

    name = forms.CharField(label=_("Delområdets navn"), max_length=200)


class PopulationForm(GuardedForm, forms.Form):
    prefix = "population"

    year = forms.IntegerField(label=_("År"))
    residents = forms.IntegerField(label=_("Beboere pr. 1. januar"))
    source = forms.CharField(label=_("Kilde"), max_length=200, required=False)


class FocusAreaCreateForm(GuardedForm, forms.Form):
    framework_key = forms.ChoiceField(label=_("Rammens indsatsområde"), choices=())
    code = forms.CharField(
        label=_("Nummer"), max_length=10, help_text=_("Afsnittets nummer i aftalen, fx 5.1.")
    )
    name = forms.CharField(
        label=_("Navn"),
        max_length=200,
        required=False,
        help_text=_("Tomt: rammens navn for indsatsområdet."),
    )
    purpose = forms.CharField(
        label=_("Formål"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    sub_goals = forms.CharField(
        label=_("Delmål"), required=False, widget=LINES, help_text=_("Ét delmål pr. linje.")
    )
    target_groups = forms.CharField(
        label=_("Målgrupper"), required=False, widget=LINES, help_text=_("Én målgruppe pr. linje.")
    )

    def __init__(
        self, *args: Any, framework: catalogue.Framework | None, taken: set[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        items = framework.focus_areas if framework else ()
        self.items = {item.key: item for item in items}
        self.fields["framework_key"].choices = [  # type: ignore[attr-defined]
            (item.key, f"{item.name} ({_('allerede valgt')})" if item.key in taken else item.name)
            for item in items
        ]

    def lines(self, name: str) -> list[str]:
        return [line.strip() for line in self.cleaned_data[name].splitlines() if line.strip()]

    def focus_area_name(self) -> str:
        item = self.items.get(self.cleaned_data["framework_key"])
        return self.cleaned_data["name"].strip() or (item.name if item else "")


class FocusAreaFrameworkForm(GuardedForm, forms.Form):
    """Which of the framework's focus areas an existing focus area is."""

    framework_key = forms.ChoiceField(label=_("Rammens indsatsområde"), choices=())

    def __init__(
        self, *args: Any, framework: catalogue.Framework | None, free: set[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        items = framework.focus_areas if framework else ()
        self.fields["framework_key"].choices = [  # type: ignore[attr-defined]
            (item.key, item.name) for item in items if item.key in free
        ]
