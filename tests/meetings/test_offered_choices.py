"""The meeting and dispute forms offer only what the services accept (issue 9, defect 12).

Data from the factories: a board of three and a coordination group of two from the plan's
start, and one person in no body.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from helhedsplan.meetings import selectors, services
from helhedsplan.meetings.models import Dispute, Meeting
from helhedsplan.organisation.models import Body, Person
from helhedsplan.plans.models import Plan
from tests import factories
from tests.meetings.factories import board_meeting, code


def url(name: str, plan: Plan, **kw: object) -> str:
    return reverse(f"meetings:{name}", kwargs={"slug": plan.slug, **kw})


def _escalated(plan: Plan, raised_on: date) -> Dispute:
    case = services.dispute_create(
        plan=plan,
        raised_on=raised_on,
        raised_by="Boligorganisation 2 (pladsholder)",
        subject="Fordeling af koordinatortid",
        description="Uenighed om prioriteringen.",
    )
    return services.dispute_escalate(
        dispute=case, description="Parternes interesser.", escalated_on=raised_on
    )


def test_a_board_decision_from_before_the_dispute_does_not_settle_it(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    case = _escalated(plan, date(2018, 10, 1))
    june = services.decision_create(meeting=board_meeting(plan, on=date(2018, 6, 20)), text="Juni.")
    same_day = services.decision_create(
        meeting=board_meeting(plan, on=date(2018, 10, 1)), text="Oktober."
    )
    assert list(selectors.settling_decisions(case)) == [same_day]
    page = client_for("board").get(url("dispute_decide", plan, pk=case.pk)).content.decode()
    offered = set(re.findall(r'<option value="(\d+)"', page))
    assert offered == {str(same_day.pk)}
    with pytest.raises(ValidationError) as exc:
        services.dispute_decide(dispute=case, decision=june)
    assert code(exc.value) == "decision_before_dispute"
    response = client_for("board").post(
        url("dispute_decide", plan, pk=case.pk), {"decision": june.pk}
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == Dispute.Status.ESCALATED and case.board_decision is None
    services.dispute_decide(dispute=case, decision=same_day)
    case.refresh_from_db()
    assert case.board_decision == same_day


@pytest.fixture
def organisation(plan: Plan) -> None:
    board = Body.objects.get(plan=plan, kind=Body.Kind.BOARD)
    group = factories.BodyFactory(
        plan=plan, kind=Body.Kind.COORDINATION_GROUP, slug="koordinationsgruppe"
    )
    for seat in [board, board, board, group, group]:
        factories.OrganisationMembershipFactory(body=seat)
    factories.PersonFactory(plan=plan, name="Uden plads")


def _offered_people(page: str) -> set[int]:
    assert 'id="id_attendees"' in page  # the list htmx swaps, even when empty
    return {int(pk) for pk in re.findall(r'name="attendees" value="(\d+)"', page)}


@pytest.mark.usefixtures("organisation")
def test_the_meeting_form_offers_the_bodys_members_on_the_meetings_date(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    meeting = board_meeting(plan)
    board = meeting.body
    members = {p.pk for p in selectors.members_on(board, meeting.date)}
    assert 0 < len(members) < Person.objects.filter(plan=plan).count()
    client = client_for("secretariat")
    page = client.get(url("edit", plan, pk=meeting.pk)).content.decode()
    assert _offered_people(page) == members
    # the htmx reload when the body or date changes: the coordination group's members
    group = Body.objects.get(plan=plan, slug="koordinationsgruppe")
    reload = client.get(
        url("create", plan), {"body": str(group.pk), "date": "2019-03-01"}
    ).content.decode()
    assert _offered_people(reload) == {p.pk for p in selectors.members_on(group, date(2019, 3, 1))}
    # nothing chosen yet: nobody is offered
    assert _offered_people(client.get(url("create", plan)).content.decode()) == set()


@pytest.mark.usefixtures("organisation")
def test_a_non_member_is_refused_as_attendee_by_form_and_service(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    board = Body.objects.get(plan=plan, kind=Body.Kind.BOARD)
    outsider = (
        Person.objects.filter(plan=plan)
        .exclude(pk__in=selectors.members_on(board, date(2019, 3, 1)))
        .first()
    )
    assert outsider is not None
    response = client_for("secretariat").post(
        url("create", plan),
        {"body": board.pk, "kind": "ordinary", "date": "2019-03-01", "attendees": [outsider.pk]},
    )
    assert response.status_code == 200 and not Meeting.objects.filter(plan=plan).exists()
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(plan=plan, body=board, date=date(2019, 3, 1), attendees=[outsider])
    assert code(exc.value) == "attendee_not_member"
