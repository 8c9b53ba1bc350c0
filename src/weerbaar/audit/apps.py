from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "weerbaar.audit"
    verbose_name = "Audittrail"
