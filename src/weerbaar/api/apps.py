from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "weerbaar.api"
    verbose_name = "API"

    def ready(self) -> None:
        # Registers the OpenAPI extension for the API-key authentication.
        from weerbaar.api import schema  # noqa: F401
