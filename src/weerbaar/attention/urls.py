"""URLs of keeping attention alive. Each views module lists its own routes (``urlpatterns``)."""

from weerbaar.attention.views import activities, checklist, communication, due, preferences

app_name = "attention"

urlpatterns = [
    *checklist.urlpatterns,
    *activities.urlpatterns,
    *communication.urlpatterns,
    *due.urlpatterns,
    *preferences.urlpatterns,
]
