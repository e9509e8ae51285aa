"""The user's own page (e-mail, language, reminders, calendar link) and the calendar feed at
its secret link: meetings of the plans where the user may read them, and their deadlines."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from helhedsplan.accounts.models import Role, User
from helhedsplan.lib import ical
from helhedsplan.notifications.models import CalendarFeed
from helhedsplan.notifications.services import calendar_feed_create
from helhedsplan.plans.models import Plan
from tests import factories
from tests.forms_in_pages import hidden_fields, submit

pytestmark = pytest.mark.django_db

SETTINGS = reverse("notifications:settings")
LINK = reverse("notifications:calendar_link")


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_top_bar_links_to_the_profile(persona: Callable[[str], User]) -> None:
    page = _client(persona("board")).get(reverse("password_change")).content.decode()
    assert f'href="{SETTINGS}"' in page


def test_the_user_sets_address_language_and_opts_out(persona: Callable[[str], User]) -> None:
    user = persona("coordinator")
    client = _client(user)
    page = client.get(SETTINGS).content.decode()
    for field in ("email", "language", "email_reminders"):
        assert f'for="id_{field}"' in page  # every input labelled
    response = submit(client, SETTINGS, {"email": "ny@example.dk", "language": "en"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.email, user.language, user.email_reminders) == ("ny@example.dk", "en", False)


def test_an_invalid_address_is_refused_and_nothing_changes(
    persona: Callable[[str], User],
) -> None:
    user = persona("coordinator")
    response = submit(
        _client(user),
        SETTINGS,
        {"email": "ikke@en@adresse", "language": "da", "email_reminders": "on"},
    )
    assert response.status_code == 200
    assert 'class="error' in response.content.decode()
    assert "gyldig e-mailadresse" in response.content.decode()
    user.refresh_from_db()
    assert user.email == ""


def test_a_save_from_an_older_page_is_refused(persona: Callable[[str], User]) -> None:
    """Two tabs: the second save does not overwrite the first unseen."""
    user = persona("coordinator")
    client = _client(user)
    old = hidden_fields(client.get(SETTINGS), SETTINGS)
    submit(client, SETTINGS, {"email": "foerst@example.dk", "language": "da"})
    response = client.post(SETTINGS, {**old, "email": "senere@example.dk", "language": "da"})
    assert response.status_code == 200
    assert "ændret af en anden" in response.content.decode()
    user.refresh_from_db()
    assert user.email == "foerst@example.dk"


def test_the_profile_needs_a_login() -> None:
    response = Client().get(SETTINGS)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _feed_url(page: str) -> str:
    marker = 'id="feed-url" type="text" readonly value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def test_making_renewing_and_revoking_the_link(persona: Callable[[str], User]) -> None:
    user = persona("secretariat")
    client = _client(user)
    first = _feed_url(client.post(LINK, {"action": "create"}).content.decode())
    assert first.startswith("http://testserver/kalender/") and first.endswith(".ics")
    token = first.rsplit("/", 1)[1].removesuffix(".ics")
    feed = CalendarFeed.objects.get(user=user)
    assert token.encode() not in bytes(feed.token_hash)  # kept only hashed
    assert client.get(first).status_code == 200
    assert Client().get(first).status_code == 200  # no login: the token is the key

    second = _feed_url(client.post(LINK, {"action": "renew"}).content.decode())
    assert second != first
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200

    client.post(LINK, {"action": "revoke"})
    assert Client().get(second).status_code == 404
    assert not CalendarFeed.objects.filter(user=user).exists()


def test_an_unknown_token_or_an_inactive_user_answers_404(persona: Callable[[str], User]) -> None:
    assert Client().get("/kalender/findes-ikke.ics").status_code == 404
    user = persona("secretariat")
    token = calendar_feed_create(user=user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert Client().get(f"/kalender/{token}.ics").status_code == 404


def test_the_feed_holds_the_meetings_and_deadlines_of_the_users_plans(
    factory_plan: Plan, persona: Callable[[str], User], other_plan: Plan, settings: Any
) -> None:
    settings.SITE_URL = "https://helhedsplan.example.dk"
    user = persona("secretariat")
    mine = factories.MeetingFactory(plan=factory_plan, date=date(2019, 3, 20))
    factories.MeetingFactory(plan=other_plan, title="Fremmed møde")
    token = calendar_feed_create(user=user)
    response = Client().get(f"/kalender/{token}.ics")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    events = ical.parse_events(text)
    uids = {e["UID"] for e in events}
    assert f"meeting-{mine.pk}@helhedsplan.example.dk" in uids
    assert not any("Fremmed" in e["SUMMARY"] for e in events)
    deadlines = [e for e in events if e["SUMMARY"].startswith("Frist: ")]
    assert deadlines, "the required meetings not held are the secretariat's duties"
    assert all(
        e["URL"].startswith("https://helhedsplan.example.dk/planer/fabrik/") for e in deadlines
    )


def test_lbf_gets_no_meetings_it_may_not_read(
    factory_plan: Plan, persona: Callable[[str], User]
) -> None:
    factories.MeetingFactory(plan=factory_plan)
    token = calendar_feed_create(user=persona(Role.LBF))
    events = ical.parse_events(Client().get(f"/kalender/{token}.ics").content.decode())
    assert events == []


def test_the_feeds_queries_do_not_grow_with_the_meetings(
    factory_plan: Plan, persona: Callable[[str], User]
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from helhedsplan.meetings.models import AgendaItem

    user = persona("secretariat")
    token = calendar_feed_create(user=user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(f"/kalender/{token}.ics").status_code == 200
        return len(captured)

    meeting = factories.MeetingFactory(plan=factory_plan)
    AgendaItem.objects.create(meeting=meeting, order=1, title="Punkt")
    few = queries()
    for day in range(2, 8):
        more = factories.MeetingFactory(plan=factory_plan, date=date(2019, 3, day))
        AgendaItem.objects.create(meeting=more, order=1, title="Punkt")
    assert queries() == few
