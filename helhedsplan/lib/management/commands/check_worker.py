"""``manage.py check_worker``: is a task worker running? A deploy step, and the smoke test's."""

from __future__ import annotations

import secrets
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tasks import TaskResultStatus

from helhedsplan.lib.tasks import worker_ping


class Command(BaseCommand):
    help = (
        "Lægger en prøveopgave i køen og venter på, at en opgavearbejder (db_worker) "
        "udfører den. Afslutter med fejl, hvis ingen gør det inden for --timeout sekunder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--timeout", type=float, default=30.0, help="sekunder (30)")

    def handle(self, *args: Any, **options: Any) -> None:
        nonce = secrets.token_hex(8)
        result = worker_ping.enqueue(nonce)
        deadline = time.monotonic() + options["timeout"]
        while not result.is_finished and time.monotonic() < deadline:
            time.sleep(0.2)
            result.refresh()
        if result.status != TaskResultStatus.SUCCESSFUL:
            raise CommandError(
                f"Ingen opgavearbejder udførte prøveopgaven {result.id} inden for "
                f"{options['timeout']:g} sekunder (status {result.status}). Kører "
                "'manage.py db_worker'?"
            )
        answer = result.return_value or {}
        if answer.get("nonce") != nonce:
            raise CommandError(f"Prøveopgaven {result.id} svarede forkert: {answer!r}")
        self.stdout.write(
            f"Opgavearbejderen udførte prøveopgaven {result.id} på {answer['host']} "
            f"(proces {answer['pid']}, arbejder {', '.join(result.worker_ids)})."
        )
