from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from weerbaar.core.permissions import permissions_markdown


class Command(BaseCommand):
    help = "Write docs/permissions.md from the role table."

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(settings.REPO_DIR) / "docs" / "permissions.md"
        target.write_text(permissions_markdown(), encoding="utf-8")
        self.stdout.write(f"Geschreven: {target}")
