"""send_reminders: e-mail each user what became due or overdue for them since the last run.

Meant for a daily timer (README: the systemd timer). ``--dry-run`` prints who would get what
and sends and records nothing. A user whose mail the server refuses does not stop the
others; the command then names them and exits non-zero, and they are tried again next run.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from helhedsplan.notifications.reminders import reminders_send
from helhedsplan.plans.models import Plan


class Command(BaseCommand):
    help = "Send påmindelser pr. e-mail om det, der er blevet aktuelt eller overskredet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Vis hvem der ville få hvad; send intet"
        )
        parser.add_argument("--today", default="", help="Dagen at regne fra (ÅÅÅÅ-MM-DD)")
        parser.add_argument("--plan", default="", help="Kun denne plan (kortnavn)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = date.fromisoformat(options["today"]) if options["today"] else None
        except ValueError as exc:
            raise CommandError("--today skal være en dato, fx 2019-07-01") from exc
        slug = options["plan"]
        if slug and not Plan.objects.filter(slug=slug).exists():
            raise CommandError(f"Der findes ingen plan med kortnavnet »{slug}«.")
        run = reminders_send(
            today=today or timezone.localdate(),
            dry_run=options["dry_run"],
            plan_slug=slug,
            progress=self.stdout.write,
        )
        verb = "ville blive sendt" if run.dry_run else "sendt"
        self.stdout.write(
            f"Påmindelser: {len(run.sent)} {verb}, {run.nothing_new} uden nyt, "
            f"{len(run.invalid)} uden gyldig e-mailadresse, {len(run.failed)} fejlede."
        )
        if run.failed:
            names = ", ".join(f"{user.username} <{user.email}>" for user, _error in run.failed)
            raise CommandError(f"E-mailen kunne ikke sendes til: {names}")
