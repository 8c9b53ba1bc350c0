from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "weerbaar.plan"
    label = "plan"
    verbose_name = _("Actieplan")

    def ready(self) -> None:
        from weerbaar.plan.ownership import register_plan_ownership

        register_plan_ownership()
