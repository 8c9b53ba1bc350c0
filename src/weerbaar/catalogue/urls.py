"""/catalogus: an entry's ref is a national key or the uuid of an own entry (``<slug:…_ref>``);
making an own version starts from a national key (``<slug:…_key>``)."""

from django.urls import path

from weerbaar.catalogue import views

app_name = "catalogue"

urlpatterns = [
    path("", views.catalogue_home, name="home"),
    path("versies", views.release_list, name="releases"),
    path("referentieprocessen", views.process_list, name="process_list"),
    path("referentieprocessen/nieuw", views.process_create, name="process_create"),
    path("referentieprocessen/<slug:process_ref>", views.process_detail, name="process_detail"),
    path("referentieprocessen/<slug:process_ref>/wijzigen", views.process_update, name="process_update"),
    path("referentieprocessen/<slug:process_ref>/archiveren", views.process_archive, name="process_archive"),
    path("referentieprocessen/<slug:process_key>/eigen-versie", views.process_own_version, name="process_own_version"),
    path("omstandigheden", views.circumstance_list, name="circumstance_list"),
    path("omstandigheden/nieuw", views.circumstance_create, name="circumstance_create"),
    path("omstandigheden/<slug:circumstance_ref>", views.circumstance_detail, name="circumstance_detail"),
    path("omstandigheden/<slug:circumstance_ref>/wijzigen", views.circumstance_update, name="circumstance_update"),
    path("omstandigheden/<slug:circumstance_ref>/archiveren", views.circumstance_archive, name="circumstance_archive"),
    path(
        "omstandigheden/<slug:circumstance_key>/eigen-versie",
        views.circumstance_own_version,
        name="circumstance_own_version",
    ),
    path("maatregelen", views.measure_list, name="measure_list"),
    path("maatregelen/nieuw", views.measure_create, name="measure_create"),
    path("maatregelen/<slug:measure_ref>", views.measure_detail, name="measure_detail"),
    path("maatregelen/<slug:measure_ref>/wijzigen", views.measure_update, name="measure_update"),
    path("maatregelen/<slug:measure_ref>/archiveren", views.measure_archive, name="measure_archive"),
    path("maatregelen/<slug:measure_key>/eigen-versie", views.measure_own_version, name="measure_own_version"),
]
