from django.urls import path

from weerbaar.accounts import views

app_name = "accounts"

urlpatterns = [
    path("inloggen", views.login_view, name="login"),
    path("inloggen/verificatie", views.login_verify, name="login_verify"),
    path("uitloggen", views.logout_view, name="logout"),
    path("mijn-beveiliging", views.security, name="security"),
    path("mijn-beveiliging/tweestapsverificatie", views.two_factor_enrol, name="two_factor_enrol"),
    path(
        "mijn-beveiliging/tweestapsverificatie/uitschakelen",
        views.two_factor_disable,
        name="two_factor_disable",
    ),
    path("mijn-beveiliging/herstelcodes", views.recovery_codes, name="recovery_codes"),
    path("mijn-beveiliging/herstelcodes/vernieuwen", views.recovery_codes_regenerate, name="recovery_codes_regenerate"),
    path("mijn-beveiliging/wachtwoord", views.password_change, name="password_change"),
    path("wachtwoord-vergeten", views.password_reset, name="password_reset"),
    path("wachtwoord-vergeten/verstuurd", views.password_reset_sent, name="password_reset_sent"),
    path("wachtwoord-herstellen/klaar", views.password_reset_complete, name="password_reset_complete"),
    path("wachtwoord-herstellen/<uidb64>/<reset_token>", views.password_reset_confirm, name="password_reset_confirm"),
]
