from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttentionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "weerbaar.attention"
    label = "attention"
    verbose_name = _("Aandacht levend houden")

    def ready(self) -> None:
        from weerbaar.attention.services.ownership import register_attention_ownership

        register_attention_ownership()
