"""The meeting invitation: every member of the body on the meeting's date with an address
gets the agenda and an .ics file; the page says to how many and who had no address."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend
from django.test import Client
from django.urls import reverse

from helhedsplan.audit.models import AuditEntry
from helhedsplan.lib import ical
from helhedsplan.meetings.models import AgendaItem, Meeting
from helhedsplan.notifications.services import meeting_invitation_send
from helhedsplan.organisation.models import Body
from helhedsplan.plans.models import Plan
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(factory_plan: Plan, settings: Any) -> Meeting:
    settings.SITE_URL = "https://helhedsplan.example.dk"
    board = Body.objects.get(plan=factory_plan, kind=Body.Kind.BOARD)
    for name, email in [
        ("Anna Formand", "anna@example.dk"),
        ("Bent Uden", ""),
        ("Cecilie", "c@x.dk"),
    ]:
        person = factories.PersonFactory(plan=factory_plan, name=name, email=email)
        factories.OrganisationMembershipFactory(body=board, person=person)
    # Left the board before the meeting: not invited.
    gone = factories.PersonFactory(plan=factory_plan, name="Dorte Fratrådt", email="d@x.dk")
    factories.OrganisationMembershipFactory(
        body=board, person=gone, start_date=date(2018, 1, 1), end_date=date(2018, 12, 31)
    )
    meeting = factories.MeetingFactory(
        plan=factory_plan, body=board, date=date(2019, 3, 20), location="Beboerhuset, Motalavej"
    )
    AgendaItem.objects.create(meeting=meeting, order=1, title="Godkendelse af referat")
    AgendaItem.objects.create(meeting=meeting, order=2, title="Status; budget, 2019")
    return meeting


def test_each_member_with_an_address_gets_the_agenda_and_an_ics_file(meeting: Meeting) -> None:
    result = meeting_invitation_send(meeting=meeting)
    assert [p.name for p in result.sent] == ["Anna Formand", "Cecilie"]
    assert [p.name for p in result.without_email] == ["Bent Uden"]
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.dk", "c@x.dk"]
    message = next(m for m in mail.outbox if m.to == ["anna@example.dk"])
    assert message.subject == "Indkaldelse: Bestyrelse, 20. marts 2019"
    assert "1. Godkendelse af referat" in message.body
    assert "2. Status; budget, 2019" in message.body
    assert f"https://helhedsplan.example.dk/planer/fabrik/moeder/{meeting.pk}/" in message.body
    filename, content, mimetype = message.attachments[0]  # type: ignore[misc]
    assert (filename, mimetype) == ("indkaldelse.ics", "text/calendar")
    assert "\r\nMETHOD:PUBLISH\r\n" in content
    (event,) = ical.parse_events(content)
    assert event["UID"] == f"meeting-{meeting.pk}@helhedsplan.example.dk"
    assert event["DTSTART;VALUE=DATE"] == "20190320"
    assert event["SUMMARY"] == "Bestyrelse: Bestyrelsesmøde"
    assert event["LOCATION"] == "Beboerhuset, Motalavej"
    assert "2. Status; budget, 2019" in event["DESCRIPTION"]
    assert event["URL"] == f"https://helhedsplan.example.dk/planer/fabrik/moeder/{meeting.pk}/"


def test_sending_is_audited_with_the_addresses(meeting: Meeting) -> None:
    meeting_invitation_send(meeting=meeting)
    entry = AuditEntry.objects.get(event="meeting.invitation_sent")
    assert entry.changes["recipients"][1] == "anna@example.dk, c@x.dk"


def test_a_member_who_is_a_user_gets_it_in_their_language(meeting: Meeting) -> None:
    factories.UserFactory(username="cecilie", email="c@x.dk", language="en")
    meeting_invitation_send(meeting=meeting)
    english = next(m for m in mail.outbox if m.to == ["c@x.dk"])
    assert english.subject.startswith("Invitation: Bestyrelse")


def test_no_member_with_an_address_is_refused_and_nothing_is_written(
    factory_plan: Plan,
) -> None:
    meeting = factories.MeetingFactory(plan=factory_plan)
    with pytest.raises(ValidationError) as caught:
        meeting_invitation_send(meeting=meeting)
    assert caught.value.code == "no_recipients"
    assert "ingen af medlemmerne af Bestyrelse den 01.03.2019" in caught.value.messages[0]
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(event="meeting.invitation_sent").exists()


def test_the_button_says_to_how_many_and_who_had_no_address(
    meeting: Meeting, factory_client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client: Client = factory_client_for("secretariat")
    page = client.get(meeting.get_absolute_url()).content.decode()
    url = reverse("notifications:meeting_invite", kwargs={"slug": "fabrik", "pk": meeting.pk})
    assert f'action="{url}"' in page and "Send indkaldelse" in page
    original = EmailBackend.send_messages

    def refuse_cecilie(self: EmailBackend, messages: Any) -> int:
        if any("c@x.dk" in m.to for m in messages):
            raise ConnectionRefusedError
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_cecilie)
    response = client.post(url, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert "Indkaldelsen er sendt til 1: Anna Formand." in shown
    assert "Uden e-mailadresse (ikke indkaldt): Bent Uden." in shown
    assert "Mailserveren afviste indkaldelsen til: Cecilie. Prøv igen senere." in shown


def test_the_button_is_the_secretariats(meeting: Meeting, factory_client_for: Any) -> None:
    url = reverse("notifications:meeting_invite", kwargs={"slug": "fabrik", "pk": meeting.pk})
    board = factory_client_for("board")
    assert "Send indkaldelse" not in board.get(meeting.get_absolute_url()).content.decode()
    assert board.post(url).status_code == 403
    assert mail.outbox == []
