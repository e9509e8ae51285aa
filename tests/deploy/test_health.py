"""/healthz/: what the load balancer probes (helhedsplan.lib.health)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError, connections
from django.test import Client

from helhedsplan.audit.models import AuditEntry

REDIS_NOBODY_ANSWERS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # port 1: refused at once
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


def _probe(**extra: Any) -> Any:
    # A balancer probes the server by its address, which is not one of ALLOWED_HOSTS.
    return Client().get("/healthz/", HTTP_HOST="10.0.0.7:8000", **extra)


@pytest.mark.django_db
def test_healthy_is_200_with_a_tiny_json_body_in_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(1):  # SELECT 1; the cache is read, not the database
        response = _probe()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_no_login_no_session_no_cookie_no_audit_entry(persona) -> None:  # type: ignore[no-untyped-def]
    persona("secretariat")  # an installation with users and a plan
    sessions, entries = Session.objects.count(), AuditEntry.objects.count()
    client = Client()
    client.force_login(persona("secretariat"))
    sessions += 1
    response = client.get("/healthz/", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers and not response.cookies
    anonymous = _probe()
    assert anonymous.status_code == 200 and not anonymous.cookies
    assert Session.objects.count() == sessions
    assert AuditEntry.objects.count() == entries


@pytest.mark.django_db
def test_plain_http_is_answered_where_pages_redirect_to_https(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert Client().get("/login/").status_code == 301
    assert _probe().status_code == 200


@pytest.mark.django_db
def test_database_down_is_503(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = _probe()
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "database": "error",
        "cache": "ok",
    }


@pytest.mark.django_db
def test_cache_down_is_503(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CACHES = REDIS_NOBODY_ANSWERS
    response = _probe()
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body == {"status": "unavailable", "database": "ok", "cache": "error"}
    assert "127.0.0.1" not in response.content.decode()  # no address, no error text


@pytest.mark.django_db
def test_only_get_and_head() -> None:
    assert Client().head("/healthz/").status_code == 200
    response = Client().post("/healthz/")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_other_paths_are_pages_as_before() -> None:
    assert Client().get("/healthz", HTTP_HOST="10.0.0.7").status_code == 200  # not redirected
    assert Client().get("/healthz/x/").status_code == 404
    assert Client().get("/login/").status_code == 200
