"""Writes through /api/v1/: the registration forms' services, their validation (422 with
the field and the Danish message, nothing written), their access (a coordinator only in
their areas) and their audit entries (the token's user the actor). A read token writes
nothing (403)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.test import Client

from helhedsplan.accounts.models import User
from helhedsplan.activities.models import Registration
from helhedsplan.audit.models import AuditEntry
from helhedsplan.criteria.models import Observation
from helhedsplan.plans.models import Plan
from tests.api.conftest import TokenClient, body


def _post(client: Client, plan: Plan, what: str, data: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/plans/{plan.slug}/{what}", data, "application/json")


OBSERVATION = {"criterion": "5.2.2", "area": "syd", "year": 2021, "value": "7.5"}
REGISTRATION = {"activity": "lektiecafe", "area": "syd", "date": "2019-05-14",
                "counts": {"n_25_64_f": 3, "n_0_5_m": 2}, "volunteers": 1}  # fmt: skip


def _entries(model: type, pk: int) -> list[AuditEntry]:
    ct = ContentType.objects.get_for_model(model)
    return list(AuditEntry.objects.filter(content_type=ct, object_pk=str(pk)))


def test_an_observation_is_registered_as_a_draft_and_audited(
    filled: Plan, api_client: TokenClient, persona: Callable[[str], User]
) -> None:
    made = body(_post(api_client("secretariat"), filled, "observations", OBSERVATION), 201)
    assert (made["value"], made["state"], made["area"]) == ("7.5", "draft", "syd")
    obs = Observation.objects.get(pk=made["id"])
    assert obs.registered_by == persona("secretariat")
    (entry,) = _entries(Observation, obs.pk)
    assert entry.actor == persona("secretariat") and entry.plan_id == filled.pk


def test_a_bad_value_is_422_with_the_field_and_nothing_is_written(
    filled: Plan, api_client: TokenClient
) -> None:
    before = Observation.objects.count()
    client = api_client("secretariat")
    # The measure of 5.2.2 is a rate per 1000: a numerator without a denominator is refused.
    response = _post(client, filled, "observations", {**OBSERVATION, "value": "-5"})
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert errors and all(e["msg"] for e in errors)
    assert {e["field"] for e in errors} & {"value", None}
    unknown = _post(client, filled, "observations", {**OBSERVATION, "criterion": "9.9.9"})
    assert body(unknown, 422)["detail"][0] == {
        "loc": ["body", "criterion"], "field": "criterion", "msg": "Ukendt succeskriterium.",
        "type": "unknown",
    }  # fmt: skip
    malformed = _post(client, filled, "observations", {**OBSERVATION, "year": "x"})
    assert malformed.status_code == 422
    assert Observation.objects.count() == before


def test_a_coordinator_registers_only_in_their_areas(filled: Plan, api_client: TokenClient) -> None:
    client = api_client("coordinator")  # registers for "nord" only
    refused = _post(client, filled, "observations", OBSERVATION)
    assert refused.status_code == 422
    assert body(_post(client, filled, "observations", {**OBSERVATION, "area": "nord"}), 201)
    total = _post(client, filled, "observations", {**OBSERVATION, "area": None})
    assert total.status_code == 422  # the plan's total is the secretariat's
    refused = _post(client, filled, "registrations", REGISTRATION)
    assert refused.status_code == 422
    assert "not_allowed" in {e["type"] for e in refused.json()["detail"]}
    assert body(_post(client, filled, "registrations", {**REGISTRATION, "area": "nord"}), 201)


def test_roles_without_the_permission_are_403(filled: Plan, api_client: TokenClient) -> None:
    for role in ("board", "lbf", "auditor"):
        assert _post(api_client(role), filled, "observations", OBSERVATION).status_code == 403
        assert _post(api_client(role), filled, "registrations", REGISTRATION).status_code == 403


def test_a_read_token_writes_nothing(filled: Plan, api_client: TokenClient) -> None:
    before = (Observation.objects.count(), Registration.objects.count())
    client = api_client("secretariat", scope="read")
    assert _post(client, filled, "observations", OBSERVATION).status_code == 403
    assert _post(client, filled, "registrations", REGISTRATION).status_code == 403
    assert (Observation.objects.count(), Registration.objects.count()) == before
    assert client.get(f"/api/v1/plans/{filled.slug}/observations").status_code == 200


def test_a_registration_is_written_and_audited(
    filled: Plan, api_client: TokenClient, persona: Callable[[str], User]
) -> None:
    made = body(_post(api_client("secretariat"), filled, "registrations", REGISTRATION), 201)
    assert (made["participants"], made["year"], made["quarter"]) == (5, 2019, 2)
    registration = Registration.objects.get(pk=made["id"])
    assert registration.n_25_64_f == 3 and registration.volunteers == 1
    (entry,) = _entries(Registration, registration.pk)
    assert entry.actor == persona("secretariat")


def test_a_refused_registration_says_why_and_writes_nothing(
    filled: Plan, api_client: TokenClient
) -> None:
    before = Registration.objects.count()
    client = api_client("secretariat")
    outside = _post(client, filled, "registrations", {**REGISTRATION, "date": "1999-01-01"})
    assert body(outside, 422)["detail"][0]["type"] == "date_outside_plan"
    negative = _post(client, filled, "registrations", {**REGISTRATION, "volunteers": -1})
    assert negative.status_code == 422
    odd = _post(client, filled, "registrations", {**REGISTRATION, "counts": {"n_99": 1}})
    assert body(odd, 422)["detail"][0]["field"] == "counts"
    cpr = _post(client, filled, "registrations", {**REGISTRATION, "note": "Jens 010203-1234"})
    assert body(cpr, 422)["detail"][0]["field"] == "note"
    assert Registration.objects.count() == before
