"""import_observations <file>: the web import's all-or-nothing import, from the shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from helhedsplan.accounts.models import User
from helhedsplan.criteria import importing, services
from helhedsplan.plans.models import Plan


class Command(BaseCommand):
    help = "Importér observationer fra en XLSX- eller CSV-fil (alt eller intet)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--plan", default="slagelse", help="Planens korte navn")
        parser.add_argument("--approve", action="store_true", help="Godkend straks")
        parser.add_argument("--user", default="", help="Brugernavn, der står som registrant")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"Filen {path} findes ikke.")
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(f"Planen »{options['plan']}« findes ikke.")
        user = User.objects.filter(username=options["user"]).first() if options["user"] else None
        try:
            rows = importing.read_file(path.name, path.read_bytes())
            with tqdm(total=len(rows), desc="Kontrollerer", unit="række") as bar:
                count = services.observations_import(
                    plan=plan, rows=rows, user=user, approve=options["approve"],
                    file_name=path.name, progress=bar,
                )  # fmt: skip
        except services.ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Filen blev afvist ({len(exc.errors)} fejl). Intet er gemt."
            ) from exc
        self.stdout.write(self.style.SUCCESS(f"{count} observationer er importeret."))
