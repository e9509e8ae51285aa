"""Meetings of the bodies (§ 6): date, agenda, attendance, minutes, decisions, the calendar."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helhedsplan.accounts.models import Role
from helhedsplan.audit.models import AuditEntry
from helhedsplan.files.models import StoredFile
from helhedsplan.meetings import models as meeting_models
from helhedsplan.meetings import services
from helhedsplan.meetings.models import Decision, Meeting
from helhedsplan.meetings.selectors import required_meetings
from helhedsplan.organisation.models import Body, Person
from helhedsplan.plans.models import FocusArea, Plan
from helhedsplan.reports.exporters import export_url
from tests import factories
from tests.files import samples
from tests.meetings.factories import board_meeting, code


def body(plan: Plan, slug: str) -> Body:
    return Body.objects.get(plan=plan, slug=slug)


def url(name: str, plan: Plan, **kw: object) -> str:
    return reverse(f"meetings:{name}", kwargs={"slug": plan.slug, **kw})


def _coordination_group(plan: Plan) -> Body:
    return factories.BodyFactory(
        plan=plan, kind=Body.Kind.COORDINATION_GROUP, slug="koordinationsgruppe"
    )


def test_secretariat_records_a_meeting_with_agenda_and_attendance(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    group = factories.BodyFactory(
        plan=plan,
        kind=Body.Kind.FOLLOW_UP_GROUP,
        area=plan.areas.get(slug="nord"),
        slug="foelgegruppe-motalavej",
    )
    for _n in range(4):
        factories.OrganisationMembershipFactory(body=group)
    present = list(Person.objects.filter(memberships__body=group)[:3])
    response = client_for("secretariat").post(
        url("create", plan),
        {
            "body": group.pk,
            "kind": "ordinary",
            "date": "2019-03-04",
            "agenda": "Velkomst\nStatus på aktiviteterne\n\nEventuelt",
            "attendees": [p.pk for p in present],
            "minutes_text": "Aktiviteterne kører som planlagt.",
        },
    )
    meeting = Meeting.objects.get(plan=plan)
    assert response["Location"] == meeting.get_absolute_url()
    assert [a.title for a in meeting.agenda.all()] == [
        "Velkomst",
        "Status på aktiviteterne",
        "Eventuelt",
    ]
    assert set(meeting.attendees.all()) == set(present)
    page = client_for("coordinator").get(meeting.get_absolute_url()).content.decode()
    assert "Status på aktiviteterne" in page and present[0].name in page


def test_a_meeting_without_a_date_is_refused_and_nothing_written(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    response = client_for("secretariat").post(
        url("create", plan),
        {"body": body(plan, "bestyrelse").pk, "kind": "ordinary", "date": "", "agenda": "X"},
    )
    assert "Mødet skal have en dato. Intet er gemt." in response.content.decode()
    assert not Meeting.objects.exists()
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(plan=plan, body=body(plan, "bestyrelse"), date=None)
    assert code(exc.value) == "date_required"
    assert not Meeting.objects.exists()


def test_attendee_must_be_a_member_on_the_day(plan: Plan) -> None:
    outsider = factories.PersonFactory(plan=plan, name="Centerchef 1 (pladsholder)")
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            plan=plan, body=body(plan, "bestyrelse"), date=date(2019, 1, 5), attendees=[outsider]
        )
    assert code(exc.value) == "attendee_not_member"
    assert "Centerchef 1 (pladsholder) var ikke medlem af Bestyrelse" in str(exc.value)
    assert not Meeting.objects.exists()


def test_meeting_kinds_belong_to_their_bodies(plan: Plan) -> None:
    _coordination_group(plan)
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            plan=plan,
            body=body(plan, "koordinationsgruppe"),
            kind="board_status_assessment",
            date=date(2019, 5, 1),
        )
    assert code(exc.value) == "assessment_not_board"
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            plan=plan, body=body(plan, "bestyrelse"), kind="evaluation", date=date(2019, 5, 1)
        )
    assert code(exc.value) == "evaluation_wrong_body"


def test_minutes_uploaded_as_an_executable_are_refused(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    meeting = board_meeting(plan)
    upload = io.BytesIO(samples.executable_bytes())
    upload.name = "referat.pdf"
    response = client_for("secretariat").post(
        url("minutes_upload", plan, pk=meeting.pk), {"file": upload}
    )
    text = response.content.decode()
    assert "Filen referat.pdf er ikke en tilladt filtype" in text
    assert "PDF, Word (DOCX)" in text
    meeting.refresh_from_db()
    assert meeting.minutes_file is None
    assert not StoredFile.objects.exists()
    assert not AuditEntry.objects.filter(event="file.uploaded").exists()


def test_minutes_file_is_stored_and_served_only_through_the_meeting(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    meeting = board_meeting(plan)
    content = samples.docx_bytes("Referat af bestyrelsesmødet")
    upload = io.BytesIO(content)
    upload.name = "referat marts.docx"
    client_for("secretariat").post(url("minutes_upload", plan, pk=meeting.pk), {"file": upload})
    meeting.refresh_from_db()
    assert meeting.minutes_file is not None and meeting.minutes_file.kind == "docx"
    response = client_for("auditor").get(url("minutes_file", plan, pk=meeting.pk))
    assert b"".join(response.streaming_content) == content  # type: ignore[attr-defined,arg-type]
    assert AuditEntry.objects.filter(event="file.downloaded").count() == 1
    assert client_for("lbf").get(url("minutes_file", plan, pk=meeting.pk)).status_code == 403


def test_minutes_export_as_docx_and_pdf(plan: Plan, client_for: Callable[[str], Client]) -> None:
    from docx import Document

    meeting = board_meeting(
        plan, agenda=["Status", "Succeskriterier"], minutes_text="Drøftet.\n\nGodkendt."
    )
    services.decision_create(meeting=meeting, text="Statusrapporten godkendes.")
    client = client_for("board")
    docx = client.get(export_url(plan, "referat", "docx", moede=meeting.pk))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Referat: Bestyrelse, 1. marts 2019" in text
    assert "Succeskriterier" in text and "Statusrapporten godkendes." in text
    pdf = client.get(export_url(plan, "referat", "pdf", moede=meeting.pk))
    assert pdf.content.startswith(b"%PDF-")


def test_board_member_records_decisions_on_board_meetings_only(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    _coordination_group(plan)
    board = board_meeting(plan)
    client = Client()
    client.force_login(factories.user_named(plan, "bestyrelse", Role.BOARD))
    client.post(url("decision_create", plan, pk=board.pk), {"text": "Besluttet."})
    assert Decision.objects.get().recorded_by.username == "bestyrelse"  # type: ignore[union-attr]
    group = services.meeting_create(
        plan=plan, body=body(plan, "koordinationsgruppe"), date=date(2019, 4, 1)
    )
    response = client.post(url("decision_create", plan, pk=group.pk), {"text": "Ikke vores."})
    assert "registrerer beslutninger på bestyrelsesmøder" in response.content.decode()
    assert Decision.objects.count() == 1
    client_for("secretariat").post(url("decision_create", plan, pk=group.pk), {"text": "OK."})
    assert Decision.objects.count() == 2


def test_decision_links_generically_to_whitelisted_objects(
    plan: Plan, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = board_meeting(plan)
    focus = FocusArea.objects.get(plan=plan, code="5.1")
    with pytest.raises(ValidationError) as exc:
        services.decision_create(meeting=meeting, text="x", concerns=focus)
    assert code(exc.value) == "decision_target_not_allowed"
    monkeypatch.setattr(meeting_models, "DECISION_TARGETS", ("plans.focusarea",))
    monkeypatch.setattr(services, "DECISION_TARGETS", ("plans.focusarea",), raising=False)
    decision = services.decision_create(meeting=meeting, text="x", concerns=focus)
    assert decision.concerns == focus
    assert decision.concerns_label == "5.1 Tryghed og trivsel"


@pytest.mark.demo  # about the seed's bodies: the meetings § 6 requires of each of them
def test_calendar_lists_missing_and_overdue_required_meetings(
    plan: Plan, client_for: Callable[[str], Client]
) -> None:
    services.meeting_create(
        plan=plan, body=body(plan, "koordinationsgruppe"), kind="evaluation", date=date(2019, 11, 5)
    )
    board_meeting(plan, on=date(2019, 5, 1), kind="board_status_assessment")
    rows = required_meetings(plan, today=date(2019, 6, 1))
    assert all(r.status == "overdue" for r in rows[2018])
    assert len(rows[2018]) == 2 + 1 + 4
    status = {(r.body.slug, r.kind): r.status for r in rows[2019]}
    assert status[("koordinationsgruppe", "evaluation")] == "held"
    assert status[("bestyrelse", "board_status_assessment")] == "held"
    assert status[("bestyrelse", "board_criteria_assessment")] == "due"
    assert status[("foelgegruppe-sydbyen", "evaluation")] == "due"
    assert all(r.status == "upcoming" for r in rows[2020])
    page = client_for("municipal").get(url("calendar", plan) + "?aar=2019").content.decode()
    assert "Mødekalender: mangler og forsinket" in page
    assert "Lokal følgegruppe – Sydbyen" in page and "5. november 2019" in page


def _count(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(address).status_code == 200
    return len(ctx.captured_queries)


def test_meeting_pages_queries_do_not_grow(plan: Plan, client_for: Callable[[str], Client]) -> None:
    client = client_for("secretariat")
    addresses = [
        url("list", plan),
        url("calendar", plan) + "?aar=2019",
        url("notices", plan),
        url("disputes", plan),
    ]
    board_meeting(plan)
    small = [_count(client, a) for a in addresses]
    for n in range(8):
        m = board_meeting(plan, on=date(2019, 1, 1 + n), kind="board_status_assessment")
        services.decision_create(meeting=m, text=f"Beslutning {n}")
        services.notice_create(
            plan=plan,
            occurred_on=date(2019, 1, 1),
            subject=f"E{n}",
            description="Forhold",
            informed_board=True,
            informed_on=date(2019, 1, 2),
        )
        services.dispute_create(
            plan=plan,
            raised_on=date(2019, 1, 1),
            raised_by="Part",
            subject=f"S{n}",
            description="Uenighed",
        )
    assert [_count(client, a) for a in addresses] == small
