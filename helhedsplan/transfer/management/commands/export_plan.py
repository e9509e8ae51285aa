"""export_plan SLUG FILE: the whole plan, its data, files and audit trail, in one ZIP.

The same file the secretariat downloads from the plan page (the "plan-eksport" exporter);
also the backup of one plan. The format: docs/plan-export-format.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from helhedsplan.plans.models import Plan
from helhedsplan.transfer.services import plan_export


class Command(BaseCommand):
    help = "Eksportér en hel plan (data, filer og revisionsspor) til én ZIP-fil."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="Planens korte navn")
        parser.add_argument("file", type=Path, help="ZIP-filen, der skrives")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.filter(slug=options["slug"]).first()
        if plan is None:
            raise CommandError(f"Der findes ingen plan med det korte navn “{options['slug']}”.")
        data = plan_export(plan)
        path: Path = options["file"]
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Kunne ikke skrive {path}: {exc.strerror}") from None
        self.stdout.write(f"Planen “{plan.name}” er eksporteret til {path} ({len(data)} bytes).")
