from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "weerbaar.core"
    verbose_name = "Kern"
