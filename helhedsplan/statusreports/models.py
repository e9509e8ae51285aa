"""The board's short status report (kortfattet statusrapport, seed § 6) for a half-year.

A report is a draft while the secretariat writes its narrative per focus area; issuing it
stores a snapshot of the numbers as they were (``snapshot``, JSON built by
``statusreports.snapshot``) with a version number, and from then on it is never edited:
PDF and DOCX are rendered from the snapshot, so later corrections do not change it. A report
for a period that overlaps an issued one is refused unless it supersedes it (``supersedes``,
with a reason). Issuing locks the period's approved observations and registrations: a later
change is a ``PeriodCorrection`` with a reason, shown on the page and in the next report.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.fields import FreeCharField, FreeTextField
from helhedsplan.lib.models import Audited, PlanScoped, actor_key


class StatusReport(PlanScoped):
    class State(models.TextChoices):
        DRAFT = "draft", _("Kladde")
        ISSUED = "issued", _("Udsendt")
        SUPERSEDED = "superseded", _("Erstattet")

    plan_related_name = "status_reports"
    # The snapshot is the report's content, shown by the report itself; the audit trail
    # records that it was issued, not its thousands of numbers.
    audit_exclude = ("snapshot",)

    period_start = models.DateField(_("periodens start"))
    period_end = models.DateField(_("periodens slutning"))
    state = models.CharField(_("status"), max_length=12, choices=State.choices, default="draft")
    # Counted per plan in the order reports are issued (1, 2, ...); empty for a draft.
    version = models.PositiveSmallIntegerField(_("version"), null=True, blank=True)
    snapshot = models.JSONField(_("øjebliksbillede"), default=dict, blank=True)
    created_by = actor_key(_("oprettet af"))
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    issued_by = actor_key(_("udsendt af"))
    issued_at = models.DateTimeField(_("udsendt"), null=True, blank=True)
    # The issued report this one replaces (for the same or an overlapping period).
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("erstatter"),
    )
    supersede_reason = FreeTextField(_("begrundelse for at erstatte"), blank=True)
    # Sent to Landsbyggefonden: LBF's users then read it, with small numbers suppressed.
    shared_with_lbf_at = models.DateTimeField(
        _("sendt til Landsbyggefonden"), null=True, blank=True
    )
    shared_by = actor_key(_("sendt af"))

    class Meta:
        verbose_name = _("statusrapport")
        verbose_name_plural = _("statusrapporter")
        ordering = ["plan", "-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")),
                name="statusreport_period_forwards",
            ),
            models.UniqueConstraint(
                fields=["plan", "version"],
                condition=Q(version__isnull=False),
                name="statusreport_unique_version",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(version__isnull=False, issued_at__isnull=False),
                name="statusreport_issued_has_version",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Statusrapport %(period)s")) % {"period": self.period_label}

    def get_absolute_url(self) -> str:
        return self.plan_url("statusreports:detail", pk=self.pk)

    @property
    def period_label(self) -> str:
        """ "2018, 2. halvår" for a half-year; otherwise the two dates."""
        return period_label(self.period_start, self.period_end)

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_issued(self) -> bool:
        return self.state == self.State.ISSUED


def period_label(start: date, end: date) -> str:
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 6, 30):
        return str(_("%(year)s, 1. halvår")) % {"year": start.year}
    if start.year == end.year and (start.month, start.day, end.month, end.day) == (7, 1, 12, 31):
        return str(_("%(year)s, 2. halvår")) % {"year": start.year}
    return f"{start:%d.%m.%Y}–{end:%d.%m.%Y}"


class StatusNarrative(Audited):
    """The secretariat's short text on one focus area in one report (written while a draft)."""

    plan_path = "report__plan"
    focus_area_path = "focus_area"

    report = models.ForeignKey(
        StatusReport,
        on_delete=models.CASCADE,
        related_name="narratives",
        verbose_name=_("statusrapport"),
    )
    focus_area = models.ForeignKey(
        "plans.FocusArea",
        on_delete=models.PROTECT,
        related_name="status_narratives",
        verbose_name=_("indsatsområde"),
    )
    text = FreeTextField(_("kort beretning"), blank=True)

    class Meta:
        verbose_name = _("beretning pr. indsatsområde")
        verbose_name_plural = _("beretninger pr. indsatsområde")
        ordering = ["report", "focus_area__order", "focus_area__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "focus_area"], name="statusnarrative_one_per_focus_area"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.focus_area}"


class PeriodCorrection(PlanScoped):
    """A change to an approved observation or a registration of a period an issued report
    locked: what changed, why and by whom. Shown where the figure is and in the next report."""

    class Kind(models.TextChoices):
        OBSERVATION = "observation", _("Observation")
        REGISTRATION = "registration", _("Registrering")

    plan_related_name = "period_corrections"

    report = models.ForeignKey(
        StatusReport,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("låst af statusrapport"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    # What was corrected: one of the two, as ``kind`` says. Real keys, so a plan's export
    # and import (``transfer``) carry the link to the new plan's rows; empty if the row is
    # later deleted (``label`` keeps what it was).
    observation = models.ForeignKey(
        "criteria.Observation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("observation"),
    )
    registration = models.ForeignKey(
        "activities.Registration",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrering"),
    )
    # What was corrected, in words, as it read when corrected (the row may later be deleted).
    label = FreeCharField(_("hvad"), max_length=300)
    old = models.JSONField(_("før"), default=dict, blank=True)
    new = models.JSONField(_("efter"), default=dict, blank=True)
    reason = FreeTextField(_("begrundelse"))
    corrected_by = actor_key(_("rettet af"))
    corrected_at = models.DateTimeField(_("rettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("rettelse i låst periode")
        verbose_name_plural = _("rettelser i låste perioder")
        ordering = ["plan", "-corrected_at", "-pk"]
        indexes = [
            models.Index(fields=["plan", "observation"], name="correction_observation_idx"),
            models.Index(fields=["plan", "registration"], name="correction_registration_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_kind_display()})"

    @property
    def object_id(self) -> int | None:
        """The id of what was corrected (the observation's or the registration's)."""
        return self.observation_id if self.kind == self.Kind.OBSERVATION else self.registration_id
