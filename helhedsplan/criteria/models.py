"""Success criteria (lokalt opstillede målinger): measures, targets, observations.

A *measure* is what is measured (the police's safety index, criminal decisions per 1000
residents) and holds the observations; a *success criterion* of a focus area sets one or more
*targets* on a measure. Several criteria may share one measure (5.1.1 and 5.2.1). Targets map
one to one onto ``criteria.engine.Target``; the engine decides statuses, the models only store.
"""

from __future__ import annotations

import decimal
import logging
import math
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helhedsplan.criteria import engine
from helhedsplan.lib.fields import FreeCharField, FreeTextField
from helhedsplan.lib.models import Audited, PlanScoped, actor_key

YEAR_VALIDATORS = [MinValueValidator(1990), MaxValueValidator(2100)]

logger = logging.getLogger(__name__)


class FigureField(models.DecimalField):  # type: ignore[type-arg]
    """A DecimalField that reads back whatever the database holds without failing.

    SQLite stores decimals as REAL and Django quantizes what it reads within ``max_digits``,
    so one figure beyond the field's limits (1,2e29, written before validation caught it)
    raised InvalidOperation on every page that loaded it. Here a stored figure that breaks
    the field's limits reads as missing (None) and is logged: everything downstream only ever
    sees figures the validation would have accepted, and a correct figure can be registered
    over it. PostgreSQL's numeric(p, s) refuses such a figure on write already.

    The column is an ordinary DecimalField: ``deconstruct`` says so, so no migration depends
    on this class.
    """

    @cached_property
    def context(self) -> decimal.Context:
        # Wide enough to quantize any finite float exactly; no traps, so infinity reads NaN.
        return decimal.Context(prec=400, traps=[])

    @cached_property
    def _bound(self) -> Decimal:
        """10 ** the whole digits the field allows: every figure it holds is below it."""
        return Decimal(10) ** (self.max_digits - self.decimal_places)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        # Called for every figure of every row read (a scorecard reads thousands): the common
        # case, a finite Decimal within the limits, costs a check and two comparisons.
        if value is None:
            return None
        number = value if type(value) is Decimal else Decimal(str(value))
        bound = self._bound
        if number.is_finite() and -bound < number < bound:
            return number
        logger.warning("%s: stored figure %s is beyond the field's limits", self, value)
        return None

    def within_limits(self, number: Decimal) -> bool:
        return number.is_finite() and abs(number) < self._bound

    def to_python(self, value: Any) -> Any:
        if isinstance(value, float) and math.isfinite(value):
            value = decimal.Context(prec=self.max_digits).create_decimal_from_float(value)
        return super().to_python(value)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


class Measure(PlanScoped):
    """What is measured, by whom, how often, and which way is better."""

    class ValueKind(models.TextChoices):
        COUNT = "count", _("Antal")
        PERCENT = "percent", _("Andel i procent")
        PER_THOUSAND = "per_thousand", _("Pr. 1000 beboere")
        NUMBER = "number", _("Tal")
        RATING = "rating", _("Kvalitativ vurdering")

    class DataOwner(models.TextChoices):
        """Who registers the figure in the system: whose due list it is on (seed § 6: the
        municipality registers its own, the secretariat the rest and the overview)."""

        SECRETARIAT = "secretariat", _("Sekretariatet")
        MUNICIPALITY = "municipality", _("Kommunen (kommunal registrant)")
        COORDINATORS = "coordinators", _("Koordinatorerne, hver for sine områder")

    class Frequency(models.TextChoices):
        YEARLY = "yearly", _("Årligt")
        HALF_YEARLY = "half_yearly", _("Halvårligt")
        QUARTERLY = "quarterly", _("Kvartalsvis")
        PERIOD = "period", _("Pr. forløb")

    Direction = engine.Direction

    plan_related_name = "measures"

    slug = models.SlugField(_("kort navn"), max_length=60)
    name = FreeCharField(_("navn"), max_length=300)
    value_kind = models.CharField(_("værditype"), max_length=20, choices=ValueKind.choices)
    unit = FreeCharField(_("enhed"), max_length=60, blank=True)
    data_source = FreeCharField(_("datakilde"), max_length=300, blank=True)
    delivered_by = FreeCharField(_("leveres af"), max_length=200, blank=True)
    data_owner = models.CharField(
        _("registreres af"),
        max_length=20,
        choices=DataOwner.choices,
        default=DataOwner.SECRETARIAT,
        help_text=_("Hvem der registrerer tallet i systemet og får det på sin liste."),
    )
    frequency = models.CharField(
        _("hyppighed"), max_length=20, choices=Frequency.choices, default=Frequency.YEARLY
    )
    direction = models.CharField(
        _("retning"),
        max_length=20,
        choices=[
            (engine.Direction.LOWER_IS_BETTER.value, _("Lavere er bedre")),
            (engine.Direction.HIGHER_IS_BETTER.value, _("Højere er bedre")),
        ],
        blank=True,
        help_text=_("Tom for mål uden retning, fx kvalitative vurderinger og baggrundstal."),
    )
    is_rate = models.BooleanField(
        _("er en rate"),
        default=False,
        help_text=_("Værdien er tæller/nævner; totaler beregnes af tællere og nævnere."),
    )
    numerator_label = FreeCharField(_("tæller"), max_length=200, blank=True)
    denominator_label = FreeCharField(_("nævner"), max_length=200, blank=True)
    first_year = models.PositiveSmallIntegerField(_("første år"), validators=YEAR_VALIDATORS)
    last_year = models.PositiveSmallIntegerField(_("sidste år"), validators=YEAR_VALIDATORS)
    description = FreeTextField(_("beskrivelse"), blank=True)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("måling")
        verbose_name_plural = _("målinger")
        ordering = ["plan", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="measure_unique_slug_per_plan"),
            models.CheckConstraint(
                condition=Q(first_year__lte=F("last_year")), name="measure_years_forwards"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scale(self) -> Decimal:
        """Multiplier from numerator/denominator to the value: 100 for %, 1000 per 1000."""
        return {
            self.ValueKind.PERCENT: Decimal(100),
            self.ValueKind.PER_THOUSAND: Decimal(1000),
        }.get(self.ValueKind(self.value_kind), Decimal(1))

    @property
    def engine_direction(self) -> engine.Direction | None:
        return engine.Direction(self.direction) if self.direction else None

    @property
    def unit_label(self) -> str:
        return self.unit or str(self.ValueKind(self.value_kind).label)


class SuccessCriterion(PlanScoped):
    """A locally set success criterion of a focus area, as the agreement writes it."""

    plan_related_name = "criteria"
    focus_area_path = "focus_area"
    audit_m2m = ("context_measures",)

    focus_area = models.ForeignKey(
        "plans.FocusArea",
        on_delete=models.PROTECT,
        related_name="criteria",
        verbose_name=_("indsatsområde"),
    )
    code = FreeCharField(_("nummer"), max_length=20, help_text=_("Stabilt nummer, fx 5.1.1."))
    title = FreeCharField(_("kort titel"), max_length=200)
    text = FreeTextField(_("succeskriterium"), help_text=_("Som aftalen skriver det."))
    data_source_text = FreeTextField(_("datakilde (aftalens tekst)"), blank=True)
    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="criteria", verbose_name=_("måling")
    )
    context_measures = models.ManyToManyField(
        Measure,
        blank=True,
        related_name="context_for",
        verbose_name=_("baggrundstal"),
        help_text=_("Andre målinger, der belyser kriteriet (fx tal fra problemkomplekset)."),
    )
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("succeskriterium")
        verbose_name_plural = _("succeskriterier")
        ordering = ["plan", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="criterion_unique_code_per_plan")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return self.plan_url("criteria:criterion", code=self.code)


class ReferenceSeries(PlanScoped):
    """Figures to compare with: the police's SUB average, Danmark, Slagelse Kommune."""

    plan_related_name = "reference_series"

    measure = models.ForeignKey(
        Measure,
        on_delete=models.CASCADE,
        related_name="reference_series",
        verbose_name=_("måling"),
    )
    slug = models.SlugField(_("kort navn"), max_length=60)
    name = FreeCharField(_("navn"), max_length=200)
    source = FreeCharField(_("kilde"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("referenceserie")
        verbose_name_plural = _("referenceserier")
        ordering = ["plan", "measure", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="refseries_unique_slug_per_plan")
        ]

    def __str__(self) -> str:
        return self.name


class ReferenceValue(Audited):
    plan_path = "series__plan"

    series = models.ForeignKey(
        ReferenceSeries, on_delete=models.CASCADE, related_name="values", verbose_name=_("serie")
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    value = FigureField(_("værdi"), max_digits=14, decimal_places=4)
    source_note = FreeCharField(_("kildenote"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("referenceværdi")
        verbose_name_plural = _("referenceværdier")
        ordering = ["series", "year"]
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="refvalue_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.series}: {self.year}"


class Target(Audited):
    """One target of a criterion for a range of years; applies to the total and/or areas."""

    Kind = engine.TargetKind

    plan_path = "criterion__plan"
    focus_area_path = "criterion__focus_area"
    audit_m2m = ("areas",)

    criterion = models.ForeignKey(
        SuccessCriterion,
        on_delete=models.CASCADE,
        related_name="targets",
        verbose_name=_("succeskriterium"),
    )
    kind = models.CharField(
        _("måltype"),
        max_length=20,
        choices=[
            (engine.TargetKind.THRESHOLD.value, _("Tærskel")),
            (engine.TargetKind.PATH.value, _("Forløb mod slutmål")),
            (engine.TargetKind.YEAR_OVER_YEAR.value, _("Fald/stigning fra år til år")),
            (engine.TargetKind.COMPOUNDED.value, _("Årlig ændring fra nulpunkt")),
            (engine.TargetKind.REFERENCE.value, _("I forhold til reference")),
            (engine.TargetKind.PENDING_BASELINE.value, _("Afventer nulpunkt")),
            (engine.TargetKind.DIRECTION.value, _("Retning i forhold til nulpunkt")),
            (engine.TargetKind.QUALITATIVE.value, _("Kvalitativ vurdering")),
        ],
    )
    applies_to_total = models.BooleanField(_("gælder det samlede område"), default=False)
    areas = models.ManyToManyField(
        "plans.HousingArea", blank=True, related_name="targets", verbose_name=_("boligområder")
    )
    first_year = models.PositiveSmallIntegerField(_("første år"), validators=YEAR_VALIDATORS)
    last_year = models.PositiveSmallIntegerField(_("sidste år"), validators=YEAR_VALIDATORS)
    op = models.CharField(
        _("sammenligning"),
        max_length=2,
        blank=True,
        choices=[
            (engine.Op.LT.value, _("under")),
            (engine.Op.LE.value, _("højst")),
            (engine.Op.GT.value, _("over")),
            (engine.Op.GE.value, _("mindst")),
        ],
    )
    value = FigureField(_("målværdi"), max_digits=14, decimal_places=4, null=True, blank=True)
    percent = FigureField(
        _("ændring pr. år"), max_digits=8, decimal_places=4, null=True, blank=True
    )
    change_unit = models.CharField(
        _("ændringens enhed"),
        max_length=20,
        choices=[
            (engine.ChangeUnit.PERCENT.value, _("procent (relativ)")),
            (engine.ChangeUnit.PERCENTAGE_POINTS.value, _("procentpoint")),
        ],
        default=engine.ChangeUnit.PERCENT.value,
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("nulpunktsår"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    baseline_value = FigureField(
        _("nulpunkt"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    reference_series = models.ForeignKey(
        ReferenceSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="targets",
        verbose_name=_("referenceserie"),
    )
    reference_year = models.PositiveSmallIntegerField(
        _("referenceår"),
        null=True,
        blank=True,
        validators=YEAR_VALIDATORS,
        help_text=_("Tom betyder samme år som målingen."),
    )
    source_text = FreeTextField(_("aftalens ordlyd"), blank=True)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)
    # Changes follow the agreement (issue 11): a target of a plan under an approved agreement
    # is never edited in place. A change adds a target introduced by a draft agreement version
    # and marks the old one superseded by the same version; both take effect only when that
    # version is approved and in force (``in_force_on``). Empty: part of the plan before any
    # versioned change / not superseded.
    introduced_by = models.ForeignKey(
        "agreements.AgreementVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="introduced_targets",
        verbose_name=_("indført ved aftaleversion"),
    )
    superseded_by = models.ForeignKey(
        "agreements.AgreementVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_targets",
        verbose_name=_("afløst ved aftaleversion"),
    )
    set_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="set_targets",
        verbose_name=_("fastlagt ud fra målet"),
        help_text=_("Målet, der afventede nulpunktet, som dette mål er fastlagt ud fra."),
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("afløser målet"),
    )
    change_reason = FreeTextField(
        _("begrundelse for ændringen"), blank=True, help_text=_("Hvorfor målet blev indført.")
    )
    end_reason = FreeTextField(
        _("begrundelse for afslutningen"), blank=True, help_text=_("Hvorfor målet blev afsluttet.")
    )

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["criterion", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_year__lte=F("last_year")), name="target_years_forwards"
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__gte=0),
                name="target_percent_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.criterion.code}: {self.get_kind_display()} {self.first_year}-{self.last_year}"
        )

    def get_absolute_url(self) -> str:
        return self.criterion.get_absolute_url()

    def to_engine(self) -> engine.Target:
        """The engine's view of this target. Needs ``criterion.measure`` and the series."""
        measure = self.criterion.measure
        return engine.Target(
            kind=engine.TargetKind(self.kind),
            first_year=self.first_year,
            last_year=self.last_year,
            direction=measure.engine_direction,
            op=engine.Op(self.op) if self.op else None,
            value=_norm(self.value),
            percent=_norm(self.percent),
            change_unit=engine.ChangeUnit(self.change_unit),
            baseline_year=self.baseline_year,
            baseline_value=_norm(self.baseline_value),
            reference_label=self.reference_series.name if self.reference_series else None,
            reference_year=self.reference_year,
            unit_label=measure.unit or None,
        )

    def describe(self) -> str:
        from helhedsplan.criteria.wording import describe

        return describe(self.to_engine())

    def in_force_on(self, on: date) -> bool:
        """In force on ``on``: introduced by no version or by one approved and in force by
        then, and not superseded by a version approved and in force by then. Drafts,
        submitted and returned versions never change what is in force. Needs
        ``introduced_by`` and ``superseded_by`` loaded (``select_related``)."""
        return not _version_started(self.superseded_by, on) and (
            self.introduced_by_id is None or _version_started(self.introduced_by, on)
        )

    @property
    def is_proposal(self) -> bool:
        """Introduced by a version that LBF has not approved yet."""
        version = self.introduced_by
        return version is not None and version.status != "approved"


def _version_started(version: Any, on: date) -> bool:
    return (
        version is not None
        and version.status == "approved"
        and version.in_force_from is not None
        and version.in_force_from <= on
    )


def evaluation_date(year: int, today: date | None = None) -> date:
    """The date whose targets a year is evaluated with: 31 December of the year, or today if
    that is earlier. A version in force from 1 July 2019 decides 2019 once it has started;
    the year before keeps the targets it had, so history is never rewritten."""
    today = today or timezone.localdate()
    return min(date(year, 12, 31), today)


def _norm(value: Decimal | None) -> Decimal | None:
    """Drop the trailing zeros of a stored decimal: 72.4000 reads 72,4 in sentences."""
    if value is None:
        return None
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


class Observation(Audited):
    """A measured value for a measure, an area (or the total when area is empty) and a year."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Kladde")
        APPROVED = "approved", _("Godkendt")
        # Sent back by the secretariat with a comment; the registrar corrects it, and it
        # becomes a draft again.
        RETURNED = "returned", _("Returneret")

    class Rating(models.TextChoices):
        MET = engine.Rating.MET.value, _("Opfyldt")
        PARTLY = engine.Rating.PARTLY.value, _("Delvist opfyldt")
        NOT_MET = engine.Rating.NOT_MET.value, _("Ikke opfyldt")

    plan_path = "measure__plan"
    # A measure may serve several criteria: the first one's focus area.
    focus_area_path = "measure__criteria__focus_area"

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="observations", verbose_name=_("måling")
    )
    area = models.ForeignKey(
        "plans.HousingArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("boligområde"),
        help_text=_("Tom betyder det samlede område."),
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=YEAR_VALIDATORS)
    variant = FreeCharField(
        _("variant"),
        max_length=40,
        blank=True,
        help_text=_("Kun når kilden angiver to tal for samme år; det tomme er hovedtallet."),
    )
    value = FigureField(_("værdi"), max_digits=14, decimal_places=4, null=True, blank=True)
    numerator = FigureField(_("tæller"), max_digits=14, decimal_places=4, null=True, blank=True)
    denominator = FigureField(_("nævner"), max_digits=14, decimal_places=4, null=True, blank=True)
    rating = models.CharField(_("vurdering"), max_length=20, choices=Rating.choices, blank=True)
    narrative = FreeTextField(_("begrundelse"), blank=True)
    source_note = FreeCharField(_("kilde"), max_length=500, blank=True)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.DRAFT)
    registered_by = actor_key(_("registreret af"))
    registered_at = models.DateTimeField(_("registreret"), default=timezone.now)
    approved_by = actor_key(_("godkendt af"))
    approved_at = models.DateTimeField(_("godkendt"), null=True, blank=True)
    return_comment = FreeTextField(_("bemærkning ved returnering"), blank=True)
    returned_by = actor_key(_("returneret af"))
    returned_at = models.DateTimeField(_("returneret"), null=True, blank=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observationer")
        ordering = ["measure", "year", "area", "variant"]
        constraints = [
            # Two partial constraints because NULL areas (the total) are never equal in SQL.
            models.UniqueConstraint(
                fields=["measure", "area", "year", "variant"],
                condition=Q(area__isnull=False),
                name="observation_unique_per_area",
            ),
            models.UniqueConstraint(
                fields=["measure", "year", "variant"],
                condition=Q(area__isnull=True),
                name="observation_unique_total",
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0),
                name="observation_value_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(numerator__isnull=True) | Q(numerator__gte=0),
                name="observation_numerator_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
                name="observation_denominator_positive",
            ),
            models.CheckConstraint(
                condition=~Q(value__isnull=True, rating=""),
                name="observation_has_value_or_rating",
            ),
        ]
        indexes = [models.Index(fields=["measure", "state", "year"], name="obs_measure_state")]

    def __str__(self) -> str:
        where = self.area.name if self.area_id and self.area else _("Samlet")
        return f"{self.measure}: {where} {self.year}"

    def get_absolute_url(self) -> str:
        criterion = self.measure.criteria.first()
        return criterion.get_absolute_url() if criterion else self.measure.plan.get_absolute_url()

    @property
    def is_approved(self) -> bool:
        return self.state == self.State.APPROVED


class SeedNote(Audited):
    """What the agreement says that is not a dated figure: contradictions, undated figures.

    The seed is kept as written. A contradiction (22 % next to 21 %) is stored with both
    passages quoted, and shown on the criterion page and as a marker on the scorecard.
    """

    class Kind(models.TextChoices):
        CONTRADICTION = "contradiction", _("Modstrid i aftalen")
        UNDATED = "undated", _("Tal uden årstal")
        CONTEXT = "context", _("Baggrund")

    plan_path = "criterion__plan"
    focus_area_path = "criterion__focus_area"

    criterion = models.ForeignKey(
        SuccessCriterion,
        on_delete=models.CASCADE,
        related_name="notes",
        verbose_name=_("succeskriterium"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = FreeCharField(_("overskrift"), max_length=200)
    text = FreeTextField(_("tekst"))
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("note fra aftalen")
        verbose_name_plural = _("noter fra aftalen")
        ordering = ["criterion", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "title"], name="seednote_unique_title")
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.title}"

    def get_absolute_url(self) -> str:
        return self.criterion.get_absolute_url()
