"""URLs of the management report. Each views module lists its own routes (``urlpatterns``)."""

from weerbaar.reports.views import preview, published

app_name = "reports"

urlpatterns = [
    *preview.urlpatterns,
    *published.urlpatterns,
]
