"""Beheer › API-sleutels: pages of the UI, mounted under /beheer/ (not under /api/v1)."""

from django.urls import path

from weerbaar.api import views

app_name = "api_keys"

urlpatterns = [
    path("api-sleutels", views.key_list, name="key_list"),
    path("api-sleutels/nieuw", views.key_create, name="key_create"),
    path("api-sleutels/<uuid:api_token_uuid>/intrekken", views.key_revoke, name="key_revoke"),
]
