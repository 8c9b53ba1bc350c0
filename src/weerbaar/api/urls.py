"""/api/v1: no trailing slashes (API Design Rules: /core/no-trailing-slash).

A path with a trailing slash is a 404 (problem+json), never a redirect: no route here ends with
a slash, so Django's APPEND_SLASH has nothing to redirect to (a test keeps it that way).
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from weerbaar.api import endpoints

app_name = "api"

router = SimpleRouter(trailing_slash=False, use_regex_path=False)
router.register("afdelingen", endpoints.UnitViewSet, basename="afdeling")
router.register("auditgebeurtenissen", endpoints.AuditEventViewSet, basename="auditgebeurtenis")

urlpatterns = [
    path("openapi.json", endpoints.OpenApiSchemaView.as_view(), name="openapi"),
    path("organisatie", endpoints.OrganisationView.as_view(), name="organisatie"),
    *router.urls,
]
