"""Background tasks of the shared layer (django-tasks, run by ``manage.py db_worker``)."""

from __future__ import annotations

import os
import socket

from django_tasks import task


@task()
def worker_ping(nonce: str) -> dict[str, str | int]:
    """Answers with ``nonce`` and where it ran: ``manage.py check_worker`` waits for it to
    prove that a task worker takes tasks from the queue and finishes them."""
    return {"nonce": nonce, "host": socket.gethostname(), "pid": os.getpid()}
