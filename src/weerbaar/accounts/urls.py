from django.urls import path

from weerbaar.accounts import views

app_name = "accounts"

urlpatterns = [
    path("inloggen", views.login_view, name="login"),
    path("uitloggen", views.logout_view, name="logout"),
    path("mijn-beveiliging", views.security, name="security"),
]
