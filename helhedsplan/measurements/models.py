"""LBF's centrally generated measurements (centralt genererede målinger, seed § 4).

``Indicator`` is the catalogue, per grant framework: the register-based indicators LBF
supplies (code, Danish name, unit, whether it is a rate of a numerator over a denominator,
which direction is better, the source). It is installation-wide (no plan owns it) and is
edited by the installation's staff; ``measurements.catalogue`` holds the starting rows (the
government's list criteria, whose codes the list engine reads).

``CentralMeasurement`` is one value of one indicator for one housing area and year, as LBF's
portals deliver it. A value the source suppressed (diskretioneret) is stored as suppressed,
with no value: never as zero.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.fields import FreeCharField, FreeTextField
from helhedsplan.lib.models import Audited
from helhedsplan.measurements import catalogue


def default_columns() -> dict[str, str]:
    return dict(catalogue.DEFAULT_COLUMNS)


class Indicator(Audited):
    plan_path = None

    class Unit(models.TextChoices):
        PERCENT = catalogue.PERCENT, _("procent")
        COUNT = catalogue.COUNT, _("antal")
        PER_1000 = "promille", _("pr. 1.000")
        AMOUNT = "kr", _("kroner")
        SCALE = "skala", _("skala")

    class Direction(models.TextChoices):
        DOWN = catalogue.DOWN, _("lavere er bedre")
        UP = catalogue.UP, _("højere er bedre")
        NONE = catalogue.NONE, _("ingen retning")

    framework = FreeCharField(_("bevillingsramme"), max_length=20)
    code = models.SlugField(_("kode"), max_length=60)
    name = FreeCharField(_("navn"), max_length=300)
    unit = models.CharField(_("enhed"), max_length=10, choices=Unit.choices)
    is_rate = models.BooleanField(_("andel med tæller og nævner"), default=False)
    numerator_label = FreeCharField(_("tæller"), max_length=200, blank=True)
    denominator_label = FreeCharField(_("nævner"), max_length=200, blank=True)
    direction = models.CharField(
        _("retning"), max_length=10, choices=Direction.choices, default=Direction.NONE
    )
    source = FreeCharField(_("kilde"), max_length=200, default=catalogue.SOURCE)
    description = FreeTextField(_("beskrivelse"), blank=True)
    # One of the government's list criteria (lists.engine reads it by its fixed code).
    list_criterion = models.BooleanField(_("listekriterium"), default=False)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="indicator_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class CentralMeasurement(Audited):
    """One indicator's value for one area and year, as delivered by LBF."""

    plan_path = "area__plan"

    area = models.ForeignKey(
        "plans.HousingArea",
        on_delete=models.CASCADE,
        related_name="central_measurements",
        verbose_name=_("område"),
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.PROTECT,
        related_name="measurements",
        verbose_name=_("indikator"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    value = models.DecimalField(_("værdi"), max_digits=14, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(
        _("tæller"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    denominator = models.DecimalField(
        _("nævner"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # Diskretioneret by the source: no value is stored (not zero).
    suppressed = models.BooleanField(_("diskretioneret"), default=False)
    source = FreeCharField(_("kilde"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("indlæst"), auto_now=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indlæst af"),
    )

    class Meta:
        verbose_name = _("central måling")
        verbose_name_plural = _("centrale målinger")
        ordering = ["area", "indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "indicator", "year"], name="central_measurement_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(suppressed=False) | models.Q(value__isnull=True),
                name="central_measurement_suppressed_has_no_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.indicator.code} {self.year}"


class MeasurementSettings(Audited):
    """Per plan: the column headers of LBF's file (the layout is not public)."""

    plan_path = "plan"

    plan = models.OneToOneField(
        "plans.Plan",
        on_delete=models.CASCADE,
        related_name="measurement_settings",
        verbose_name=_("plan"),
    )
    columns = models.JSONField(_("kolonneoverskrifter"), default=default_columns)

    class Meta:
        verbose_name = _("indstillinger for centrale målinger")
        verbose_name_plural = _("indstillinger for centrale målinger")

    def __str__(self) -> str:
        return str(self.plan)
