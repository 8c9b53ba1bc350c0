from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from weerbaar.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the fictional demo organisations and users (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = load_demo()
        names = ", ".join(org.name for org in organisations)
        self.stdout.write(self.style.SUCCESS(f"Demo-gegevens staan klaar: {names}. Wachtwoord: {DEMO_PASSWORD}"))
