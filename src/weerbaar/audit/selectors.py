from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from weerbaar.audit.models import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    who: str = ""
    action: str = ""
    object: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    result: str = ""


def audit_event_list(*, filters: AuditFilter) -> QuerySet[AuditEvent]:
    """The bound organisation's chain, newest first (the scoped manager picks the chain)."""
    events = AuditEvent.objects.all()
    if filters.who:
        events = events.filter(actor_label__icontains=filters.who)
    if filters.action:
        events = events.filter(action__istartswith=filters.action)
    if filters.object:
        events = events.filter(
            Q(object_label__icontains=filters.object)
            | Q(object_uuid__iexact=filters.object)
            | Q(object_type__icontains=filters.object)
        )
    if filters.result:
        events = events.filter(result=filters.result)
    if filters.date_from:
        events = events.filter(occurred_at__date__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(occurred_at__date__lte=filters.date_to)
    return events.order_by("-id")


def audit_action_names() -> list[str]:
    return list(AuditEvent.objects.order_by().values_list("action", flat=True).distinct())
