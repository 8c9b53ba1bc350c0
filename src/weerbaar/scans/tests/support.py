"""Helpers for the scans tests (not collected: no test_ prefix)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from weerbaar.register.tests.support import internal_circumstances, make_process
from weerbaar.scans import services
from weerbaar.scans.models import IMPACT_KEYS, Rating, Scan, ScanProcess
from weerbaar.testing.world import Tenant

LEVELS = {
    "belang-derden": 3,
    "samenwerking-partners": 1,
    "opdrachten-aannemers": 0,
    "klantcontact": 2,
    "geldstromen": 2,
    "gevoelige-gegevens": 1,
    "kritieke-dienstverlening": 1,
    "solistisch-werken": 2,
}
IMPACT = dict.fromkeys(IMPACT_KEYS, 3)


def make_scan(
    tenant: Tenant,
    *,
    processes: list[Any] | None = None,
    extra_roles: tuple[str, ...] = ("coordinator",),
    name: str = "Scan 2026",
    **fields: Any,
) -> Scan:
    """A draft scan; each process rated by its owner (the proceseigenaar) plus ``extra_roles``."""
    today = timezone.localdate()
    if processes is None:
        processes = [make_process(tenant, name="Evenementenvergunning"), make_process(tenant, name="Subsidies")]
    values: dict[str, Any] = {
        "period_start": dt.date(today.year, 1, 1),
        "period_end": dt.date(today.year, 12, 31),
        "deadline": today + dt.timedelta(days=14),
    }
    values.update(fields)
    return services.scan_create(
        actor=tenant.user("coordinator"),
        organisation=tenant.organisation,
        created_by=tenant.members["coordinator"],
        name=name,
        processes=processes,
        extra_raters=[tenant.members[role] for role in extra_roles],
        **values,
    )


def circumstance_uuids() -> set[str]:
    return {str(each.uuid) for each in internal_circumstances()}


def rate(
    rating: Rating,
    *,
    scores: Mapping[str, int] | None = None,
    impact: Mapping[str, int] | None = None,
    submit: bool = True,
    **extra: Any,
) -> Rating:
    scores = dict(LEVELS if scores is None else scores)
    return services.rating_save(
        actor=rating.rater.user,
        rater=rating.rater,
        rating=rating,
        version=rating.version,
        change=services.RatingChange(
            scores=scores,
            rationales={key: "Veel belang van derden" for key, level in scores.items() if level >= 3},
            impact=dict(IMPACT if impact is None else impact),
            **extra,
        ),
        submit=submit,
        allowed_circumstances=circumstance_uuids(),
    )


def reload(obj: Any) -> Any:
    return type(obj).cross_tenant_objects.get(pk=obj.pk)


def scan_processes(scan: Scan) -> list[ScanProcess]:
    return list(ScanProcess.cross_tenant_objects.filter(scan=scan).order_by("pk"))


def ratings_of(scan_process: ScanProcess) -> list[Rating]:
    return list(
        Rating.cross_tenant_objects.filter(scan_process=scan_process).select_related("rater__user").order_by("pk")
    )
