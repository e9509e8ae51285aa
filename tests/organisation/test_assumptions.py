"""What the seed does not say is marked as an assumption, like the placeholder names.

Demo data: the agreement gives the coordinators' time per area but not which coordinator
covers which area, nor which coordinator is the Kompetencechef's deputy.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from helhedsplan.organisation.chart import chart_svg
from helhedsplan.organisation.models import Body, Membership
from helhedsplan.plans.models import Plan


@pytest.mark.demo  # not yet on factories: needs the seed's organisation
def test_demo_coordinator_coverage_and_deputy_are_assumptions(plan: Plan) -> None:
    coordinators = Membership.objects.filter(
        body__plan=plan, role__in=[Membership.Role.COORDINATOR, Membership.Role.LOCAL_COORDINATOR]
    )
    assert coordinators.exists()
    assert all("hvilken koordinator" in m.assumption for m in coordinators)
    deputy = Membership.objects.get(body__plan=plan, role=Membership.Role.DEPUTY)
    assert "stedfortræder" in deputy.assumption and "ikke hvem" in deputy.assumption
    board = Membership.objects.filter(body__plan=plan, body__kind=Body.Kind.BOARD)
    assert not any(m.assumption for m in board)  # the board's six seats are the seed's


@pytest.mark.demo  # not yet on factories: needs the seed's organisation
def test_pages_and_chart_mark_the_assumptions(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    page = client_for("auditor").get(reverse("organisation:overview", args=[plan.slug]))
    html = page.content.decode()
    assert (
        html.count(">antagelse</span>")
        == Membership.objects.filter(body__plan=plan, end_date__isnull=True)
        .exclude(assumption="")
        .count()
    )
    body = Body.objects.get(plan=plan, slug="koordinatorer")
    detail = client_for("auditor").get(body.get_absolute_url()).content.decode()
    assert "antagelse" in detail and "hvilken koordinator der dækker hvilket område" in detail
    svg = chart_svg(plan, date(2019, 1, 1))
    assert "(antagelse)" in svg
