from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.forms import GuardedForm


class MarkDoneForm(GuardedForm, forms.Form):
    """ "Markér som udført" for a duty the system cannot see done (a programme evaluation)."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=120)
    done_on = forms.DateField(
        label=_("Udført den"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Skriv datoen, opgaven blev udført. Intet er gemt.")},
    )
    note = forms.CharField(
        label=_("Bemærkning"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Hvad er gjort, og hvor findes det (fx evalueringsrapportens titel)?"),
        error_messages={
            "required": _("Skriv, hvad der er gjort, og hvor det findes. Intet er gemt.")
        },
    )
