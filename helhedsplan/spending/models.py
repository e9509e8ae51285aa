"""The accounts: what was actually spent per year, budget line and funding source.

A year's registered spending (``ActualSpending``) is edited while the year is open. When the
secretariat approves the year's accounts with the auditor's statement (``AccountsClosing``)
the year is closed: its figures are not edited again, only corrected (``SpendingCorrection``,
with a reason; a correction may be negative). Spent = registered + the corrections.
Amounts in kroner, as the accounts have them; the budget's funding is in t.kr.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.fields import FreeCharField, FreeTextField
from helhedsplan.lib.models import Audited, PlanScoped, actor_key
from helhedsplan.lib.numbers import format_number


class ActualSpending(Audited):
    """Spent in one year on one budget line from one funding source, as registered or
    imported (kroner, not negative)."""

    plan_path = "line__plan"
    focus_area_path = "line__focus_area"

    line = models.ForeignKey(
        "finance.BudgetLine",
        on_delete=models.PROTECT,
        related_name="spending",
        verbose_name=_("budgetpost"),
    )
    source = models.ForeignKey(
        "finance.FundingSource",
        on_delete=models.PROTECT,
        related_name="spending",
        verbose_name=_("finansieringskilde"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(
        _("forbrug (kr.)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    registered_by = actor_key(_("registreret af"))
    registered_at = models.DateTimeField(_("registreret"), default=timezone.now)

    class Meta:
        verbose_name = _("forbrug")
        verbose_name_plural = _("forbrug")
        ordering = ["line__order", "line_id", "year", "source__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "source", "year"], name="actualspending_unique_cell"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="actualspending_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.year}: {format_number(self.amount, 2)} kr."


class SpendingCorrection(PlanScoped):
    """A correction of a closed year's spending: an amount added (or, negative, taken off)
    one line and source, with the reason. The only way a closed year's figures change."""

    plan_related_name = "spending_corrections"
    focus_area_path = "line__focus_area"

    line = models.ForeignKey(
        "finance.BudgetLine",
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("budgetpost"),
    )
    source = models.ForeignKey(
        "finance.FundingSource",
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("finansieringskilde"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    amount = models.DecimalField(_("rettelse (kr.)"), max_digits=14, decimal_places=2)
    reason = FreeTextField(_("begrundelse"))
    corrected_by = actor_key(_("rettet af"))
    corrected_at = models.DateTimeField(_("rettet"), default=timezone.now)

    class Meta:
        verbose_name = _("rettelse af regnskab")
        verbose_name_plural = _("rettelser af regnskab")
        ordering = ["plan", "year", "corrected_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="spendingcorrection_not_zero"),
            models.CheckConstraint(condition=~Q(reason=""), name="spendingcorrection_has_reason"),
        ]

    def __str__(self) -> str:
        sign = "+" if self.amount > 0 else ""
        return f"{self.line} {self.year}: {sign}{format_number(self.amount, 2)} kr."


class AccountsClosing(PlanScoped):
    """A year's accounts approved by the secretariat with the auditor's statement: the year
    is closed."""

    plan_related_name = "accounts_closings"

    year = models.PositiveSmallIntegerField(_("år"))
    approved_by = actor_key(_("godkendt af"))
    approved_at = models.DateTimeField(_("godkendt"), default=timezone.now)
    auditor_statement = models.ForeignKey(
        "files.StoredFile",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revisors erklæring"),
    )
    note = FreeCharField(_("bemærkning"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("godkendt årsregnskab")
        verbose_name_plural = _("godkendte årsregnskaber")
        ordering = ["plan", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="accountsclosing_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.plan}: {self.year}"
