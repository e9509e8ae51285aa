"""Users and their roles, per plan.

A user sees a plan only through a Membership; every page and query goes through
``helhedsplan.accounts.access`` which turns memberships into a PlanAccess.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.fields import FreeCharField
from helhedsplan.lib.models import Audited, PlanScoped, actor_key


class User(AbstractUser):
    is_demo = models.BooleanField(
        _("demobruger"),
        default=False,
        help_text=_("Oprettet af demo-indlæseren; vises på login-siden."),
    )
    # The language of the user's e-mails (reminders, notifications); the pages follow the
    # language the user picks in the page header.
    language = models.CharField(
        _("sprog i e-mails"),
        max_length=5,
        choices=[("da", "Dansk"), ("en", "English")],  # each in its own language
        default="da",
    )
    # The digest of what became due or overdue (``send_reminders``); opt-out per user.
    email_reminders = models.BooleanField(_("påmindelser pr. e-mail"), default=True)

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

    @property
    def takes_areas(self) -> bool:
        """The role registers for chosen areas (a coordinator's)."""
        return self.role == Role.COORDINATOR


class Invitation(PlanScoped):
    """An invitation by e-mail to take a role on a plan, answered through a link.

    The link's token is kept only as its SHA-256 (``token_hash``): whoever reads the database
    cannot answer an invitation. A pending invitation is neither accepted, revoked nor
    expired; ``accounts.services`` refuses a second pending one to the same address.
    """

    plan_related_name = "invitations"
    audit_m2m = ("areas",)
    # Never in the trail: the hash is what a link is checked against.
    audit_exclude = ("token_hash",)

    email = models.EmailField(_("e-mail"), max_length=150)
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)
    areas = models.ManyToManyField(
        "plans.HousingArea",
        blank=True,
        related_name="coordinator_invitations",
        verbose_name=_("boligområder"),
    )
    language = models.CharField(
        _("sprog"), max_length=5, choices=[("da", "Dansk"), ("en", "English")], default="da"
    )
    token_hash = models.BinaryField(_("token (SHA-256)"), max_length=32, unique=True)
    invited_by = actor_key(_("inviteret af"))
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    expires_at = models.DateTimeField(_("udløber"))
    accepted_at = models.DateTimeField(_("modtaget"), null=True, blank=True)
    accepted_by = actor_key(_("modtaget af"))
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)
    revoked_by = actor_key(_("tilbagekaldt af"))

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitationer")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()} – {self.plan}"

    @property
    def is_pending(self) -> bool:
        return self.state == "pending"

    @property
    def state(self) -> str:
        """ "accepted", "revoked", "expired" or "pending"."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"

    @property
    def state_label(self) -> str:
        return str(INVITATION_STATES[self.state])


INVITATION_STATES = {
    "pending": _("Afventer svar"),
    "accepted": _("Modtaget"),
    "revoked": _("Tilbagekaldt"),
    "expired": _("Udløbet"),
}


class ApiToken(Audited):
    """A personal API token (``Authorization: Bearer <token>``), made and revoked by its user.

    Only the SHA-256 of the secret is kept (``token_hash``, never in the audit trail); the
    secret is shown once, when it is made. ``prefix`` (the secret's first characters) lets
    the user tell their tokens apart. A token acts as its user with their roles; a read
    token is refused every write (403). Revoked or expired: 401, like no token.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Kun læse")
        READ_WRITE = "read-write", _("Læse og skrive")

    # The tokens are the user's, on no single plan.
    plan_path = None
    audit_exclude = ("token_hash", "last_used_at")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("bruger")
    )
    name = FreeCharField(_("navn"), max_length=100)
    prefix = models.CharField(_("begyndelse"), max_length=12)
    token_hash = models.BinaryField(_("nøgle (SHA-256)"), max_length=32, unique=True)
    scope = models.CharField(_("adgang"), max_length=10, choices=Scope.choices)
    created_at = models.DateTimeField(_("oprettet"), default=timezone.now)
    expires_at = models.DateTimeField(_("udløber"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("sidst brugt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-nøgle")
        verbose_name_plural = _("API-nøgler")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )

    @property
    def may_write(self) -> bool:
        return self.scope == self.Scope.READ_WRITE
