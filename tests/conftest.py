"""Shared fixtures: the demo plan, and one logged-in client per role (personas)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings

from helhedsplan.accounts.models import Membership, Role, User
from helhedsplan.demo.loader import load_demo
from helhedsplan.plans.models import Municipality, Plan


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _no_login_throttle(settings):  # type: ignore[no-untyped-def]
    # Throttling is tested on its own; elsewhere force_login is used and axes stays out.
    settings.AXES_ENABLED = False
    # The real hasher costs half a second per demo user; tests need no such strength.
    settings.PASSWORD_HASHERS = FAST_HASHER


FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """Load the demo plan once into the test database; each test rolls back its changes."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        load_demo()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Browser and thread tests use transactional databases, which are emptied afterwards:
    # run them last, so the tests before them keep the demo loaded once.
    transactional = {"transactional_db", "live_server"}
    items.sort(
        key=lambda item: (
            item.get_closest_marker("browser") is not None
            or bool(transactional & set(getattr(item, "fixturenames", ())))
        )
    )


@pytest.fixture
def plan(db: None) -> Plan:
    # A transactional test before this one may have emptied the database: load again then.
    found = Plan.objects.filter(slug="slagelse").first()
    return found if found is not None else load_demo()


@pytest.fixture
def other_plan(db: None) -> Plan:
    """A second plan in the same install, with a user of its own."""
    municipality = Municipality.objects.create(name="Anden Kommune")
    other = Plan.objects.create(
        name="Anden plan",
        slug="anden",
        municipality=municipality,
        start_date="2019-01-01",
        end_date="2022-12-31",
    )
    user = User.objects.create_user(username="andenbruger", password="x")
    Membership.objects.create(user=user, plan=other, role=Role.SECRETARIAT)
    return other


@pytest.fixture
def client_for(plan: Plan) -> Callable[[str], Client]:
    """client_for("secretariat") logs in the demo user with that role."""
    by_role = {
        "secretariat": "sekretariat",
        "coordinator": "koordinator",
        "municipal": "kommune",
        "board": "bestyrelse",
        "lbf": "lbf",
        "auditor": "revisor",
    }

    def make(role: str) -> Client:
        client = Client()
        if role == "anonymous":
            return client
        if role == "outsider":
            user, _ = User.objects.get_or_create(username="udenforstaaende")
        else:
            user = User.objects.get(username=by_role[role])
        client.force_login(user)
        return client

    return make
