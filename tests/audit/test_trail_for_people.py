"""The trail as the secretariat, the board and the auditor read it (issue 13, point 6).

Filtered by date, user, object type, event and focus area, searched; every value in Danish
(no "create", "None", "Dec", "meetings.Decision.None"); a bounded number of queries per
page whatever the entries hold; exported to XLSX and CSV with the page's filters.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from auditlog.context import set_actor
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from helhedsplan.accounts.models import Role, User
from helhedsplan.activities.models import Activity, Registration
from helhedsplan.audit.context import audit_reason
from helhedsplan.audit.models import AuditEntry
from helhedsplan.audit.services import audit_event
from helhedsplan.criteria.models import SuccessCriterion, Target
from helhedsplan.plans.models import FocusArea, Plan
from helhedsplan.reports.exporters import export_url
from tests import factories

Clients = Callable[[str], Client]
READERS = ["secretariat", "board", "auditor"]
NOT_READERS = ["coordinator", "municipal", "lbf"]
QUERY_LIMIT = 12


def _url(plan: Plan, **params: Any) -> str:
    from urllib.parse import urlencode

    base = reverse("audit:plan", kwargs={"slug": plan.slug})
    return base + ("?" + urlencode(params) if params else "")


def _text(client: Client, plan: Plan, **params: Any) -> str:
    response = client.get(_url(plan, **params))
    assert response.status_code == 200
    return response.content.decode()


def _entries(client: Client, plan: Plan, **params: Any) -> list[AuditEntry]:
    response = client.get(_url(plan, **params))
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def _round(plan: Plan, n: int, user: User) -> FocusArea:
    """One of everything: entries of many models, with foreign keys to many models."""
    with set_actor(user):
        focus_area = factories.FocusAreaFactory(plan=plan, code=f"7.{n}", name=f"Område {n}")
        measure = factories.MeasureFactory(plan=plan)
        criterion = factories.SuccessCriterionFactory(
            plan=plan, focus_area=focus_area, measure=measure, code=f"7.{n}.1"
        )
        factories.TargetFactory(criterion=criterion)
        activity = factories.ActivityFactory(plan=plan, focus_area=focus_area)
        area = plan.areas.order_by("order").first()
        factories.RegistrationFactory(plan=plan, activity=activity, area=area, registered_by=user)
        factories.ObservationFactory(plan=plan, measure=measure, area=area)
        line = factories.BudgetLineFactory(plan=plan, focus_area=focus_area)
        factories.BudgetAmountFactory(line=line)
        meeting = factories.MeetingFactory(plan=plan, date=date(2019, 3, n % 27 + 1))
        factories.BoardAssessmentFactory(meeting=meeting, focus_area=focus_area)
        factories.SubAgreementVersionFactory(focus_area=focus_area)
        focus_area.name = f"Område {n}, ændret"
        focus_area.save()
    return focus_area


@pytest.fixture
def secretary(plan: Plan) -> User:
    return factories.user_named(plan, "sekretaer", Role.SECRETARIAT)


def _page_queries(client: Client, plan: Plan) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(plan))
    assert response.status_code == 200
    return len(queries)


def test_a_page_costs_the_same_few_queries_whatever_it_holds(
    plan: Plan, secretary: User, client_for: Clients
) -> None:
    client = client_for("auditor")
    client.get(_url(plan))  # the session and the content types, once
    _round(plan, 1, secretary)
    small = _page_queries(client, plan)
    for n in range(2, 6):
        _round(plan, n, secretary)
    entries = _entries(client, plan)
    assert len(entries) == 50
    models = {e.content_type_id for e in entries}
    assert len(models) >= 8, "the page holds entries of many models"
    large = _page_queries(client, plan)
    # The small page also holds the plan's own creation (its municipality: one query more).
    assert large <= small <= QUERY_LIMIT, (small, large)
