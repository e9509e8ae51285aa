"""Security plumbing that Django 5.2 does not ship: CSP, session time limits, the client IP.

- ``ContentSecurityPolicyMiddleware`` sends ``settings.CONTENT_SECURITY_POLICY`` on every
  HTML (and SVG) response. The templates use no inline script or style and htmx is told
  not to inject its indicator style (base.html), so the policy needs no 'unsafe-inline'.
- ``SessionTimeoutMiddleware`` ends a session after ``SESSION_IDLE_SECONDS`` without a
  request and, however active, ``SESSION_MAX_AGE_SECONDS`` after it began.
- ``client_ip`` is the address django-axes throttles by: behind ``TRUSTED_PROXY_COUNT``
  proxies it is taken from X-Forwarded-For, else it is the peer address. Never trust the
  header without a proxy that writes it: a client could name any address it likes.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

CSP_CONTENT_TYPES = ("text/html", "image/svg+xml")

# Keys in the session; underscore-prefixed like Django's own.
SESSION_STARTED = "_started_at"
SESSION_SEEN = "_seen_at"
# The idle clock is written back at most this often, not on every request.
SEEN_RESOLUTION_SECONDS = 60


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        content_type = response.get("Content-Type", "")
        if policy and content_type.startswith(CSP_CONTENT_TYPES):
            response.headers.setdefault("Content-Security-Policy", policy)
        return response


def start_session_clock(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """On login (``user_logged_in``): both clocks start, in the session login just wrote."""
    now = time.time()
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now


class SessionTimeoutMiddleware:
    """After AuthenticationMiddleware. A timed-out user continues as anonymous."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = float(session.get(SESSION_STARTED, now))
            seen = float(session.get(SESSION_SEEN, now))
            if (
                now - seen > settings.SESSION_IDLE_SECONDS
                or now - started > settings.SESSION_MAX_AGE_SECONDS
            ):
                logout(request)
            elif (
                SESSION_STARTED not in session  # a session from before the clocks existed
                or now - seen >= SEEN_RESOLUTION_SECONDS
            ):
                # Written at most once a minute, so most requests write nothing; saving the
                # session also renews its expiry (SESSION_COOKIE_AGE).
                session[SESSION_STARTED] = started
                session[SESSION_SEEN] = now
        return self.get_response(request)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, as the configured number of trusted proxies reports it."""
    peer = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return peer
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    # Each trusted proxy appends the address it saw; the outermost one's entry is the client.
    if len(forwarded) < proxies:
        return peer
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer
