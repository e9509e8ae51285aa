"""Inviting a user by e-mail and answering the link: the services and the link's page.

The mail goes through Django's e-mail framework (``mail.outbox`` in tests); the link's token
is kept only as its SHA-256, so the database alone cannot answer an invitation.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from helhedsplan.accounts.access import get_plan_access
from helhedsplan.accounts.models import Invitation, Membership, Role, User
from helhedsplan.accounts.services import (
    invitation_accept,
    invitation_resend,
    invitation_revoke,
    user_invite,
)
from helhedsplan.audit.models import AuditEntry
from helhedsplan.plans.models import Plan
from tests import factories
from tests.errors import codes

pytestmark = pytest.mark.django_db

PASSWORD = "langt-og-sikkert-kodeord"


def _token(message: mail.EmailMessage) -> str:
    found = re.search(r"/invitation/([^/\s]+)/", str(message.body))
    assert found, message.body
    return found.group(1)


def _invite(plan: Plan, email: str = "ny@example.dk", role: str = Role.SECRETARIAT, **kw):  # type: ignore[no-untyped-def]
    by = factories.persona(plan, "secretariat")
    return user_invite(plan=plan, email=email, role=role, invited_by=by, **kw)


def _counts() -> tuple[int, int, int]:
    return User.objects.count(), Membership.objects.count(), Invitation.objects.count()


def test_invite_sends_a_danish_mail_with_a_link_and_stores_only_the_hash(
    factory_plan: Plan,
) -> None:
    invitation = _invite(factory_plan, "Ny@Example.dk ")
    assert invitation.email == "ny@example.dk"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ny@example.dk"]
    assert "Invitation til Fabriksplan" in message.subject
    assert "Sekretariat" in message.body and "adgangskode" in message.body
    token = _token(message)
    assert message.body.count(f"http://127.0.0.1:8000/invitation/{token}/") == 1
    stored = Invitation.objects.get()
    assert bytes(stored.token_hash) == hashlib.sha256(token.encode()).digest()
    # The clear token is nowhere in the database (the audit trail included).
    assert not Invitation.objects.filter(email__contains=token).exists()
    for entry in AuditEntry.objects.all():
        assert token not in str(entry.changes) and "token_hash" not in str(entry.changes)
    assert (stored.expires_at - stored.created_at).days == 14


def test_invite_in_english(factory_plan: Plan) -> None:
    _invite(factory_plan, language="en")
    assert "Invitation to Fabriksplan" in mail.outbox[0].subject
    assert "Secretariat" in mail.outbox[0].body


def test_the_whole_way_invite_accept_log_in_and_the_role_works(factory_plan: Plan) -> None:
    area = factory_plan.areas.get(slug="syd")
    _invite(factory_plan, "koord@example.dk", Role.COORDINATOR, areas=[area])
    link = reverse("accounts:invitation_accept", kwargs={"token": _token(mail.outbox[0])})
    client = Client()
    page = client.get(link)
    assert page.status_code == 200 and "Koordinator" in page.content.decode()
    response = client.post(
        link,
        {
            "first_name": "Karen",
            "last_name": "Koordinator",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    user = User.objects.get(username="koord@example.dk")
    assert user.email == "koord@example.dk" and user.get_full_name() == "Karen Koordinator"
    membership = user.memberships.get(plan=factory_plan)
    assert membership.role == Role.COORDINATOR and list(membership.areas.all()) == [area]
    assert Invitation.objects.get().accepted_by == user
    assert client.login(username="koord@example.dk", password=PASSWORD)
    assert client.get(reverse("criteria:scorecard", args=[factory_plan.slug])).status_code == 200
    # The coordinator registers for their area only.
    access = get_plan_access(user, factory_plan.slug)
    assert access.roles == {Role.COORDINATOR} and access.observation_area_ids == frozenset(
        {area.pk}
    )
    # The link is used: a second answer shows a page that says so and writes nothing.
    before = _counts()
    again = Client().get(link)
    assert again.status_code == 410 and "allerede brugt" in again.content.decode()
    assert _counts() == before


def test_an_address_with_a_user_logs_in_and_the_role_is_added(factory_plan: Plan) -> None:
    existing = factories.persona(factory_plan, "board")
    existing.email = "bestyrelse@example.dk"
    existing.save()
    _invite(factory_plan, "bestyrelse@example.dk", Role.AUDITOR)
    assert "log ind" in mail.outbox[0].body.lower()
    link = reverse("accounts:invitation_accept", kwargs={"token": _token(mail.outbox[0])})
    anonymous = Client()
    page = anonymous.get(link).content.decode()
    assert "Du har allerede en bruger" in page and "first_name" not in page
    assert anonymous.post(link, {}).status_code == 302  # refused: log in first
    assert not existing.memberships.filter(role=Role.AUDITOR).exists()
    client = Client()
    client.force_login(existing)
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == factory_plan.get_absolute_url()
    assert set(existing.memberships.values_list("role", flat=True)) == {"board", "auditor"}
    assert User.objects.filter(email="bestyrelse@example.dk").count() == 1


def test_another_user_logged_in_cannot_take_the_invitation(factory_plan: Plan) -> None:
    existing = factories.UserFactory(username="anne@example.dk", email="anne@example.dk")
    _invite(factory_plan, "anne@example.dk", Role.BOARD)
    token = _token(mail.outbox[0])
    with pytest.raises(ValidationError) as exc:
        invitation_accept(token=token, user=factories.persona(factory_plan, "auditor"))
    assert codes(exc.value) == {"wrong_user"}
    with pytest.raises(ValidationError) as exc:
        invitation_accept(token=token)
    assert codes(exc.value) == {"login_required"}
    assert not existing.memberships.exists()


def test_a_weak_password_is_refused_by_djangos_validators_and_nothing_is_written(
    factory_plan: Plan,
) -> None:
    _invite(factory_plan)
    token = _token(mail.outbox[0])
    before = _counts()
    for weak in ("kort", "1234567890123", "password123"):
        with pytest.raises(ValidationError) as exc:
            invitation_accept(token=token, first_name="Ny", password=weak)
        assert "password" in exc.value.error_dict
    link = reverse("accounts:invitation_accept", kwargs={"token": token})
    response = Client().post(
        link, {"first_name": "Ny", "password": "kort", "password_again": "kort"}
    )
    assert response.status_code == 200 and 'class="error' in response.content.decode()
    assert _counts() == before
    assert Invitation.objects.get().accepted_at is None


def test_an_expired_revoked_or_unknown_link_shows_a_danish_page_and_writes_nothing(
    factory_plan: Plan,
) -> None:
    expired = _invite(factory_plan, "udloebet@example.dk")
    expired_token = _token(mail.outbox[-1])
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    revoked = _invite(factory_plan, "tilbage@example.dk")
    revoked_token = _token(mail.outbox[-1])
    invitation_revoke(invitation=revoked, by=None)
    before = _counts()
    cases = [
        (expired_token, 410, "udløbet", "invitation_expired"),
        (revoked_token, 410, "trukket tilbage", "invitation_revoked"),
        ("findes-ikke", 404, "Linket findes ikke", "invalid_token"),
    ]
    for token, status, words, code in cases:
        link = reverse("accounts:invitation_accept", kwargs={"token": token})
        for response in (Client().get(link), Client().post(link, {"first_name": "X"})):
            assert response.status_code == status, token
            assert words in response.content.decode()
        with pytest.raises(ValidationError) as exc:
            invitation_accept(token=token, first_name="X", password=PASSWORD)
        assert codes(exc.value) == {code}
    assert _counts() == before


@pytest.mark.parametrize(
    ("email", "role", "areas", "code"),
    [
        ("ikke-en-adresse", Role.BOARD, "", "invalid_email"),
        ("koord@example.dk", Role.COORDINATOR, "", "coordinator_without_areas"),
        ("koord@example.dk", Role.COORDINATOR, "other", "unknown_area"),
        ("board@example.dk", Role.BOARD, "own", "areas_only_for_coordinators"),
    ],
)
def test_bad_invitations_are_refused_and_nothing_is_written_or_sent(
    factory_plan: Plan, other_plan: Plan, email: str, role: str, areas: str, code: str
) -> None:
    options: dict[str, list[Any]] = {
        "": [],
        "own": list(factory_plan.areas.all()[:1]),
        "other": [factories.HousingAreaFactory(plan=other_plan)],
    }
    chosen = options[areas]
    by = factories.persona(factory_plan, "secretariat")
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        user_invite(plan=factory_plan, email=email, role=role, areas=chosen, invited_by=by)
    assert codes(exc.value) == {code}
    assert _counts() == before and mail.outbox == []


def test_an_address_already_invited_or_holding_the_role_is_refused(factory_plan: Plan) -> None:
    _invite(factory_plan, "ny@example.dk", Role.BOARD)
    member = factories.persona(factory_plan, "board")
    member.email = "bestyrelse@example.dk"
    member.save()
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        _invite(factory_plan, "NY@example.dk", Role.AUDITOR)
    assert codes(exc.value) == {"already_invited"}
    assert "allerede inviteret" in exc.value.messages[0]
    with pytest.raises(ValidationError) as exc:
        _invite(factory_plan, "bestyrelse@example.dk", Role.BOARD)
    assert codes(exc.value) == {"already_member"}
    assert _counts() == before and len(mail.outbox) == 1
    # Another role for the same user is an ordinary invitation.
    _invite(factory_plan, "bestyrelse@example.dk", Role.AUDITOR)


def test_an_expired_invitation_does_not_block_a_new_one(factory_plan: Plan) -> None:
    old = _invite(factory_plan)
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=1))
    assert _invite(factory_plan).pk != old.pk


def test_a_deactivated_user_is_not_invited(factory_plan: Plan) -> None:
    factories.UserFactory(username="gammel@example.dk", email="gammel@example.dk", is_active=False)
    with pytest.raises(ValidationError) as exc:
        _invite(factory_plan, "gammel@example.dk", Role.BOARD)
    assert codes(exc.value) == {"user_inactive"}


def test_resend_gives_a_new_link_and_the_old_one_stops_working(factory_plan: Plan) -> None:
    invitation = _invite(factory_plan)
    old = _token(mail.outbox[0])
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    invitation_resend(invitation=invitation, by=None)
    new = _token(mail.outbox[1])
    assert new != old
    assert Invitation.objects.get().is_pending
    with pytest.raises(ValidationError) as exc:
        invitation_accept(token=old, first_name="Ny", password=PASSWORD)
    assert codes(exc.value) == {"invalid_token"}
    invitation_accept(token=new, first_name="Ny", password=PASSWORD)
    with pytest.raises(ValidationError) as exc:
        invitation_resend(invitation=invitation, by=None)
    assert codes(exc.value) == {"not_pending"}


def test_a_mail_the_server_refuses_keeps_nothing(factory_plan: Plan, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "tests.accounts.test_invitations.RefusingBackend"
    factories.persona(factory_plan, "secretariat")
    before = _counts()
    with pytest.raises(ValidationError) as exc:
        _invite(factory_plan)
    assert codes(exc.value) == {"mail_failed"}
    assert _counts() == before


class RefusingBackend:
    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: object) -> int:
        raise ConnectionRefusedError("no server")


def test_the_subject_shows_a_plan_name_as_written(factory_plan: Plan) -> None:
    """An e-mail is plain text: "&" in the plan's name is not HTML-escaped in the subject."""
    factory_plan.name = "Vest & Nord"
    factory_plan.save()
    _invite(factory_plan)
    assert mail.outbox[0].subject == "Invitation til Vest & Nord"
