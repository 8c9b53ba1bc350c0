"""URLs of the role dashboards' own screens. Each views module lists its own routes (``urlpatterns``).

The dashboards themselves are the start page (``core:home``), which hands over to
``weerbaar.dashboards.views.home``.
"""

from weerbaar.dashboards.views import capacity, mayor, residual

app_name = "dashboards"

urlpatterns = [
    *mayor.urlpatterns,
    *capacity.urlpatterns,
    *residual.urlpatterns,
]
