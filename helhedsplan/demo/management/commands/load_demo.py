from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from helhedsplan.accounts.views import DEMO_PASSWORD, DEMO_USERNAMES
from helhedsplan.demo.loader import load_demo


class Command(BaseCommand):
    help = "Indlæser Slagelse-demoplanen fra aftalen (kan køres flere gange uden ændringer)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Indlæs også når DEBUG=0 (demobrugerne kan da ikke logge ind med demo-koden).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_LOGIN_ALLOWED and not options["force"]:
            raise CommandError(
                "Demoen indlæses ikke i produktion (DEBUG=0): den opretter brugere med en "
                "offentlig adgangskode. Brug --force for at indlæse demodata alligevel."
            )
        plan = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demoplanen '{plan.name}' ({plan.slug}) er indlæst."))
        if not settings.DEMO_LOGIN_ALLOWED:
            self.stdout.write(
                f"DEBUG=0: adgangskoden '{DEMO_PASSWORD}' afvises ved login. Giv demobrugerne "
                "rigtige adgangskoder i /admin/, hvis de skal bruges."
            )
            return
        self.stdout.write(f"Demo-logins (adgangskode: {DEMO_PASSWORD}):")
        for username, role in DEMO_USERNAMES.items():
            self.stdout.write(f"  {username:<12} {role.label}")
