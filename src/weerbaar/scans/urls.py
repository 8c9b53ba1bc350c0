"""/scans, /beoordelen and /resultaten: each area keeps its routes next to its views."""

from weerbaar.scans.views.manage import urlpatterns as manage_urls
from weerbaar.scans.views.rating import urlpatterns as rating_urls
from weerbaar.scans.views.ratings_export import urlpatterns as ratings_export_urls
from weerbaar.scans.views.results import urlpatterns as results_urls
from weerbaar.scans.views.review import urlpatterns as review_urls

app_name = "scans"

urlpatterns = [*manage_urls, *rating_urls, *review_urls, *ratings_export_urls, *results_urls]
