"""Password login, except with the demo's published password outside development.

The demo users' password is printed by ``make run`` and on the login page. Where
``settings.DEMO_LOGIN_ALLOWED`` is off (always when ``DEBUG=0``), no user logs in with it,
whatever loaded the demo or set it; a demo user given a real password logs in as usual.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from helhedsplan.accounts.views import DEMO_PASSWORD


class AccountBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if password == DEMO_PASSWORD and not settings.DEMO_LOGIN_ALLOWED:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
