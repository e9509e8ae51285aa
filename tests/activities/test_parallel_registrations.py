"""Twenty people registering at the same moment: twenty rows, the right sum, no 500.

On SQLite 13 of 20 parallel registrations answered 500 ("database is locked"): a deferred
transaction reads, then cannot upgrade to a write lock held by another. settings.py opens
SQLite in WAL mode with IMMEDIATE transactions and a busy timeout, so writers queue.

Real threads, each on its own database connection, against the file-backed test database
(SQLite: settings give the test database a file; PostgreSQL when DATABASE_URL points there,
as the second run of ``make test`` does). Transactional, so every write is really committed.
"""

from __future__ import annotations

import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from helhedsplan.accounts.access import get_plan_access
from helhedsplan.accounts.models import User
from helhedsplan.activities import services
from helhedsplan.activities.models import Activity, Registration
from helhedsplan.plans.models import HousingArea, Plan
from tests.activities.conftest import DAY, registrar

N = 20
NOTE = "Parallel registrering"


def _in_parallel(work: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run ``work(i)`` for i in 0..N-1 on N threads released at the same instant."""
    barrier = threading.Barrier(N)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(i: int) -> None:
        try:
            barrier.wait()
            result = work(i)
            with lock:
                results.append(result)
        except BaseException as exc:  # collected and asserted in the main thread
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _written(plan: Plan) -> tuple[int, int]:
    rows = Registration.objects.filter(plan=plan, note=NOTE)
    return rows.count(), sum(rows.values_list("participants", flat=True))


def test_the_test_database_is_a_file_not_memory(db: None) -> None:
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        assert "memory" not in name and name.endswith(".sqlite3")
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
        assert settings.DATABASES["default"]["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


@pytest.mark.demo  # not yet on factories: needs the seed's activities, areas and coordinator
@pytest.mark.slow
def test_parallel_registrations_through_the_service(transactional_db: None, plan: Plan) -> None:
    user = User.objects.get(username="sekretariat")
    activity = Activity.objects.get(plan=plan, slug="idraetspartnerskaber")
    area = HousingArea.objects.get(plan=plan, slug="sydbyen")

    def register(i: int) -> int:
        access = get_plan_access(user, plan.slug)
        registration = services.registration_create(
            **registrar(access),
            user=user,
            activity=activity,
            area=area,
            date=DAY,
            counts={"n_13_17_f": i + 1},
            note=NOTE,
        )
        return registration.pk

    results, errors = _in_parallel(register)
    assert not errors, errors
    assert len(set(results)) == N
    assert _written(plan) == (N, N * (N + 1) // 2)


@pytest.mark.demo  # not yet on factories: needs the seed's activities, areas and coordinator
@pytest.mark.slow
def test_parallel_registrations_over_http(live_server: Any, plan: Plan) -> None:
    """The reported case: the registration form posted by 20 browsers at once."""
    login = Client()
    login.force_login(User.objects.get(username="sekretariat"))
    session = login.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
    activity = Activity.objects.get(plan=plan, slug="idraetspartnerskaber")
    area = HousingArea.objects.get(plan=plan, slug="sydbyen")
    url = live_server.url + reverse("activities:registration_create", args=[plan.slug])

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)

    def post(i: int) -> int:
        body = urllib.parse.urlencode({
            "csrfmiddlewaretoken": csrf,
            "activity": activity.pk,
            "area": area.pk,
            "date": DAY.isoformat(),
            "n_13_17_m": i + 1,
            "volunteers": 0,
            "note": NOTE,
        }).encode()  # fmt: skip
        request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310
        cookie = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"
        request.add_header("Cookie", cookie)
        try:
            with opener.open(request, timeout=60) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code

    statuses, errors = _in_parallel(post)
    assert not errors, errors
    assert sorted(statuses) == [302] * N, statuses
    assert _written(plan) == (N, N * (N + 1) // 2)
