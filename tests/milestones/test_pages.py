"""The milestone plan's pages: who sees and does what, the forms (labelled, refusing bad
input with the message on the field), the proof links, and a constant number of queries."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from helhedsplan.accounts.models import User
from helhedsplan.lib.concurrency import version_of
from helhedsplan.milestones.models import Milestone
from helhedsplan.plans.models import Plan
from tests import factories
from tests.editing import opened_version
from tests.forms_in_pages import submit

Clients = Callable[[str], Client]


def _list(plan: Plan) -> str:
    return reverse("milestones:list", kwargs={"slug": plan.slug})


def _url(name: str, milestone: Milestone) -> str:
    return reverse(name, kwargs={"slug": milestone.plan.slug, "pk": milestone.pk})


NEW = {
    "title": "Beslutning om 5.4 i Sydbyen og Skælskør",
    "kind": "decision",
    "starts_on": "",
    "due_on": "2018-12-31",
    "timing_text": "baseret på det første år",
    "owner": "Bestyrelsen",
    "done_when": "Bestyrelsen har taget stilling.",
    "source": "§ 5.4",
}


@pytest.mark.parametrize(
    ("role", "status", "can_edit"),
    [
        ("secretariat", 200, True),
        ("coordinator", 200, False),
        ("municipal", 200, False),
        ("board", 200, False),
        ("auditor", 200, False),
        ("lbf", 403, False),
    ],
)
def test_who_reads_the_plan_and_who_edits_it(
    plan: Plan, client_for: Clients, role: str, status: int, can_edit: bool
) -> None:
    milestone = factories.MilestoneFactory(plan=plan, title="Første milepæl")
    response = client_for(role).get(_list(plan))
    assert response.status_code == status
    if status != 200:
        return
    page = response.content.decode()
    assert "Første milepæl" in page and 'data-testid="milestone-chart"' in page
    assert ('data-testid="milestone-create"' in page) is can_edit
    assert (_url("milestones:edit", milestone) in page) is can_edit
    assert client_for(role).get(_url("milestones:edit", milestone)).status_code == (
        200 if can_edit else 403
    )


def test_the_secretariat_adds_a_milestone_with_labelled_inputs(
    plan: Plan, client_for: Clients
) -> None:
    client = client_for("secretariat")
    page = client.get(_list(plan)).content.decode()
    for name in NEW:
        assert f'<label for="id_{name}">' in page, name
    response = client.post(_list(plan), NEW)
    assert response.status_code == 302
    made = Milestone.objects.get(plan=plan)
    assert (made.title, made.due_on, made.owner) == (
        NEW["title"],
        date(2018, 12, 31),
        "Bestyrelsen",
    )


def test_a_date_outside_the_period_is_shown_on_the_field_and_nothing_is_written(
    plan: Plan, client_for: Clients
) -> None:
    response = client_for("secretariat").post(_list(plan), {**NEW, "due_on": "2022-03-01"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dato: 1. marts 2022 ligger uden for planperioden" in page
    assert 'href="#id_due_on"' in page  # the error summary links to the field
    assert not Milestone.objects.filter(plan=plan).exists()
    response = client_for("secretariat").post(
        _list(plan), {**NEW, "starts_on": "2019-01-05", "due_on": "2018-12-31"}
    )
    assert "er efter milepælens dato" in response.content.decode()
    assert not Milestone.objects.filter(plan=plan).exists()


def test_edit_carries_its_version_and_refuses_a_stale_save(plan: Plan, client_for: Clients) -> None:
    milestone = factories.MilestoneFactory(plan=plan, title="Gammel")
    client = client_for("secretariat")
    url = _url("milestones:edit", milestone)
    opened = opened_version(client.get(url))
    assert opened == version_of(milestone)
    assert client.post(url, {**NEW, "version": opened}).status_code == 302
    milestone.refresh_from_db()
    assert milestone.title == NEW["title"]
    stale = client.post(url, {**NEW, "title": "Andet", "version": opened})
    assert "er ændret af en anden" in stale.content.decode()
    milestone.refresh_from_db()
    assert milestone.title == NEW["title"]


def test_mark_done_with_a_proof_then_the_list_links_it(
    plan: Plan, client_for: Clients, persona: Callable[[str], User]
) -> None:
    milestone = factories.MilestoneFactory(plan=plan, due_on=date(2018, 12, 31))
    meeting = factories.MeetingFactory(plan=plan, date=date(2018, 12, 10))
    client = client_for("secretariat")
    response = submit(
        client,
        _url("milestones:mark_done", milestone),
        {"done_on": "2018-12-10", "proof": f"moede:{meeting.pk}"},
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on == date(2018, 12, 10) and milestone.proof_meeting == meeting
    assert milestone.done_by == persona("secretariat")
    page = client.get(_list(plan)).content.decode()
    assert f'href="{meeting.get_absolute_url()}"' in page
    assert "✓ nået" in page
    # ... and reached no longer, from the same page.
    response = submit(client, _url("milestones:mark_done", milestone), {"action": "reopen"})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_mark_done_in_the_future_is_refused_on_the_field(plan: Plan, client_for: Clients) -> None:
    milestone = factories.MilestoneFactory(plan=plan)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = submit(
        client_for("secretariat"),
        _url("milestones:mark_done", milestone),
        {"done_on": tomorrow.isoformat(), "proof": ""},
    )
    assert response.status_code == 200 and "er efter i dag" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_delete_asks_for_confirmation(plan: Plan, client_for: Clients) -> None:
    milestone = factories.MilestoneFactory(plan=plan)
    client = client_for("secretariat")
    url = _url("milestones:delete", milestone)
    response = client.post(url, {})
    assert response.status_code == 200 and "Sæt flueben" in response.content.decode()
    assert Milestone.objects.filter(pk=milestone.pk).exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    assert client_for("board").post(url, {"confirm": "on"}).status_code == 403


def test_the_list_is_in_date_order_with_the_states(plan: Plan, client_for: Clients) -> None:
    today = timezone.localdate()
    factories.MilestoneFactory(plan=plan, title="Sidst", due_on=plan.end_date)
    factories.MilestoneFactory(
        plan=plan, title="Først", due_on=plan.start_date, done_on=plan.start_date
    )
    page = client_for("secretariat").get(_list(plan)).content.decode()
    assert page.index("Først") < page.index("Sidst")
    assert 'data-state="done"' in page
    assert ('data-state="overdue"' in page) is (plan.end_date < today)


def test_the_lists_queries_do_not_grow_with_the_milestones(plan: Plan, client_for: Clients) -> None:
    client = client_for("secretariat")
    evaluation = factories.ProgrammeEvaluationFactory(plan=plan)
    report = factories.StatusReportFactory(plan=plan)
    version = factories.AgreementVersionFactory(plan=plan)

    def make(n: int) -> None:
        for i in range(n):
            meeting = factories.MeetingFactory(plan=plan, date=date(2019, 3, 1 + i))
            factories.MilestoneFactory(
                plan=plan,
                due_on=date(2019, 6, 1 + i),
                starts_on=date(2019, 1, 1),
                done_on=date(2019, 5, 1),
                done_by=User.objects.first(),
                proof_meeting=meeting,
                proof_status_report=report,
                proof_agreement_version=version,
                proof_evaluation=evaluation,
            )

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(_list(plan)).status_code == 200
        return len(captured)

    make(2)
    few = queries()
    make(8)
    assert queries() == few


def test_mark_done_from_an_older_page_is_refused(plan: Plan, client_for: Clients) -> None:
    milestone = factories.MilestoneFactory(plan=plan)
    client = client_for("secretariat")
    url = _url("milestones:mark_done", milestone)
    opened = opened_version(client.get(url))
    Milestone.objects.filter(pk=milestone.pk).update(owner="Bestyrelsen")
    response = client.post(url, {"done_on": "2019-01-15", "proof": "", "version": opened})
    page = response.content.decode()
    assert response.status_code == 200 and "er ændret af en anden" in page
    assert "Bestyrelsen" in page
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_the_page_in_english(plan: Plan, client_for: Clients) -> None:
    factories.MilestoneFactory(plan=plan, due_on=plan.start_date)
    client = client_for("secretariat")
    client.cookies["django_language"] = "en"
    page = client.get(_list(plan), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Milestone plan" in page and "overdue" in page and "New milestone" in page
    assert "Milepælsplan for" not in page
