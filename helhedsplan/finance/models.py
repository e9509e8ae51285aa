"""The money: funding by source, in whole thousands of kroner as LBF's budget has it."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.fields import FreeCharField
from helhedsplan.lib.models import PlanScoped


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
        return f"{self.name}: {self.amount_tkr} t.kr."
