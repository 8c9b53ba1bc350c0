"""/api/v1: no trailing slashes (API Design Rules: /core/no-trailing-slash).

A path with a trailing slash is a 404 (problem+json), never a redirect: no route here ends with
a slash, so Django's APPEND_SLASH has nothing to redirect to (a test keeps it that way).
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from weerbaar.api import endpoints
from weerbaar.attention import api as attention_api
from weerbaar.catalogue import api as catalogue_api
from weerbaar.dashboards import api as dashboards_api
from weerbaar.plan import api as plan_api
from weerbaar.register import api as register_api
from weerbaar.reports import api as reports_api
from weerbaar.scans import api as scans_api

app_name = "api"

router = SimpleRouter(trailing_slash=False, use_regex_path=False)
router.register("afdelingen", endpoints.UnitViewSet, basename="afdeling")
router.register("auditgebeurtenissen", endpoints.AuditEventViewSet, basename="auditgebeurtenis")
router.register("kenmerken", catalogue_api.CharacteristicViewSet, basename="kenmerk")
router.register("procescategorieen", catalogue_api.CategoryViewSet, basename="procescategorie")
router.register("referentieprocessen", catalogue_api.ReferenceProcessViewSet, basename="referentieproces")
router.register("omstandigheden", catalogue_api.CircumstanceViewSet, basename="omstandigheid")
router.register("maatregelen", catalogue_api.MeasureViewSet, basename="maatregel")
router.register("processen", register_api.ProcessViewSet, basename="proces")
router.register("functies", register_api.PositionViewSet, basename="functie")
router.register("scans", scans_api.ScanViewSet, basename="scan")
router.register("beoordelingen", scans_api.RatingViewSet, basename="beoordeling")
router.register("resultaten", scans_api.ResultViewSet, basename="resultaat")
router.register("actieplan", plan_api.PlanLineViewSet, basename="actieplanregel")
router.register("activiteiten", attention_api.ActivityViewSet, basename="activiteit")
router.register("rapportages", reports_api.PublishedReportViewSet, basename="rapportage")

urlpatterns = [
    path("openapi.json", endpoints.OpenApiSchemaView.as_view(), name="openapi"),
    path("organisatie", endpoints.OrganisationView.as_view(), name="organisatie"),
    path("overzicht", dashboards_api.OverviewView.as_view(), name="overzicht"),
    *router.urls,
]
