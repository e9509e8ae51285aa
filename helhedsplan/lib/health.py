"""The load balancer's health check: ``GET /healthz/``.

Answered by a middleware placed first, before anything a page needs: no host check (a
balancer probes an app server by its address, which is not one of ALLOWED_HOSTS), no HTTPS
redirect (it probes over plain HTTP inside the network), no session, no login, no CSRF, no
audit entry and no write of any kind. 200 with ``{"status": "ok", ...}`` when the database
answers a query and the cache answers a read; 503 with what failed otherwise, so the
balancer takes the server out of rotation. The body names no host, version or error text.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse

# With and without the slash: a balancer's probe is not redirected (APPEND_SLASH).
HEALTH_PATHS = {"/healthz/", "/healthz"}
logger = logging.getLogger(__name__)


def _database() -> None:
    for alias in connections:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def _cache() -> None:
    # A read, never a write: probes every few seconds from every balancer must not fill
    # the cache table or Redis. A missing key is an answer; a dead server raises.
    cache.get("healthz")


CHECKS: dict[str, Callable[[], None]] = {"database": _database, "cache": _cache}


def health() -> tuple[int, dict[str, str]]:
    """(status code, body): each check "ok" or "error"; 503 if any failed."""
    body: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("Health check %s failed", name)
            body[name] = "error"
        else:
            body[name] = "ok"
    healthy = all(value == "ok" for value in body.values())
    return (200 if healthy else 503), {"status": "ok" if healthy else "unavailable", **body}


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info not in HEALTH_PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        status, body = health()
        response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
        response["Cache-Control"] = "no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
