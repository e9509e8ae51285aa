"""The REST API, version 1 (/api/v1/), on django-ninja.

Why ninja and not Django REST framework: the request and response schemas are typed
signatures and pydantic models, from which the OpenAPI 3 schema (/api/v1/openapi.json) and
the docs page (/api/v1/docs, Swagger UI served from our own static files) are generated, so
they cannot drift from the code; validation errors are structured (422 with the field); and
it is a small dependency beside Django's own views. The endpoints call the pages' selectors
and services with the pages' access rules (``accounts.access``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError

from helhedsplan.api import reads, views, writes
from helhedsplan.api.auth import SessionAuth, TokenAuth

api = NinjaAPI(
    title="Helhedsplan API",
    version="1",
    description=(
        "The plans a user has a role on, read and (drafts of observations, registrations) "
        "written with the user's own rights. Authenticate with a personal token "
        "(`Authorization: Bearer hp_...`, made on /min-profil/api-noegler/) or the browser's "
        "session. Lists take `limit` (at most 200) and `offset` and answer `count`."
    ),
    auth=[TokenAuth(), SessionAuth(csrf=True)],
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
# ``writes`` adds its operations to the reads' router (a path's GET and POST are one URL).
if writes.router is not reads.router:  # pragma: no cover
    raise RuntimeError("the write endpoints belong on the reads' router")
api.add_router("", reads.router)
api.add_router("", views.router)


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """No credentials, or a token that is unknown, revoked or expired: 401, not the login."""
    response = api.create_response(
        request, {"detail": "Log ind eller send en gyldig API-nøgle (Bearer)."}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="helhedsplan"'
    return response


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """The role lacks the page's permission, a read token asked to write: 403."""
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)


def service_errors(exc: ValidationError) -> list[dict[str, Any]]:
    """A service's refusal as the API's 422 body: each message with the field it is about
    (None: the whole request) and its code."""
    errors: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, items in exc.error_dict.items():
            name = None if field == NON_FIELD_ERRORS else field
            for item in items:
                for message in item.messages:
                    errors.append({"loc": ["body", name] if name else ["body"], "field": name,
                                   "msg": message, "type": item.code or "invalid"})  # fmt: skip
    else:
        for item in exc.error_list:
            for message in item.messages:
                errors.append({"loc": ["body"], "field": None, "msg": message,
                               "type": item.code or "invalid"})  # fmt: skip
    return errors


@api.exception_handler(ValidationError)
def refused(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": service_errors(exc)}, status=422)
