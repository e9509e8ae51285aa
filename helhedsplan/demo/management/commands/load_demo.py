from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from helhedsplan.accounts.views import DEMO_PASSWORD, DEMO_USERNAMES
from helhedsplan.demo.loader import load_demo


class Command(BaseCommand):
    help = "Indlæser Slagelse-demoplanen fra aftalen (kan køres flere gange uden ændringer)."

    def handle(self, *args: Any, **options: Any) -> None:
        plan = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demoplanen '{plan.name}' ({plan.slug}) er indlæst."))
        self.stdout.write(f"Demo-logins (adgangskode: {DEMO_PASSWORD}):")
        for username, role in DEMO_USERNAMES.items():
            self.stdout.write(f"  {username:<12} {role.label}")
