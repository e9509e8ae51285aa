from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar

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
from helhedsplan.criteria.models import SuccessCriterion
from helhedsplan.lib.forms import DanishDecimalField, GuardedForm
from helhedsplan.plans.models import FocusArea, HousingArea
from helhedsplan.statusreports.locking import locked_message, report_name

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
        label=_("Begrundelse (kun i et lukket kvartal eller en låst periode)"),
        required=False,
        max_length=500,
    )

    def __init__(
        self,
        *args: Any,
        activities: QuerySet[Activity],
        areas: QuerySet[HousingArea],
        partners: QuerySet[Partner],
        locked_by: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if locked_by is not None:
            # Dated in a period an issued status report locks: a change is a correction
            # after the report, with a reason (statusreports.locking).
            reason = self.fields["reason"]
            reason.label = _("Begrundelse for rettelsen")
            reason.required = True
            reason.error_messages["required"] = locked_message(locked_by)
            reason.help_text = _(
                "Perioden er låst af %(report)s. Rettelsen gemmes i revisionssporet og vises på "
                "siden og i næste statusrapport."
            ) % {"report": report_name(locked_by)}
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


# --- setting up activities -------------------------------------------------------------------

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CriterionChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.title}"


class ActivityForm(GuardedForm, forms.Form):
    """An activity's fields as the model has them, in fieldsets (``fieldsets``). A new
    activity may leave its short name empty (made from the name); an existing one keeps it
    (its address). Partners are chosen, or typed one per line to be created."""

    name = forms.CharField(label=_("Navn"), max_length=200)
    slug = forms.SlugField(
        label=_("Kort navn"),
        max_length=60,
        required=False,
        help_text=_("Bruges i adressen; dannes af navnet, hvis feltet er tomt."),
    )
    focus_area = forms.ModelChoiceField(
        label=_("Indsatsområde"), queryset=FocusArea.objects.none(), empty_label=None
    )
    description = forms.CharField(
        label=_("Beskrivelse"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    target_groups = forms.CharField(
        label=_("Målgrupper"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Én pr. linje."),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Boligområder"),
        queryset=HousingArea.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    responsible = forms.ChoiceField(
        label=_("Ansvarlig"), choices=Activity.Responsible.choices, widget=forms.RadioSelect
    )
    responsible_partner = forms.ModelChoiceField(
        label=_("Ansvarlig partner"),
        queryset=Partner.objects.none(),
        required=False,
        help_text=_("Kun når en partnerorganisation er ansvarlig."),
    )
    responsible_is_placeholder = forms.BooleanField(
        label=_("Ansvaret er ikke afklaret endnu (pladsholder)"), required=False
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partnere"),
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_partners = forms.CharField(
        label=_("Nye partnere"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Én pr. linje; oprettes som partnere i planen."),
    )
    success_criteria = CriterionChoices(
        label=_("Understøtter succeskriterier"),
        queryset=SuccessCriterion.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_date = forms.DateField(
        label=_("Startdato"), required=False, widget=DATE, help_text=_("Tom: fra planens start.")
    )
    unit = forms.ChoiceField(label=_("Enhed i aktivitetsskemaet"), choices=Activity.Unit.choices)
    unit_label = forms.CharField(
        label=_("Navn på anden enhed"),
        max_length=60,
        required=False,
        help_text=_("Fx samtaler eller forløb, når enheden er »anden enhed«."),
    )
    reason = forms.CharField(
        label=_("Begrundelse for ændringen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Valgfri; gemmes i revisionssporet."),
    )

    FIELDSETS: ClassVar[list[tuple[Any, list[str]]]] = [
        (_("Aktiviteten"), ["name", "slug", "focus_area", "description", "target_groups"]),
        (_("Hvor"), ["areas"]),
        (_("Ansvar og partnere"), ["responsible", "responsible_partner",
                                   "responsible_is_placeholder", "partners", "new_partners"]),
        (_("Succeskriterier"), ["success_criteria"]),
        (_("Periode og aktivitetsskema"), ["start_date", "unit", "unit_label"]),
        (_("Ændringen"), ["reason"]),
    ]  # fmt: skip

    def __init__(self, *args: Any, plan: Any, activity: Activity | None = None, **kw: Any) -> None:
        if activity is not None:
            kw.setdefault("initial", self.initial_for(activity))
        super().__init__(*args, **kw)
        self.fields["focus_area"].queryset = FocusArea.objects.filter(plan=plan)  # type: ignore[attr-defined]
        self.fields["areas"].queryset = HousingArea.objects.filter(plan=plan).order_by("order")  # type: ignore[attr-defined]
        partners = Partner.objects.filter(plan=plan)
        self.fields["responsible_partner"].queryset = partners  # type: ignore[attr-defined]
        self.fields["partners"].queryset = partners  # type: ignore[attr-defined]
        self.fields["success_criteria"].queryset = SuccessCriterion.objects.filter(  # type: ignore[attr-defined]
            plan=plan
        ).order_by("order", "code")
        if activity is not None:
            del self.fields["slug"]
        else:
            del self.fields["reason"]

    @staticmethod
    def initial_for(activity: Activity) -> dict[str, Any]:
        return {
            "name": activity.name,
            "focus_area": activity.focus_area_id,
            "description": activity.description,
            "target_groups": activity.target_groups,
            "areas": [link.area_id for link in activity.area_links.all()],
            "responsible": activity.responsible,
            "responsible_partner": activity.responsible_partner_id,
            "responsible_is_placeholder": activity.responsible_is_placeholder,
            "partners": [p.pk for p in activity.partners.all()],
            "success_criteria": [c.pk for c in activity.success_criteria.all()],
            "start_date": activity.start_date,
            "unit": activity.unit,
            "unit_label": activity.unit_label,
        }

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.FIELDSETS
            if any(name in self.fields for name in names)
        ]

    def activity_fields(self) -> dict[str, Any]:
        """The arguments of ``activity_create`` / ``activity_update`` (without the reason)."""
        data = dict(self.cleaned_data)
        for name in ("reason", "version"):
            data.pop(name, None)
        data["areas"] = list(data["areas"])
        data["partners"] = list(data["partners"])
        data["success_criteria"] = list(data["success_criteria"])
        data["target_groups"] = data["target_groups"].splitlines()
        data["new_partners"] = data["new_partners"].splitlines()
        return data


class ActivityEndForm(GuardedForm, forms.Form):
    end_date = forms.DateField(
        label=_("Afsluttes pr."),
        widget=DATE,
        help_text=_("Den sidste dag, aktiviteten kan registreres."),
    )
    reason = forms.CharField(
        label=_("Begrundelse"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hvorfor aktiviteten afsluttes; gemmes på aktiviteten og i revisionssporet."),
    )
