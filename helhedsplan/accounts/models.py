"""Users and their roles, per plan.

A user sees a plan only through a Membership; every page and query goes through
``helhedsplan.accounts.access`` which turns memberships into a PlanAccess.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.models import PlanScoped


class User(AbstractUser):
    is_demo = models.BooleanField(
        _("demobruger"),
        default=False,
        help_text=_("Oprettet af demo-indlæseren; vises på login-siden."),
    )

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("Sekretariat")
    COORDINATOR = "coordinator", _("Koordinator")
    MUNICIPAL = "municipal", _("Kommunal registrant")
    BOARD = "board", _("Bestyrelsesmedlem")
    LBF = "lbf", _("Landsbyggefonden")
    AUDITOR = "auditor", _("Revisor")


class Membership(PlanScoped):
    """A user's role on one plan. A coordinator's areas limit what they may register."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("bruger")
    )
    plan_related_name = "memberships"
    audit_m2m = ("areas",)

    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    areas = models.ManyToManyField(
        "plans.HousingArea",
        blank=True,
        related_name="coordinator_memberships",
        verbose_name=_("boligområder"),
        help_text=_("Kun for koordinatorer: de områder, koordinatoren registrerer for."),
    )

    class Meta:
        verbose_name = _("rolle på plan")
        verbose_name_plural = _("roller på planer")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "plan", "role"], name="membership_unique_role_per_plan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.plan}"

    def get_additional_data(self) -> dict[str, object]:
        return {"plan": self.plan_id}
