from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.forms import GuardedForm
from helhedsplan.meetings.models import (
    DECISION_TARGETS,
    BoardAssessment,
    Decision,
    Dispute,
    Meeting,
    Notice,
)
from helhedsplan.meetings.selectors import members_on
from helhedsplan.organisation.models import Body, Person
from helhedsplan.plans.models import FocusArea, Plan
from helhedsplan.statusreports.models import StatusReport

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


# Changing the body or the date reloads the attendee choices (htmx: the same page, only
# the checkbox list is swapped in), so they are always the body's members on that day.
_REFRESH_PEOPLE = {
    "hx-get": "",
    "hx-trigger": "change",
    "hx-include": "closest form",
    "hx-target": "#id_attendees",
    "hx-select": "#id_attendees",
    "hx-swap": "outerHTML",
}


class MeetingForm(GuardedForm, forms.Form):
    field_order = ["body", "kind", "status_report", "date", "title", "location", "agenda"]

    body = forms.ModelChoiceField(
        label=_("Organ"), queryset=Body.objects.none(), widget=forms.Select(attrs=_REFRESH_PEOPLE)
    )
    kind = forms.ChoiceField(label=_("Mødetype"), choices=Meeting.Kind.choices)
    date = forms.DateField(
        label=_("Dato"),
        widget=forms.DateInput(attrs={"type": "date", **_REFRESH_PEOPLE}, format="%Y-%m-%d"),
        error_messages={"required": _("Mødet skal have en dato. Intet er gemt.")},
    )
    title = forms.CharField(label=_("Titel"), required=False, max_length=200)
    location = forms.CharField(label=_("Sted"), required=False, max_length=200)
    agenda = forms.CharField(
        label=_("Dagsorden"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ét punkt pr. linje."),
    )
    attendees = forms.ModelMultipleChoiceField(
        label=_("Deltagere"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Medlemmer af organet på mødedatoen, der deltog. Vælg organ og dato, så vises "
            "organets medlemmer den dag."
        ),
    )
    minutes_text = forms.CharField(
        label=_("Referat"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    status_report = forms.ModelChoiceField(
        label=_("Statusrapport"),
        queryset=StatusReport.objects.none(),
        required=False,
        help_text=_(
            "Kun for bestyrelsens vurdering på grundlag af statusrapporten: den udsendte "
            "rapport, bestyrelsen vurderer."
        ),
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(plan=plan)  # type: ignore[attr-defined]
        # Issued reports of the plan; an edited meeting keeps offering the report it links,
        # also once that report has been superseded.
        current = self.initial.get("status_report")
        current_pk = getattr(current, "pk", current)
        reports = StatusReport.objects.filter(plan=plan).filter(
            Q(state=StatusReport.State.ISSUED) | Q(pk=current_pk or 0)
        )
        report_field = self.fields["status_report"]
        report_field.queryset = reports.select_related("plan")  # type: ignore[attr-defined]
        report_field.label_from_instance = _report_choice  # type: ignore[attr-defined]
        body, on = self._chosen("body"), self._chosen("date")
        people = members_on(body, on) if body and on else Person.objects.none()
        self.fields["attendees"].queryset = people  # type: ignore[attr-defined]

    def _chosen(self, name: str) -> Any:
        """The value chosen so far (submitted, else initial), or None if there is none yet."""
        raw = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        if raw in (None, ""):
            return None
        try:
            return self.fields[name].clean(raw)
        except ValidationError:
            return None

    @staticmethod
    def chosen_in(query: QueryDict) -> dict[str, Any]:
        """Initial values from the page's query (the htmx reload when body or date change)."""
        initial: dict[str, Any] = {k: query[k] for k in ("body", "date") if query.get(k)}
        if initial and "attendees" in query:
            initial["attendees"] = query.getlist("attendees")
        return initial

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["agenda"] = data["agenda"].splitlines()
        return data

    @staticmethod
    def initial_for(meeting: Meeting) -> dict[str, Any]:
        return {
            "body": meeting.body,
            "kind": meeting.kind,
            "date": meeting.date,
            "title": meeting.title,
            "location": meeting.location,
            "agenda": "\n".join(a.title for a in meeting.agenda.all()),
            "attendees": list(meeting.attendees.all()),
            "minutes_text": meeting.minutes_text,
            "status_report": meeting.status_report_id,
        }


def _report_choice(report: StatusReport) -> str:
    if report.version is None:
        return str(report)
    return str(_("%(report)s, version %(version)s")) % {
        "report": report,
        "version": report.version,
    }


class MinutesUploadForm(GuardedForm, forms.Form):
    file = forms.FileField(
        label=_("Referat som fil"), help_text=_("PDF eller Word (DOCX), højst 20 MB.")
    )


def decision_targets(plan: Plan) -> list[tuple[str, str]]:
    """Choices "content type id:pk" for what a decision may concern, from installed apps."""
    choices: list[tuple[str, str]] = [("", "–")]
    for label in DECISION_TARGETS:
        try:
            model: type[models.Model] = apps.get_model(label)
        except LookupError:
            continue  # that app is not installed yet
        ct = ContentType.objects.get_for_model(model)
        qs = model._default_manager.all()
        if any(f.name == "plan" for f in model._meta.get_fields()):
            qs = qs.filter(plan=plan)
        for obj in qs[:500]:
            choices.append((f"{ct.pk}:{obj.pk}", f"{model._meta.verbose_name}: {obj}"))
    return choices


class DecisionForm(GuardedForm, forms.Form):
    text = forms.CharField(label=_("Beslutning"), widget=forms.Textarea(attrs={"rows": 4}))
    concerns = forms.ChoiceField(label=_("Vedrører"), required=False)
    concerns_label = forms.CharField(
        label=_("Vedrører (fritekst)"),
        required=False,
        max_length=300,
        help_text=_("Fx et succeskriterium, en aktivitet eller en version af aftalen."),
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["concerns"].choices = decision_targets(plan)  # type: ignore[attr-defined]

    def concerns_object(self) -> models.Model | None:
        value = self.cleaned_data.get("concerns")
        if not value:
            return None
        ct_id, pk = value.split(":", 1)
        return ContentType.objects.get_for_id(int(ct_id)).get_object_for_this_type(pk=pk)  # type: ignore[no-any-return]


class NoticeForm(GuardedForm, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Notice
        fields = [
            "occurred_on",
            "subject",
            "description",
            "informed_board",
            "informed_partners",
            "informed_on",
        ]
        widgets = {"occurred_on": DATE, "informed_on": DATE}


class DisputeForm(GuardedForm, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Dispute
        fields = ["raised_on", "raised_by", "subject", "description", "handling"]
        widgets = {"raised_on": DATE}


class DisputeHandleForm(GuardedForm, forms.Form):
    handling = forms.CharField(
        label=_("Kompetencechefens håndtering"), widget=forms.Textarea(attrs={"rows": 4})
    )
    resolved = forms.BooleanField(label=_("Løst ved almindelig dialog"), required=False)


class DisputeEscalateForm(GuardedForm, forms.Form):
    description = forms.CharField(
        label=_("Fremlæggelse for bestyrelsen"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Situationens forskellige interesser, som bestyrelsen skal afgøre på."),
    )
    escalated_on = forms.DateField(label=_("Rejst i bestyrelsen den"), widget=DATE)


class DisputeDecideForm(GuardedForm, forms.Form):
    decision = forms.ModelChoiceField(
        label=_("Bestyrelsens beslutning"), queryset=Decision.objects.none()
    )

    def __init__(self, *args: Any, decisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions  # type: ignore[attr-defined]


class AssessmentForm(GuardedForm, forms.Form):
    """The board's assessment of one focus area (one form per focus area on the page, each
    with its own prefix)."""

    rating = forms.ChoiceField(
        label=_("Vurdering"),
        choices=BoardAssessment.Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Vælg bestyrelsens vurdering. Intet er gemt.")},
    )
    text = forms.CharField(
        label=_("Bestyrelsens begrundelse"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv bestyrelsens begrundelse. Intet er gemt.")},
    )

    def __init__(self, *args: Any, focus_area: FocusArea, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"fa{focus_area.pk}")
        super().__init__(*args, **kwargs)
        self.focus_area = focus_area
