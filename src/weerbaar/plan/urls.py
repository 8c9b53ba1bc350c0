"""URLs of the action plan. Each views module lists its own routes (``urlpatterns``)."""

from weerbaar.plan.views import acceptance, measure, plan_list, proposals

app_name = "plan"

urlpatterns = [
    *proposals.urlpatterns,
    *measure.urlpatterns,
    *plan_list.urlpatterns,
    *acceptance.urlpatterns,
]
