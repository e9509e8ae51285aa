"""``manage.py check_worker``: the deploy step (and the smoke test) that proves a task worker
takes tasks from the queue and finishes them."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django_tasks import TaskResultStatus

from helhedsplan.lib.tasks import worker_ping


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_runs_the_ping() -> None:
    result = worker_ping.enqueue("abc")
    assert result.status == TaskResultStatus.READY
    call_command("db_worker", batch=True, verbosity=0)  # what systemd's unit runs, once
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL  # type: ignore[comparison-overlap]
    assert result.return_value is not None and result.return_value["nonce"] == "abc"
    assert result.worker_ids


@pytest.mark.django_db
def test_no_worker_fails_the_check() -> None:
    with pytest.raises(CommandError, match="db_worker"):
        call_command("check_worker", timeout=0.3)


@pytest.mark.django_db
def test_a_worker_passes_the_check(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    out = io.StringIO()
    call_command("check_worker", timeout=5, stdout=out)
    assert "udførte prøveopgaven" in out.getvalue()
