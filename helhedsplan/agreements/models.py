"""The strategic agreement and its sub-agreements, each kept in versions.

A version moves draft -> submitted -> approved | returned. Only an approved version is in
force, from its ``in_force_from`` date until the next approved version's. An approved or
submitted version is never edited: a change is a new draft.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from helhedsplan.frameworks import catalogue
from helhedsplan.lib.fields import FreeCharField, FreeTextField
from helhedsplan.lib.models import Audited, PlanScoped, actor_key

# The 2015-18 framework's sections (the seed's), for callers that name them. A plan's own
# sections are its framework's: ``catalogue.get(plan.framework).sections``.
SECTION_KEYS: list[tuple[str, str]] = catalogue.get(catalogue.DEFAULT).section_keys()


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    SUBMITTED = "submitted", _("Indsendt til Landsbyggefonden")
    APPROVED = "approved", _("Godkendt")
    RETURNED = "returned", _("Returneret med bemærkninger")


class VersionBase(Audited):
    """What an agreement version and a sub-agreement version share: the LBF workflow."""

    number = models.PositiveIntegerField(_("versionsnummer"))
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    change_note = FreeTextField(_("hvad er ændret"), blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    created_by = actor_key(_("oprettet af"))
    submitted_at = models.DateTimeField(_("indsendt"), null=True, blank=True)
    decided_at = models.DateTimeField(_("afgjort"), null=True, blank=True)
    decided_by = actor_key(_("afgjort af"))
    lbf_remarks = FreeTextField(_("Landsbyggefondens bemærkninger"), blank=True)
    in_force_from = models.DateField(_("i kraft fra"), null=True, blank=True)
    lbf_letter = models.ForeignKey(
        "files.StoredFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("brev fra Landsbyggefonden"),
    )

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.status in {VersionStatus.DRAFT, VersionStatus.RETURNED}


class AgreementVersion(VersionBase, PlanScoped):
    plan_related_name = "agreement_versions"

    class Meta:
        verbose_name = _("version af strategisk samarbejdsaftale")
        verbose_name_plural = _("versioner af strategisk samarbejdsaftale")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="agreement_version_unique"),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(in_force_from__isnull=False),
                name="agreement_approved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Strategisk samarbejdsaftale, version {self.number}"

    def get_absolute_url(self) -> str:
        return self.plan_url("agreements:version", number=self.number)


class AgreementSection(Audited):
    plan_path = "version__plan"

    version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("version"),
    )
    # A section key of the plan's framework (``frameworks.catalogue``): the frameworks'
    # keys differ, so the field takes any, and the services create only the framework's.
    key = FreeCharField(_("afsnit"), max_length=10)
    title = FreeCharField(_("overskrift"), max_length=200)
    body = FreeTextField(_("tekst"), blank=True)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("afsnit")
        verbose_name_plural = _("afsnit")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="agreement_section_unique")
        ]

    def __str__(self) -> str:
        return self.heading

    @property
    def heading(self) -> str:
        # Numbered as the template numbers them; a key that is not a number is no number.
        return f"{self.key}. {self.title}" if self.key.isdigit() else self.title


# A sub-agreement is the board's to keep current (the seed's front part: "Bestyrelsen ...
# skal sikre, at delaftalerne ... løbende ajourføres"): its versions go to the board, not to
# Landsbyggefonden, which reads the current ones at any time.
SUB_AGREEMENT_STATUS_LABELS = {
    VersionStatus.DRAFT: _("Kladde"),
    VersionStatus.SUBMITTED: _("Forelagt bestyrelsen"),
    VersionStatus.APPROVED: _("Godkendt af bestyrelsen"),
    VersionStatus.RETURNED: _("Returneret af bestyrelsen"),
}


class SubAgreementVersion(VersionBase):
    """A delaftale: the concrete action plan for one focus area.

    draft -> (submitted to the board, optional) -> approved by the board | returned; the
    board's decision is a ``meetings.Decision`` on a board meeting (``board_decision``).
    Versions approved before the board decided them (LBF approved them) have none.
    """

    plan_path = "focus_area__plan"
    focus_area_path = "focus_area"

    focus_area = models.ForeignKey(
        "plans.FocusArea",
        on_delete=models.CASCADE,
        related_name="sub_agreement_versions",
        verbose_name=_("indsatsområde"),
    )
    purpose = FreeTextField(_("formål"), blank=True)
    responsibilities = FreeTextField(
        _("ansvars- og rollefordeling"),
        blank=True,
        help_text=_("Hvem gør hvad: kommunen, boligorganisationerne, sekretariatet, partnere."),
    )
    partners = FreeTextField(_("samarbejdspartnere"), blank=True)
    last_reviewed = models.DateField(_("sidst gennemgået"), null=True, blank=True)
    board_decision = models.ForeignKey(
        "meetings.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bestyrelsens beslutning"),
    )

    class Meta:
        verbose_name = _("delaftaleversion")
        verbose_name_plural = _("delaftaleversioner")
        ordering = ["focus_area", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["focus_area", "number"], name="subagreement_version_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(in_force_from__isnull=False),
                name="subagreement_approved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Delaftale {self.focus_area.code} {self.focus_area.name}, version {self.number}"

    def get_absolute_url(self) -> str:
        return reverse(
            "agreements:sub_agreement",
            kwargs={"slug": self.focus_area.plan.slug, "code": self.focus_area.code},
        )

    def get_status_display(self) -> str:  # type: ignore[no-redef]
        """The board's workflow in words (the field's own labels name Landsbyggefonden)."""
        return str(SUB_AGREEMENT_STATUS_LABELS[VersionStatus(self.status)])


class AttachmentKind(models.TextChoices):
    """The eight attachments the seed's front part requires, in its order: the 2015-18
    framework's attachments (``frameworks/data/2015-18.json``, a test keeps them equal).
    The exporters name the kind they make by these."""

    ORG_CHART = "org_chart", _("Organisationsdiagram (ad pkt. 2)")
    SUB_AGREEMENTS = "sub_agreements", _("Delaftale for hvert indsatsområde (ad pkt. 5)")
    CONTINGENCY_PLAN = "contingency_plan", _("Beredskabsplan (regulativets § 6)")
    MILESTONE_PLAN = "milestone_plan", _("Milepælsplan for hele projektperioden")
    BUDGET = "budget", _("Budget i Landsbyggefondens skabelon")
    ACTIVITY_SCHEME = "activity_scheme", _("Aktivitetsskema i Landsbyggefondens skabelon")
    BASELINE_APPENDIX = (
        "baseline_appendix",
        _("Bilag med centralt genererede målinger ved indsatsens start"),
    )
    TERMS_OF_REFERENCE = "terms_of_reference", _("Kommissorium for bestyrelsen")


class PlanAttachment(PlanScoped):
    """An uploaded file that satisfies one of the required attachments."""

    plan_related_name = "attachments"

    # An attachment key of the plan's framework (``frameworks.catalogue``); any framework's
    # key is accepted here, the upload service accepts only the plan's framework's.
    kind = FreeCharField(_("bilag"), max_length=30)
    stored_file = models.ForeignKey(
        "files.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("fil")
    )
    note = FreeCharField(_("note"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(_("uploadet"), auto_now_add=True)

    class Meta:
        verbose_name = _("bilag")
        verbose_name_plural = _("bilag")
        ordering = ["plan", "kind", "-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.kind_label}: {self.stored_file}"

    @property
    def kind_label(self) -> str:
        try:
            item = catalogue.get(self.plan.framework).attachment(self.kind)
        except catalogue.UnknownFramework:
            item = None
        return item.name if item else self.kind


class ProposedChange(Audited):
    """A change to a focus area's or a success criterion's text proposed in an agreement
    version: the fields' values before and after, and why. It applies when the version is
    approved and in force (``agreements.changes.agreement_changes_apply``); until then the
    plan keeps the text in force. Target changes are not stored here: they are target rows
    introduced and superseded by the version (``criteria.Target.introduced_by``)."""

    plan_path = "version__plan"
    # A change to a criterion's text is under the criterion's focus area
    # (``audit_focus_area_id`` below).
    focus_area_path = "focus_area"

    version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.CASCADE,
        related_name="proposed_changes",
        verbose_name=_("version"),
    )
    focus_area = models.ForeignKey(
        "plans.FocusArea",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposed_changes",
        verbose_name=_("indsatsområde"),
    )
    criterion = models.ForeignKey(
        "criteria.SuccessCriterion",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposed_changes",
        verbose_name=_("succeskriterium"),
    )
    old_values = models.JSONField(_("før"), default=dict)
    new_values = models.JSONField(_("efter"), default=dict)
    reason = FreeTextField(_("begrundelse"))
    created_by = actor_key(_("foreslået af"))
    created_at = models.DateTimeField(_("foreslået"), auto_now_add=True)
    applied_at = models.DateTimeField(_("gennemført"), null=True, blank=True)

    class Meta:
        verbose_name = _("foreslået ændring")
        verbose_name_plural = _("foreslåede ændringer")
        ordering = ["version", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focus_area__isnull=True, criterion__isnull=False)
                | Q(focus_area__isnull=False, criterion__isnull=True),
                name="proposed_change_one_object",
            ),
            models.UniqueConstraint(
                fields=["version", "focus_area"], name="proposed_change_one_per_focus_area"
            ),
            models.UniqueConstraint(
                fields=["version", "criterion"], name="proposed_change_one_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version}: {self.subject}"

    def get_absolute_url(self) -> str:
        return self.version.get_absolute_url()

    @property
    def subject(self) -> object:
        return self.focus_area if self.focus_area_id else self.criterion

    @property
    def audit_focus_area_id(self) -> int | None:
        if self.focus_area_id is None and self.criterion is not None:
            return self.criterion.focus_area_id
        return self.focus_area_id
