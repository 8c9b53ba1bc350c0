"""Dashboard benchmarks (the start page per role): each dashboard at 10 and 1,000 processes.

The organisation of the scans benchmark (a closed scan with results for every process, one in
review, one open), plus two plan lines per process over every status, a lezer and a beheerder.
Each role's start page ("/") is requested as a member of that role: the query count at both sizes
(goal: equal, at most 15 of the dashboard's own) and the p50/p95 server time.

Figures only; nothing passes or fails. A page that does not answer 200 is skipped with a note.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import Any

SIZES = (10, 1_000)
LINES_PER_PROCESS = 2
PAGE_REPEATS = 30
RESIDUAL_URL = "/overzicht/restrisico"
ROLES = ("secretaris", "coordinator", "proceseigenaar", "lezer", "beheerder", "medewerker", "vertrouwenspersoon")


def seed_dashboards(size: int) -> tuple[Any, dict[str, Any]]:
    """The organisation and a user per role."""
    from bench_scans import seed_scans
    from django.utils import timezone

    from weerbaar.catalogue.models import Measure, MeasureScope
    from weerbaar.core.models import Membership, User
    from weerbaar.core.permissions import Role
    from weerbaar.core.tenancy import tenant_scope
    from weerbaar.plan.models import MeasureStatus, PlannedMeasure
    from weerbaar.register.models import Process

    seeded = seed_scans(size, label="Overzicht", code_prefix="GM4")
    organisation = seeded.organisation
    today = timezone.localdate()
    measures = list(Measure.national_objects.filter(scope=MeasureScope.PROCESS, is_active=True).order_by("pk"))
    statuses = list(MeasureStatus.values)
    for role in (Role.LEZER, Role.BEHEERDER):
        user = User.objects.create_user(email=f"{role}-{size}@overzicht.example", password="x", full_name=str(role))
        Membership.cross_tenant_objects.create(organisation=organisation, user=user, roles=[role])
    with tenant_scope(organisation):
        members = {member.roles[0]: member for member in Membership.objects.select_related("user")}
        rows = []
        for i, process in enumerate(Process.objects.order_by("pk")):
            for k in range(LINES_PER_PROCESS):
                status = statuses[(i + k) % len(statuses)]
                rows.append(
                    PlannedMeasure(
                        organisation=organisation,
                        measure=measures[(i + k * 5) % len(measures)],
                        process=process,
                        owner=members[Role.PROCESEIGENAAR if k else Role.MEDEWERKER],
                        status=status,
                        due_date=today + dt.timedelta(days=(i * 7 + k * 11) % 120 - 40),
                        rejection_reason="Te duur" if status == MeasureStatus.REJECTED else "",
                        implemented_on=today - dt.timedelta(days=30 * ((i + k) % 40))
                        if status == MeasureStatus.IMPLEMENTED
                        else None,
                        review_cadence_months=12,
                        created_by=members[Role.COORDINATOR],
                    )
                )
        PlannedMeasure.cross_tenant_objects.bulk_create(rows, batch_size=1000)
    return organisation, {role: member.user for role, member in members.items()}


def bench_dashboards(
    results: dict[str, Any], logged_in: Callable[..., Any], measure_spread: Callable[..., Any]
) -> None:
    skipped: set[str] = set()
    for size in SIZES:
        organisation, users = seed_dashboards(size)
        for role in ROLES:
            name = f"dashboard_{role}"
            if name in skipped or role not in users:
                continue
            queries, p50, p95, status = measure_spread(logged_in(users[role], organisation), "/", PAGE_REPEATS)
            if status != 200:
                print(f"{name}: / answered HTTP {status}; skipped", file=sys.stderr)
                skipped.add(name)
                continue
            results[f"{name}_n{size}_queries"] = (queries, "queries")
            results[f"{name}_n{size}_p50"] = (round(p50, 1), "ms")
            results[f"{name}_n{size}_p95"] = (round(p95, 1), "ms")
        # The secretaris' top 10 with today's residual risk, which the start page loads right after.
        client = logged_in(users["secretaris"], organisation)
        queries, p50, p95, status = measure_spread(client, RESIDUAL_URL, PAGE_REPEATS)
        if status == 200:
            results[f"dashboard_residual_now_n{size}_queries"] = (queries, "queries")
            results[f"dashboard_residual_now_n{size}_p50"] = (round(p50, 1), "ms")
            results[f"dashboard_residual_now_n{size}_p95"] = (round(p95, 1), "ms")
    small, large = SIZES
    for role in ROLES:
        name = f"dashboard_{role}"
        if f"{name}_n{large}_queries" not in results:
            continue
        ratio = results[f"{name}_n{large}_queries"][0] / max(results[f"{name}_n{small}_queries"][0], 1)
        results[f"{name}_query_ratio"] = (round(ratio, 2), "ratio")


if __name__ == "__main__":
    from run import logged_in, measure_spread, setup_django

    setup_django()
    figures: dict[str, Any] = {}
    bench_dashboards(figures, logged_in, measure_spread)
    for key, (value, unit) in figures.items():
        print(f"{key} {value} {unit}")
