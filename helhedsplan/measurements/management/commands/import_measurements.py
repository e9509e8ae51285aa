"""import_measurements FILE --plan SLUG [--user USERNAME]: the page's import from the shell.

The same service as the page (``central_measurements_import``), all or nothing; a progress
bar on stderr while the values are written ("[#####     ] 50 % (500/1000 rækker)"), the
refusals on stderr with their row and column, and a summary on stdout.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO, cast

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from helhedsplan.accounts.models import User
from helhedsplan.measurements import services
from helhedsplan.plans.models import Plan


class ProgressBar:
    """A one-line bar redrawn with "\\r" (tqdm is not a dependency)."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream, self.width = stream, width
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        if done not in (0, total) and done % max(total // 100, 1):
            return  # at most about a hundred redraws
        filled = self.width * done // total
        percent = 100 * done // total
        self.stream.write(
            f"\r[{'#' * filled}{' ' * (self.width - filled)}] {percent} % ({done}/{total} rækker)"
        )
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = (
        "Indlæs Landsbyggefondens centrale målinger fra en XLSX- eller CSV-fil (alt eller intet)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--plan", required=True, help="Planens korte navn")
        parser.add_argument("--user", default="", help="Brugernavn, der står som den, der indlæste")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Filen {path} findes ikke.")
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(f"Planen »{options['plan']}« findes ikke.")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Brugeren »{options['user']}« findes ikke.")
        bar = ProgressBar(
            cast("TextIO", self.stderr._out)
        )  # the underlying stream: no newline per write
        try:
            result = services.central_measurements_import(
                plan=plan, file=path.read_bytes(), file_name=path.name, user=user, progress=bar
            )
        except ValidationError as exc:
            bar.close()
            for message in exc.messages:
                self.stderr.write(message)
            raise CommandError(
                f"Filen blev afvist ({len(exc.messages)} fejl). Intet er gemt."
            ) from exc
        bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.file_name}: {result.rows} rækker; {result.created} nye, "
                f"{result.updated} ændrede og {result.unchanged} uændrede værdier "
                f"({result.suppressed} diskretionerede)."
            )
        )
