"""Forms for users and their roles: invitations, a coordinator's areas, a new plan."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helhedsplan.accounts.models import ApiToken, Role
from helhedsplan.frameworks import catalogue
from helhedsplan.lib.forms import GuardedForm
from helhedsplan.plans.models import HousingArea, Municipality, Plan

LANGUAGE_CHOICES = [("da", "Dansk"), ("en", "English")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _AreaChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: HousingArea) -> str:
        return f"{obj.plan.name}: {obj.name}" if self.with_plan else obj.name

    with_plan = False


def _areas_field(queryset: Any, *, with_plan: bool = False) -> _AreaChoiceField:
    field = _AreaChoiceField(
        queryset=queryset,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Boligområder (kun for en koordinator)"),
        help_text=_("De områder, koordinatoren registrerer for."),
    )
    field.with_plan = with_plan
    return field


class InvitationForm(GuardedForm, forms.Form):
    """Invite someone to a role on the plan (``plan`` given) or, for staff, on any plan."""

    email = forms.EmailField(label=_("E-mailadresse"), max_length=150)
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices)
    language = forms.ChoiceField(label=_("E-mailens sprog"), choices=LANGUAGE_CHOICES, initial="da")

    def __init__(self, *args: Any, plan: Plan | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if plan is None:
            self.fields = {
                "plan": forms.ModelChoiceField(
                    queryset=Plan.objects.select_related("municipality").order_by("name"),
                    label=_("Plan"),
                ),
                **self.fields,
            }
            areas = HousingArea.objects.select_related("plan").order_by("plan__name", "order")
            self.fields["areas"] = _areas_field(areas, with_plan=True)
        else:
            self.fields["areas"] = _areas_field(plan.areas.select_related("plan").order_by("order"))


class MembershipAreasForm(GuardedForm, forms.Form):
    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"] = _areas_field(plan.areas.select_related("plan").order_by("order"))
        self.fields["areas"].label = _("Boligområder")


class InvitationAcceptForm(GuardedForm, forms.Form):
    """A new user's name and password; the password is checked by Django's validators in
    ``accounts.services.invitation_accept``."""

    first_name = forms.CharField(label=_("Fornavn"), max_length=150)
    last_name = forms.CharField(label=_("Efternavn"), max_length=150, required=False)
    password = forms.CharField(
        label=_("Adgangskode"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Mindst 10 tegn; ikke kun tal og ikke en almindelig adgangskode."),
    )
    password_again = forms.CharField(
        label=_("Adgangskode igen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("De to adgangskoder er ikke ens."))
        return data


class StaffPlanForm(GuardedForm, forms.Form):
    """A new plan and its first secretariat user (``accounts.services.plan_create_with_
    invitation``)."""

    name = forms.CharField(label=_("Planens navn"), max_length=200)
    slug = forms.SlugField(
        label=_("Kort navn"),
        max_length=50,
        help_text=_("Bruges i adressen: /planer/<kort navn>/. Små bogstaver, tal og bindestreg."),
    )
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.order_by("name"),
        required=False,
        label=_("Kommune"),
        empty_label=_("– ny kommune –"),
    )
    new_municipality = forms.CharField(
        label=_("Ny kommune"),
        max_length=100,
        required=False,
        help_text=_("Skriv navnet, hvis kommunen ikke er på listen."),
    )
    framework = forms.ChoiceField(label=_("Bevillingsramme"), choices=catalogue.choices)
    lbf_case_number = forms.CharField(
        label=_("Landsbyggefondens sagsnummer"), max_length=40, required=False
    )
    start_date = forms.DateField(label=_("Startdato"), widget=DATE)
    end_date = forms.DateField(label=_("Slutdato"), widget=DATE)
    secretariat_email = forms.EmailField(
        label=_("Første sekretariatsbrugers e-mailadresse"), max_length=150
    )
    language = forms.ChoiceField(label=_("E-mailens sprog"), choices=LANGUAGE_CHOICES, initial="da")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and start >= end:
            self.add_error("end_date", _("Slutdatoen skal ligge efter startdatoen."))
        if not data.get("municipality") and not (data.get("new_municipality") or "").strip():
            self.add_error("new_municipality", _("Vælg en kommune, eller skriv navnet på en ny."))
        return data


class ApiTokenForm(GuardedForm, forms.Form):
    """A new personal API token: what it is for, what it may do, when it stops working."""

    name = forms.CharField(
        label=_("Navn"),
        max_length=100,
        help_text=_("Hvad nøglen bruges til, fx »Månedlig rapport i Excel«."),
    )
    scope = forms.ChoiceField(
        label=_("Adgang"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        help_text=_("En nøgle, der kun må læse, afvises ved enhver ændring."),
    )
    expires_on = forms.DateField(
        label=_("Udløber (sidste dag)"),
        required=False,
        widget=DATE,
        help_text=_("Tom: nøglen virker, til du tilbagekalder den."),
    )
