"""The programme evaluations' duties reach the users as every duty does: the reminders'
digest (the report due to the secretariat, the findings to follow up to the board too) and
the deadline in the calendar feed, each linking to the evaluation's page."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from helhedsplan.accounts.models import Role, User
from helhedsplan.duties import lists
from helhedsplan.lib import ical
from helhedsplan.notifications.services import calendar_feed_create
from helhedsplan.plans.models import Plan
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_only_these_tests_users")]
SITE = "https://helhedsplan.example.dk"


@pytest.fixture
def only_evaluations(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    settings.SITE_URL = SITE
    source = lists.SOURCES["programme_evaluation"]
    monkeypatch.setattr(lists, "SOURCES", {"programme_evaluation": source})


def _user(plan: Plan, role: str, name: str) -> User:
    user = factories.UserFactory(username=name, email=f"{name}@example.dk")
    factories.PlanMembershipFactory(user=user, plan=plan, role=role)
    return user


def _run(today: str) -> None:
    call_command("send_reminders", "--today", today, stdout=StringIO())


def test_the_report_due_is_told_to_the_secretariat_and_the_follow_up_to_the_board(
    only_evaluations: None, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    plan = factories.small_plan(name="Fabriksplan", slug="fabrik")
    _user(plan, Role.SECRETARIAT, "sekr")
    _user(plan, Role.BOARD, "best")
    evaluation = factories.ProgrammeEvaluationFactory(
        plan=plan, number=1, title="Første helhedsevaluering",
        due_from=date(2018, 10, 1), due_by=date(2019, 3, 31),
    )  # fmt: skip
    _run("2018-10-02")
    assert [m.to for m in mail.outbox] == [["sekr@example.dk"]]
    body = mail.outbox[0].body
    assert "Helhedsevaluering 1: rapporten skal foreligge (Første helhedsevaluering)" in body
    assert f"{SITE}{evaluation.get_absolute_url()}" in body
    reported = factories.ProgrammeEvaluationFactory(
        plan=plan, number=2, due_by=date(2021, 12, 31), reported=True
    )
    evaluation.report, evaluation.report_received_on = reported.report, date(2019, 3, 1)
    evaluation.save()
    factories.EvaluationFindingFactory(evaluation=evaluation)
    mail.outbox.clear()
    _run("2019-03-02")
    assert sorted(m.to[0] for m in mail.outbox) == ["best@example.dk", "sekr@example.dk"]
    assert all("Følg op på resultaterne af helhedsevaluering 1" in m.body for m in mail.outbox)


def test_the_evaluations_deadline_is_in_the_calendar_feed(only_evaluations: None) -> None:
    plan = factories.small_plan(name="Fabriksplan", slug="fabrik")
    user = _user(plan, Role.SECRETARIAT, "sekr")
    evaluation = factories.ProgrammeEvaluationFactory(plan=plan, number=1, due_by=date(2019, 3, 31))
    token = calendar_feed_create(user=user)
    events = ical.parse_events(Client().get(f"/kalender/{token}.ics").content.decode())
    (event,) = [e for e in events if "rapporten skal foreligge" in e["SUMMARY"]]
    assert event["URL"] == f"{SITE}{evaluation.get_absolute_url()}"
    assert "20190331" in str(event)
