"""Notices (§ 9) and disputes (§ 10): the log, and escalation to the board's decision."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from helhedsplan.meetings import services
from helhedsplan.meetings.models import Dispute, Notice
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import Plan
from tests import factories
from tests.editing import opened_version
from tests.meetings.factories import board_meeting, code, dispute


def url(name: str, plan: Plan, **kw: object) -> str:
    return reverse(f"meetings:{name}", kwargs={"slug": plan.slug, **kw})


def test_notice_log_records_whom_the_chief_informed_and_when(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client_for("secretariat").post(
        url("notice_create", plan),
        {
            "occurred_on": "2019-02-01",
            "subject": "Beboerhuset lukket",
            "description": "Vandskade; aktiviteterne flyttes.",
            "informed_board": "on",
            "informed_partners": "Boligorganisation 1 (pladsholder), skolen",
            "informed_on": "2019-02-03",
        },
    )
    notice = Notice.objects.get()
    assert notice.informed_board and notice.informed_on == date(2019, 2, 3)
    text = client_for("board").get(url("notices", plan)).content.decode()
    assert "Beboerhuset lukket" in text and "3. februar 2019" in text


def test_informing_needs_a_date(plan: Plan) -> None:
    with pytest.raises(ValidationError) as exc:
        services.notice_create(
            plan=plan,
            occurred_on=date(2019, 2, 1),
            subject="X",
            description="Y",
            informed_board=True,
        )
    assert code(exc.value) == "informed_on_required"
    assert not Notice.objects.exists()


def test_dispute_escalated_without_a_description_is_refused(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    case = dispute(plan)
    response = client_for("secretariat").post(
        url("dispute_escalate", plan, pk=case.pk),
        {"description": "  ", "escalated_on": "2019-03-01"},
    )
    assert "Beskriv situationen og parternes interesser" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Dispute.Status.OPEN and case.escalated_on is None
    with pytest.raises(ValidationError) as exc:
        services.dispute_escalate(dispute=case, description="", escalated_on=date(2019, 3, 1))
    assert code(exc.value) == "escalation_description_required"


def test_dispute_is_handled_escalated_and_decided_by_the_board(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    case = dispute(plan)
    secretariat = client_for("secretariat")
    handle = url("dispute_handle", plan, pk=case.pk)
    opened = opened_version(secretariat.get(handle))
    secretariat.post(handle, {"handling": "Dialogmøde holdt.", "version": opened})
    secretariat.post(
        url("dispute_escalate", plan, pk=case.pk),
        {"description": "Parterne er uenige om prioriteringen.", "escalated_on": "2019-03-01"},
    )
    case.refresh_from_db()
    assert case.status == Dispute.Status.ESCALATED and case.handling == "Dialogmøde holdt."
    meeting = board_meeting(plan, on=date(2019, 3, 20))
    decision = services.decision_create(meeting=meeting, text="Tiden fordeles som i aftalen.")
    client_for("board").post(url("dispute_decide", plan, pk=case.pk), {"decision": decision.pk})
    case.refresh_from_db()
    assert case.status == Dispute.Status.DECIDED and case.board_decision == decision
    page = client_for("auditor").get(case.get_absolute_url()).content.decode()
    assert "Tiden fordeles som i aftalen." in page and meeting.get_absolute_url() in page


def test_only_a_board_meetings_decision_settles_a_dispute(plan: Plan) -> None:
    factories.BodyFactory(plan=plan, kind=Body.Kind.COORDINATION_GROUP, slug="koordinationsgruppe")
    case = services.dispute_escalate(
        dispute=dispute(plan), description="Interesser.", escalated_on=date(2019, 3, 1)
    )
    group = services.meeting_create(
        plan=plan,
        body=Body.objects.get(plan=plan, slug="koordinationsgruppe"),
        date=date(2019, 4, 1),
    )
    decision = services.decision_create(meeting=group, text="Ikke bestyrelsen.")
    with pytest.raises(ValidationError) as exc:
        services.dispute_decide(dispute=case, decision=decision)
    assert code(exc.value) == "decision_not_board"
    case.refresh_from_db()
    assert case.board_decision is None
