from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CatalogueConfig(AppConfig):
    name = "weerbaar.catalogue"
    label = "catalogue"
    verbose_name = "Catalogus"

    def ready(self) -> None:
        # A migrated or flushed database (pytest-django's transactional tests flush, which sends
        # post_migrate) always gets the national catalogue back; the loader skips an unchanged file.
        post_migrate.connect(load_catalogue_after_migrate, sender=self, dispatch_uid="weerbaar.catalogue.load")


def load_catalogue_after_migrate(sender: AppConfig, *, using: str = "default", apps: Any = None, **kwargs: Any) -> None:
    from weerbaar.catalogue.loader import load_after_migrate

    load_after_migrate(using=using, state_apps=apps, verbosity=int(kwargs.get("verbosity", 1)))
