from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "weerbaar.dashboards"
    label = "dashboards"
    verbose_name = _("Overzichten per rol")

    def ready(self) -> None:
        from weerbaar.dashboards.ownership import register_dashboards_ownership

        register_dashboards_ownership()
