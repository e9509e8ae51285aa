"""apply_agreement_changes: apply the text changes of agreement versions that came into force.

Meant for a daily timer (systemd or cron, shortly after midnight): a version LBF approved
with a later ``in_force_from`` has its focus-area and criterion texts applied on that date.
Applying twice changes nothing. Targets need no run: the scorecard reads them by date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helhedsplan.agreements.changes import agreement_changes_apply


class Command(BaseCommand):
    help = "Gennemfør tekstændringer fra godkendte aftaleversioner, der er trådt i kraft."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default="", help="Dagen at regne fra (ÅÅÅÅ-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError("--date skal være en dato, fx 2019-07-01") from exc
        count = agreement_changes_apply(today=today)
        self.stdout.write(f"{count} ændring(er) gennemført.")
