"""A factory plan with one of everything the audit package reads, for 2018 and 2019.

``year_of_everything(plan, persona, n)`` adds ``n`` of each kind (so the query count can be
asserted at two sizes) through the services where a service writes it (observations and
their approval, the target change with its reason), the factories elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from auditlog.context import set_actor
from django.utils import timezone

from helhedsplan.accounts.models import User
from helhedsplan.activities.models import Evaluation
from helhedsplan.audit.models import AuditEntry
from helhedsplan.criteria.models import SuccessCriterion
from helhedsplan.criteria.services import observation_approve, observation_register, target_update
from helhedsplan.meetings.models import Decision, Meeting
from helhedsplan.plans.models import FocusArea, Plan
from tests import factories as f


def year_of_everything(
    plan: Plan, persona: Callable[[str], User], n: int = 1, start: int = 0
) -> dict[str, Any]:
    secretariat = persona("secretariat")
    focus_area = FocusArea.objects.get(plan=plan, code="5.1")
    nord, syd = plan.areas.order_by("order")
    made: dict[str, Any] = {"criteria": [], "targets": []}
    for i in range(start, start + n):
        criterion: SuccessCriterion = f.SuccessCriterionFactory(
            plan=plan, focus_area=focus_area, code=f"5.1.{i + 1}", title=f"Kriterium {i + 1}"
        )
        # A path from the 2016 baseline to at most 20 (the seed's 5.2.2).
        target = f.TargetFactory(
            criterion=criterion, kind="path", op="le", value=Decimal(20),
            baseline_year=2016, baseline_value=Decimal("30.65"),
        )  # fmt: skip
        for year in (2018, 2019):
            obs = observation_register(
                measure=criterion.measure, area=nord, year=year, value=Decimal(21),
                user=persona("coordinator"),
            )  # fmt: skip
            observation_approve(observation=obs, user=secretariat)
        observation_register(measure=criterion.measure, area=syd, year=2018, value=Decimal(7))
        with set_actor(secretariat):  # as the request's middleware sets it
            target_update(
                target=target, user=secretariat, reason=f"Politiets nye opgørelse {i}",
                value=Decimal(18), baseline_value=Decimal(31),
            )  # fmt: skip
        # The change was made in 2018, as the package of 2018 tells.
        AuditEntry.objects.filter(content_type__model="target", object_pk=str(target.pk)).update(
            timestamp=timezone.make_aware(datetime(2018, 3, 1 + i, 10))
        )
        made["criteria"].append(criterion)
        made["targets"].append(target)
        meeting = f.MeetingFactory(
            plan=plan, kind=Meeting.Kind.BOARD_CRITERIA_ASSESSMENT, date=date(2018, 6, 1 + i)
        )
        f.BoardAssessmentFactory(meeting=meeting, focus_area=focus_area, recorded_by=secretariat)
        Decision.objects.create(meeting=meeting, text=f"Bestyrelsen følger op {i}.")
        f.StatusReportFactory(
            plan=plan, version=i + 1, period_start=date(2018, 1, 1), period_end=date(2018, 6, 30),
            issued_at=timezone.make_aware(datetime(2018, 8, 1 + i, 12)),
            issued_by=secretariat,
        )  # fmt: skip
        activity = f.ActivityFactory(plan=plan, focus_area=focus_area, name=f"Lektiecafé {i}")
        # Three participants (a small count) in one quarter, twelve in another.
        f.RegistrationFactory(activity=activity, area=nord, date=date(2018, 2, 1),
                              n_25_64_f=2, n_25_64_m=1)  # fmt: skip
        f.RegistrationFactory(activity=activity, area=nord, date=date(2018, 5, 1),
                              n_25_64_f=6, n_25_64_m=6, volunteers=7)  # fmt: skip
        Evaluation.objects.create(
            activity=activity, period_start=date(2018, 1, 1), period_end=date(2018, 12, 31),
            rating=Evaluation.Rating.YES, narrative="Virker efter hensigten.",
            author=secretariat, evaluated_on=date(2019, 1, 15),
        )  # fmt: skip
        line = f.BudgetLineFactory(plan=plan, name=f"Koordinator {i}")
        f.BudgetAmountFactory(line=line, year=2018, amount=Decimal("100000.00"))
        f.ActualSpendingFactory(line=line, year=2018, amount=Decimal("90000.00"))
        f.SpendingCorrectionFactory(line=line, year=2018, corrected_by=secretariat)
    if not plan.accounts_closings.filter(year=2018).exists():
        f.AccountsClosingFactory(plan=plan, year=2018, approved_by=secretariat)
    return made
