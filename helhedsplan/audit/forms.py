"""The trail's filter form: one set of GET parameters for the page, its pages and its export.

The choices are what the plan's trail holds (the users who appear in it, the kinds of
objects, the business events) and the plan's focus areas; the form turns a query string
into ``selectors.AuditFilter``. A field that does not read (a date that is no date, a user
not in the trail) is an error on that field and filters nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from helhedsplan.audit import display, selectors
from helhedsplan.lib.forms import GuardedForm

if TYPE_CHECKING:
    from helhedsplan.plans.models import Plan

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%y"]
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERROR = _("Skriv en dato, fx 01.03.2019.")


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        widget=DATE_WIDGET,
        error_messages={"invalid": DATE_ERROR},
    )


class AuditFilterForm(GuardedForm, forms.Form):
    # The query-string names, in the order the form shows them.
    fra = _date(_("Fra dato"))
    til = _date(_("Til dato"))
    bruger = forms.TypedChoiceField(label=_("Bruger"), required=False, coerce=int, empty_value=None)
    type = forms.TypedChoiceField(
        label=_("Objekttype"), required=False, coerce=int, empty_value=None
    )
    haendelse = forms.ChoiceField(label=_("Hændelse"), required=False)
    indsatsomraade = forms.TypedChoiceField(
        label=_("Indsatsområde"), required=False, coerce=int, empty_value=None
    )
    soeg = forms.CharField(
        label=_("Søg"),
        required=False,
        max_length=200,
        help_text=_("I ændringer, begrundelser og objekternes navne."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, data: Any, *, plan: Plan) -> None:
        super().__init__(data)
        self.choices = choices = selectors.audit_filter_choices(plan)
        every = [("", _("Alle"))]
        self.fields["bruger"].choices = every + [(u.pk, str(u)) for u in choices.actors]  # type: ignore[attr-defined]
        self.fields["type"].choices = every + [  # type: ignore[attr-defined]
            (ct.pk, display.model_label(ct.model_class(), ct.model)) for ct in choices.types
        ]
        self.fields["haendelse"].choices = (  # type: ignore[attr-defined]
            every
            + [
                (code, display.action_label(action))
                for code, action in display.ACTION_CODES.items()
            ]
            + [(code, display.event_label(code)) for code in choices.events]
        )
        self.fields["indsatsomraade"].choices = every + [  # type: ignore[attr-defined]
            (fa.pk, str(fa)) for fa in choices.focus_areas
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("fra"), data.get("til")
        if first and last and last < first:
            self.add_error("til", _("Til-datoen ligger før fra-datoen."))
        return data

    def filters(self) -> selectors.AuditFilter:
        """The filter of the fields that read (``is_valid`` first); the others filter nothing."""
        if not self.is_bound:
            return selectors.AuditFilter()
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return selectors.AuditFilter(
            first_day=data.get("fra"),
            last_day=data.get("til"),
            actor_id=data.get("bruger"),
            content_type_id=data.get("type"),
            event=data.get("haendelse") or "",
            focus_area_id=data.get("indsatsomraade"),
            search=(data.get("soeg") or "").strip(),
        )

    def query(self) -> dict[str, str]:
        """The parameters of the filters in use, as the page's links and the export carry
        them (without the page number)."""
        if not self.is_bound:
            return {}
        return {name: str(self.data[name]) for name in self.fields if self.data.get(name)}

    def query_string(self) -> str:
        return urlencode(self.query())
