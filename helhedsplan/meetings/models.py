"""Meetings of the bodies, their minutes and decisions; notices (§ 9) and disputes (§ 10)."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.fields import FreeCharField, FreeTextField
from helhedsplan.lib.models import Audited, PlanScoped, actor_key

# What a decision may concern, by "app_label.model". The apps are built separately; a
# decision links to them through the content type, so no migration is needed when they land.
DECISION_TARGETS = (
    "criteria.successcriterion",
    "activities.activity",
    "agreements.agreementversion",
)
# What a decision may also concern when a service records it as part of a workflow (the
# board's approval of a sub-agreement version): not offered in the free decision form,
# where linking it would not approve anything.
WORKFLOW_DECISION_TARGETS = ("agreements.subagreementversion",)


class Meeting(PlanScoped):
    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinært møde")
        EVALUATION = "evaluation", _("Årligt evalueringsmøde")
        BOARD_STATUS_ASSESSMENT = (
            "board_status_assessment",
            _("Bestyrelsens vurdering (statusrapport og gruppernes evaluering)"),
        )
        BOARD_CRITERIA_ASSESSMENT = (
            "board_criteria_assessment",
            _("Bestyrelsens vurdering (understøtter aktiviteterne succeskriterierne)"),
        )

    plan_related_name = "meetings"
    audit_m2m = ("attendees",)

    body = models.ForeignKey(
        "organisation.Body",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("organ"),
    )
    kind = models.CharField(
        _("mødetype"), max_length=30, choices=Kind.choices, default=Kind.ORDINARY
    )
    date = models.DateField(_("dato"))
    title = FreeCharField(_("titel"), max_length=200, blank=True)
    location = FreeCharField(_("sted"), max_length=200, blank=True)
    attendees = models.ManyToManyField(
        "organisation.Person",
        blank=True,
        related_name="meetings_attended",
        verbose_name=_("deltagere"),
    )
    minutes_text = FreeTextField(_("referat"), blank=True)
    minutes_file = models.ForeignKey(
        "files.StoredFile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("referat (fil)"),
    )
    # The issued status report a board meeting "vurdering på grundlag af statusrapport"
    # assesses (seed § 6); empty for every other meeting.
    status_report = models.ForeignKey(
        "statusreports.StatusReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("statusrapport"),
    )

    class Meta:
        verbose_name = _("møde")
        verbose_name_plural = _("møder")
        ordering = ["plan", "-date", "pk"]
        indexes = [models.Index(fields=["plan", "date"], name="meeting_plan_date")]

    def __str__(self) -> str:
        return f"{self.body} {self.date:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return self.plan_url("meetings:detail", pk=self.pk)

    @property
    def display_title(self) -> str:
        return self.title or str(self.get_kind_display())

    @property
    def is_assessment(self) -> bool:
        """One of the board's two yearly assessments (it has an assessment page)."""
        return self.kind in ASSESSMENT_KINDS

    def get_assessment_url(self) -> str:
        return self.plan_url("meetings:assessment", pk=self.pk)


# The board's two yearly assessments (seed § 6), held on board meetings.
ASSESSMENT_KINDS = frozenset(
    {Meeting.Kind.BOARD_STATUS_ASSESSMENT, Meeting.Kind.BOARD_CRITERIA_ASSESSMENT}
)


class AgendaItem(Audited):
    plan_path = "meeting__plan"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("møde")
    )
    order = models.PositiveSmallIntegerField(_("nummer"))
    title = FreeCharField(_("punkt"), max_length=300)

    class Meta:
        verbose_name = _("dagsordenspunkt")
        verbose_name_plural = _("dagsorden")
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agenda_unique_order")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url()


class Decision(Audited):
    plan_path = "meeting__plan"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("møde")
    )
    text = FreeTextField(_("beslutning"))
    concerns_content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vedrører (type)"),
    )
    concerns_object_id = models.CharField(_("vedrører (id)"), max_length=40, blank=True)
    concerns = GenericForeignKey("concerns_content_type", "concerns_object_id")
    concerns_label = FreeCharField(
        _("vedrører"),
        max_length=300,
        blank=True,
        help_text=_("Fx et succeskriterium, en aktivitet eller en version af aftalen."),
    )
    recorded_by = actor_key(_("registreret af"))
    recorded_at = models.DateTimeField(_("registreret"), auto_now_add=True)

    class Meta:
        verbose_name = _("beslutning")
        verbose_name_plural = _("beslutninger")
        ordering = ["meeting", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(concerns_content_type__isnull=True, concerns_object_id="")
                | Q(concerns_content_type__isnull=False) & ~Q(concerns_object_id=""),
                name="decision_concerns_type_and_id_together",
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.text[:60]}"

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url()


class BoardAssessment(Audited):
    """The board's assessment of one focus area at one of its two yearly assessment
    meetings (seed § 6): a rating and a text. One per meeting and focus area."""

    class Rating(models.TextChoices):
        ON_TRACK = "on_track", _("Indsatsen er på rette vej")
        PARTLY = "partly", _("Delvist på rette vej")
        OFF_TRACK = "off_track", _("Indsatsen er ikke på rette vej")

    plan_path = "meeting__plan"
    focus_area_path = "focus_area"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("møde")
    )
    focus_area = models.ForeignKey(
        "plans.FocusArea",
        on_delete=models.PROTECT,
        related_name="board_assessments",
        verbose_name=_("indsatsområde"),
    )
    rating = models.CharField(_("vurdering"), max_length=20, choices=Rating.choices)
    text = FreeTextField(_("bestyrelsens vurdering"))
    recorded_by = actor_key(_("registreret af"))
    recorded_at = models.DateTimeField(_("registreret"), auto_now_add=True)

    class Meta:
        verbose_name = _("bestyrelsens vurdering")
        verbose_name_plural = _("bestyrelsens vurderinger")
        ordering = ["meeting", "focus_area__order", "focus_area__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "focus_area"], name="assessment_one_per_focus_area"
            )
        ]

    def __str__(self) -> str:
        # How it reads in the audit trail: "Bestyrelsens vurdering af 5.1 Tryghed, bestyrelsens
        # møde 01.06.2019".
        return str(_("Vurdering af %(focus_area)s, %(meeting)s")) % {
            "focus_area": self.focus_area,
            "meeting": self.meeting,
        }

    def get_absolute_url(self) -> str:
        return self.meeting.get_assessment_url()


class Notice(PlanScoped):
    """Underretning (§ 9): a local condition affecting the work, and whom the chief informed."""

    plan_related_name = "notices"

    occurred_on = models.DateField(_("opstået"))
    subject = FreeCharField(_("emne"), max_length=200)
    description = FreeTextField(
        _("lokale forhold"),
        help_text=_("Hvad er sket, og hvordan påvirker det arbejdet? Ingen personoplysninger."),
    )
    informed_board = models.BooleanField(_("bestyrelsen underrettet"), default=False)
    informed_partners = FreeCharField(
        _("samarbejdspartnere underrettet"),
        max_length=300,
        blank=True,
        help_text=_("Hvilke lokale samarbejdspartnere (organisationer, ikke personer)."),
    )
    informed_on = models.DateField(_("underrettet den"), null=True, blank=True)

    class Meta:
        verbose_name = _("underretning")
        verbose_name_plural = _("underretninger")
        ordering = ["plan", "-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(informed_on__isnull=False)
                | Q(informed_board=False, informed_partners=""),
                name="notice_informed_has_date",
                violation_error_message=_("Angiv hvornår der blev underrettet."),
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return self.plan_url("meetings:notices") + f"#u{self.pk}"


class Dispute(PlanScoped):
    """Uoverensstemmelse (§ 10): handled by the chief; escalated to the board if need be."""

    class Status(models.TextChoices):
        OPEN = "open", _("Under håndtering")
        RESOLVED = "resolved", _("Løst ved dialog")
        ESCALATED = "escalated", _("Rejst i bestyrelsen")
        DECIDED = "decided", _("Afgjort af bestyrelsen")

    plan_related_name = "disputes"

    raised_on = models.DateField(_("rejst den"))
    raised_by = FreeCharField(
        _("rejst af"),
        max_length=200,
        help_text=_("Part eller organisation."),
    )
    subject = FreeCharField(_("emne"), max_length=200)
    description = FreeTextField(_("uoverensstemmelsen"))
    handling = FreeTextField(_("Kompetencechefens håndtering"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default="open")
    escalation_description = FreeTextField(
        _("fremlæggelse for bestyrelsen"),
        blank=True,
        help_text=_("Situationens forskellige interesser, som bestyrelsen skal afgøre på."),
    )
    escalated_on = models.DateField(_("rejst i bestyrelsen den"), null=True, blank=True)
    board_decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disputes",
        verbose_name=_("bestyrelsens beslutning"),
    )

    class Meta:
        verbose_name = _("uoverensstemmelse")
        verbose_name_plural = _("uoverensstemmelser")
        ordering = ["plan", "-raised_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["escalated", "decided"])
                | (Q(escalated_on__isnull=False) & ~Q(escalation_description="")),
                name="dispute_escalation_described",
                violation_error_message=_("En sag rejst i bestyrelsen skal have en fremlæggelse."),
            ),
            models.CheckConstraint(
                condition=~Q(status="decided") | Q(board_decision__isnull=False),
                name="dispute_decided_has_decision",
                violation_error_message=_("En afgjort sag skal have bestyrelsens beslutning."),
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return self.plan_url("meetings:dispute", pk=self.pk)
