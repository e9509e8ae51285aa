"""Activities, the activity plan (aktivitetsskema), registrations and evaluations (seed §6).

Registrations hold counts, never people: participants by age band and sex, volunteers, a
short note that may not contain a CPR number.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import reduce
from operator import add
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.fields import FreeCharField, FreeTextField
from helhedsplan.lib.models import Audited, PlanScoped, actor_key

# Age bands of a registration: (code, label). Chosen to follow the life stages the seed
# talks about (small children 0-5, school age, teenagers, young people up to 24 as the
# youth-education target group, adults, elderly); documented in README.
AGE_BANDS: list[tuple[str, Any]] = [
    ("0_5", _("0-5 år")),
    ("6_12", _("6-12 år")),
    ("13_17", _("13-17 år")),
    ("18_24", _("18-24 år")),
    ("25_64", _("25-64 år")),
    ("65", _("65 år og derover")),
]
SEXES: list[tuple[str, Any]] = [
    ("f", _("piger/kvinder")),
    ("m", _("drenge/mænd")),
    ("x", _("andet/uoplyst")),
]
COUNT_FIELDS: list[str] = [f"n_{band}_{sex}" for band, _b in AGE_BANDS for sex, _s in SEXES]

QUARTERS = [1, 2, 3, 4]


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


class Partner(PlanScoped):
    """An organisation the plan works with (DGI/Gerlev, DIF, Korsør Produktionshøjskole …)."""

    class Kind(models.TextChoices):
        SPORTS = "sports", _("Idræts- og foreningsliv")
        EDUCATION = "education", _("Uddannelse")
        EMPLOYMENT = "employment", _("Beskæftigelse og opkvalificering")
        MUNICIPAL = "municipal", _("Kommunal enhed")
        POLICE = "police", _("Politi")
        OTHER = "other", _("Anden organisation")

    plan_related_name = "partners"

    name = FreeCharField(_("navn"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    source_quote = FreeTextField(
        _("kilde i aftalen"),
        blank=True,
        help_text=_("Den passage i aftalen, der nævner partneren."),
    )

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partnere")
        ordering = ["plan", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="partner_unique_name_per_plan")
        ]

    def __str__(self) -> str:
        return self.name


class Activity(PlanScoped):
    """A concrete activity of a focus area (delaftale)."""

    class Responsible(models.TextChoices):
        MUNICIPALITY = "municipality", _("Kommunen")
        SECRETARIAT = "secretariat", _("Sekretariatet (kompetencecentret)")
        PARTNER = "partner", _("En partnerorganisation")

    class Unit(models.TextChoices):
        EVENTS = "events", _("afholdte aktiviteter")
        PARTICIPANTS = "participants", _("deltagere")
        OTHER = "other", _("anden enhed")

    plan_related_name = "activities"
    focus_area_path = "focus_area"
    audit_m2m = ("partners", "success_criteria")

    focus_area = models.ForeignKey(
        "plans.FocusArea",
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("indsatsområde"),
    )
    slug = models.SlugField(_("kort navn"), max_length=60)
    name = FreeCharField(_("navn"), max_length=200)
    description = FreeTextField(_("beskrivelse"), blank=True)
    source_quote = FreeTextField(
        _("kilde i aftalen"),
        blank=True,
        help_text=_("Den passage i aftalen, aktiviteten stammer fra."),
    )
    areas: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "plans.HousingArea",
        through="ActivityArea",
        related_name="activities",
        blank=True,
        verbose_name=_("boligområder"),
    )
    responsible = models.CharField(
        _("ansvarlig"), max_length=20, choices=Responsible.choices, default=Responsible.SECRETARIAT
    )
    responsible_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for",
        verbose_name=_("ansvarlig partner"),
    )
    responsible_is_placeholder = models.BooleanField(
        _("ansvar er pladsholder"),
        default=False,
        help_text=_("Aftalen angiver ikke, hvem der er ansvarlig; værdien skal bekræftes."),
    )
    partners = models.ManyToManyField(
        Partner, related_name="activities", blank=True, verbose_name=_("partnere")
    )
    target_groups = FreeTextField(_("målgrupper"), blank=True, help_text=_("Én pr. linje."))
    success_criteria = models.ManyToManyField(
        "criteria.SuccessCriterion",
        related_name="activities",
        blank=True,
        verbose_name=_("understøtter succeskriterier"),
    )
    unit = models.CharField(
        _("enhed i aktivitetsskemaet"), max_length=20, choices=Unit.choices, default=Unit.EVENTS
    )
    unit_label = FreeCharField(
        _("navn på anden enhed"),
        max_length=60,
        blank=True,
        help_text=_("Fx 'samtaler' eller 'forløb', når enheden er en anden end de faste."),
    )
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    # When the activity runs; empty: the plan's period. An ended activity takes no
    # registrations after its end date (``activities.services.activity_end``); those
    # before stay.
    start_date = models.DateField(
        _("startdato"), null=True, blank=True, help_text=_("Tom: fra planens start.")
    )
    end_date = models.DateField(_("afsluttet pr."), null=True, blank=True)
    end_reason = FreeTextField(_("begrundelse for afslutning"), blank=True)
    ended_by = actor_key(_("afsluttet af"))

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["plan", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="activity_unique_slug_per_plan"),
            models.UniqueConstraint(fields=["plan", "name"], name="activity_unique_name_per_plan"),
            models.CheckConstraint(
                condition=Q(responsible="partner", responsible_partner__isnull=False)
                | (~Q(responsible="partner") & Q(responsible_partner__isnull=True)),
                name="activity_partner_iff_partner_responsible",
            ),
            models.CheckConstraint(
                condition=~Q(unit="other") | ~Q(unit_label=""),
                name="activity_other_unit_is_named",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=F("end_date")),
                name="activity_starts_before_it_ends",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.plan_url("activities:detail", activity=self.slug)

    @property
    def unit_display(self) -> str:
        return self.unit_label if self.unit == self.Unit.OTHER else str(self.get_unit_display())

    @property
    def responsible_display(self) -> str:
        if self.responsible == self.Responsible.PARTNER and self.responsible_partner:
            return self.responsible_partner.name
        return str(self.get_responsible_display())

    @property
    def target_group_list(self) -> list[str]:
        return [line.strip() for line in self.target_groups.splitlines() if line.strip()]

    @property
    def is_ended(self) -> bool:
        return self.end_date is not None


class ActivityArea(Audited):
    """An area where an activity runs, with a note on how it runs there."""

    plan_path = "area__plan"
    focus_area_path = "activity__focus_area"

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="area_links", verbose_name=_("aktivitet")
    )
    area = models.ForeignKey(
        "plans.HousingArea",
        on_delete=models.CASCADE,
        related_name="activity_links",
        verbose_name=_("boligområde"),
    )
    note = FreeTextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("aktivitetens område")
        verbose_name_plural = _("aktiviteternes områder")
        ordering = ["activity", "area__order"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "area"], name="activityarea_unique")
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.area}"


def default_column_mapping() -> dict[str, str]:
    return dict(DEFAULT_COLUMN_MAPPING)


# Logical column -> header text in the XLSX activity plan. LBF's template is not public,
# so a plan can change the header texts (DeliverySettings.column_mapping); README lists these.
DEFAULT_COLUMN_MAPPING: dict[str, str] = {
    "activity": "Aktivitet",
    "area": "Boligområde",
    "year": "År",
    "quarter": "Kvartal",
    "quantity": "Planlagt antal",
    "unit": "Enhed",
}
REQUIRED_COLUMNS = ["activity", "area", "year", "quarter", "quantity"]


class DeliverySettings(Audited):
    """Per plan: the delivery thresholds and the activity plan's XLSX column headers."""

    # One per plan: its own one-to-one key rather than PlanScoped's foreign key.
    plan_path = "plan"

    plan = models.OneToOneField(
        "plans.Plan",
        on_delete=models.CASCADE,
        related_name="delivery_settings",
        verbose_name=_("plan"),
    )
    under_threshold = models.DecimalField(
        _("underlevering under (%)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal(80),
        validators=[MinValueValidator(Decimal(0))],
    )
    over_threshold = models.DecimalField(
        _("overlevering over (%)"),
        max_digits=5,
        decimal_places=1,
        default=Decimal(120),
        validators=[MinValueValidator(Decimal(0))],
    )
    column_mapping = models.JSONField(
        _("kolonneoverskrifter i aktivitetsskemaet"), default=default_column_mapping
    )

    class Meta:
        verbose_name = _("indstillinger for leverancemåling")
        verbose_name_plural = _("indstillinger for leverancemåling")
        constraints = [
            models.CheckConstraint(
                condition=Q(under_threshold__lte=F("over_threshold")),
                name="delivery_under_not_above_over",
            )
        ]

    def __str__(self) -> str:
        return str(self.plan)

    @property
    def thresholds_are_defaults(self) -> bool:
        """80 % and 120 % are the product's defaults, not the agreement's: say which apply."""
        fields = {f.name: f for f in self._meta.get_fields() if f.name.endswith("_threshold")}
        return all(getattr(self, name) == f.default for name, f in fields.items())  # type: ignore[union-attr]

    def header(self, column: str) -> str:
        return str((self.column_mapping or {}).get(column) or DEFAULT_COLUMN_MAPPING[column])


class PlannedQuantity(Audited):
    """One cell of the activity plan: how much of an activity, where and in which quarter."""

    plan_path = "area__plan"
    focus_area_path = "activity__focus_area"

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="planned", verbose_name=_("aktivitet")
    )
    area = models.ForeignKey(
        "plans.HousingArea",
        on_delete=models.CASCADE,
        related_name="planned_quantities",
        verbose_name=_("boligområde"),
    )
    year = models.PositiveSmallIntegerField(_("år"))
    quarter = models.PositiveSmallIntegerField(
        _("kvartal"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    quantity = models.PositiveIntegerField(_("planlagt antal"))
    is_demo_data = models.BooleanField(_("demonstrationsdata"), default=False)

    class Meta:
        verbose_name = _("planlagt antal")
        verbose_name_plural = _("aktivitetsskema")
        ordering = ["activity", "area", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "area", "year", "quarter"], name="planned_unique_cell"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="planned_quarter_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.area} · {self.year} K{self.quarter}"


class QuarterClosure(PlanScoped):
    """A quarter the secretariat has closed: its registrations change only with a reason."""

    plan_related_name = "closed_quarters"

    year = models.PositiveSmallIntegerField(_("år"))
    quarter = models.PositiveSmallIntegerField(
        _("kvartal"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    closed_by = actor_key(_("lukket af"), on_delete=models.PROTECT)
    closed_at = models.DateTimeField(_("lukket"), auto_now_add=True)

    class Meta:
        verbose_name = _("lukket kvartal")
        verbose_name_plural = _("lukkede kvartaler")
        ordering = ["plan", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year", "quarter"], name="closure_unique"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="closure_quarter_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} K{self.quarter}"


def _count(label: Any) -> models.PositiveIntegerField[int, int]:
    return models.PositiveIntegerField(label, default=0)


class Registration(PlanScoped):
    """What happened: one held activity with its participant counts. Never names."""

    plan_related_name = "registrations"
    focus_area_path = "activity__focus_area"
    audit_m2m = ("partners",)

    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("aktivitet"),
    )
    area = models.ForeignKey(
        "plans.HousingArea",
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("boligområde"),
    )
    date = models.DateField(_("dato"))
    # Year and quarter are derived from the date by the service and stored so the delivery
    # measurement aggregates on plain columns (indexed), also over a million rows.
    year = models.PositiveSmallIntegerField(_("år"), editable=False)
    quarter = models.PositiveSmallIntegerField(_("kvartal"), editable=False)
    n_0_5_f = _count(_("0-5 år, piger"))
    n_0_5_m = _count(_("0-5 år, drenge"))
    n_0_5_x = _count(_("0-5 år, andet/uoplyst"))
    n_6_12_f = _count(_("6-12 år, piger"))
    n_6_12_m = _count(_("6-12 år, drenge"))
    n_6_12_x = _count(_("6-12 år, andet/uoplyst"))
    n_13_17_f = _count(_("13-17 år, piger"))
    n_13_17_m = _count(_("13-17 år, drenge"))
    n_13_17_x = _count(_("13-17 år, andet/uoplyst"))
    n_18_24_f = _count(_("18-24 år, kvinder"))
    n_18_24_m = _count(_("18-24 år, mænd"))
    n_18_24_x = _count(_("18-24 år, andet/uoplyst"))
    n_25_64_f = _count(_("25-64 år, kvinder"))
    n_25_64_m = _count(_("25-64 år, mænd"))
    n_25_64_x = _count(_("25-64 år, andet/uoplyst"))
    n_65_f = _count(_("65+ år, kvinder"))
    n_65_m = _count(_("65+ år, mænd"))
    n_65_x = _count(_("65+ år, andet/uoplyst"))
    participants = models.PositiveIntegerField(_("deltagere i alt"), default=0, editable=False)
    volunteers = models.PositiveIntegerField(_("frivillige"), default=0)
    quantity = models.PositiveIntegerField(
        _("antal i aktivitetens enhed"),
        null=True,
        blank=True,
        help_text=_("Kun for aktiviteter, der planlægges i en anden enhed, fx samtaler."),
    )
    partners = models.ManyToManyField(
        Partner, related_name="registrations", blank=True, verbose_name=_("partnere med")
    )
    note = FreeCharField(_("kort note"), max_length=500, blank=True)
    registered_by = actor_key(_("registreret af"))
    registered_at = models.DateTimeField(_("registreret"), auto_now_add=True)
    is_demo_data = models.BooleanField(_("demonstrationsdata"), default=False)

    class Meta:
        verbose_name = _("registrering")
        verbose_name_plural = _("registreringer")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(
                fields=["plan", "year", "activity", "area", "quarter"], name="reg_delivery_idx"
            ),
            models.Index(fields=["registered_by", "-registered_at"], name="reg_last_by_user_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants=reduce(add, [F(name) for name in COUNT_FIELDS])),
                name="registration_participants_is_sum",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="registration_quarter_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.area} · {self.date:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return self.plan_url("activities:registration_edit", pk=self.pk)

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in COUNT_FIELDS}


class Evaluation(Audited):
    """Qualitative evaluation: does the activity have the intended effect in the period?"""

    class Rating(models.TextChoices):
        YES = "ja", _("Ja")
        PARTLY = "delvist", _("Delvist")
        NO = "nej", _("Nej")

    plan_path = "activity__plan"
    focus_area_path = "activity__focus_area"

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("aktivitet")
    )
    period_start = models.DateField(_("periodens start"))
    period_end = models.DateField(_("periodens slutning"))
    rating = models.CharField(_("har den ønsket effekt?"), max_length=10, choices=Rating.choices)
    narrative = FreeTextField(_("vurdering"))
    evidence_link = models.URLField(_("dokumentation (link)"), blank=True)
    evidence_file = models.ForeignKey(
        "files.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dokumentation (fil)"),
    )
    author = actor_key(_("forfatter"), on_delete=models.PROTECT)
    evaluated_on = models.DateField(_("dato"))

    class Meta:
        verbose_name = _("kvalitativ evaluering")
        verbose_name_plural = _("kvalitative evalueringer")
        ordering = ["activity", "-period_start", "-evaluated_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")), name="evaluation_period_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity}: {self.period_start:%d.%m.%Y}-{self.period_end:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        return self.activity.get_absolute_url()
