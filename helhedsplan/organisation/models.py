"""The plan's organisation: bodies, people, memberships over time, and its composition rules."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from helhedsplan.lib.fields import FreeCharField, FreeTextField
from helhedsplan.lib.models import Audited, PlanScoped
from helhedsplan.organisation.rules import RULE_KINDS

AREA_BODY_KINDS = ("community_house", "follow_up_group")


class Body(PlanScoped):
    """A body of the organisation (bestyrelse, koordinationsgruppe, følgegruppe ...)."""

    class Kind(models.TextChoices):
        BOARD = "board", _("Bestyrelse")
        CHAIRMANSHIP = "chairmanship", _("Formandskab")
        COORDINATION_GROUP = "coordination_group", _("Koordinationsgruppe")
        SECRETARIAT = "secretariat", _("Sekretariat (Kompetencecentret)")
        COORDINATORS = "coordinators", _("Koordinatorer")
        COMMUNITY_HOUSE = "community_house", _("Beboerhus")
        FOLLOW_UP_GROUP = "follow_up_group", _("Lokal følgegruppe")

    plan_related_name = "bodies"

    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    slug = models.SlugField(_("kort navn"), max_length=60)
    name = FreeCharField(_("navn"), max_length=200)
    area = models.ForeignKey(
        "plans.HousingArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bodies",
        verbose_name=_("boligområde"),
        help_text=_("Kun for beboerhuse og lokale følgegrupper."),
    )
    description = FreeTextField(_("beskrivelse"), blank=True)
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("organ")
        verbose_name_plural = _("organer")
        ordering = ["plan", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "slug"], name="body_unique_slug_per_plan"),
            models.UniqueConstraint(
                fields=["plan", "kind"],
                condition=Q(area__isnull=True),
                name="body_unique_kind_per_plan",
            ),
            models.UniqueConstraint(
                fields=["plan", "kind", "area"],
                condition=Q(area__isnull=False),
                name="body_unique_kind_per_area",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=AREA_BODY_KINDS, area__isnull=False)
                | (~Q(kind__in=AREA_BODY_KINDS) & Q(area__isnull=True)),
                name="body_area_iff_local",
                violation_error_message=_(
                    "Beboerhuse og lokale følgegrupper hører til et boligområde; "
                    "andre organer gør ikke."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.plan_url("organisation:body", body=self.slug)


class Person(PlanScoped):
    """A person in the organisation. Work contact details only: nothing private."""

    class OrganisationKind(models.TextChoices):
        HOUSING_ORGANISATION = "housing_organisation", _("Boligorganisation")
        MUNICIPALITY = "municipality", _("Kommune")
        POLICE = "police", _("Politi")
        OTHER = "other", _("Anden organisation")

    class Level(models.TextChoices):
        EXECUTIVE = "executive", _("Direktion")
        ADMINISTRATIVE = "administrative", _("Administrativ ledelse")
        CENTRE_HEAD = "centre_head", _("Centerchef")
        POLICE_MANAGEMENT = "police_management", _("Politiets lokale/regionale ledelse")
        MANAGER = "manager", _("Anden leder")
        STAFF = "staff", _("Medarbejder")
        OTHER = "other", _("Andet")

    plan_related_name = "people"

    name = FreeCharField(_("navn"), max_length=200)
    organisation_kind = models.CharField(
        _("organisationstype"), max_length=30, choices=OrganisationKind.choices
    )
    housing_organisation = models.ForeignKey(
        "plans.HousingOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("boligorganisation"),
    )
    organisation_name = FreeCharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("For kommune, politi og andre: organisationens navn."),
    )
    level = models.CharField(
        _("ledelsesniveau"), max_length=30, choices=Level.choices, default=Level.OTHER
    )
    title = FreeCharField(_("stilling"), max_length=200, blank=True)
    email = models.EmailField(_("arbejdsmail"), blank=True)
    phone = FreeCharField(_("arbejdstelefon"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["plan", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="person_unique_name_per_plan"),
            models.CheckConstraint(
                condition=Q(
                    organisation_kind="housing_organisation", housing_organisation__isnull=False
                )
                | (
                    ~Q(organisation_kind="housing_organisation")
                    & Q(housing_organisation__isnull=True)
                ),
                name="person_housing_organisation_iff_kind",
                violation_error_message=_(
                    "Vælg boligorganisationen, når personen kommer fra en boligorganisation "
                    "(og kun da)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return self.plan_url("organisation:person_edit", pk=self.pk)

    @property
    def organisation_label(self) -> str:
        if self.housing_organisation_id:
            return str(self.housing_organisation)
        return self.organisation_name or str(self.get_organisation_kind_display())


class Membership(Audited):
    """A person's seat in a body from a date, until a date (open-ended if none)."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Formand/mødeleder")
        MEMBER = "member", _("Medlem")
        DEPUTY = "deputy", _("Stedfortræder for Kompetencechefen")
        CONVENER = "convener", _("Indkalder og leder møderne")
        CHIEF = "chief", _("Kompetencechef")
        COORDINATOR = "coordinator", _("Koordinator")
        LOCAL_COORDINATOR = "local_coordinator", _("Lokal koordinator")
        HOUSE_STAFF = "house_staff", _("Repræsentant for beboerhusets bemanning")
        PROPERTY_OPERATIONS = "property_operations", _("Repræsentant for ejendomsdrift")
        LOCAL_POLICE = "local_police", _("Repræsentant for lokalpolitiet")
        STAFF = "staff", _("Medarbejder")
        MAY_ATTEND = "may_attend", _("Kan deltage")
        OTHER = "other", _("Øvrig deltager efter behov")

    plan_path = "body__plan"

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organ")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person")
    )
    role = models.CharField(_("rolle"), max_length=30, choices=Role.choices, default=Role.MEMBER)
    area = models.ForeignKey(
        "plans.HousingArea",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinator_shares",
        verbose_name=_("boligområde"),
        help_text=_("For koordinatorer: området, tiden gælder. Tomt = tværgående opgaver."),
    )
    fte_percent = models.DecimalField(
        _("andel af årsværk (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    start_date = models.DateField(_("fra"))
    end_date = models.DateField(_("til og med"), null=True, blank=True)
    assumption = FreeCharField(
        _("antagelse"),
        max_length=300,
        blank=True,
        help_text=_(
            "Udfyldt, når tilknytningen ikke står i aftalen, men er antaget (fx hvilken "
            "koordinator der dækker hvilket område). Vises som »antagelse« på siderne."
        ),
    )

    class Meta:
        verbose_name = _("medlemskab")
        verbose_name_plural = _("medlemskaber")
        ordering = ["body", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_start_before_end",
                violation_error_message=_("Slutdatoen må ikke ligge før startdatoen."),
            ),
            models.CheckConstraint(
                condition=Q(fte_percent__isnull=True)
                | (Q(fte_percent__gte=0) & Q(fte_percent__lte=100)),
                name="membership_fte_within_0_100",
                violation_error_message=_("Andelen af et årsværk skal ligge mellem 0 og 100 %."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()} – {self.body}"

    def get_absolute_url(self) -> str:
        return self.body.get_absolute_url()


class CompositionRule(PlanScoped):
    """One rule of the plan's organisation, as data: a kind from ``rules.RULE_KINDS``."""

    plan_related_name = "composition_rules"

    body_kind = models.CharField(_("organtype"), max_length=30, choices=Body.Kind.choices)
    kind = models.CharField(
        _("regeltype"), max_length=40, choices=[(k, k) for k in sorted(RULE_KINDS)]
    )
    params = models.JSONField(_("parametre"), default=dict, blank=True)
    hard = models.BooleanField(
        _("håndhæves"),
        default=False,
        help_text=_("Ændringer, der bryder reglen, afvises. Ellers vises bruddet kun."),
    )
    description = FreeCharField(
        _("aftalens ordlyd"), max_length=300, help_text=_("Reglen, som aftalen formulerer den.")
    )
    order = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        verbose_name = _("sammensætningsregel")
        verbose_name_plural = _("sammensætningsregler")
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return self.plan_url("organisation:overview")

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        _check, required = RULE_KINDS.get(self.kind, (None, frozenset()))
        missing = required - set(self.params or {})
        if missing:
            raise ValidationError(
                {
                    "params": _("Reglen mangler parametrene %(names)s.")
                    % {"names": ", ".join(sorted(missing))}
                },
                code="rule_params_missing",
            )

    def as_rule(self) -> Any:
        from helhedsplan.organisation.rules import Rule

        return Rule(self.pk, self.body_kind, self.kind, self.params, self.hard)
