"""Action plan benchmarks (issue 6): the what-if ranking for one process, and the plan pages at
10 vs 1,000 processes with five planned measures per process (5,000 at the large size).

- What-if: ``proposals_for`` for one process (every process measure of the catalogue scored as if
  implemented today), best of ten, in ms (goal ≤ 20 ms); the pure-Python part is printed apart.
- Pages, requested as the coordinator (who sees everything): the action plan, the due list, the
  attention overview (the indicator), "mijn maatregelen" and the proposals page: query counts at
  both sizes (goal: equal, ≤ 15) and p50/p95 server time at each size.

Figures only; nothing passes or fails. A page that does not answer 200 is skipped with a note.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable
from typing import Any

SIZES = (10, 1_000)
MEASURES_PER_PROCESS = 5
PAGE_REPEATS = 30
PAGES = (
    ("plan_list", "/actieplan"),
    ("plan_due_list", "/aandacht/te-doen"),
    ("plan_attention", "/aandacht"),
    ("plan_my_measures", "/mijn-maatregelen"),
    ("plan_proposals", "/maatregelen/voorstellen/{process}"),
)


def seed_plan(size: int) -> Any:
    """The scans benchmark's organisation (a closed scan with results for every process), plus five
    plan lines per process, spread over every status and over past and coming due dates, written in
    bulk (not audited)."""
    from bench_scans import seed_scans
    from django.utils import timezone

    from weerbaar.catalogue.models import Measure, MeasureScope
    from weerbaar.core.models import Membership
    from weerbaar.core.tenancy import tenant_scope
    from weerbaar.plan.models import MeasureStatus, PlannedMeasure
    from weerbaar.register.models import Process

    seeded = seed_scans(size, label="Plan", code_prefix="GM5")
    today = timezone.localdate()
    measures = list(Measure.national_objects.filter(scope=MeasureScope.PROCESS, is_active=True).order_by("pk"))
    statuses = list(MeasureStatus.values)
    with tenant_scope(seeded.organisation):
        members = list(Membership.objects.order_by("pk"))
        coordinator = next(m for m in members if m.user_id == seeded.coordinator.pk)
        rows = []
        for i, process in enumerate(Process.objects.order_by("pk")):
            for k in range(MEASURES_PER_PROCESS):
                status = statuses[(i + k) % len(statuses)]
                implemented = status == MeasureStatus.IMPLEMENTED
                rows.append(
                    PlannedMeasure(
                        organisation=seeded.organisation,
                        measure=measures[(i + k * 5) % len(measures)],
                        process=process,
                        owner=coordinator if (i + k) % 3 == 0 else members[1],
                        status=status,
                        due_date=today + dt.timedelta(days=(i * 7 + k * 11) % 120 - 40),
                        rejection_reason="Te duur" if status == MeasureStatus.REJECTED else "",
                        implemented_on=today - dt.timedelta(days=30 * ((i + k) % 40)) if implemented else None,
                        review_cadence_months=12,
                        created_by=coordinator,
                    )
                )
        PlannedMeasure.cross_tenant_objects.bulk_create(rows, batch_size=1000)
    return seeded


def bench_what_if(results: dict[str, Any], seeded: Any) -> None:
    from django.utils import timezone

    from weerbaar.core.tenancy import tenant_scope
    from weerbaar.plan.selectors.proposals import proposals_for

    today = timezone.localdate()
    with tenant_scope(seeded.organisation):
        best, count = float("inf"), 0
        for _ in range(10):
            start = time.perf_counter()
            found = proposals_for(seeded.organisation, seeded.process, today)
            best = min(best, time.perf_counter() - start)
            count = len(found.ranked)
    results["plan_what_if_ms"] = (round(best * 1000, 1), "ms")
    results["plan_what_if_measures"] = (count, "measures")
    results["plan_what_if_goal_ratio"] = (round(best * 1000 / 20, 2), "ratio")


def bench_plan(results: dict[str, Any], logged_in: Callable[..., Any], measure_spread: Callable[..., Any]) -> None:
    skipped: set[str] = set()
    for size in SIZES:
        seeded = seed_plan(size)
        if size == SIZES[-1]:
            bench_what_if(results, seeded)
        client = logged_in(seeded.coordinator, seeded.organisation)
        for name, pattern in PAGES:
            if name in skipped:
                continue
            url = pattern.format(process=seeded.process.uuid)
            queries, p50, p95, status = measure_spread(client, url, PAGE_REPEATS)
            if status != 200:
                print(f"{name}: {url} answered HTTP {status}; skipped", file=sys.stderr)
                skipped.add(name)
                continue
            results[f"{name}_n{size}_queries"] = (queries, "queries")
            results[f"{name}_n{size}_p50"] = (round(p50, 1), "ms")
            results[f"{name}_n{size}_p95"] = (round(p95, 1), "ms")
    small, large = SIZES
    for name, _pattern in PAGES:
        if name in skipped:
            continue
        ratio = results[f"{name}_n{large}_queries"][0] / max(results[f"{name}_n{small}_queries"][0], 1)
        results[f"{name}_query_ratio"] = (round(ratio, 2), "ratio")


if __name__ == "__main__":
    from run import logged_in, measure_spread, setup_django

    setup_django()
    figures: dict[str, Any] = {}
    bench_plan(figures, logged_in, measure_spread)
    for key, (value, unit) in figures.items():
        print(f"{key} {value} {unit}")
