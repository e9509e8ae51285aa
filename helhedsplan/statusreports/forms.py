from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.forms import GuardedForm
from helhedsplan.plans.models import FocusArea, Plan
from helhedsplan.statusreports.models import StatusReport, period_label
from helhedsplan.statusreports.services import half_years


def period_key(start: date, end: date) -> str:
    return f"{start.isoformat()}_{end.isoformat()}"


def overlapping_issued_labels(plan: Plan) -> list[tuple[date, date, int]]:
    """The issued reports' periods and versions (one query)."""
    return [
        (r.period_start, r.period_end, r.version or 0)
        for r in StatusReport.objects.filter(plan=plan, state=StatusReport.State.ISSUED)
    ]


def _label(start: date, end: date, taken: list[tuple[date, date, int]]) -> str:
    label = period_label(start, end)
    for s, e, version in taken:
        if s <= end and e >= start:
            return (
                label
                + " – "
                + str(
                    _("udsendt som version %(version)s; kan kun erstattes") % {"version": version}
                )
            )
    return label


class StatusReportCreateForm(GuardedForm, forms.Form):
    """A new draft: the half-year, and whether it replaces the issued report of the period."""

    period = forms.ChoiceField(
        label=_("Periode"),
        error_messages={
            "required": _("Vælg en periode. Intet er gemt."),
            "invalid_choice": _("Vælg et af planens halvår. Intet er gemt."),
        },
    )
    supersede = forms.BooleanField(
        label=_("Erstat den udsendte rapport for perioden"),
        required=False,
        help_text=_("Kun hvis perioden allerede har en udsendt rapport, der skal rettes."),
    )
    supersede_reason = forms.CharField(
        label=_("Begrundelse for at erstatte"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = overlapping_issued_labels(plan)
        self.fields["period"].choices = [  # type: ignore[attr-defined]
            (period_key(s, e), _label(s, e, taken)) for s, e in reversed(half_years(plan))
        ]

    def dates(self) -> tuple[date, date]:
        start, end = self.cleaned_data["period"].split("_")
        return date.fromisoformat(start), date.fromisoformat(end)


class NarrativeForm(GuardedForm, forms.Form):
    """One text per focus area (``fa<pk>``)."""

    def __init__(
        self, *args: Any, focus_areas: list[FocusArea], texts: dict[int, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.focus_areas = focus_areas
        for fa in focus_areas:
            self.fields[f"fa{fa.pk}"] = forms.CharField(
                label=str(fa),
                required=False,
                initial=texts.get(fa.pk, ""),
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("Kort beretning om indsatsområdet i perioden."),
            )

    def texts(self) -> list[tuple[FocusArea, str]]:
        return [(fa, self.cleaned_data.get(f"fa{fa.pk}", "")) for fa in self.focus_areas]
