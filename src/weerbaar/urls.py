from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language

from weerbaar.core.policies import public
from weerbaar.core.views import errors

urlpatterns = [
    path("", include("weerbaar.core.urls")),
    path("", include("weerbaar.accounts.urls")),
    path("audittrail/", include("weerbaar.audit.urls")),
    path("catalogus/", include("weerbaar.catalogue.urls")),
    path("register/", include("weerbaar.register.urls")),
    path("", include("weerbaar.scans.urls")),
    path("", include("weerbaar.plan.urls")),
    path("", include("weerbaar.attention.urls")),
    path("", include("weerbaar.reports.urls")),
    path("", include("weerbaar.dashboards.urls")),
    path("api/v1/", include("weerbaar.api.urls")),
    path("beheer/", include("weerbaar.api.key_urls")),
    path("taal", public(set_language), name="set_language"),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
