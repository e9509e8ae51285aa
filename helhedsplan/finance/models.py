"""The money: funding by source, in whole thousands of kroner as LBF's budget has it."""

from __future__ import annotations

from decimal import Decimal

from auditlog.registry import auditlog
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.fields import FreeCharField


class FundingSource(models.Model):
    class Kind(models.TextChoices):
        LBF = "lbf", _("Landsbyggefonden")
        LOCAL = "local", _("Lokal medfinansiering")

    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.CASCADE, related_name="funding", verbose_name=_("plan")
    )
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

    @property
    def audit_plan_id(self) -> int:
        return self.plan_id


auditlog.register(FundingSource)
