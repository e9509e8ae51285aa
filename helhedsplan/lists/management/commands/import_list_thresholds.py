"""import_list_thresholds <file>: the staff page's import of national figures, from the shell.

The file (XLSX or CSV) has the columns ``listeår;nøgletal;værdi;kilde``; all or nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from helhedsplan.accounts.models import User
from helhedsplan.lists import services


class Command(BaseCommand):
    help = "Indlæs landstal for listerne (listeår;nøgletal;værdi;kilde) fra XLSX eller CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", default="", help="Brugernavn, der står som indtaster")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Filen {path} findes ikke.")
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Brugeren {options['user']} findes ikke.")
        try:
            count = services.list_thresholds_import(
                file=path.read_bytes(), name=path.name, user=user
            )
        except ValidationError as exc:
            raise CommandError("Intet er indlæst:\n" + "\n".join(exc.messages)) from None
        self.stdout.write(f"{count} landstal indlæst fra {path.name}.")
