"""Who calls the API, and on which plan with which rights.

Two ways in: a personal token (``Authorization: Bearer hp_...``, ``accounts.ApiToken``)
or the browser's session (Django's login; unsafe methods then need the CSRF token, as
every form does). Without either, or with an unknown, revoked or expired token: 401 with a
JSON body, never a redirect to the login page. On a plan the caller has the access the
pages give them (``accounts.access.get_plan_access``): no role on the plan answers 404, a
role without the permission 403. A read token is refused every write (403).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from helhedsplan.accounts import services as account_services
from helhedsplan.accounts.access import PlanAccess, get_plan_access
from helhedsplan.accounts.models import ApiToken, User


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: the token's user, with the token on the request."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = account_services.api_token_authenticate(token)
        if found is not None:
            # The pages' code (and the audit trail's actor) read the user from here.
            request.user = found.user
        return found


class SessionAuth(NinjaSessionAuth):
    """The browser's login, with Django's CSRF check on unsafe methods. Without a logged-in
    session there is nothing to check: 401, not a CSRF refusal."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


def caller(request: HttpRequest) -> User:
    """The authenticated user (the token's or the session's)."""
    auth: Any = getattr(request, "auth", None)
    return auth.user if isinstance(auth, ApiToken) else auth


def may_write(request: HttpRequest) -> bool:
    """A session may write (the pages decide what); a token only with read-write scope."""
    auth: Any = getattr(request, "auth", None)
    return not isinstance(auth, ApiToken) or auth.may_write


def plan_access(request: HttpRequest, slug: str, permission: str) -> PlanAccess:
    """The caller's access to the plan, as the pages decide it: Http404 without a role,
    PermissionDenied without ``permission`` (or when a read token asks to write)."""
    access = get_plan_access(caller(request), slug)
    access.require(permission)
    return access
