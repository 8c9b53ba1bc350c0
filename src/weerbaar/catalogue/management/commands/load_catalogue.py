from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from weerbaar.catalogue.loader import CatalogueError, load_catalogue


class Command(BaseCommand):
    help = "Load the national catalogue (data/catalogue.yaml) into the database; idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="Another catalogue file (default: the one in the repository).")
        parser.add_argument("--database", default="default", help="Database alias (default: default).")
        parser.add_argument(
            "--force", action="store_true", help="Compare every row, even when the file was loaded unchanged before."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_catalogue(options["path"], using=options["database"], force=options["force"])
        except CatalogueError as exc:
            raise CommandError(str(exc)) from exc
        except FileNotFoundError as exc:
            raise CommandError(f"Het catalogusbestand bestaat niet: {exc.filename}") from exc
        self.stdout.write(self.style.SUCCESS(result.summary()) if result.applied else result.summary())
