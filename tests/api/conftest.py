"""The API's fixtures: a factory plan with something of every kind the API reads, and
clients that authenticate with a personal token (``Authorization: Bearer``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from helhedsplan.accounts import services as account_services
from helhedsplan.accounts.models import User
from helhedsplan.agreements.models import PlanAttachment
from helhedsplan.criteria.models import Observation
from helhedsplan.files.services import stored_file_create
from helhedsplan.meetings.models import Decision
from helhedsplan.plans.models import Plan
from tests import factories
from tests.files.samples import pdf_bytes, upload

TokenClient = Callable[..., Client]


def fill(plan: Plan, *, areas: int = 0, suffix: str = "") -> None:
    """Something of every kind on ``plan``: criteria of each kind with targets, an approved
    and a draft observation per area, an activity with registrations, a meeting with a
    decision, an agreement version and an attachment. ``areas`` more areas (and their
    rows): the same lists, longer, for the query-count tests."""
    for i in range(areas):
        factories.HousingAreaFactory(plan=plan, slug=f"ekstra{suffix}-{i}", name=f"Ekstra {i}")
    if not plan.criteria.exists():
        factories.criteria_by_kind(plan)
    criterion = plan.criteria.select_related("measure").get(code="5.2.2")
    activity = plan.activities.first() or factories.ActivityFactory(
        plan=plan, slug="lektiecafe", focus_area=plan.focus_areas.first()
    )
    for area in plan.areas.all():
        factories.ActivityAreaFactory(activity=activity, area=area)
        for year, state in ((2019, Observation.State.APPROVED), (2020, Observation.State.DRAFT)):
            Observation.objects.get_or_create(
                measure=criterion.measure, area=area, year=year, variant="",
                defaults={"value": Decimal("12.5"), "state": state},
            )  # fmt: skip
        factories.RegistrationFactory(plan=plan, activity=activity, area=area)
        factories.RegistrationFactory(
            plan=plan, activity=activity, area=area, date=date(2019, 9, 2)
        )
        meeting = factories.MeetingFactory(plan=plan, body=plan.bodies.first())
        Decision.objects.create(meeting=meeting, text=f"Beslutning for {area.name}")
    factories.AgreementVersionFactory(plan=plan)
    stored = stored_file_create(plan=plan, upload=upload("bilag.pdf", pdf_bytes()))
    PlanAttachment.objects.create(plan=plan, kind="org_chart", stored_file=stored)


@pytest.fixture
def filled(plan: Plan) -> Plan:
    fill(plan)
    return plan


def token_for(user: User, scope: str = "read-write") -> str:
    return account_services.api_token_create(user=user, name="test", scope=scope)[1]


@pytest.fixture
def api_client(persona: Callable[[str], User]) -> TokenClient:
    """api_client("coordinator") is a client sending a token of that persona (read-write
    unless ``scope="read"``); api_client("anonymous") sends none."""

    def make(role: str, scope: str = "read-write") -> Client:
        if role == "anonymous":
            return Client()
        return Client(HTTP_AUTHORIZATION=f"Bearer {token_for(persona(role), scope)}")

    return make


def body(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()
