"""schemathesis against the API's own OpenAPI schema: every operation, with data it
generates from the schema (positive: valid requests; negative: invalid ones), as a
secretariat user with a read-write token on a factory plan. A server error (5xx) or a
response that does not fit the documented schema fails the test.

Bounded: ``EXAMPLES`` per operation and mode, derandomised (the same cases every run), so
the whole run stays well under a minute on two cores. The plan's slug is fixed (a random
slug is only ever 404); everything else is generated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from helhedsplan.accounts.models import User
from helhedsplan.api.api import api
from helhedsplan.plans.models import Plan
from tests.api.conftest import token_for

EXAMPLES = 12
# Generated bodies name criteria and activities that do not exist (422): these valid ones,
# drawn among the generated, take the writes through the services too.
VALID_BODIES = {
    "/api/v1/plans/{slug}/observations": {"criterion": "5.2.2", "area": "syd", "year": 2020,
                                         "value": "7.5", "narrative": "Fra API'et"},
    "/api/v1/plans/{slug}/registrations": {"activity": "lektiecafe", "area": "syd",
                                          "date": "2019-05-14", "counts": {"n_25_64_f": 3}},
}  # fmt: skip
OPERATIONS = sorted(
    (path, method.upper())
    for path, item in api.get_openapi_schema()["paths"].items()
    for method in item
)


@pytest.fixture
def api_schema(filled: Plan) -> Iterator[schemathesis.schemas.BaseSchema]:
    """The schema, loaded from the app through WSGI in this process (the test's database
    transaction: the factory plan is there). As Django's test client does, the request
    signals do not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_no_server_error(
    path: str,
    method: str,
    mode: GenerationMode,
    api_schema: schemathesis.schemas.BaseSchema,
    filled: Plan,
    persona: Callable[[str], User],
) -> None:
    operation = api_schema[path][method]
    headers = {"Authorization": f"Bearer {token_for(persona('secretariat'))}"}
    fixed = {"slug": filled.slug} if "{slug}" in path else None
    checks: list[CheckFunction] = [not_a_server_error]
    if mode == GenerationMode.POSITIVE:
        checks.append(response_schema_conformance)

    strategy = operation.as_strategy(generation_mode=mode, path_parameters=fixed)
    if mode == GenerationMode.POSITIVE and method == "POST" and path in VALID_BODIES:
        valid = operation.as_strategy(path_parameters=fixed, body=VALID_BODIES[path])
        strategy = strategy | valid

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case[Any]) -> None:
        case.call_and_validate(headers=headers, checks=checks)

    run()


def test_every_operation_is_exercised() -> None:
    """The list above is the schema's: a new endpoint is fuzzed without anyone adding it."""
    assert len(OPERATIONS) >= 17
