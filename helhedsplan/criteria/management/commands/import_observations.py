"""import_observations <file>: the web import's all-or-nothing import, from the shell.

Prints the preview (rows to create, to change with old and new figure, unchanged) and then
writes, unless ``--dry-run``. Run from the shell by the operator, it may correct approved
figures like the secretariat, but only with ``--reason``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from helhedsplan.accounts.models import User
from helhedsplan.criteria import importing, services
from helhedsplan.plans.models import Plan


class Command(BaseCommand):
    help = "Importér observationer fra en XLSX- eller CSV-fil (alt eller intet)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--plan", default="", help="Planens korte navn (kan udelades, når der kun er én plan)"
        )
        parser.add_argument("--approve", action="store_true", help="Godkend straks")
        parser.add_argument("--user", default="", help="Brugernavn, der står som registrant")
        parser.add_argument(
            "--reason", default="", help="Begrundelse; kræves, når filen retter godkendte tal"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Vis kun, hvad filen ville ændre"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"Filen {path} findes ikke.")
        plan = _plan(options["plan"])
        user = User.objects.filter(username=options["user"]).first() if options["user"] else None
        arguments = {"plan": plan, "approve": options["approve"], "reason": options["reason"],
                     "may_correct_approved": True}  # fmt: skip
        try:
            rows = importing.read_file(path.name, path.read_bytes())
            with tqdm(total=len(rows), desc="Kontrollerer", unit="række") as bar:
                preview = services.observations_import_preview(
                    rows=rows, progress=bar, file_name=path.name, **arguments
                )
            self._print(preview)
            if options["dry_run"]:
                self.stdout.write("Prøvekørsel (--dry-run): intet er gemt.")
                return
            count = services.observations_import(
                rows=rows, user=user, file_name=path.name,
                expected_fingerprint=preview.fingerprint, **arguments,
            )  # fmt: skip
        except services.ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"Filen blev afvist ({len(exc.errors)} fejl). Intet er gemt."
            ) from exc
        except services.ImportChanged as exc:
            raise CommandError(
                "Data blev ændret under importen. Intet er gemt; prøv igen."
            ) from exc
        except ValidationError as exc:  # e.g. a closed plan (code plan_closed)
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"{count} observationer er importeret."))

    def _print(self, preview: services.ImportPlan) -> None:
        for r in preview.changed:
            note = " (rettelse af godkendt tal)" if r.correction else ""
            if r.text_changes:
                note += f"; ændrer også {r.text_changes}"
            self.stdout.write(
                f"Række {r.line}: {r.code} {r.where}: {r.old_display} ({r.old_state_label}) -> "
                f"{r.new_display} ({r.state_label}){note}"
            )
        for r in preview.created:
            self.stdout.write(f"Række {r.line}: {r.code} {r.where}: ny, {r.new_display}")
        self.stdout.write(
            f"{len(preview.created)} nye, {len(preview.changed)} ændrede, "
            f"{len(preview.unchanged)} uændrede rækker."
        )


def _plan(slug: str) -> Plan:
    """The plan named, or the install's only plan; never a guess among several."""
    if slug:
        plan = Plan.objects.filter(slug=slug).first()
        if plan is None:
            raise CommandError(f"Planen »{slug}« findes ikke.")
        return plan
    plans = list(Plan.objects.order_by("slug")[:2])
    if len(plans) != 1:
        raise CommandError(
            "Angiv planen med --plan (der er flere planer)." if plans else "Der er ingen planer."
        )
    return plans[0]
