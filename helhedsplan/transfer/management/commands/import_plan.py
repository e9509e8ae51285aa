"""import_plan FILE --slug NEW: a plan export loaded as a new plan, all or nothing.

``--structure-only`` makes a new plan from the file's setup alone (areas, focus areas,
criteria, targets, activities, bodies, funding, the agreement as a new draft), without data.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from helhedsplan.transfer.services import plan_import


class Command(BaseCommand):
    help = "Importér en planeksport (ZIP) som en ny plan (alt eller intet)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="ZIP-filen fra export_plan")
        parser.add_argument("--slug", required=True, help="Den nye plans korte navn")
        parser.add_argument("--name", default="", help="Den nye plans navn (ellers filens)")
        parser.add_argument(
            "--structure-only",
            action="store_true",
            help="Kun planens struktur (opsætningen), uden data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Filen {path} findes ikke.")
        try:
            plan = plan_import(
                data=path.read_bytes(),
                slug=options["slug"],
                name=options["name"] or None,
                structure_only=options["structure_only"],
            )
        except ValidationError as exc:
            raise CommandError("Intet er importeret. " + " ".join(exc.messages)) from None
        what = "planens struktur" if options["structure_only"] else "planen"
        self.stdout.write(f"Importeret {what} som “{plan.name}” ({plan.slug}).")
