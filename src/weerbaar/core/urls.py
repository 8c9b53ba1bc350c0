from django.urls import path

from weerbaar.core.views import pages

app_name = "core"

urlpatterns = [
    path("", pages.home, name="home"),
    path("organisatie/wisselen", pages.switch_organisation, name="switch_organisation"),
    path("toegankelijkheid", pages.accessibility_statement, name="accessibility"),
    path(".well-known/security.txt", pages.security_txt, name="security_txt"),
]
