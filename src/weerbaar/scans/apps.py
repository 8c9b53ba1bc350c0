from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "weerbaar.scans"
    label = "scans"
    verbose_name = _("Scans")
