"""The plan's users page (/planer/<slug>/brugere/): the secretariat invites, changes a
coordinator's areas and takes roles; the last secretariat role stays. Factory plan."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from helhedsplan.accounts.models import Invitation, Membership, Role, User
from helhedsplan.accounts.services import membership_remove, membership_update_areas
from helhedsplan.audit.models import AuditEntry
from helhedsplan.plans.models import Plan
from tests import factories
from tests.errors import codes

pytestmark = pytest.mark.django_db


def _users_url(plan: Plan, name: str = "accounts:plan_users", **kwargs: Any) -> str:
    return reverse(name, kwargs={"slug": plan.slug, **kwargs})


def test_the_secretariat_sees_users_roles_and_pending_invitations(
    factory_plan: Plan, client_for: Callable[[str], Client]
) -> None:
    for role in ("coordinator", "board"):
        factories.persona(factory_plan, role)
    factories.InvitationFactory(plan=factory_plan, email="venter@example.dk", role=Role.LBF)
    page = client_for("secretariat").get(_users_url(factory_plan)).content.decode()
    assert "Koordinator: Nordparken" in page and "Bestyrelsesmedlem" in page
    assert "venter@example.dk" in page and "Landsbyggefonden" in page
    assert (
        'href="/planer/fabrik/brugere/"'
        in client_for("secretariat").get(factory_plan.get_absolute_url()).content.decode()
    )  # the menu entry


def test_the_users_page_takes_the_same_queries_however_many_users(
    factory_plan: Plan, client_for: Callable[[str], Client], django_assert_num_queries: Any
) -> None:
    client = client_for("secretariat")
    url = _users_url(factory_plan)
    factories.persona(factory_plan, "coordinator")
    factories.InvitationFactory(plan=factory_plan)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _ in range(4):
        user = factories.UserFactory()
        factories.PlanMembershipFactory(
            user=user,
            plan=factory_plan,
            role=Role.COORDINATOR,
            areas=list(factory_plan.areas.all()),
        )
        factories.InvitationFactory(
            plan=factory_plan, role=Role.COORDINATOR, areas=list(factory_plan.areas.all())
        )
    assert count() == few


def test_invite_from_the_page_sends_the_mail(
    factory_plan: Plan, client_for: Callable[[str], Client]
) -> None:
    nord = factory_plan.areas.get(slug="nord")
    response = client_for("secretariat").post(
        _users_url(factory_plan, "accounts:plan_user_invite"),
        {"email": "ny@example.dk", "role": "coordinator", "areas": [nord.pk], "language": "da"},
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert list(invitation.areas.all()) == [nord]
    assert invitation.invited_by == factories.persona(factory_plan, "secretariat")
    assert len(mail.outbox) == 1


def test_the_link_begins_with_site_url_or_the_pages_address(
    factory_plan: Plan, client_for: Callable[[str], Client], settings: Any
) -> None:
    url = _users_url(factory_plan, "accounts:plan_user_invite")
    data = {"role": "board", "language": "da"}
    client_for("secretariat").post(url, {**data, "email": "a@example.dk"})
    assert "http://testserver/invitation/" in str(mail.outbox[-1].body)
    settings.SITE_URL = "https://helhedsplan.example.dk"
    client_for("secretariat").post(url, {**data, "email": "b@example.dk"})
    assert "https://helhedsplan.example.dk/invitation/" in str(mail.outbox[-1].body)


def test_a_bad_invitation_shows_a_danish_message_and_writes_nothing(
    factory_plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for("secretariat")
    url = _users_url(factory_plan, "accounts:plan_user_invite")
    response = client.post(url, {"email": "k@example.dk", "role": "coordinator", "language": "da"})
    assert response.status_code == 200
    assert "mindst ét boligområde" in response.content.decode()
    response = client.post(url, {"email": "ikke-en-adresse", "role": "board", "language": "da"})
    assert 'class="error' in response.content.decode()
    assert not Invitation.objects.exists() and mail.outbox == []


def test_change_a_coordinators_areas_and_it_is_audited(
    factory_plan: Plan, client_for: Callable[[str], Client]
) -> None:
    membership = factories.persona(factory_plan, "coordinator").memberships.get()
    syd = factory_plan.areas.get(slug="syd")
    url = _users_url(factory_plan, "accounts:plan_membership_edit", pk=membership.pk)
    client = client_for("secretariat")
    assert client.get(url).status_code == 200
    assert client.post(url, {"areas": [syd.pk]}).status_code == 302
    assert list(membership.areas.all()) == [syd]
    entries = AuditEntry.objects.filter(object_pk=str(membership.pk), plan=factory_plan)
    assert entries.exists()
    # None is refused: a coordinator registers somewhere.
    response = client.post(url, {})
    assert "mindst ét boligområde" in response.content.decode()
    assert list(membership.areas.all()) == [syd]


def test_areas_of_another_plan_or_for_another_role_are_refused(
    factory_plan: Plan, other_plan: Plan
) -> None:
    coordinator = factories.persona(factory_plan, "coordinator").memberships.get()
    board = factories.persona(factory_plan, "board").memberships.get()
    foreign = factories.HousingAreaFactory(plan=other_plan)
    cases: list[tuple[Membership, list[Any], str]] = [
        (coordinator, [foreign], "unknown_area"),
        (board, list(factory_plan.areas.all()), "areas_only_for_coordinators"),
    ]
    for membership, areas, code in cases:
        with pytest.raises(Exception) as exc:
            membership_update_areas(membership=membership, areas=areas)
        assert codes(exc.value) == {code}  # type: ignore[arg-type]


def test_remove_a_role_and_a_user_from_the_plan(
    factory_plan: Plan, client_for: Callable[[str], Client]
) -> None:
    board = factories.persona(factory_plan, "board")
    factories.PlanMembershipFactory(user=board, plan=factory_plan, role=Role.AUDITOR)
    client = client_for("secretariat")
    auditor = board.memberships.get(role=Role.AUDITOR)
    url = _users_url(factory_plan, "accounts:plan_membership_remove", pk=auditor.pk)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert list(board.memberships.values_list("role", flat=True)) == ["board"]
    assert AuditEntry.objects.filter(
        object_pk=str(auditor.pk), action=AuditEntry.Action.DELETE, plan=factory_plan
    ).exists()
    url = _users_url(factory_plan, "accounts:plan_user_remove", user=board.pk)
    assert client.post(url).status_code == 302
    assert not board.memberships.exists()
    assert User.objects.filter(pk=board.pk).exists()  # the user stays, without roles here


def test_the_last_secretariat_role_cannot_be_removed(
    factory_plan: Plan, client_for: Callable[[str], Client]
) -> None:
    secretariat = factories.persona(factory_plan, "secretariat")
    membership = secretariat.memberships.get()
    client = client_for("secretariat")
    for url in (
        _users_url(factory_plan, "accounts:plan_membership_remove", pk=membership.pk),
        _users_url(factory_plan, "accounts:plan_user_remove", user=secretariat.pk),
    ):
        response = client.post(url, follow=True)
        assert "den sidste sekretariatsrolle kan ikke fjernes" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    # With a second secretariat user the first may go.
    factories.PlanMembershipFactory(plan=factory_plan, role=Role.SECRETARIAT)
    membership_remove(membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_revoke_and_resend_from_the_page(
    factory_plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for("secretariat")
    client.post(
        _users_url(factory_plan, "accounts:plan_user_invite"),
        {"email": "ny@example.dk", "role": "board", "language": "da"},
    )
    invitation = Invitation.objects.get()
    resend = _users_url(factory_plan, "accounts:plan_invitation_resend", pk=invitation.pk)
    assert client.post(resend).status_code == 302
    assert len(mail.outbox) == 2 and mail.outbox[0].body != mail.outbox[1].body
    revoke = _users_url(factory_plan, "accounts:plan_invitation_revoke", pk=invitation.pk)
    assert client.post(revoke).status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == "revoked"
    assert invitation.revoked_by == factories.persona(factory_plan, "secretariat")
    client.get(_users_url(factory_plan))  # shows (and so ends) the message naming the address
    assert "ny@example.dk" not in client.get(_users_url(factory_plan)).content.decode()
    # Another plan's invitation is not found through this plan.
    foreign = factories.InvitationFactory()
    other = _users_url(factory_plan, "accounts:plan_invitation_revoke", pk=foreign.pk)
    assert client.post(other).status_code == 404


@pytest.mark.parametrize("role", ["coordinator", "municipal", "board", "lbf", "auditor"])
def test_only_the_secretariat_manages_users(
    role: str, factory_plan: Plan, client_for: Callable[[str], Client]
) -> None:
    client = client_for(role)
    assert client.get(_users_url(factory_plan)).status_code == 403
    response = client.post(
        _users_url(factory_plan, "accounts:plan_user_invite"),
        {"email": "ny@example.dk", "role": "secretariat", "language": "da"},
    )
    assert response.status_code == 403 and not Invitation.objects.exists()
