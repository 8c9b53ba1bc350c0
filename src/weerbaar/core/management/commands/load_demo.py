from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from weerbaar.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the fictional demo organisations and users (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--ook-in-productie",
            action="store_true",
            help="Laad de demo ook als WEERBAAR_PRODUCTION aan staat (alleen voor een afgeschermde demo-omgeving).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["ook_in_productie"]:
            # The demo accounts have a published password and no mandatory second factor.
            raise CommandError(
                "Dit is een productie-installatie: de demo-accounts hebben een openbaar wachtwoord. "
                "Gebruik --ook-in-productie alleen voor een afgeschermde demo-omgeving."
            )
        organisations = load_demo()
        names = ", ".join(org.name for org in organisations)
        self.stdout.write(self.style.SUCCESS(f"Demo-gegevens staan klaar: {names}. Wachtwoord: {DEMO_PASSWORD}"))
