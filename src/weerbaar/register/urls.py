"""/register: the organisation's positions (functies) and its external context profile."""

from django.urls import path

from weerbaar.register import views

app_name = "register"

urlpatterns = [
    path("functies", views.position_list, name="position_list"),
    path("functies/nieuw", views.position_create, name="position_create"),
    path("functies/screening", views.screening_due, name="screening_due"),
    path("functies/<uuid:position_uuid>/wijzigen", views.position_update, name="position_update"),
    path("functies/<uuid:position_uuid>/archiveren", views.position_archive, name="position_archive"),
    path("functies/<uuid:position_uuid>/heractiveren", views.position_reactivate, name="position_reactivate"),
    path("context", views.context_profile, name="context"),
    path("context/opslaan", views.context_save, name="context_save"),
]
