"""The national overview's filters: one set of GET parameters for the page and its export.

The choices are what the user's rows hold (their plans' municipalities and frameworks); a
value that is not among them is an error on its field and filters nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.forms import GuardedForm
from helhedsplan.national.selectors import PlanRow
from helhedsplan.plans.models import Plan


class OverviewFilterForm(GuardedForm, forms.Form):
    # The query-string names, in the order the form shows them.
    kommune = forms.TypedChoiceField(
        label=_("Kommune"), required=False, coerce=int, empty_value=None
    )
    ramme = forms.ChoiceField(label=_("Bevillingsramme"), required=False)
    status = forms.ChoiceField(label=_("Planens status"), required=False)
    venter = forms.BooleanField(label=_("Har versioner, der venter på LBF"), required=False)
    mangler = forms.BooleanField(label=_("Mangler bilag"), required=False)
    liste = forms.BooleanField(label=_("Har områder på en liste"), required=False)

    def __init__(self, data: Any, *, rows: list[PlanRow]) -> None:
        super().__init__(data)
        every = [("", _("Alle"))]
        municipalities = {r.plan.municipality_id: r.plan.municipality.name for r in rows}
        self.fields["kommune"].choices = every + sorted(  # type: ignore[attr-defined]
            municipalities.items(), key=lambda item: item[1]
        )
        self.fields["ramme"].choices = every + [  # type: ignore[attr-defined]
            (f, f) for f in sorted({r.plan.framework for r in rows})
        ]
        self.fields["status"].choices = every + list(Plan.Status.choices)  # type: ignore[attr-defined]

    def keep(self, rows: list[PlanRow]) -> list[PlanRow]:
        """The rows the valid filters keep (all of them when nothing is chosen); a field in
        error filters nothing."""
        self.is_valid()
        data = self.cleaned_data
        kept = []
        for row in rows:
            plan = row.plan
            if data.get("kommune") and plan.municipality_id != data["kommune"]:
                continue
            if data.get("ramme") and plan.framework != data["ramme"]:
                continue
            if data.get("status") and plan.status != data["status"]:
                continue
            if data.get("venter") and not row.waiting:
                continue
            if data.get("mangler") and not row.attachments_missing:
                continue
            if data.get("liste") and not row.on_list:
                continue
            kept.append(row)
        return kept

    @property
    def filtered(self) -> bool:
        self.is_valid()
        return any(self.cleaned_data.values())
