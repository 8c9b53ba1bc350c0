"""/api/v1 register endpoints: processen and functies, read and write through the audited services.

Dutch camelCase names outside, model fields inside (as in ``weerbaar.api.serializers``). Related
objects are named by their public id: afdelingen, functies and eigenaren (lidmaatschappen) by
uuid, categorieën by key, referentieprocessen and omstandigheden by their catalogue ``sleutel``.
Nothing is deleted: set ``actief`` to false to archive.
"""

from weerbaar.register.api.positions import PositionViewSet
from weerbaar.register.api.processes import ProcessViewSet

__all__ = ["PositionViewSet", "ProcessViewSet"]
