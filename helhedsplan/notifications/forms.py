from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.forms import GuardedForm

LANGUAGE_CHOICES = [("da", "Dansk"), ("en", "English")]  # each in its own language


class EmailSettingsForm(GuardedForm, forms.Form):
    """The user's own e-mail settings (``services.user_email_settings_update``)."""

    email = forms.EmailField(
        label=_("E-mailadresse"),
        max_length=254,
        required=False,
        help_text=_("Påmindelser, meddelelser og invitationer sendes hertil."),
        error_messages={"invalid": _("Skriv en gyldig e-mailadresse, fx navn@kommune.dk.")},
    )
    language = forms.ChoiceField(label=_("E-mailens sprog"), choices=LANGUAGE_CHOICES)
    email_reminders = forms.BooleanField(
        label=_("Send mig påmindelser om det, der skal gøres"),
        required=False,
        help_text=_(
            "En e-mail, når noget bliver aktuelt eller overskrider fristen. Meddelelser om "
            "aftaleversioner og statusrapporter sendes uanset."
        ),
    )
