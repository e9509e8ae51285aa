"""The programme evaluations (helhedsevaluering): seed § 6, "Denne evaluering foretages to
gange; en gang ultimo 2018 eller primo 2019 og en gang ultimo 2021".

Who performs it (a student, an education institution or another party), the method (fixed
after the plan's start: "fastlægges ... efter helhedsplanens opstart"), the questions, the
report (an uploaded PDF or DOCX), its findings and the board's decisions that follow them up.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.fields import FreeCharField, FreeTextField
from helhedsplan.lib.models import Audited, PlanScoped, actor_key


class ProgrammeEvaluation(PlanScoped):
    class Performer(models.TextChoices):
        UNDECIDED = "undecided", _("Ikke fastlagt endnu")
        STUDENT = "student", _("Studerende (kortvarig ansættelse)")
        INSTITUTION = "institution", _("Uddannelsesinstitution")
        OTHER = "other", _("Anden aktør")

    plan_related_name = "programme_evaluations"

    number = models.PositiveSmallIntegerField(_("nummer"))
    title = FreeCharField(_("titel"), max_length=200)
    # As the agreement words it ("ultimo 2018 eller primo 2019"), and the window it means.
    timing_text = FreeCharField(_("tidspunkt ifølge aftalen"), max_length=200, blank=True)
    due_from = models.DateField(_("tidligst"), null=True, blank=True)
    due_by = models.DateField(_("senest"))
    performer_kind = models.CharField(
        _("udføres af"), max_length=20, choices=Performer.choices, default=Performer.UNDECIDED
    )
    performer_name = FreeCharField(_("udførende"), max_length=200, blank=True)
    method = FreeTextField(_("metode"), blank=True)
    method_fixed_on = models.DateField(_("metode fastlagt den"), null=True, blank=True)
    report = models.ForeignKey(
        "files.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("evalueringsrapport"),
    )
    report_received_on = models.DateField(_("rapport modtaget"), null=True, blank=True)

    class Meta:
        verbose_name = _("helhedsevaluering")
        verbose_name_plural = _("helhedsevalueringer")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="progeval_unique_number"),
            models.CheckConstraint(
                condition=Q(due_from__isnull=True) | Q(due_from__lte=F("due_by")),
                name="progeval_window_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.plan_url("programmeevaluations:detail", pk=self.pk)


class EvaluationQuestion(Audited):
    """A question the evaluation answers (seed § 6: the organisation model for four areas,
    structural challenges, the methods that work)."""

    plan_path = "evaluation__plan"

    evaluation = models.ForeignKey(
        ProgrammeEvaluation,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("helhedsevaluering"),
    )
    text = FreeTextField(_("spørgsmål"))
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("evalueringsspørgsmål")
        verbose_name_plural = _("evalueringsspørgsmål")
        ordering = ["evaluation", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class EvaluationFinding(Audited):
    """A finding of the evaluation's report, as the secretariat records it."""

    plan_path = "evaluation__plan"

    evaluation = models.ForeignKey(
        ProgrammeEvaluation,
        on_delete=models.CASCADE,
        related_name="findings",
        verbose_name=_("helhedsevaluering"),
    )
    question = models.ForeignKey(
        EvaluationQuestion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("spørgsmål"),
    )
    text = FreeTextField(_("resultat"))
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("evalueringsresultat")
        verbose_name_plural = _("evalueringsresultater")
        ordering = ["evaluation", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class FindingFollowUp(Audited):
    """A board decision that follows up a finding."""

    plan_path = "finding__evaluation__plan"

    finding = models.ForeignKey(
        EvaluationFinding,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("evalueringsresultat"),
    )
    decision = models.ForeignKey(
        "meetings.Decision",
        on_delete=models.PROTECT,
        related_name="evaluation_follow_ups",
        verbose_name=_("beslutning"),
    )
    linked_by = actor_key(_("knyttet af"))
    linked_at = models.DateTimeField(_("knyttet"), default=timezone.now)

    class Meta:
        verbose_name = _("opfølgende beslutning")
        verbose_name_plural = _("opfølgende beslutninger")
        ordering = ["finding", "linked_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["finding", "decision"], name="findingfollowup_unique")
        ]

    def __str__(self) -> str:
        return f"{self.finding}: {self.decision}"
