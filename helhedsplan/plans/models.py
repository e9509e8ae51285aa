"""The plan and what it is about: parties, housing areas and focus areas."""

from __future__ import annotations

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.fields import FreeCharField, FreeTextField
from helhedsplan.lib.models import Audited, PlanScoped, actor_key


class Municipality(models.Model):
    name = FreeCharField(_("navn"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class HousingOrganisation(Audited):
    """A social housing organisation. Several plans may share one."""

    plan_path = None  # shared by several plans

    name = FreeCharField(_("navn"), max_length=200, unique=True)
    cvr = FreeCharField(
        _("CVR-nummer"),
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{8}$", _("Et CVR-nummer er 8 cifre."), "cvr")],
    )
    is_placeholder = models.BooleanField(
        _("pladsholder"),
        default=False,
        help_text=_("Navnet er ikke oplyst i kilden og skal udfyldes."),
    )

    class Meta:
        verbose_name = _("boligorganisation")
        verbose_name_plural = _("boligorganisationer")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cvr"], condition=~Q(cvr=""), name="housing_organisation_unique_cvr"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Plan(Audited):
    """A boligsocial helhedsplan: a four-year programme with LBF funding."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Under udarbejdelse")
        ACTIVE = "active", _("Aktiv")
        CLOSED = "closed", _("Afsluttet")

    plan_path = "pk"
    audit_m2m = ("housing_organisations",)

    name = FreeCharField(_("navn"), max_length=200)
    slug = models.SlugField(_("kort navn"), max_length=50, unique=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="plans", verbose_name=_("kommune")
    )
    housing_organisations = models.ManyToManyField(
        HousingOrganisation,
        related_name="plans",
        blank=True,
        verbose_name=_("boligorganisationer"),
    )
    start_date = models.DateField(_("startdato"))
    end_date = models.DateField(_("slutdato"))
    period_note = FreeTextField(
        _("note om perioden"),
        blank=True,
        help_text=_("Hvor perioden stammer fra, hvis aftalen ikke angiver den direkte."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    vision = FreeTextField(_("vision"), blank=True)
    # The LBF grant framework the plan is funded under: a code of
    # ``helhedsplan.frameworks.catalogue`` (data, not code), validated by the services.
    framework = FreeCharField(_("bevillingsramme"), max_length=20, default="2015-18")
    lbf_case_number = FreeCharField(_("Landsbyggefondens sagsnummer"), max_length=40, blank=True)
    # Closing a plan at the end of its period makes it read-only (reversible by staff).
    closed_at = models.DateTimeField(_("afsluttet"), null=True, blank=True)
    closed_by = actor_key(_("afsluttet af"))
    close_reason = FreeTextField(_("begrundelse for afslutning"), blank=True)

    class Meta:
        verbose_name = _("helhedsplan")
        verbose_name_plural = _("helhedsplaner")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__lt=F("end_date")), name="plan_start_before_end"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("plans:overview", kwargs={"slug": self.slug})

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def years(self) -> range:
        return range(self.start_date.year, self.end_date.year + 1)


class HousingArea(PlanScoped):
    """A housing area (boligområde) of the plan; may group several sub-areas."""

    plan_related_name = "areas"
    audit_m2m = ("housing_organisations",)

    slug = models.SlugField(_("kort navn"), max_length=50)
    name = FreeCharField(_("navn"), max_length=200)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    priority = models.PositiveSmallIntegerField(
        _("prioritet"),
        null=True,
        blank=True,
        help_text=_("Planens prioritering af områderne: 1 først; flere kan have samme."),
    )
    housing_organisations = models.ManyToManyField(
        HousingOrganisation,
        related_name="areas",
        blank=True,
        verbose_name=_("boligorganisationer"),
    )

    class Meta:
        verbose_name = _("boligområde")
        verbose_name_plural = _("boligområder")
        ordering = ["plan", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="area_unique_slug_per_plan")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.plan_url("plans:area", area=self.slug)


class SubArea(Audited):
    """A part of a housing area, e.g. Schackenborgvænge in Ringparken og Schackenborgvænge."""

    plan_path = "area__plan"

    area = models.ForeignKey(
        HousingArea, on_delete=models.CASCADE, related_name="sub_areas", verbose_name=_("område")
    )
    name = FreeCharField(_("navn"), max_length=200)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("delområde")
        verbose_name_plural = _("delområder")
        ordering = ["area", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="subarea_unique_name_per_area")
        ]

    def __str__(self) -> str:
        return self.name


class AreaDepartment(Audited):
    """One of LBF's departments (afdelinger) that make up a housing area.

    A department is numbered within its housing organisation; the services refuse a number
    used twice in the plan for the same organisation.
    """

    plan_path = "area__plan"

    area = models.ForeignKey(
        HousingArea, on_delete=models.CASCADE, related_name="departments", verbose_name=_("område")
    )
    housing_organisation = models.ForeignKey(
        HousingOrganisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
        verbose_name=_("boligorganisation"),
    )
    number = FreeCharField(_("afdelingsnummer"), max_length=20)
    name = FreeCharField(_("navn"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("afdeling")
        verbose_name_plural = _("afdelinger")
        ordering = ["area", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "housing_organisation", "number"],
                name="department_unique_number_per_area",
            )
        ]

    def __str__(self) -> str:
        return f"{self.housing_organisation or ''} afd. {self.number}".strip()


class AreaPopulation(Audited):
    """Residents of an area on 1 January of a year (the lists' reference date)."""

    plan_path = "area__plan"

    area = models.ForeignKey(
        HousingArea, on_delete=models.CASCADE, related_name="populations", verbose_name=_("område")
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=[MinValueValidator(1990)])
    residents = models.PositiveIntegerField(_("beboere"))
    source = FreeCharField(_("kilde"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("beboertal")
        verbose_name_plural = _("beboertal")
        ordering = ["area", "year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="population_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.year}"


class FocusArea(PlanScoped):
    """One of the four possible indsatsområder, as the plan has chosen and described it."""

    plan_related_name = "focus_areas"
    focus_area_path = "pk"

    code = FreeCharField(
        _("nummer"), max_length=10, help_text=_("Afsnittets nummer i aftalen, fx 5.1.")
    )
    framework_key = FreeCharField(
        _("rammens indsatsområde"),
        max_length=40,
        blank=True,
        help_text=_("Det indsatsområde i bevillingsrammen, som dette er valgt fra."),
    )
    name = FreeCharField(_("navn"), max_length=200)
    purpose = FreeTextField(_("formål"), blank=True)
    sub_goals = FreeTextField(
        _("delmål"),
        blank=True,
        help_text=_("Ét delmål pr. linje."),
    )
    target_groups = FreeTextField(
        _("målgrupper"),
        blank=True,
        help_text=_("Én målgruppe pr. linje."),
    )
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("indsatsområde")
        verbose_name_plural = _("indsatsområder")
        ordering = ["plan", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="focusarea_unique_code_per_plan"),
            models.UniqueConstraint(
                fields=["plan", "framework_key"],
                condition=~Q(framework_key=""),
                name="focusarea_unique_framework_key_per_plan",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return self.plan_url("plans:focus_area", code=self.code)

    @property
    def sub_goal_list(self) -> list[str]:
        return [line.strip() for line in self.sub_goals.splitlines() if line.strip()]

    @property
    def target_group_list(self) -> list[str]:
        return [line.strip() for line in self.target_groups.splitlines() if line.strip()]


class FinalReport(PlanScoped):
    """The final status report (slutstatus) as issued when the plan was closed: the file is
    stored then and never rebuilt, so what was issued stays as it was after a reopening and
    later changes. Each closing issues its own (PDF and Word)."""

    plan_related_name = "final_reports"

    stored_file = models.ForeignKey(
        "files.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("fil")
    )
    closed_at = models.DateTimeField(_("planen afsluttet"))
    issued_by = actor_key(_("udstedt af"))

    class Meta:
        verbose_name = _("slutstatus")
        verbose_name_plural = _("slutstatusser")
        ordering = ["plan", "-closed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.plan}: {self.stored_file}"


class PlanDataVersion(models.Model):
    """Two counters per plan, raised in the transaction of the audit entry that moves them
    (``plans.versions``): ``version`` by every entry that records a change to the plan's
    data, what a cache of its evaluated or rendered data is keyed by; ``trail`` by every
    entry at all (a change or a read: a download), what a cache of what shows the audit
    trail is keyed by as well. A cached value is never stale, and a download leaves the
    caches of the plan's data warm.

    Its own table, not a field of ``Plan``: a form that saves a plan loaded earlier would
    write an old count back. Raised with one upsert (``versions.bump``), so concurrent
    writers on PostgreSQL queue on the row and each commit sees a higher count than any
    reader could have cached data under before it.
    """

    plan = models.OneToOneField(
        Plan, on_delete=models.CASCADE, primary_key=True, related_name="data_version"
    )
    version = models.PositiveBigIntegerField(default=0)
    trail = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("planens dataversion")
        verbose_name_plural = _("planernes dataversioner")

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.version}"


class InstallationDataVersion(models.Model):
    """The counter of installation-wide data (one row, id 1): raised by every audited change
    filed under no plan (``plans.versions``)."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("installationens dataversion")
        verbose_name_plural = _("installationens dataversioner")

    def __str__(self) -> str:
        return str(self.version)
