"""Who reads what through /api/v1/: the pages' permissions, 401 (never the login) without
credentials, 404 on a plan without a role, tokens hashed at rest and refused once revoked
or expired."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from helhedsplan.accounts.models import ApiToken, User
from helhedsplan.audit.models import AuditEntry
from helhedsplan.plans.models import Plan
from tests.api.conftest import TokenClient, body, token_for

# Every list endpoint of a plan and the permission its page needs.
LISTS = {
    "areas": "area.view",
    "focus-areas": "plan.view",
    "measures": "criteria.view",
    "criteria": "criteria.view",
    "targets": "criteria.view",
    "observations": "criteria.view",
    "activities": "activities.view",
    "registrations": "activities.view",
    "meetings": "meetings.view",
    "decisions": "meetings.view",
    "agreement-versions": "agreement.view",
    "attachments": "agreement.view",
}
ROLES = ["secretariat", "coordinator", "municipal", "board", "lbf", "auditor"]


def url(plan: Plan, what: str = "") -> str:
    return f"/api/v1/plans/{plan.slug}" + (f"/{what}" if what else "")


@pytest.mark.parametrize("role", ROLES)
def test_every_list_answers_as_the_permission_table_says(
    role: str, filled: Plan, api_client: TokenClient
) -> None:
    from helhedsplan.accounts.access import PERMISSIONS

    client = api_client(role)
    for what, permission in LISTS.items():
        response = client.get(url(filled, what))
        allowed = role in {r.value for r in PERMISSIONS[permission]}
        assert response.status_code == (200 if allowed else 403), (what, role, response.content)
        if allowed:
            assert response.json()["count"] >= 1, (what, role)
    assert body(client.get(url(filled)))["slug"] == filled.slug


def test_lbf_reads_what_is_sent_to_it_not_the_raw_data(
    filled: Plan, api_client: TokenClient
) -> None:
    client = api_client("lbf")
    for what in ("observations", "registrations", "criteria", "scorecard", "meetings"):
        assert client.get(url(filled, what)).status_code == 403, what
    assert body(client.get(url(filled, "attachments")))["items"][0]["name"] == "bilag.pdf"
    assert client.get(url(filled, "lists")).status_code == 200


def test_a_plan_without_a_role_is_404(filled: Plan, other_plan: Plan) -> None:
    outsider = other_plan.memberships.get().user
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(outsider)}")
    for what in ["", *LISTS, "scorecard", "lists"]:
        assert client.get(url(filled, what)).status_code == 404, what
    assert client.get("/api/v1/plans/findes-ikke").status_code == 404
    assert [p["slug"] for p in body(client.get("/api/v1/plans"))["items"]] == [other_plan.slug]


def test_anonymous_is_401_with_json_never_a_redirect(filled: Plan) -> None:
    client = Client()
    for what in ["", *LISTS, "scorecard", "lists"]:
        response = client.get(url(filled, what))
        assert response.status_code == 401, what
        assert response["Content-Type"].startswith("application/json")
        assert "detail" in response.json()
        assert response["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/plans").status_code == 401
    assert client.post(url(filled, "observations"), {}, "application/json").status_code == 401


def test_a_bad_token_is_401(filled: Plan) -> None:
    for header in ("Bearer hp_nonsense", "Bearer ", "Basic abc", "Bearer nothp"):
        client = Client(HTTP_AUTHORIZATION=header)
        assert client.get(url(filled)).status_code == 401, header


def test_the_database_holds_the_hash_never_the_secret(persona: Callable[[str], User]) -> None:
    secret = token_for(persona("secretariat"))
    token = ApiToken.objects.get()
    assert bytes(token.token_hash) == hashlib.sha256(secret.encode()).digest()
    assert secret.startswith(token.prefix) and len(token.prefix) < len(secret) // 3
    for field in ApiToken._meta.concrete_fields:
        value = getattr(token, field.attname)
        assert secret not in str(value), field.name
    entry = AuditEntry.objects.get(
        content_type=ContentType.objects.get_for_model(ApiToken), object_pk=str(token.pk)
    )
    assert "token_hash" not in entry.changes_dict and "name" in entry.changes_dict
    assert secret not in str(entry.changes)


def test_a_revoked_or_expired_token_is_401(filled: Plan, persona: Callable[[str], User]) -> None:
    from helhedsplan.accounts import services

    user = persona("secretariat")
    token, secret = services.api_token_create(user=user, name="x", scope="read")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get(url(filled)).status_code == 200
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    services.api_token_revoke(token=token)
    assert client.get(url(filled)).status_code == 401
    expired, secret = services.api_token_create(user=user, name="y", scope="read")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(url(filled)).status_code == 401
    User.objects.filter(pk=user.pk).update(is_active=False)
    _t, secret = services.api_token_create(user=user, name="z", scope="read")
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(url(filled)).status_code == 401


def test_the_session_works_for_the_browser(
    filled: Plan, client_for: Callable[[str], Client]
) -> None:
    assert body(client_for("board").get(url(filled, "meetings")))["count"] >= 1
    assert body(client_for("board").get("/api/v1/plans"))["items"][0]["roles"] == ["board"]


def test_a_session_post_needs_the_csrf_token(filled: Plan, persona: Callable[[str], User]) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(persona("secretariat"))
    response = client.post(url(filled, "observations"), {}, "application/json")
    assert response.status_code == 403
