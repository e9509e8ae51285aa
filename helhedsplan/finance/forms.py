from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helhedsplan.finance.models import (
    DEFAULT_BUDGET_COLUMNS,
    BudgetLine,
    FinanceSettings,
    FundingSource,
    Party,
)
from helhedsplan.finance.services import PARTIES_OF_KIND, Cell, FundingLine, budget_header
from helhedsplan.lib.forms import DanishDecimalField, GuardedForm
from helhedsplan.plans.models import FocusArea, Plan

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


ORGANISATION_PREFIX = "org:"


def party_choices(plan: Plan, kind: str | None = None) -> list[tuple[str, str]]:
    """Who may pay a source (of ``kind``; None: any): the parties, a housing organisation
    of the plan each as its own choice ("org:<id>")."""
    allowed = PARTIES_OF_KIND.get(kind or "", frozenset(Party.values))
    choices: list[tuple[str, str]] = []
    for value, label in Party.choices:
        if value not in allowed:
            continue
        if value == Party.HOUSING_ORGANISATION:
            choices += [
                (f"{ORGANISATION_PREFIX}{org.pk}", str(org.name))
                for org in plan.housing_organisations.order_by("name")
            ]
        else:
            choices.append((value, str(label)))
    return choices


def party_value(source: FundingSource) -> str:
    if source.party == Party.HOUSING_ORGANISATION and source.housing_organisation_id:
        return f"{ORGANISATION_PREFIX}{source.housing_organisation_id}"
    return str(source.party)


def parse_party(value: str) -> tuple[str, int | None]:
    """A choice of ``party_choices`` as (party, housing organisation id or None)."""
    if value.startswith(ORGANISATION_PREFIX):
        return Party.HOUSING_ORGANISATION, int(value.removeprefix(ORGANISATION_PREFIX))
    return value, None


class FundingAmountsForm(GuardedForm, forms.Form):
    """One amount field and one party field (who pays) per funding source of the plan. A
    party left out of the POST keeps the source's party."""

    def __init__(
        self, *args: object, sources: list[FundingSource], plan: Plan | None = None,
        **kwargs: object,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.sources = sources
        self.with_party = plan is not None
        for source in sources:
            if plan is not None:
                self.fields[f"party_{source.pk}"] = forms.ChoiceField(
                    label=_("Part for %(name)s") % {"name": source.name},
                    choices=party_choices(plan, source.kind),
                    initial=party_value(source),
                    required=False,
                    help_text=_("Hvem betaler beløbet"),
                )
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

    def parties(self) -> dict[int, tuple[str, int | None]]:
        data = self.cleaned_data
        return {
            s.pk: parse_party(data[f"party_{s.pk}"])
            for s in self.sources
            if data.get(f"party_{s.pk}")
        }

    def amount_and_party(self) -> list[tuple[forms.BoundField, forms.BoundField | None]]:
        """The fields per source, for the page: (amount, party or None)."""
        return [
            (self[f"amount_{s.pk}"], self[f"party_{s.pk}"] if self.with_party else None)
            for s in self.sources
        ]


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
        lbf, local = FundingSource.Kind.LBF, FundingSource.Kind.LOCAL
        rows: list[FundingLine | None] = [
            _line(lbf, str(_("Landsbyggefonden")), data.get("lbf"), Party.LBF),
            _line(local, self.municipality_name, data.get("municipality"), Party.MUNICIPALITY),
        ]
        rows += [
            _line(local, o.name, data.get(f"org_{o.pk}"), Party.HOUSING_ORGANISATION, o.pk)
            for o in self.organisations
        ]
        name = (data.get("other_name") or "").strip()
        if name:
            kind = data.get("other_kind") or local
            rows.append(_line(kind, name, data.get("other_amount"), Party.UNSPECIFIED))
        return [row for row in rows if row is not None]


def _line(
    kind: str, name: str, amount: Decimal | None, party: str, organisation_id: int | None = None
) -> FundingLine | None:
    return None if amount is None else FundingLine(kind, name, amount, party, organisation_id)


class FundingSourceAddForm(GuardedForm, forms.Form):
    """One more funding source for a plan that has some."""

    prefix = "add"

    kind = forms.ChoiceField(
        label=_("Type"), choices=FundingSource.Kind.choices, initial=FundingSource.Kind.LOCAL
    )
    name = forms.CharField(label=_("Navn på kilden"), max_length=200)
    amount = _amount_field(_("Beløb"), required=True)
    party = forms.ChoiceField(
        label=_("Part"),
        required=False,
        help_text=_(
            "Hvem betaler: fx én kilde pr. boligorganisations andel af den lokale medfinansiering"
        ),
    )

    def __init__(self, *args: object, plan: Plan, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["party"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = party_choices(plan)
        field.initial = Party.UNSPECIFIED

    def line(self) -> FundingLine:
        data = self.cleaned_data
        party, organisation_id = parse_party(data.get("party") or Party.UNSPECIFIED)
        return FundingLine(
            data["kind"], data["name"].strip(), data["amount"], party, organisation_id
        )


# --- the budget ------------------------------------------------------------------------------


class FocusAreaChoiceField(forms.ModelChoiceField[FocusArea]):
    def label_from_instance(self, obj: FocusArea) -> str:
        return f"{obj.code} {obj.name}"


class BudgetLineForm(GuardedForm, forms.Form):
    """A budget line: its kind, name and (for activities) focus area."""

    kind = forms.ChoiceField(label=_("Type"), choices=BudgetLine.Kind.choices)
    name = forms.CharField(
        label=_("Navn"),
        max_length=200,
        help_text=_("Fx funktionen for en stilling eller aktiviteterne i et indsatsområde."),
    )
    focus_area = FocusAreaChoiceField(
        label=_("Indsatsområde"),
        queryset=FocusArea.objects.none(),
        required=False,
        help_text=_("Skal vælges for aktiviteter; frivilligt for de andre typer."),
    )

    def __init__(self, *args: Any, plan: Plan, line: BudgetLine | None = None, **kwargs: Any):
        if line is not None:
            kwargs.setdefault(
                "initial", {"kind": line.kind, "name": line.name, "focus_area": line.focus_area_id}
            )
        super().__init__(*args, **kwargs)
        field = self.fields["focus_area"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = FocusArea.objects.filter(plan=plan).order_by("order", "code")


def _cell_key(line_id: int, source_id: int, year: int) -> str:
    return f"cell_{line_id}_{source_id}_{year}"


class BudgetAmountsForm(GuardedForm, forms.Form):
    """One amount field (kroner, øre allowed, Danish "1.250,50") per budget line, funding
    source and year of the plan period. An empty field is no amount."""

    def __init__(
        self, *args: Any, lines: list[BudgetLine], sources: list[FundingSource],
        years: list[int], amounts: dict[Cell, Decimal], **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.lines, self.sources, self.years = lines, sources, years
        for line in lines:
            for source in sources:
                for year in years:
                    where = _("%(line)s, %(year)s, %(source)s") % {
                        "line": line.name, "year": year, "source": source.name}  # fmt: skip
                    self.fields[_cell_key(line.pk, source.pk, year)] = DanishDecimalField(
                        label=where,
                        required=False,
                        min_value=Decimal(0),
                        max_digits=14,
                        decimal_places=2,
                        initial=amounts.get((line.pk, source.pk, year)),
                        # The error summary names the cell (its label) before the message.
                        error_messages={"min_value": _("beløbet må ikke være negativt.")},
                    )

    def cells(self) -> dict[Cell, Decimal | None]:
        return {
            (line.pk, source.pk, year): self.cleaned_data[_cell_key(line.pk, source.pk, year)]
            for line in self.lines
            for source in self.sources
            for year in self.years
        }

    def grid(self) -> list[tuple[FundingSource, list[tuple[BudgetLine, list[forms.BoundField]]]]]:
        """For the page: per source, per line, the year fields in the plan's order."""
        return [
            (source, [
                (line, [self[_cell_key(line.pk, source.pk, year)] for year in self.years])
                for line in self.lines
            ])
            for source in self.sources
        ]  # fmt: skip


class BudgetImportForm(GuardedForm, forms.Form):
    file = forms.FileField(
        label=_("Budget (XLSX)"),
        help_text=_("Første ark; første række er overskrifterne, som de er sat op for planen."),
    )


BUDGET_COLUMN_LABELS = {
    "line": _("budgetpost"),
    "year": _("år"),
    "source": _("finansieringskilde"),
    "amount": _("beløb i kroner"),
}


class BudgetColumnsForm(GuardedForm, forms.Form):
    """The header texts of the budget's XLSX, one per logical column."""

    def __init__(self, *args: Any, settings: FinanceSettings, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {f"col_{c}": budget_header(settings, c) for c in DEFAULT_BUDGET_COLUMNS}
        )
        super().__init__(*args, **kwargs)
        for column in DEFAULT_BUDGET_COLUMNS:
            self.fields[f"col_{column}"] = forms.CharField(
                label=_("Overskrift for kolonnen: %(column)s")
                % {"column": BUDGET_COLUMN_LABELS[column]},
                max_length=100,
                help_text=_("Standard: %(header)s") % {"header": DEFAULT_BUDGET_COLUMNS[column]},
            )

    def mapping(self) -> dict[str, str]:
        return {c: self.cleaned_data[f"col_{c}"] for c in DEFAULT_BUDGET_COLUMNS}
