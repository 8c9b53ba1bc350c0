"""Reads behind /api/v1/beoordelingen (scans and results reuse the pages' selectors)."""

from __future__ import annotations

from django.db.models import QuerySet

from weerbaar.core.models import Membership
from weerbaar.scans.models import Rating, ScanState


def my_ratings(member: Membership) -> QuerySet[Rating]:
    """The member's own ratings, never anyone else's; a draft scan's ratings are not announced yet."""
    return (
        Rating.objects.filter(rater=member)
        .exclude(scan_process__scan__state=ScanState.DRAFT)
        .select_related("scan_process__scan", "scan_process__process")
        .order_by("-scan_process__scan__period_end", "scan_process__scan_id", "scan_process__process__name", "pk")
    )
