from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helhedsplan.agreements.models import AgreementSection, AttachmentKind, SubAgreementVersion
from helhedsplan.lib.forms import GuardedForm
from helhedsplan.lib.numbers import fmt_date
from helhedsplan.meetings.models import Meeting
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import Plan


class SectionForm(GuardedForm, forms.ModelForm[AgreementSection]):
    class Meta:
        model = AgreementSection
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24})}
        help_texts = {
            "body": _(
                'Tom linje adskiller afsnit; linjer der starter med "- " bliver punkter; '
                '"### " giver en underoverskrift.'
            )
        }


class SubAgreementForm(GuardedForm, forms.ModelForm[SubAgreementVersion]):
    class Meta:
        model = SubAgreementVersion
        fields = ["purpose", "responsibilities", "partners"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 8}),
            "responsibilities": forms.Textarea(attrs={"rows": 8}),
            "partners": forms.Textarea(attrs={"rows": 4}),
        }


class DecisionForm(GuardedForm, forms.Form):
    decision = forms.ChoiceField(
        label=_("Afgørelse"),
        choices=[("approve", _("Godkend")), ("return", _("Returnér med bemærkninger"))],
        widget=forms.RadioSelect,
    )
    remarks = forms.CharField(
        label=_("Bemærkninger"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    in_force_from = forms.DateField(
        label=_("I kraft fra"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    letter = forms.FileField(
        label=_("Brev fra Landsbyggefonden (PDF)"),
        required=False,
        help_text=_("Påkrævet, når sekretariatet registrerer Landsbyggefondens afgørelse."),
    )


def _meeting_label(meeting: Meeting) -> str:
    return f"{fmt_date(meeting.date, short=True)} {meeting.display_title}"


class BoardDecisionForm(GuardedForm, forms.Form):
    """The board's decision on a sub-agreement version, on one of the plan's board meetings."""

    decision = forms.ChoiceField(
        label=_("Bestyrelsens beslutning"),
        choices=[("approve", _("Godkend")), ("return", _("Returnér med bemærkninger"))],
        widget=forms.RadioSelect,
    )
    meeting = forms.ModelChoiceField(
        label=_("Bestyrelsesmøde"),
        queryset=Meeting.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Vælg det bestyrelsesmøde, hvor beslutningen blev truffet."),
            "invalid_choice": _("Vælg et af planens bestyrelsesmøder."),
        },
    )
    remarks = forms.CharField(
        label=_("Bemærkninger"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    in_force_from = forms.DateField(
        label=_("I kraft fra"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Tomt: fra mødets dato."),
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting = self.fields["meeting"]
        assert isinstance(meeting, forms.ModelChoiceField)
        meeting.queryset = (
            Meeting.objects.filter(plan=plan, body__kind=Body.Kind.BOARD)
            .select_related("body")
            .order_by("-date", "-pk")
        )
        meeting.label_from_instance = _meeting_label  # type: ignore[method-assign,assignment]


class NewVersionForm(GuardedForm, forms.Form):
    change_note = forms.CharField(
        label=_("Hvad skal ændres, og hvorfor?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Beskriv ændringen, før en ny version oprettes.")},
    )


class AttachmentUploadForm(GuardedForm, forms.Form):
    """``attachments``: the (key, name) of the plan's framework's attachments."""

    kind = forms.ChoiceField(label=_("Bilag"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("Fil (PDF, DOCX, XLSX, PNG eller JPEG)"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(
        self, *args: Any, attachments: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if attachments is not None:
            kind = self.fields["kind"]
            assert isinstance(kind, forms.ChoiceField)
            kind.choices = attachments
