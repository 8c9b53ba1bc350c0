from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "weerbaar.register"
    label = "register"
    verbose_name = _("Register")

    def ready(self) -> None:
        from weerbaar.register.services import register_process_ownership

        register_process_ownership()
