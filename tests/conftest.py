"""Shared fixtures: test data from factories, personas per role, and the demo on request.

Two kinds of data:

- ``factory_plan`` (a small plan built with ``tests.factories``), ``persona(role)`` and
  ``factory_client_for(role)``: for every test of mechanics (permissions, forms, validation,
  imports, audit, concurrency, the CPR guard, files, rendering).
- ``demo_plan`` and ``demo_client_for(role)``: for tests about the seed's content (Motalavej,
  Ringparken, the budget, the seed's criteria, bodies and users). The demo is loaded into the
  test database the first time a test asks for it, once per worker; tests roll back their
  changes, so it stays as loaded.

``plan`` and ``client_for`` are the plan under test and its clients: the factory ones, or the
demo ones in a test marked ``demo`` (``pytestmark = pytest.mark.demo``, with the module
docstring saying why). ``pytest -m "not demo"`` runs the tests that do not need the demo.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client, override_settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from helhedsplan.accounts.models import Role, User
from helhedsplan.demo.loader import load_demo
from helhedsplan.plans.models import Plan
from tests import factories

# Property tests are not timed tests: on a loaded machine (CI, parallel workers) Hypothesis's
# timing checks fail tests that are correct. No deadline, no "too slow" health check.
hypothesis_settings.register_profile(
    "helhedsplan", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("helhedsplan")

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_SLUG = "slagelse"
DEMO_USERNAMES = {
    "secretariat": "sekretariat",
    "coordinator": "koordinator",
    "municipal": "kommune",
    "board": "bestyrelse",
    "lbf": "lbf",
    "auditor": "revisor",
}


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache. The caches are keyed by a plan's data version
    (``plans.versions``), which is never stale in a deployment, but a test's rolled-back
    transaction hands the next test the same plan ids and version counts (SQLite reuses the
    ids of rows rolled back), so a value cached by one test would be read by another."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _no_login_throttle(settings):  # type: ignore[no-untyped-def]
    # Throttling is tested on its own; elsewhere force_login is used and axes stays out.
    settings.AXES_ENABLED = False
    # The real hasher costs half a second per demo user; tests need no such strength.
    settings.PASSWORD_HASHERS = FAST_HASHER


@pytest.fixture(scope="session")
def django_db_modify_db_settings_xdist_suffix(request: pytest.FixtureRequest) -> None:
    """Each xdist worker gets its own test database: test_<name>_gw0 on PostgreSQL, and on
    SQLite its own file, test-helhedsplan_gw0.sqlite3 (the suffix before the extension, so
    the file still reads as an SQLite database). Threaded tests need the file: in memory,
    all threads would share one connection."""
    worker = getattr(request.config, "workerinput", {}).get("workerid")
    if not worker:
        return
    for db_settings in django_settings.DATABASES.values():
        test = db_settings.setdefault("TEST", {})
        if db_settings["ENGINE"] == "django.db.backends.sqlite3":
            if test.get("NAME") and test["NAME"] != ":memory:":
                path = Path(test["NAME"])
                test["NAME"] = str(path.with_name(f"{path.stem}_{worker}{path.suffix}"))
        else:
            test["NAME"] = f"{test.get('NAME') or 'test_' + db_settings['NAME']}_{worker}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A test marked ``demo`` loads the demo before its transaction begins (first of its
    # fixtures), so the load is committed once per worker and not rolled back with the test.
    for item in items:
        names = getattr(item, "fixturenames", None)
        if names is not None and {"demo_plan", "demo_client_for"} & set(names):
            item.add_marker(pytest.mark.demo)  # so that -m "not demo" leaves it out
        if item.get_closest_marker("demo") and names is not None and "_demo_loaded" not in names:
            names.insert(0, "_demo_loaded")
    # Browser and thread tests use transactional databases, which are emptied afterwards:
    # run them last (on each xdist worker too: every worker sorts the same collection), so
    # the tests before them find the demo as it was loaded, once.
    transactional = {"transactional_db", "live_server"}
    items.sort(
        key=lambda item: (
            item.get_closest_marker("browser") is not None
            or bool(transactional & set(getattr(item, "fixturenames", ())))
        )
    )


@pytest.fixture(scope="session")
def _demo_loaded(django_db_setup: None, django_db_blocker: Any) -> None:
    """Load the demo into this worker's test database once, outside any test's transaction."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        if not Plan.objects.filter(slug=DEMO_SLUG).exists():
            load_demo()


@pytest.fixture
def demo_plan(_demo_loaded: None, db: None) -> Plan:
    """The demo plan (Slagelse), for tests about the seed's content.

    A transactional test before this one may have emptied the database: load again then.
    """
    found = Plan.objects.filter(slug=DEMO_SLUG).first()
    return found if found is not None else load_demo()


@pytest.fixture
def demo_client_for(demo_plan: Plan) -> Callable[[str], Client]:
    """demo_client_for("secretariat") logs in the demo user with that role."""

    def make(role: str) -> Client:
        client = Client()
        if role == "anonymous":
            return client
        if role == "outsider":
            user, _ = User.objects.get_or_create(username="udenforstaaende")
        else:
            user = User.objects.get(username=DEMO_USERNAMES[role])
        client.force_login(user)
        return client

    return make


@pytest.fixture
def plan(request: pytest.FixtureRequest, db: None) -> Plan:
    """The plan under test: ``factory_plan``, or ``demo_plan`` in a test marked ``demo``."""
    return request.getfixturevalue("demo_plan" if _uses_demo(request) else "factory_plan")  # type: ignore[no-any-return]


@pytest.fixture
def client_for(request: pytest.FixtureRequest, db: None) -> Callable[[str], Client]:
    """A client per role on ``plan``: the personas, or the demo users in a ``demo`` test."""
    name = "demo_client_for" if _uses_demo(request) else "factory_client_for"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


def _uses_demo(request: pytest.FixtureRequest) -> bool:
    return request.node.get_closest_marker("demo") is not None


@pytest.fixture
def factory_plan(db: None) -> Plan:
    """A small plan built with factories: areas "nord" and "syd", focus area 5.1, a board."""
    return factories.small_plan(name="Fabriksplan", slug="fabrik")


@pytest.fixture
def persona(factory_plan: Plan) -> Callable[[str], User]:
    """persona("coordinator") is the user with that role on ``factory_plan``.

    Roles: the six of ``Role`` and "outsider" (a user with no role on the plan). The
    coordinator registers for area "nord" only.
    """

    def make(role: str) -> User:
        return factories.persona(factory_plan, role)

    return make


@pytest.fixture
def factory_client_for(persona: Callable[[str], User]) -> Callable[[str], Client]:
    """factory_client_for("board") is a client logged in as that persona ("anonymous": none)."""

    def make(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(persona(role))
        return client

    return make


@pytest.fixture
def other_plan(db: None) -> Plan:
    """A second plan in the same install, with a secretariat user of its own."""
    other = factories.PlanFactory(
        name="Anden plan",
        slug="anden",
        municipality=factories.MunicipalityFactory(name="Anden Kommune"),
        start_date="2019-01-01",
        end_date="2022-12-31",
        status=Plan.Status.DRAFT,
    )
    user = factories.UserFactory(username="andenbruger", first_name="", last_name="")
    factories.PlanMembershipFactory(user=user, plan=other, role=Role.SECRETARIAT)
    return other
