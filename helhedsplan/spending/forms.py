from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from helhedsplan.finance.models import (
    DEFAULT_ACCOUNTS_COLUMNS,
    BudgetLine,
    FinanceSettings,
    FundingSource,
)
from helhedsplan.lib.forms import DanishDecimalField, GuardedForm
from helhedsplan.spending.models import ActualSpending
from helhedsplan.spending.services import ACCOUNTS_COLUMN_LABELS, accounts_header


def _amount_input() -> forms.TextInput:
    """A text input: a browser's number input refuses Danish amounts ("1.250,50")."""
    return forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 14})


def _field_name(line: BudgetLine, source: FundingSource) -> str:
    return f"amount_{line.pk}_{source.pk}"


class SpendingForm(GuardedForm, forms.Form):
    """One amount per budget line and funding source of a year (kroner; empty: none)."""

    def __init__(
        self,
        *args: Any,
        lines: list[BudgetLine],
        sources: list[FundingSource],
        cells: dict[tuple[int, int], ActualSpending],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lines, self.sources = lines, sources
        self.grid: list[tuple[BudgetLine, list[forms.BoundField]]] = []
        for line in lines:
            for source in sources:
                found = cells.get((line.pk, source.pk))
                self.fields[_field_name(line, source)] = DanishDecimalField(
                    label=_("%(line)s, %(source)s") % {"line": line.name, "source": source.name},
                    required=False,
                    min_value=Decimal(0),
                    max_digits=14,
                    decimal_places=2,
                    initial=found.amount if found else None,
                    widget=_amount_input(),
                    error_messages={
                        "min_value": _(
                            "Forbruget må ikke være negativt. Negative beløb er rettelser af "
                            "et godkendt år."
                        )
                    },
                )
        for line in lines:
            self.grid.append((line, [self[_field_name(line, s)] for s in sources]))

    def cells(self) -> dict[tuple[int, int], Decimal | None]:
        return {
            (line.pk, source.pk): self.cleaned_data.get(_field_name(line, source))
            for line in self.lines
            for source in self.sources
        }


class SpendingImportForm(GuardedForm, forms.Form):
    file = forms.FileField(
        label=_("Regnskab (XLSX eller CSV)"),
        help_text=_("Første ark; første række er overskrifterne, som de er sat op for planen."),
    )


class AccountsColumnsForm(GuardedForm, forms.Form):
    """The header texts of the accounts XLSX (LBF's template's, as the plan has them)."""

    def __init__(self, *args: Any, settings: FinanceSettings, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {f"col_{c}": accounts_header(settings, c) for c in DEFAULT_ACCOUNTS_COLUMNS}
        )
        super().__init__(*args, **kwargs)
        for column in DEFAULT_ACCOUNTS_COLUMNS:
            self.fields[f"col_{column}"] = forms.CharField(
                label=_("Overskrift for kolonnen med %(column)s")
                % {"column": ACCOUNTS_COLUMN_LABELS[column]},
                max_length=100,
                help_text=_("Standard: %(header)s") % {"header": DEFAULT_ACCOUNTS_COLUMNS[column]},
            )

    def mapping(self) -> dict[str, str]:
        return {c: self.cleaned_data[f"col_{c}"] for c in DEFAULT_ACCOUNTS_COLUMNS}


class AccountsCloseForm(GuardedForm, forms.Form):
    statement = forms.FileField(
        label=_("Revisors erklæring (PDF)"),
        help_text=_("Revisors påtegning eller erklæring om årets regnskab."),
    )
    note = forms.CharField(label=_("Bemærkning"), max_length=500, required=False)
    confirm = forms.BooleanField(
        label=_(
            "Jeg godkender regnskabet. Året lukkes og kan herefter kun rettes med begrundelse."
        ),
    )


class ByName(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A line or source offered by its name (a source's ``str`` carries its t.kr.)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class CorrectionForm(GuardedForm, forms.Form):
    line = ByName(label=_("Budgetpost"), queryset=BudgetLine.objects.none())
    source = ByName(label=_("Finansieringskilde"), queryset=FundingSource.objects.none())
    amount = DanishDecimalField(
        label=_("Rettelse (kr.)"),
        widget=_amount_input(),
        max_digits=14,
        decimal_places=2,
        help_text=_("Lægges til forbruget; et negativt beløb trækkes fra, fx -1.250,50."),
    )
    reason = forms.CharField(label=_("Begrundelse"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args: Any,
        lines: list[BudgetLine],
        sources: list[FundingSource],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        line_field = self.fields["line"]
        source_field = self.fields["source"]
        assert isinstance(line_field, forms.ModelChoiceField)
        assert isinstance(source_field, forms.ModelChoiceField)
        line_field.queryset = BudgetLine.objects.filter(pk__in=[line.pk for line in lines])
        source_field.queryset = FundingSource.objects.filter(pk__in=[s.pk for s in sources])
