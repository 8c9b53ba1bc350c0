"""Reads for the API and the API-key screens; each says which page or endpoint needs it."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from weerbaar.api.models import ApiToken
from weerbaar.core.models import Unit


def unit_list(*, active: bool | None = None, search: str = "") -> QuerySet[Unit]:
    """GET /api/v1/afdelingen: the bound organisation's units; the parent is joined for its uuid."""
    units = Unit.objects.select_related("parent")
    if active is not None:
        units = units.filter(is_active=active)
    if search:
        units = units.filter(Q(name__icontains=search) | Q(description__icontains=search))
    return units.order_by("name", "pk")


def api_token_list() -> QuerySet[ApiToken]:
    """The API-key list page: newest first, with the member and creator it names."""
    return ApiToken.objects.select_related("membership__user", "created_by").order_by("-created_at", "-pk")
