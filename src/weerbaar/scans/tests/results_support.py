"""Helpers for the results tests (not collected: no test_ prefix)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils import timezone

from weerbaar.register.models import Process
from weerbaar.scans import services
from weerbaar.scans.models import Scan, ScanProcess
from weerbaar.scans.tests.support import LEVELS, make_scan, rate, ratings_of, reload, scan_processes
from weerbaar.testing.world import Tenant


def scan_with_results(
    tenant: Tenant,
    processes: Sequence[Process],
    *,
    name: str = "Scan 2026",
    scores: Mapping[int, Mapping[str, int]] | None = None,
    rater_scores: Mapping[tuple[int, str], Mapping[str, int]] | None = None,
    circumstances: Mapping[int, list[str]] | None = None,
    single_rater: bool = False,
    close: bool = True,
) -> Scan:
    """A scan through the real workflow: open, every rater hands in, review, bulk consensus, close.

    ``scores`` per process pk; ``rater_scores`` per (process pk, rater role) for a rater who differs
    (by at most 1, so the bulk consensus still accepts). ``close=False`` stops in review.
    """
    scan = make_scan(
        tenant,
        processes=list(processes),
        name=name,
        extra_roles=() if single_rater else ("coordinator",),
        allow_single_rater=single_rater,
    )
    scan = services.scan_open(actor=None, scan=scan, version=scan.version)
    for scan_process in scan_processes(scan):
        process_scores = dict((scores or {}).get(scan_process.process_id, LEVELS))
        for rating in ratings_of(scan_process):
            own = (rater_scores or {}).get((scan_process.process_id, rating.rater.roles[0]), process_scores)
            extra: dict[str, Any] = {}
            if circumstances and scan_process.process_id in circumstances:
                extra["circumstances"] = circumstances[scan_process.process_id]
            rate(rating, scores=own, **extra)
    scan = services.scan_start_review(actor=None, scan=reload(scan), version=reload(scan).version)
    services.consensus_accept_agreed(actor=None, by=None, scan=scan, version=scan.version)
    if close:
        scan = services.scan_close(actor=None, scan=reload(scan), version=reload(scan).version)
    return reload(scan)


def bulk_results(tenant: Tenant, scans: Sequence[Scan], start: int, stop: int) -> list[Process]:
    """Processes ``start``..``stop`` with a stored result in every scan of ``scans``, written directly.

    The query-count tests need sizes, not the rating workflow (the other tests go through it): the
    result fields are copied from a result the scoring model computed, with kans and impact varied.
    """
    template = ScanProcess.cross_tenant_objects.filter(scan=scans[0], vulnerability__isnull=False).first()
    assert template is not None
    template_process = template.process
    owners = [tenant.members[role] for role in ("proceseigenaar", "secretaris", "coordinator")]
    processes = Process.cross_tenant_objects.bulk_create(
        Process(
            organisation=tenant.organisation,
            code=f"B-{number:03d}",
            name=f"Bulkproces {number:03d}",
            category=template_process.category,
            unit=tenant.units[number % 2],
            owner=owners[number % 3],
        )
        for number in range(start, stop)
    )
    processes = list(Process.cross_tenant_objects.filter(code__in=[p.code for p in processes]).order_by("code"))
    rows = []
    for age, scan in enumerate(scans):
        for number, process in enumerate(processes, start=start):
            if age and number % 4 == 0:
                continue  # some processes are new in the later scan
            # Against an older scan: higher, equal or lower, by turns.
            vulnerability = float(20 + (number * 7) % 60 + age * (-6, 0, 6)[number % 3])
            rows.append(
                ScanProcess(
                    organisation=tenant.organisation,
                    scan=scan,
                    process=process,
                    consensus_scores=template.consensus_scores,
                    consensus_impact=template.consensus_impact,
                    single_rater=number % 3 == 0,
                    model_version=template.model_version,
                    vulnerability=vulnerability,
                    inherent_vulnerability=vulnerability,
                    likelihood=1 + number % 5,
                    impact=1 + (number // 5) % 5,
                    explanation=template.explanation,
                    computed_at=timezone.now(),
                    consensus_at=timezone.now(),
                )
            )
    ScanProcess.cross_tenant_objects.bulk_create(rows)
    return processes
