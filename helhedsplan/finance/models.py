"""The money: funding by source, in whole thousands of kroner as LBF's budget has it."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.fields import FreeCharField
from helhedsplan.lib.models import Audited, PlanScoped
from helhedsplan.lib.numbers import format_number


class Party(models.TextChoices):
    """Who pays a funding source's money: LBF, the municipality, a housing organisation."""

    LBF = "lbf", _("Landsbyggefonden")
    MUNICIPALITY = "municipality", _("Kommunen")
    HOUSING_ORGANISATION = "housing_organisation", _("Boligorganisation")
    UNSPECIFIED = "unspecified", _("Ikke fordelt på parter")


class FundingSource(PlanScoped):
    class Kind(models.TextChoices):
        LBF = "lbf", _("Landsbyggefonden")
        LOCAL = "local", _("Lokal medfinansiering")

    plan_related_name = "funding"

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    name = FreeCharField(_("finansieringskilde"), max_length=200)
    amount_tkr = models.DecimalField(
        _("beløb (t.kr.)"),
        max_digits=12,
        decimal_places=0,
        validators=[MinValueValidator(Decimal(0))],
    )
    # Who pays (issue 13): the seed names only "Landsbyggefonden" and "Lokal
    # medfinansiering", so the demo's local source is "unspecified" until the split between
    # the municipality and the housing organisations is entered.
    party = models.CharField(
        _("part"), max_length=30, choices=Party.choices, default=Party.UNSPECIFIED
    )
    housing_organisation = models.ForeignKey(
        "plans.HousingOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("boligorganisation"),
    )
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("finansieringskilde")
        verbose_name_plural = _("finansiering")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="funding_unique_name_per_plan"),
            models.CheckConstraint(
                condition=models.Q(amount_tkr__gte=0), name="funding_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {format_number(self.amount_tkr)} t.kr."


class BudgetLine(PlanScoped):
    """A line of the budget as LBF's budget template structures it: staff per function,
    activities per focus area, administration, evaluation, other. The plan's lines are its
    own (named by the secretariat); an import or an account names a line the plan has."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Personale")
        ACTIVITIES = "activities", _("Aktiviteter")
        ADMINISTRATION = "administration", _("Administration")
        EVALUATION = "evaluation", _("Evaluering")
        OTHER = "other", _("Øvrige udgifter")

    plan_related_name = "budget_lines"
    focus_area_path = "focus_area"

    kind = models.CharField(_("budgetpost-type"), max_length=20, choices=Kind.choices)
    name = FreeCharField(
        _("budgetpost"),
        max_length=200,
        help_text=_("Fx funktionen for en stilling eller aktiviteterne i et indsatsområde."),
    )
    focus_area = models.ForeignKey(
        "plans.FocusArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("indsatsområde"),
    )
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("budgetpost")
        verbose_name_plural = _("budgetposter")
        ordering = ["plan", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="budgetline_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class BudgetAmount(Audited):
    """The budget of one line, one year, one funding source, in kroner."""

    plan_path = "line__plan"
    focus_area_path = "line__focus_area"

    line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, related_name="amounts", verbose_name=_("budgetpost")
    )
    source = models.ForeignKey(
        FundingSource,
        on_delete=models.PROTECT,
        related_name="budget_amounts",
        verbose_name=_("finansieringskilde"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(
        _("beløb (kr.)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        verbose_name = _("budgetbeløb")
        verbose_name_plural = _("budgetbeløb")
        ordering = ["line__order", "line_id", "year", "source__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "source", "year"], name="budgetamount_unique_cell"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="budgetamount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.year}: {format_number(self.amount, 2)} kr."


# Logical column -> header text in the budget and accounts XLSX. LBF's template lives in
# LBF's portal and its columns are not public, so a plan sets the header texts
# (FinanceSettings.budget_columns / accounts_columns); the README lists these.
DEFAULT_BUDGET_COLUMNS: dict[str, str] = {
    "line": "Budgetpost",
    "year": "År",
    "source": "Finansieringskilde",
    "amount": "Beløb (kr.)",
}
DEFAULT_ACCOUNTS_COLUMNS: dict[str, str] = {
    "line": "Budgetpost",
    "year": "År",
    "source": "Finansieringskilde",
    "amount": "Forbrug (kr.)",
}


def default_budget_columns() -> dict[str, str]:
    return dict(DEFAULT_BUDGET_COLUMNS)


def default_accounts_columns() -> dict[str, str]:
    return dict(DEFAULT_ACCOUNTS_COLUMNS)


class FinanceSettings(Audited):
    """Per plan: the header texts of the budget and accounts XLSX (LBF's template)."""

    plan_path = "plan"

    plan = models.OneToOneField(
        "plans.Plan",
        on_delete=models.CASCADE,
        related_name="finance_settings",
        verbose_name=_("plan"),
    )
    budget_columns = models.JSONField(
        _("kolonneoverskrifter i budgettet"), default=default_budget_columns
    )
    accounts_columns = models.JSONField(
        _("kolonneoverskrifter i regnskabet"), default=default_accounts_columns
    )

    class Meta:
        verbose_name = _("indstillinger for budget og regnskab")
        verbose_name_plural = _("indstillinger for budget og regnskab")

    def __str__(self) -> str:
        return str(self.plan)
