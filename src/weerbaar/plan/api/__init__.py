"""/api/v1/actieplan: the plan lines, read with need-to-know and changed through the audited services.

Dutch camelCase names outside, model fields inside, as in ``weerbaar.api.serializers``.
"""

from weerbaar.plan.api.views import PlanLineViewSet

__all__ = ["PlanLineViewSet"]
