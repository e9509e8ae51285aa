from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from helhedsplan.finance.models import FundingSource
from helhedsplan.lib.forms import DanishDecimalField, GuardedForm


class FundingAmountsForm(GuardedForm, forms.Form):
    """One amount field per funding source of the plan."""

    def __init__(self, *args: object, sources: list[FundingSource], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.sources = sources
        for source in sources:
            self.fields[f"amount_{source.pk}"] = DanishDecimalField(
                label=source.name,
                min_value=Decimal(0),
                decimal_places=0,
                max_digits=12,
                initial=source.amount_tkr,
                help_text=_("Hele tusinde kroner"),
                error_messages={"min_value": _("Beløbet må ikke være negativt.")},
            )

    def amounts(self) -> dict[int, Decimal]:
        return {s.pk: self.cleaned_data[f"amount_{s.pk}"] for s in self.sources}
