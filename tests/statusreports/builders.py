"""A small plan with something for every section of a status report for 2018's second
half-year: criteria of each kind with approved 2018 figures, an activity with a plan and
registrations by age band and sex, an evaluation, the groups' evaluation meetings, a notice,
a dispute and funding. ``size`` multiplies the areas, activities and registrations (the
query-count test)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from helhedsplan.activities.models import Evaluation
from helhedsplan.criteria.models import Observation
from helhedsplan.meetings.models import Meeting, Notice
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import HousingArea, Plan
from helhedsplan.statusreports import services
from helhedsplan.statusreports.models import StatusReport
from tests import factories as f

H2_2018 = (date(2018, 7, 1), date(2018, 12, 31))
H1_2019 = (date(2019, 1, 1), date(2019, 6, 30))


def report_plan(size: int = 1, **kwargs: Any) -> Plan:
    plan = f.small_plan(**kwargs)
    areas = list(plan.areas.order_by("order"))
    for n in range(size - 1):
        areas.append(f.HousingAreaFactory(plan=plan, slug=f"ekstra-{n}", name=f"Ekstra {n}"))
    criteria = f.criteria_by_kind(plan)
    count = criteria["5.2.3"]
    for i, area in enumerate(areas):
        f.ObservationFactory(
            measure=count.measure, area=area, year=2018, value=Decimal(10 + i),
            state=Observation.State.APPROVED, plan=plan,
        )  # fmt: skip
    f.ObservationFactory(
        measure=criteria["5.4.1"].measure, area=None, year=2018, value=None, rating="met",
        narrative="Familierne er nået.", state=Observation.State.APPROVED, plan=plan,
    )  # fmt: skip
    focus_area = plan.focus_areas.get(code="5.1")
    for n in range(size):
        activity = f.ActivityFactory(
            plan=plan, focus_area=focus_area, name=f"Lektiecafé {n}", areas=areas
        )
        for area in areas:
            f.PlannedQuantityFactory(activity=activity, area=area, year=2018, quarter=3, quantity=4)
            f.PlannedQuantityFactory(activity=activity, area=area, year=2018, quarter=4, quantity=4)
            registration(activity, area, date(2018, 8, 15), n_6_12_f=3, n_6_12_m=4)
            registration(activity, area, date(2018, 11, 2), n_6_12_f=2, n_13_17_x=1)
            registration(activity, area, date(2018, 3, 2), n_6_12_f=9)  # before the period
    Evaluation.objects.create(
        activity=plan.activities.order_by("pk")[0],
        period_start=date(2018, 1, 1), period_end=date(2018, 12, 31),
        rating=Evaluation.Rating.PARTLY, narrative="Børnene kommer igen.",
        evaluated_on=date(2019, 1, 10),
    )  # fmt: skip
    group = f.BodyFactory(plan=plan, kind=Body.Kind.COORDINATION_GROUP, name="Koordinationsgruppen")
    f.MeetingFactory(
        plan=plan, body=group, kind=Meeting.Kind.EVALUATION, date=date(2018, 11, 20),
        title="Årlig evaluering", minutes_text="Gruppen vurderer lektiecaféen som en succes.",
    )  # fmt: skip
    Notice.objects.create(
        plan=plan, occurred_on=date(2018, 9, 1), subject="Vandskade i beboerhuset",
        description="Beboerhuset er lukket i tre uger.",
    )  # fmt: skip
    f.DisputeFactory(plan=plan, raised_on=date(2018, 10, 5))
    f.FundingSourceFactory(plan=plan, kind="lbf", amount_tkr=Decimal(3000))
    f.FundingSourceFactory(plan=plan, kind="local", amount_tkr=Decimal(1000))
    return plan


def registration(activity: Any, area: HousingArea, day: date, **counts: int) -> Any:
    base = {"n_25_64_f": 0, "n_25_64_m": 0}
    return f.RegistrationFactory(plan=activity.plan, activity=activity, area=area, date=day,
                                 **{**base, **counts})  # fmt: skip


def issued(plan: Plan, period: tuple[date, date] = H2_2018, **kwargs: Any) -> StatusReport:
    draft = services.status_report_create(
        plan=plan, period_start=period[0], period_end=period[1], actor=None, **kwargs
    )
    return services.status_report_issue(report=draft, actor=None)


def shared_report(plan: Plan) -> StatusReport:
    """An issued report sent to LBF (2018 H2 unless one exists): every role reads it. The
    permission matrix's ``__status_report__``."""
    found = StatusReport.objects.filter(plan=plan, state=StatusReport.State.ISSUED).first()
    report = found or issued(plan)
    if report.shared_with_lbf_at is None:
        report = services.status_report_share_with_lbf(report=report, actor=None)
    return report
