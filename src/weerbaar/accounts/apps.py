from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "weerbaar.accounts"
    verbose_name = "Inloggen en accounts"
