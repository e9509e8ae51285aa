"""Test data built per test with factory_boy, apart from the demo.

A test that is not about the seed's content builds the little it needs here; a test about the
seed's content uses the ``demo_plan`` fixture and says so in its module docstring.

Every factory's defaults pass the model's ``full_clean`` (no CPR-like digits, years within the
plan, counts that add up) and each chain stays inside one plan: ``ObservationFactory()`` builds
one plan with a measure and an area of that plan, and ``ObservationFactory(measure=m)`` puts the
area in ``m``'s plan. The rule: pass ``plan=`` (or an object that has one) and everything the
factory builds below it belongs to that plan. The pattern follows HackSoft's styleguide example
(``testing_examples/tests/factories.py``): one ``DjangoModelFactory`` per model, ``SubFactory``
for what a row needs, ``post_generation`` for many-to-many fields.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max
from django.utils import timezone
from factory.django import DjangoModelFactory

from helhedsplan.accounts import models as accounts
from helhedsplan.activities.models import (
    COUNT_FIELDS,
    Activity,
    ActivityArea,
    Partner,
    PlannedQuantity,
    Registration,
    quarter_of,
)
from helhedsplan.agreements.models import (
    AgreementSection,
    AgreementVersion,
    ProposedChange,
    SubAgreementVersion,
)
from helhedsplan.criteria import engine
from helhedsplan.criteria.models import Measure, Observation, SuccessCriterion, Target
from helhedsplan.duties.models import DutyDone
from helhedsplan.files.services import stored_file_create
from helhedsplan.finance.models import BudgetAmount, BudgetLine, FundingSource
from helhedsplan.lists.models import ListThreshold, ListVision
from helhedsplan.measurements.models import CentralMeasurement, Indicator
from helhedsplan.meetings.models import BoardAssessment, Decision, Dispute, Meeting
from helhedsplan.milestones.models import Milestone
from helhedsplan.notifications.models import CalendarFeed, ReminderSent
from helhedsplan.organisation.models import AREA_BODY_KINDS, Body, Membership, Person
from helhedsplan.plans.models import (
    AreaDepartment,
    AreaPopulation,
    FinalReport,
    FocusArea,
    HousingArea,
    HousingOrganisation,
    Municipality,
    Plan,
)
from helhedsplan.programmeevaluations.models import (
    EvaluationFinding,
    EvaluationQuestion,
    FindingFollowUp,
    ProgrammeEvaluation,
)
from helhedsplan.spending.models import AccountsClosing, ActualSpending, SpendingCorrection
from helhedsplan.statusreports.models import StatusReport
from tests.files.samples import pdf_bytes

PLAN_START = date(2018, 1, 1)
PLAN_END = date(2021, 12, 31)
FIRST_YEAR = PLAN_START.year
LAST_YEAR = PLAN_END.year


class _Factory(DjangoModelFactory):  # type: ignore[misc]
    """Post-generation hooks save what they set (many-to-many rows); no second save."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True


class _InPlan(_Factory):
    """Takes the plan from an object passed in, so the SubFactories below join that plan.

    ``_plan_from`` names the arguments that carry a plan and the path to it: for
    ``SuccessCriterionFactory(focus_area=fa)`` the measure is built in ``fa.plan``.
    """

    _plan_from: dict[str, str] = {}

    class Meta:
        abstract = True

    @classmethod
    def _generate(cls, strategy: Any, params: dict[str, Any]) -> Any:
        if "plan" not in params:
            for argument, path in cls._plan_from.items():
                if params.get(argument) is not None:
                    value = params[argument]
                    for step in path.split("."):
                        value = getattr(value, step)
                    params = {**params, "plan": value}
                    break
        return super()._generate(strategy, params)


class MunicipalityFactory(_Factory):
    class Meta:
        model = Municipality
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Testkommune {n}")


class HousingOrganisationFactory(_Factory):
    class Meta:
        model = HousingOrganisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Testboligorganisation {n}")


class PlanFactory(_Factory):
    """A four-year plan (2018-2021, as the demo), active, without areas (HousingAreaFactory)."""

    class Meta:
        model = Plan

    name = factory.Sequence(lambda n: f"Testplan {n}")
    slug = factory.Sequence(lambda n: f"testplan-{n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    start_date = PLAN_START
    end_date = PLAN_END
    status = Plan.Status.ACTIVE

    @factory.post_generation
    def housing_organisations(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.housing_organisations.set(extracted)


class HousingAreaFactory(_Factory):
    """An area; ``residents=800`` (or ``{2019: 800}``) stores its population per plan year."""

    class Meta:
        model = HousingArea

    plan = factory.SubFactory(PlanFactory)
    slug = factory.Sequence(lambda n: f"omraade-{n}")
    name = factory.Sequence(lambda n: f"Testområde {n}")
    order = factory.Sequence(lambda n: n)

    @factory.post_generation
    def residents(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if not create or extracted is None:
            return
        by_year = (
            extracted if isinstance(extracted, dict) else dict.fromkeys(self.plan.years, extracted)
        )
        for year, count in by_year.items():
            AreaPopulationFactory(area=self, year=year, residents=count)


AreaFactory = HousingAreaFactory


class AreaDepartmentFactory(_Factory):
    """One of LBF's departments of an area, without a housing organisation unless given."""

    class Meta:
        model = AreaDepartment

    area = factory.SubFactory(HousingAreaFactory)
    housing_organisation = None
    number = factory.Sequence(lambda n: str(100 + n))


class AreaPopulationFactory(_Factory):
    class Meta:
        model = AreaPopulation

    area = factory.SubFactory(HousingAreaFactory)
    year = FIRST_YEAR
    residents = 1000
    source = "Testdata"


class FocusAreaFactory(_Factory):
    class Meta:
        model = FocusArea

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"5.{n + 1}")
    name = factory.Sequence(lambda n: f"Testindsatsområde {n}")
    purpose = "At styrke trygheden i området."
    order = factory.Sequence(lambda n: n)


class MeasureFactory(_Factory):
    """A yearly count where lower is better, from three baseline years before the plan."""

    class Meta:
        model = Measure

    plan = factory.SubFactory(PlanFactory)
    slug = factory.Sequence(lambda n: f"maaling-{n}")
    name = factory.Sequence(lambda n: f"Testmåling {n}")
    value_kind = Measure.ValueKind.COUNT
    direction = engine.Direction.LOWER_IS_BETTER.value
    frequency = Measure.Frequency.YEARLY
    first_year = factory.LazyAttribute(lambda o: o.plan.start_date.year - 3)
    last_year = factory.LazyAttribute(lambda o: o.plan.end_date.year)


class SuccessCriterionFactory(_InPlan):
    class Meta:
        model = SuccessCriterion

    _plan_from = {"focus_area": "plan", "measure": "plan"}

    plan = factory.SubFactory(PlanFactory)
    focus_area = factory.SubFactory(FocusAreaFactory, plan=factory.SelfAttribute("..plan"))
    measure = factory.SubFactory(MeasureFactory, plan=factory.SelfAttribute("..plan"))
    code = factory.Sequence(lambda n: f"9.{n + 1}.1")
    title = factory.Sequence(lambda n: f"Testkriterium {n}")
    text = "Antallet skal falde i planperioden."
    order = factory.Sequence(lambda n: n)


class TargetFactory(_Factory):
    """A threshold on the total: under 30 in every plan year."""

    class Meta:
        model = Target

    criterion = factory.SubFactory(SuccessCriterionFactory)
    kind = engine.TargetKind.THRESHOLD.value
    applies_to_total = True
    first_year = factory.LazyAttribute(lambda o: o.criterion.plan.start_date.year)
    last_year = factory.LazyAttribute(lambda o: o.criterion.plan.end_date.year)
    op = engine.Op.LT.value
    value = Decimal(30)

    @factory.post_generation
    def areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.areas.set(extracted)


class ObservationFactory(_InPlan):
    """A draft figure for an area of the measure's plan in the plan's first year.

    ``ObservationFactory(area=None)`` is a figure for the total.
    """

    class Meta:
        model = Observation

    class Params:
        plan = factory.SubFactory(PlanFactory)

    _plan_from = {"measure": "plan", "area": "plan"}

    measure = factory.SubFactory(MeasureFactory, plan=factory.SelfAttribute("..plan"))
    area = factory.SubFactory(HousingAreaFactory, plan=factory.SelfAttribute("..plan"))
    year = factory.LazyAttribute(lambda o: o.plan.start_date.year)
    value = Decimal(25)
    state = Observation.State.DRAFT


class PartnerFactory(_Factory):
    class Meta:
        model = Partner

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Testpartner {n}")
    kind = Partner.Kind.OTHER


class ActivityFactory(_InPlan):
    """An activity run by the secretariat; ``areas=[a, b]`` links it to those areas."""

    class Meta:
        model = Activity

    _plan_from = {"focus_area": "plan"}

    plan = factory.SubFactory(PlanFactory)
    focus_area = factory.SubFactory(FocusAreaFactory, plan=factory.SelfAttribute("..plan"))
    slug = factory.Sequence(lambda n: f"aktivitet-{n}")
    name = factory.Sequence(lambda n: f"Testaktivitet {n}")
    description = "En aktivitet til test."
    responsible = Activity.Responsible.SECRETARIAT
    unit = Activity.Unit.EVENTS
    order = factory.Sequence(lambda n: n)

    @factory.post_generation
    def areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            for area in extracted:
                ActivityAreaFactory(activity=self, area=area)

    @factory.post_generation
    def success_criteria(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.success_criteria.set(extracted)


class ActivityAreaFactory(_Factory):
    class Meta:
        model = ActivityArea
        django_get_or_create = ("activity", "area")

    activity = factory.SubFactory(ActivityFactory)
    area = factory.SubFactory(HousingAreaFactory, plan=factory.SelfAttribute("..activity.plan"))


class PlannedQuantityFactory(_Factory):
    """One cell of the activity plan; the area is linked to the activity."""

    class Meta:
        model = PlannedQuantity

    activity = factory.SubFactory(ActivityFactory)
    area = factory.SubFactory(HousingAreaFactory, plan=factory.SelfAttribute("..activity.plan"))
    year = FIRST_YEAR
    quarter = 2
    quantity = 4

    @factory.post_generation
    def _linked(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            ActivityAreaFactory(activity=self.activity, area=self.area)


class RegistrationFactory(_InPlan):
    """A held activity (a delivery row): year, quarter and the total follow from the counts.

    ``RegistrationFactory(n_25_64_f=3, n_25_64_m=2)`` has five participants; the area is
    linked to the activity, as the registration form requires.
    """

    class Meta:
        model = Registration

    _plan_from = {"activity": "plan", "area": "plan"}

    plan = factory.SubFactory(PlanFactory)
    activity = factory.SubFactory(ActivityFactory, plan=factory.SelfAttribute("..plan"))
    area = factory.SubFactory(HousingAreaFactory, plan=factory.SelfAttribute("..plan"))
    date = date(2019, 5, 14)
    year = factory.LazyAttribute(lambda o: o.date.year)
    quarter = factory.LazyAttribute(lambda o: quarter_of(o.date))
    n_25_64_f = 3
    n_25_64_m = 2
    participants = factory.LazyAttribute(
        lambda o: sum(getattr(o, name, 0) for name in COUNT_FIELDS)
    )

    @factory.post_generation
    def _linked(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            ActivityAreaFactory(activity=self.activity, area=self.area)


class BodyFactory(_Factory):
    """The plan's board unless ``kind`` says otherwise; one body per kind (get or create)."""

    class Meta:
        model = Body
        django_get_or_create = ("plan", "kind", "area")

    plan = factory.SubFactory(PlanFactory)
    kind = Body.Kind.BOARD
    area = None
    slug = factory.LazyAttributeSequence(lambda o, n: f"{o.kind.replace('_', '-')}-{n}")
    name = factory.LazyAttribute(lambda o: str(Body.Kind(o.kind).label))
    order = factory.Sequence(lambda n: n)


class PersonFactory(_Factory):
    """A municipal employee with work contact details only."""

    class Meta:
        model = Person

    plan = factory.SubFactory(PlanFactory)
    name = factory.Sequence(lambda n: f"Testperson {n}")
    organisation_kind = Person.OrganisationKind.MUNICIPALITY
    organisation_name = "Testkommune"
    level = Person.Level.STAFF
    title = "Konsulent"
    email = factory.Sequence(lambda n: f"person{n}@kommune.example")


class OrganisationMembershipFactory(_Factory):
    """A person's seat in a body (organisation.Membership), from the plan's start."""

    class Meta:
        model = Membership

    body = factory.SubFactory(BodyFactory)
    person = factory.SubFactory(PersonFactory, plan=factory.SelfAttribute("..body.plan"))
    role = Membership.Role.MEMBER
    start_date = factory.LazyAttribute(lambda o: o.body.plan.start_date)


class MeetingFactory(_InPlan):
    """An ordinary board meeting in the plan's first spring."""

    class Meta:
        model = Meeting

    _plan_from = {"body": "plan"}

    plan = factory.SubFactory(PlanFactory)
    body = factory.SubFactory(BodyFactory, plan=factory.SelfAttribute("..plan"))
    kind = Meeting.Kind.ORDINARY
    date = date(2019, 3, 1)
    title = "Bestyrelsesmøde"


class DisputeFactory(_Factory):
    class Meta:
        model = Dispute

    plan = factory.SubFactory(PlanFactory)
    raised_on = date(2019, 2, 1)
    raised_by = "Testboligorganisation"
    subject = "Fordeling af koordinatortid"
    description = "Uenighed om prioriteringen mellem områderne."


def _next_number(versions: Any) -> int:
    return int(versions.aggregate(top=Max("number"))["top"] or 0) + 1


class AgreementVersionFactory(_Factory):
    """The plan's next agreement version, a draft."""

    class Meta:
        model = AgreementVersion

    plan = factory.SubFactory(PlanFactory)
    number = factory.LazyAttribute(
        lambda o: _next_number(AgreementVersion.objects.filter(plan=o.plan))
    )
    change_note = "Første udkast."


def agreement_version(plan: Plan, status: str = "draft", in_force_from: Any = None) -> Any:
    """The plan's next agreement version in ``status`` (an approved one needs its date)."""
    return AgreementVersionFactory(plan=plan, status=status, in_force_from=in_force_from)


class ProposedChangeFactory(_Factory):
    """A proposed change of a criterion's title in a draft version of the criterion's plan."""

    class Meta:
        model = ProposedChange

    criterion = factory.SubFactory(SuccessCriterionFactory)
    version = factory.SubFactory(
        AgreementVersionFactory, plan=factory.SelfAttribute("..criterion.plan")
    )
    old_values = factory.LazyAttribute(lambda o: {"title": o.criterion.title})
    new_values = factory.LazyAttribute(lambda o: {"title": f"{o.criterion.title} (ny)"})
    reason = "Bestyrelsen ønsker en klarere titel."


class AgreementSectionFactory(_Factory):
    class Meta:
        model = AgreementSection
        django_get_or_create = ("version", "key")

    version = factory.SubFactory(AgreementVersionFactory)
    key = "1"
    title = "Formål med den boligsociale indsats"
    body = "Indsatsen skal skabe trygge boligområder."
    order = factory.LazyAttribute(lambda o: 0 if o.key == "front" else int(o.key))


class SubAgreementVersionFactory(_Factory):
    """The focus area's next sub-agreement version, a draft."""

    class Meta:
        model = SubAgreementVersion

    focus_area = factory.SubFactory(FocusAreaFactory)
    number = factory.LazyAttribute(
        lambda o: _next_number(SubAgreementVersion.objects.filter(focus_area=o.focus_area))
    )
    purpose = "At styrke trygheden."
    responsibilities = "Sekretariatet koordinerer."


class FundingSourceFactory(_Factory):
    class Meta:
        model = FundingSource

    plan = factory.SubFactory(PlanFactory)
    kind = FundingSource.Kind.LBF
    name = factory.Sequence(lambda n: f"Testfinansiering {n}")
    amount_tkr = Decimal(1000)
    order = factory.Sequence(lambda n: n)


class FinalReportFactory(_Factory):
    """A final status report as issued when the plan was closed (a small PDF)."""

    class Meta:
        model = FinalReport

    plan = factory.SubFactory(PlanFactory)
    stored_file = factory.LazyAttribute(
        lambda o: stored_file_create(
            plan=o.plan, upload=SimpleUploadedFile("slutstatus.pdf", pdf_bytes("Slutstatus"))
        )
    )
    closed_at = factory.LazyFunction(timezone.now)


class UserFactory(_Factory):
    class Meta:
        model = accounts.User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"bruger{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Bruger {n}")
    password = factory.django.Password("x")


class PlanMembershipFactory(_Factory):
    """A user's role on a plan (accounts.Membership); ``areas=[...]`` for a coordinator."""

    class Meta:
        model = accounts.Membership

    user = factory.SubFactory(UserFactory)
    plan = factory.SubFactory(PlanFactory)
    role = accounts.Role.SECRETARIAT

    @factory.post_generation
    def areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.areas.set(extracted)


class InvitationFactory(_Factory):
    """A pending invitation (valid for 14 days); its link's token is ``"token-<n>"``."""

    class Meta:
        model = accounts.Invitation

    plan = factory.SubFactory(PlanFactory)
    email = factory.Sequence(lambda n: f"inviteret{n}@example.dk")
    role = accounts.Role.SECRETARIAT
    token_hash = factory.Sequence(lambda n: hashlib.sha256(f"token-{n}".encode()).digest())
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))

    @factory.post_generation
    def areas(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.areas.set(extracted)


# --- A small plan for tests of mechanics, and one user per role on it (personas) ---

ROLES = [role.value for role in accounts.Role]


def small_plan(**kwargs: Any) -> Plan:
    """A plan with two areas (800 and 1200 residents), one focus area and a board."""
    plan = PlanFactory(**kwargs)
    HousingAreaFactory(plan=plan, slug="nord", name="Nordparken", order=1, residents=800)
    HousingAreaFactory(plan=plan, slug="syd", name="Sydparken", order=2, residents=1200)
    FocusAreaFactory(plan=plan, code="5.1", name="Tryghed og trivsel", order=1)
    BodyFactory(plan=plan, kind=Body.Kind.BOARD, slug="bestyrelse", name="Bestyrelse")
    return plan


def persona(plan: Plan, role: str) -> accounts.User:
    """The user who holds ``role`` on ``plan`` (made once); "outsider" holds no role on it.

    The coordinator registers for the plan's first area only, as the demo coordinator does.
    """
    username = f"{plan.slug}-{role}"
    user = UserFactory(username=username, first_name="Test", last_name=role)
    if role == "outsider" or user.memberships.filter(plan=plan).exists():
        return user
    areas = list(plan.areas.order_by("order")[:1]) if role == accounts.Role.COORDINATOR else []
    PlanMembershipFactory(user=user, plan=plan, role=role, areas=areas)
    return user


# Criteria of each kind of figure, numbered as the seed numbers its criteria of that kind, so a
# test about the rules of a kind names a criterion the way the seed does (5.2.2 per 1000).
CRITERIA_BY_KIND: dict[str, dict[str, Any]] = {
    "5.1.2": dict(
        slug="fraflytning", value_kind=Measure.ValueKind.PERCENT, unit="%", is_rate=True,
        numerator_label="fraflytninger", denominator_label="boliger",
    ),
    "5.2.2": dict(
        slug="kriminalretlige-afgoerelser", value_kind=Measure.ValueKind.PER_THOUSAND,
        unit="pr. 1000 beboere", is_rate=True, numerator_label="afgørelser",
        denominator_label="beboere",
    ),
    "5.2.3": dict(slug="paasatte-brande", value_kind=Measure.ValueKind.COUNT, unit="episoder"),
    "5.4.1": dict(slug="udvalgte-familier", value_kind=Measure.ValueKind.RATING, direction=""),
    "5.4.2": dict(slug="moedres-kompetencer", value_kind=Measure.ValueKind.RATING, direction=""),
}  # fmt: skip


def criteria_by_kind(plan: Plan) -> dict[str, SuccessCriterion]:
    """One criterion per kind of figure on ``plan`` (see CRITERIA_BY_KIND), each with a target
    on the total; measures from 2015 to the plan's last year."""
    made: dict[str, SuccessCriterion] = {}
    for code, measure in CRITERIA_BY_KIND.items():
        focus_area = FocusArea.objects.filter(plan=plan, code=code[:3]).first()
        criterion = SuccessCriterionFactory(
            plan=plan,
            code=code,
            focus_area=focus_area or FocusAreaFactory(plan=plan, code=code[:3]),
            measure=MeasureFactory(plan=plan, first_year=2015, **measure),
        )
        rating = measure["value_kind"] == Measure.ValueKind.RATING
        TargetFactory(
            criterion=criterion,
            **(
                {"kind": engine.TargetKind.QUALITATIVE.value, "op": "", "value": None}
                if rating
                else {}
            ),
        )
        made[code] = criterion
    return made


def user_named(plan: Plan, username: str, role: str) -> accounts.User:
    """A user of that name holding ``role`` on ``plan``, for a test whose assertion names the
    actor (as the demo's users are named "lbf", "bestyrelse", ...)."""
    user = UserFactory(username=username)
    PlanMembershipFactory(user=user, plan=plan, role=role)
    return user


_CVR_NUMBERS = itertools.count(30_000_001)


def complete_plan(
    *, areas: int = 2, focus_areas: int = 2, criteria: int = 1, **kwargs: Any
) -> Plan:
    """A plan the setup checklist has nothing to say about: details, a party with CVR, areas
    with a department, residents and a priority, focus areas chosen from the framework with
    their texts, criteria with data source, owner, direction and a target, an activity per
    focus area in an area, a board with a member, funding with a 25 % local share, and users
    in the recommended roles. The sizes let query-count tests build it larger."""
    from helhedsplan.frameworks import catalogue

    plan = PlanFactory(lbf_case_number="2018-0042", **kwargs)
    organisation = HousingOrganisationFactory(cvr=str(next(_CVR_NUMBERS)))
    plan.housing_organisations.add(organisation)
    made_areas: list[Any] = []
    for n in range(areas):
        area = HousingAreaFactory(plan=plan, priority=1 + n % 2, residents=800)
        AreaDepartmentFactory(area=area, housing_organisation=organisation)
        made_areas.append(area)
    keys = [f.key for f in catalogue.get(plan.framework).focus_areas]
    for n in range(focus_areas):
        fa = FocusAreaFactory(
            plan=plan,
            code=f"5.{n + 1}",
            framework_key=keys[n],
            sub_goals="Mere tryghed",
            target_groups="Børn og unge",
        )
        for _ in range(criteria):
            criterion = SuccessCriterionFactory(
                plan=plan,
                focus_area=fa,
                measure=MeasureFactory(
                    plan=plan, data_source="Politiet", delivered_by="Lokalpolitiet"
                ),
            )
            TargetFactory(criterion=criterion)
        ActivityFactory(plan=plan, focus_area=fa, areas=made_areas[:1])
    from helhedsplan.setup.selectors import required_body_kinds

    for kind in required_body_kinds(catalogue.get(plan.framework)):
        local = kind in AREA_BODY_KINDS
        for area in made_areas if local else [None]:
            OrganisationMembershipFactory(body=BodyFactory(plan=plan, kind=kind, area=area))
    FundingSourceFactory(plan=plan, kind=FundingSource.Kind.LBF, amount_tkr=Decimal(3000))
    FundingSourceFactory(plan=plan, kind=FundingSource.Kind.LOCAL, amount_tkr=Decimal(1000))
    for role in (accounts.Role.COORDINATOR, accounts.Role.BOARD, accounts.Role.LBF):
        PlanMembershipFactory(plan=plan, role=role)
    return plan


class StatusReportFactory(_Factory):
    """A status report for the plan's first second half-year (2018 H2 for the small plan),
    issued as version 1 unless ``state`` says draft. Its snapshot is whatever the test
    gives; the report helper's ``status_report_issue`` builds the real one."""

    class Meta:
        model = StatusReport

    plan = factory.SubFactory(PlanFactory)
    period_start = date(2018, 7, 1)
    period_end = date(2018, 12, 31)
    state = StatusReport.State.ISSUED
    version = factory.LazyAttribute(lambda o: None if o.state == StatusReport.State.DRAFT else 1)
    issued_at = factory.LazyAttribute(
        lambda o: None if o.state == StatusReport.State.DRAFT else timezone.now()
    )
    snapshot = factory.LazyFunction(dict)


class BoardAssessmentFactory(_Factory):
    """The board's assessment of a focus area at a board assessment meeting."""

    class Meta:
        model = BoardAssessment

    meeting = factory.SubFactory(
        MeetingFactory, kind=Meeting.Kind.BOARD_CRITERIA_ASSESSMENT, date=date(2019, 6, 1)
    )
    focus_area = factory.LazyAttribute(lambda o: o.meeting.plan.focus_areas.first())
    rating = BoardAssessment.Rating.ON_TRACK
    text = "Indsatsen understøtter succeskriterierne."


class DutyDoneFactory(_Factory):
    """A duty the secretariat marked done by hand: the plan's first programme evaluation."""

    class Meta:
        model = DutyDone

    plan = factory.SubFactory(PlanFactory)
    key = "programme_evaluation:2019-01"
    done_on = date(2019, 1, 20)
    note = "Helhedsevalueringen er udført af et eksternt konsulentfirma."


class ReminderSentFactory(_Factory):
    """A due item a user was told about in a digest (the reminders' memory)."""

    class Meta:
        model = ReminderSent

    user = factory.SubFactory(UserFactory)
    plan = factory.SubFactory(PlanFactory)
    key = factory.Sequence(lambda n: f"meeting:{n}:ordinary:2019")
    urgency = ReminderSent.Urgency.DUE


class CalendarFeedFactory(_Factory):
    """A user's calendar link; its token is ``"feed-<n>"``."""

    class Meta:
        model = CalendarFeed

    user = factory.SubFactory(UserFactory)
    token_hash = factory.Sequence(lambda n: hashlib.sha256(f"feed-{n}".encode()).digest())


# Issue 13: the money, the milestone plan, the programme evaluations.


class BudgetLineFactory(_Factory):
    class Meta:
        model = BudgetLine

    plan = factory.SubFactory(PlanFactory)
    kind = BudgetLine.Kind.STAFF
    name = factory.Sequence(lambda n: f"Budgetpost {n}")
    order = factory.Sequence(lambda n: n)


class BudgetAmountFactory(_Factory):
    """A budget cell of a line's plan: the plan's first funding source (one is made when the
    plan has none) in the plan's first year."""

    class Meta:
        model = BudgetAmount

    line = factory.SubFactory(BudgetLineFactory)
    source = factory.LazyAttribute(
        lambda o: o.line.plan.funding.first() or FundingSourceFactory(plan=o.line.plan)
    )
    year = factory.LazyAttribute(lambda o: o.line.plan.start_date.year)
    amount = Decimal("100000.00")


class ActualSpendingFactory(_Factory):
    class Meta:
        model = ActualSpending

    line = factory.SubFactory(BudgetLineFactory)
    source = factory.LazyAttribute(
        lambda o: o.line.plan.funding.first() or FundingSourceFactory(plan=o.line.plan)
    )
    year = factory.LazyAttribute(lambda o: o.line.plan.start_date.year)
    amount = Decimal("90000.00")


class AccountsClosingFactory(_Factory):
    """A year's approved accounts with the auditor's statement (a small PDF)."""

    class Meta:
        model = AccountsClosing

    plan = factory.SubFactory(PlanFactory)
    year = factory.LazyAttribute(lambda o: o.plan.start_date.year)
    auditor_statement = factory.LazyAttribute(
        lambda o: stored_file_create(
            plan=o.plan,
            upload=SimpleUploadedFile("revisorerklaering.pdf", pdf_bytes("Revisors erklæring")),
        )
    )


class SpendingCorrectionFactory(_Factory):
    class Meta:
        model = SpendingCorrection

    line = factory.SubFactory(BudgetLineFactory)
    plan = factory.LazyAttribute(lambda o: o.line.plan)
    source = factory.LazyAttribute(
        lambda o: o.line.plan.funding.first() or FundingSourceFactory(plan=o.line.plan)
    )
    year = factory.LazyAttribute(lambda o: o.line.plan.start_date.year)
    amount = Decimal("-1250.50")
    reason = "Fejlkonteret udgift flyttet."


class ProgrammeEvaluationFactory(_Factory):
    class Meta:
        model = ProgrammeEvaluation

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda o: f"Helhedsevaluering {o.number}")
    due_by = factory.LazyAttribute(lambda o: date(o.plan.start_date.year, 12, 31))

    class Params:
        # ``ProgrammeEvaluationFactory(reported=True)``: the report (a small PDF) received on
        # the day it was due.
        reported = factory.Trait(
            report=factory.LazyAttribute(
                lambda o: stored_file_create(
                    plan=o.plan,
                    upload=SimpleUploadedFile("evaluering.pdf", pdf_bytes("Evalueringsrapport")),
                )
            ),
            report_received_on=factory.SelfAttribute("due_by"),
        )


class EvaluationQuestionFactory(_Factory):
    class Meta:
        model = EvaluationQuestion

    evaluation = factory.SubFactory(ProgrammeEvaluationFactory)
    text = "Hvordan fungerer organiseringen af en helhedsplan for fire områder?"


class EvaluationFindingFactory(_Factory):
    class Meta:
        model = EvaluationFinding

    evaluation = factory.SubFactory(ProgrammeEvaluationFactory)
    text = "Koordinationsgruppen samler indsatsen på tværs af områderne."


class FindingFollowUpFactory(_Factory):
    class Meta:
        model = FindingFollowUp

    finding = factory.SubFactory(EvaluationFindingFactory)
    decision = factory.LazyAttribute(
        lambda o: Decision.objects.create(
            meeting=MeetingFactory(plan=o.finding.evaluation.plan), text="Bestyrelsen følger op."
        )
    )


class MilestoneFactory(_Factory):
    class Meta:
        model = Milestone

    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Milepæl {n}")
    kind = Milestone.Kind.OTHER
    due_on = factory.LazyAttribute(lambda o: date(o.plan.start_date.year, 12, 31))
    owner = "Sekretariatet"
    done_when = "Bestyrelsen har behandlet sagen."


# Issue 14: the central measurements and the lists.


def indicator(code: str, framework: str = "2015-18") -> Indicator:
    """The catalogue's row for ``code`` (the list criteria are there from the migration)."""
    return Indicator.objects.get(framework=framework, code=code)


class IndicatorFactory(_Factory):
    """A further indicator of the catalogue (not a list criterion)."""

    class Meta:
        model = Indicator
        django_get_or_create = ("framework", "code")

    framework = "2015-18"
    code = factory.Sequence(lambda n: f"indikator_{n}")
    name = factory.Sequence(lambda n: f"Indikator {n}")
    unit = Indicator.Unit.PERCENT
    is_rate = True
    numerator_label = "Tæller"
    denominator_label = "Nævner"
    direction = Indicator.Direction.DOWN


class CentralMeasurementFactory(_Factory):
    """A value of an indicator for an area and year; pass ``indicator=f.indicator("doemte_pct")``
    for a list criterion."""

    class Meta:
        model = CentralMeasurement

    area = factory.SubFactory(HousingAreaFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    year = 2018
    value = Decimal("42.5")


class ListThresholdFactory(_Factory):
    class Meta:
        model = ListThreshold
        django_get_or_create = ("list_year", "key")

    list_year = 2019
    key = "doemte_landsgennemsnit_pct"
    value = Decimal("0.66")
    source = "Testkilde"


class ListVisionFactory(_Factory):
    class Meta:
        model = ListVision

    plan = factory.SubFactory(PlanFactory)
    after_year = 2025
    text = "Ingen af områderne på listen efter 2025."
    source = "Testaftale § 1"
