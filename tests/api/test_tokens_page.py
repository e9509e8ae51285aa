"""The user's own API tokens page (/min-profil/api-noegler/): made with a name, a scope
and an optional last day; the secret shown once; revoked by its user only; both audited."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from helhedsplan.accounts.models import ApiToken, User
from helhedsplan.audit.models import AuditEntry
from helhedsplan.plans.models import Plan


def test_make_use_and_revoke_a_token(
    plan: Plan, persona: Callable[[str], User], client_for: Callable[[str], Client]
) -> None:
    client = client_for("board")
    page = client.get(reverse("accounts:api_tokens"))
    assert page.status_code == 200 and "Du har ingen API-nøgler." in page.content.decode()
    made = client.post(reverse("accounts:api_tokens"), {"name": "Excel", "scope": "read"})
    assert made.status_code == 200
    token = ApiToken.objects.get(user=persona("board"))
    secret = made.context["secret"]
    assert secret.startswith(token.prefix) and secret in made.content.decode()
    # Shown once: the list afterwards has the prefix, never the secret.
    again = client.get(reverse("accounts:api_tokens")).content.decode()
    assert token.prefix in again and secret not in again
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get(f"/api/v1/plans/{plan.slug}/meetings").status_code == 200

    revoked = client.post(reverse("accounts:api_token_revoke", kwargs={"pk": token.pk}))
    assert revoked.status_code == 302
    assert api.get(f"/api/v1/plans/{plan.slug}/meetings").status_code == 401
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ApiToken), object_pk=str(token.pk)
    ).order_by("pk")
    assert [e.action for e in entries] == [AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE]
    assert all(e.actor == persona("board") for e in entries)
    assert "revoked_at" in entries[1].changes_dict
    assert all("token_hash" not in e.changes_dict for e in entries)


def test_another_users_token_cannot_be_revoked(
    persona: Callable[[str], User], client_for: Callable[[str], Client]
) -> None:
    from helhedsplan.accounts import services

    token, _secret = services.api_token_create(user=persona("board"), name="x", scope="read")
    url = reverse("accounts:api_token_revoke", kwargs={"pk": token.pk})
    assert client_for("lbf").post(url).status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert client_for("anonymous").get(reverse("accounts:api_tokens")).status_code == 302


def test_a_token_without_a_name_or_in_the_past_is_refused(
    persona: Callable[[str], User], client_for: Callable[[str], Client]
) -> None:
    client = client_for("board")
    response = client.post(reverse("accounts:api_tokens"), {"name": " ", "scope": "read"})
    assert response.status_code == 200 and not ApiToken.objects.exists()
    past = {"name": "x", "scope": "read-write", "expires_on": "2001-01-01"}
    response = client.post(reverse("accounts:api_tokens"), past)
    assert "Udløbsdatoen er overskredet." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_works_to_its_last_day(persona: Callable[[str], User]) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from helhedsplan.accounts import services

    today = timezone.localdate()
    token, _s = services.api_token_create(
        user=persona("board"), name="x", scope="read", expires_on=today
    )
    assert token.is_active and token.expires_at is not None
    assert timezone.localtime(token.expires_at).date() == today + timedelta(days=1)
