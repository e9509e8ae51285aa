"""The government's lists of vulnerable areas: the national figures per list year, and a
plan's list vision.

``ListThreshold`` is a national figure a rule set needs for a list year (e.g.
``doemte_landsgennemsnit_pct``, the national share of convicted residents, from which
"mindst 3 gange landsgennemsnittet" is computed), with its source. Installation-wide: entered
by the staff, never hard-coded. The rule sets themselves are data files read by the pure
engine (``lists/rules/*.json``, ``lists.engine``).

``ListVision`` is a plan's aim for the lists (seed § 1: no area on the list after 2025).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.fields import FreeCharField, FreeTextField
from helhedsplan.lib.models import Audited


class ListThreshold(Audited):
    plan_path = None

    list_year = models.PositiveSmallIntegerField(_("listeår"), validators=[MinValueValidator(2010)])
    key = models.SlugField(_("nøgletal"), max_length=60)
    value = models.DecimalField(_("værdi"), max_digits=12, decimal_places=4)
    source = FreeCharField(_("kilde"), max_length=300)
    entered_at = models.DateTimeField(_("indtastet"), auto_now=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indtastet af"),
    )

    class Meta:
        verbose_name = _("landstal for listen")
        verbose_name_plural = _("landstal for listerne")
        ordering = ["list_year", "key"]
        constraints = [
            models.UniqueConstraint(fields=["list_year", "key"], name="list_threshold_unique")
        ]

    def __str__(self) -> str:
        return f"{self.list_year}: {self.key}"


class ListVision(Audited):
    """The plan's aim: none of its areas on the government's lists after ``after_year``."""

    plan_path = "plan"

    plan = models.OneToOneField(
        "plans.Plan",
        on_delete=models.CASCADE,
        related_name="list_vision",
        verbose_name=_("plan"),
    )
    after_year = models.PositiveSmallIntegerField(
        _("ingen områder på listen efter"), validators=[MinValueValidator(2010)]
    )
    text = FreeTextField(_("visionen med aftalens ord"), blank=True)
    source = FreeCharField(_("kilde"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("listevision")
        verbose_name_plural = _("listevisioner")

    def __str__(self) -> str:
        return f"{self.plan}: {self.after_year}"
