"""The milestone plan for the whole period (the seed's front part: "En milepælsplan for den
samlede projektperiode"): milestones with a date, an owner, what counts as done and a link
to what proves it (a meeting, a status report, an agreement version, a programme
evaluation). The attachment "milepælsplan" is generated from these rows.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.fields import FreeCharField, FreeTextField
from helhedsplan.lib.models import PlanScoped, actor_key


class Milestone(PlanScoped):
    class Kind(models.TextChoices):
        PROGRAMME_EVALUATION = "programme_evaluation", _("Helhedsevaluering")
        DECISION = "decision", _("Beslutning")
        EVALUATION_MEETING = "evaluation_meeting", _("Evalueringsmøde")
        REPORT = "report", _("Rapport")
        OTHER = "other", _("Anden milepæl")

    plan_related_name = "milestones"

    title = FreeCharField(_("milepæl"), max_length=200)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    starts_on = models.DateField(
        _("påbegyndes"),
        null=True,
        blank=True,
        help_text=_("Valgfri: giver en bjælke i milepælsplanen frem til datoen."),
    )
    due_on = models.DateField(_("dato"))
    # As the agreement words it ("ultimo 2021", "baseret på det første år").
    timing_text = FreeCharField(_("tidspunkt ifølge aftalen"), max_length=200, blank=True)
    owner = FreeCharField(_("ansvarlig"), max_length=200)
    done_when = FreeTextField(_("hvornår er den nået"))
    source = FreeCharField(
        _("kilde"), max_length=200, blank=True, help_text=_("Fx aftalens afsnit (§ 6).")
    )
    done_on = models.DateField(_("nået den"), null=True, blank=True)
    done_by = actor_key(_("markeret nået af"))
    proof_meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dokumenteret ved møde"),
    )
    proof_status_report = models.ForeignKey(
        "statusreports.StatusReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dokumenteret ved statusrapport"),
    )
    proof_agreement_version = models.ForeignKey(
        "agreements.AgreementVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dokumenteret ved aftaleversion"),
    )
    proof_evaluation = models.ForeignKey(
        "programmeevaluations.ProgrammeEvaluation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("dokumenteret ved helhedsevaluering"),
    )

    class Meta:
        verbose_name = _("milepæl")
        verbose_name_plural = _("milepæle")
        ordering = ["plan", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(starts_on__lte=F("due_on")),
                name="milestone_starts_before_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.plan_url("milestones:list")
