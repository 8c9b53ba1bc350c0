"""/api/v1 scans endpoints: scans (progress), beoordelingen (one's own ratings) and resultaten.

Dutch camelCase names outside, model fields inside, as in ``weerbaar.api.serializers``.
"""

from weerbaar.scans.api.views import RatingViewSet, ResultViewSet, ScanViewSet

__all__ = ["RatingViewSet", "ResultViewSet", "ScanViewSet"]
