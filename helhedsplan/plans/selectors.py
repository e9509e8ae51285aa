"""Reads of plans, always through the user's memberships."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from helhedsplan.finance.models import FundingSource
from helhedsplan.finance.rules import FundingSummary
from helhedsplan.finance.selectors import funding_summary
from helhedsplan.plans.models import (
    AreaPopulation,
    FinalReport,
    FocusArea,
    HousingArea,
    HousingOrganisation,
    Plan,
)


def plans_for_user(user: Any) -> QuerySet[Plan]:
    if not getattr(user, "is_authenticated", False):
        return Plan.objects.none()
    return (
        Plan.objects.filter(memberships__user=user)
        .select_related("municipality")
        .distinct()
        .order_by("name")
    )


def areas_for_plan(plan: Plan) -> QuerySet[HousingArea]:
    return (
        HousingArea.objects.filter(plan=plan)
        .select_related("plan")
        .prefetch_related(
            "sub_areas",
            "housing_organisations",
            Prefetch("populations", queryset=AreaPopulation.objects.order_by("year")),
        )
        .order_by("order", "name")
    )


@dataclass(frozen=True)
class PlanOverview:
    plan: Plan
    areas: list[HousingArea]
    focus_areas: list[FocusArea]
    funding: list[FundingSource]
    summary: FundingSummary
    housing_organisations: list[HousingOrganisation]


def plan_overview(plan: Plan) -> PlanOverview:
    """Everything the overview page shows, in a fixed number of queries."""
    return PlanOverview(
        plan=plan,
        areas=list(areas_for_plan(plan)),
        focus_areas=list(
            FocusArea.objects.filter(plan=plan).select_related("plan").order_by("order", "code")
        ),
        funding=list(FundingSource.objects.filter(plan=plan).order_by("order", "pk")),
        summary=funding_summary(plan.pk),
        housing_organisations=list(plan.housing_organisations.all()),
    )


def final_reports(plan: Plan) -> list[FinalReport]:
    """The final status reports issued at the plan's latest closing (PDF and Word)."""
    if plan.closed_at is None:
        return []
    return list(
        FinalReport.objects.filter(plan=plan, closed_at=plan.closed_at)
        .select_related("stored_file")
        .order_by("pk")
    )
