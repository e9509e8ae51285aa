from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helhedsplan.finance.models import FundingSource
from helhedsplan.finance.services import FundingLine
from helhedsplan.lib.forms import DanishDecimalField, GuardedForm
from helhedsplan.plans.models import Plan

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


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


def _amount_field(label: StrOrPromise, *, required: bool = False) -> DanishDecimalField:
    return DanishDecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        decimal_places=0,
        max_digits=12,
        help_text=_("Hele tusinde kroner"),
        error_messages={"min_value": _("Beløbet må ikke være negativt.")},
    )


class FundingSetupForm(GuardedForm, forms.Form):
    """The funding of a plan without any: LBF's grant, the municipality's co-financing, each
    housing organisation's, and one other source. Rows left empty are not created."""

    lbf = _amount_field(_("Landsbyggefondens bevilling"))
    other_kind = forms.ChoiceField(
        label=_("Type"), choices=FundingSource.Kind.choices, initial=FundingSource.Kind.LOCAL
    )
    other_name = forms.CharField(label=_("Navn på kilden"), max_length=200, required=False)
    other_amount = _amount_field(_("Beløb"))

    def __init__(self, *args: object, plan: Plan, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.municipality_name = plan.municipality.name
        self.organisations = list(plan.housing_organisations.order_by("name"))
        self.fields["municipality"] = _amount_field(
            _("%(name)s (kommunens medfinansiering)") % {"name": self.municipality_name}
        )
        for org in self.organisations:
            self.fields[f"org_{org.pk}"] = _amount_field(
                _("%(name)s (boligorganisationens medfinansiering)") % {"name": org.name}
            )
        orgs = [f"org_{o.pk}" for o in self.organisations]
        self.order_fields(["lbf", "municipality", *orgs, "other_kind", "other_name"])

    @property
    def local_fields(self) -> list[forms.BoundField]:
        return [self["municipality"]] + [self[f"org_{o.pk}"] for o in self.organisations]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name, amount = (data.get("other_name") or "").strip(), data.get("other_amount")
        if amount is not None and not name:
            self.add_error("other_name", _("Skriv navnet på den anden kilde."))
        if name and amount is None and "other_amount" not in self.errors:
            self.add_error("other_amount", _("Skriv beløbet for %(name)s.") % {"name": name})
        if not self.errors and not self.lines():
            raise forms.ValidationError(
                _("Skriv mindst ét beløb. Intet er gemt."), code="no_amounts"
            )
        return data

    def lines(self) -> list[FundingLine]:
        data = self.cleaned_data
        rows: list[tuple[str, str, Decimal | None]] = [
            (FundingSource.Kind.LBF, str(_("Landsbyggefonden")), data.get("lbf")),
            (FundingSource.Kind.LOCAL, self.municipality_name, data.get("municipality")),
        ]
        rows += [
            (FundingSource.Kind.LOCAL, o.name, data.get(f"org_{o.pk}")) for o in self.organisations
        ]
        name = (data.get("other_name") or "").strip()
        if name:
            rows.append(
                (data.get("other_kind") or FundingSource.Kind.LOCAL, name, data.get("other_amount"))
            )
        return [FundingLine(kind, n, amount) for kind, n, amount in rows if amount is not None]


class FundingSourceAddForm(GuardedForm, forms.Form):
    """One more funding source for a plan that has some."""

    prefix = "add"

    kind = forms.ChoiceField(
        label=_("Type"), choices=FundingSource.Kind.choices, initial=FundingSource.Kind.LOCAL
    )
    name = forms.CharField(label=_("Navn på kilden"), max_length=200)
    amount = _amount_field(_("Beløb"), required=True)

    def line(self) -> FundingLine:
        data = self.cleaned_data
        return FundingLine(data["kind"], data["name"].strip(), data["amount"])
