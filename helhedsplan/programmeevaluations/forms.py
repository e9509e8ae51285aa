from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.forms import GuardedForm
from helhedsplan.lib.numbers import fmt_date
from helhedsplan.meetings.models import Decision
from helhedsplan.programmeevaluations.models import (
    EvaluationFinding,
    EvaluationQuestion,
    ProgrammeEvaluation,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Skriv en dato, fx 2019-03-31.")}

FIELDS = (
    "number", "title", "timing_text", "due_from", "due_by", "performer_kind",
    "performer_name", "method", "method_fixed_on",
)  # fmt: skip


class EvaluationForm(GuardedForm, forms.Form):
    number = forms.IntegerField(label=_("Nummer"), min_value=1, max_value=99)
    title = forms.CharField(label=_("Titel"), max_length=200)
    timing_text = forms.CharField(
        label=_("Tidspunkt ifølge aftalen"),
        max_length=200,
        required=False,
        help_text=_("Som aftalen skriver det, fx »ultimo 2018 eller primo 2019«."),
    )
    due_from = forms.DateField(
        label=_("Tidligst"),
        required=False,
        widget=DATE,
        error_messages=DATE_ERRORS,
        help_text=_("Tom: på listen »Det skal gøres« 60 dage før »senest«."),
    )
    due_by = forms.DateField(
        label=_("Senest"),
        widget=DATE,
        error_messages={
            **DATE_ERRORS,
            "required": _("Skriv, hvornår rapporten senest skal foreligge."),
        },
    )
    performer_kind = forms.ChoiceField(
        label=_("Udføres af"),
        choices=ProgrammeEvaluation.Performer.choices,
        help_text=_(
            "Aftalen (afsnit 6): en kortvarig ansættelse af en studerende under relevant "
            "uddannelse, en uddannelsesinstitution eller en anden aktør."
        ),
    )
    performer_name = forms.CharField(
        label=_("Navn på den udførende"), max_length=200, required=False
    )
    method = forms.CharField(
        label=_("Metode"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Form, indhold og metode fastlægges efter helhedsplanens opstart."),
    )
    method_fixed_on = forms.DateField(
        label=_("Metode fastlagt den"), required=False, widget=DATE, error_messages=DATE_ERRORS
    )

    @staticmethod
    def initial_for(evaluation: ProgrammeEvaluation) -> dict[str, Any]:
        return {name: getattr(evaluation, name) for name in FIELDS}

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FIELDS}


class ReportUploadForm(GuardedForm, forms.Form):
    file = forms.FileField(
        label=_("Evalueringsrapport"),
        help_text=_("PDF eller Word (DOCX), højst 20 MB."),
        error_messages={"required": _("Vælg rapportens fil (PDF eller DOCX). Intet er gemt.")},
    )
    received_on = forms.DateField(
        label=_("Rapport modtaget den"),
        widget=DATE,
        error_messages={**DATE_ERRORS, "required": _("Skriv, hvornår rapporten blev modtaget.")},
    )


class QuestionForm(GuardedForm, forms.Form):
    text = forms.CharField(label=_("Spørgsmålets tekst"), widget=forms.Textarea(attrs={"rows": 3}))
    order = forms.IntegerField(label=_("Rækkefølge"), min_value=0, max_value=999, required=False)

    @staticmethod
    def initial_for(question: EvaluationQuestion) -> dict[str, Any]:
        return {"text": question.text, "order": question.order}


class QuestionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.text[:100])


class FindingForm(GuardedForm, forms.Form):
    text = forms.CharField(label=_("Resultat"), widget=forms.Textarea(attrs={"rows": 3}))
    question = QuestionChoiceField(
        label=_("Besvarer spørgsmålet"),
        queryset=EvaluationQuestion.objects.none(),
        required=False,
        empty_label=_("– intet bestemt spørgsmål –"),
    )
    order = forms.IntegerField(label=_("Rækkefølge"), min_value=0, max_value=999, required=False)

    def __init__(self, *args: Any, evaluation: ProgrammeEvaluation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = evaluation.questions.order_by("order", "pk")  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(finding: EvaluationFinding) -> dict[str, Any]:
        return {"text": finding.text, "question": finding.question_id, "order": finding.order}


class DecisionChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.meeting.body.name}, {fmt_date(obj.meeting.date)}: {obj.text[:100]}"


class FollowUpForm(GuardedForm, forms.Form):
    decision = DecisionChoiceField(
        label=_("Bestyrelsens beslutning"),
        queryset=Decision.objects.none(),
        help_text=_("Beslutningerne fra planens bestyrelsesmøder, nyeste først."),
        error_messages={
            "required": _("Vælg den beslutning, der følger op på resultatet."),
            "invalid_choice": _("Vælg en beslutning fra planens bestyrelsesmøder."),
        },
    )

    def __init__(self, *args: Any, decisions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions  # type: ignore[attr-defined]
