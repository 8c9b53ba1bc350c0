"""Weerbaar benchmarks: print `name value unit` lines and write benchmarks/results/latest.json.

Figures, never pass/fail on time. Run with `make bench`. Each list page is measured at a small and
a large size; the ratio of query counts must stay 1.0 (no N+1), time ratios show how a page scales.
The process register pages are measured at 10 and 1,000 processes, with the 50th and 95th
percentile of the server time over more requests; imports in `bench_import.py`, the scans (recompute,
rating, review and results pages) in `bench_scans.py`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "benchmarks" / "results"
SIZES = (10, 10_000)
REPEATS = 5
PROCESS_SIZES = (10, 1_000)
PROCESS_REPEATS = 40
#: The process pages; "{detail}" is the page of one process with three positions and three circumstances.
PROCESS_PAGES = {
    "process_list": "/register/processen",
    "process_list_sorted": "/register/processen?sorteer=eigenaar&archief=alle",
    "process_detail": "/register/processen/{detail}",
}


def setup_django() -> None:
    # Static files are not collected for a benchmark; WhiteNoise's warning about that is noise here.
    warnings.filterwarnings("ignore", message="No directory at")
    database = Path(tempfile.mkdtemp(prefix="weerbaar-bench-")) / "bench.sqlite3"
    if os.environ.get("WEERBAAR_PRODUCTION", "").lower() in {"1", "true", "yes", "on"}:
        raise SystemExit("De benchmarks draaien nooit tegen een productie-installatie.")
    # Always a fresh, temporary database: the benchmark seeds 20,000 users and writes audit rows in bulk.
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{database}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings")
    sys.path.insert(0, str(REPO / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)


def seed(size: int) -> tuple[Any, Any]:
    """An organisation with `size` members and `size` audit events, written in bulk."""
    from django.utils import timezone

    from weerbaar.audit.models import AuditChainHead, AuditEvent, chain_for
    from weerbaar.audit.services import GENESIS_HASH, compute_hash
    from weerbaar.core.models import Membership, Organisation, User
    from weerbaar.core.permissions import Role

    organisation = Organisation.objects.create(
        kind="gemeente",
        name=f"Gemeente Bank {size}",
        cbs_code=f"GM7{size % 1000:03d}"[:6],
        size_class="groot",
        two_factor_roles=[],  # the benchmark measures the page, not the enrolment redirect
    )
    users = User.objects.bulk_create(
        User(email=f"p{i}-{size}@bank.example", full_name=f"Persoon {i:05d}", password="!") for i in range(size)
    )
    due = timezone.now() + dt.timedelta(days=200)
    Membership.cross_tenant_objects.bulk_create(
        # bulk_create skips Membership.save(), which normally stores the next review date
        Membership(organisation=organisation, user=user, roles=[Role.MEDEWERKER], review_due_at=due)
        for user in users
    )
    admin = User.objects.create_user(email=f"beheerder-{size}@bank.example", password="x", full_name="Beheerder")
    Membership.cross_tenant_objects.create(organisation=organisation, user=admin, roles=[Role.BEHEERDER])

    chain, previous, events = chain_for(organisation.uuid), GENESIS_HASH, []
    for sequence in range(1, size + 1):
        event = AuditEvent(
            chain=chain,
            sequence=sequence,
            occurred_at=timezone.now(),
            organisation_uuid=organisation.uuid,
            organisation_name=organisation.name,
            actor_label=admin.email,
            action="unit.update",
            object_type="core.unit",
            object_label=f"Afdeling {sequence}",
            changes={"name": [f"oud {sequence}", f"nieuw {sequence}"]},
            prev_hash=previous,
        )
        event.hash = previous = compute_hash(event)
        events.append(event)
    AuditEvent.all_chains.bulk_create(events, batch_size=2000)
    AuditChainHead.objects.update_or_create(chain=chain, defaults={"sequence": size, "hash": previous})
    return organisation, admin


def seed_processes(size: int) -> tuple[Any, Any, Any]:
    """An organisation with `size` processes, written in bulk, each with what the pages show.

    Every process has a unit and a reference process, nine in ten an owner (a few of them no longer
    active), one to three positions and zero to three internal circumstances; one in twenty is
    archived and one in eight is carried out by a partner. Returns the organisation, a coordinator
    and the process the detail page shows (the same shape at every size).
    """
    from django.utils import timezone

    from weerbaar.catalogue.models import Circumstance, CircumstanceKind, ReferenceProcess
    from weerbaar.core.models import Membership, Organisation, Unit, User
    from weerbaar.core.permissions import Role
    from weerbaar.register.models import Executor, Position, Process

    organisation = Organisation.objects.create(
        kind="gemeente",
        name=f"Gemeente Register {size}",
        cbs_code=f"GM8{size % 1000:03d}"[:6],
        size_class="groot",
        two_factor_roles=[],
    )
    coordinator = User.objects.create_user(email=f"coordinator-{size}@register.example", password="x")
    Membership.cross_tenant_objects.create(organisation=organisation, user=coordinator, roles=[Role.COORDINATOR])
    users = User.objects.bulk_create(
        User(email=f"eigenaar{i}-{size}@register.example", full_name=f"Eigenaar {i:02d}", password="!")
        for i in range(40)
    )
    due = timezone.now() + dt.timedelta(days=200)
    owners = Membership.cross_tenant_objects.bulk_create(
        Membership(
            organisation=organisation,
            user=user,
            roles=[Role.PROCESEIGENAAR],
            is_active=i % 13 != 5,
            review_due_at=due,  # bulk_create skips Membership.save(), which normally stores it
        )
        for i, user in enumerate(users)
    )
    units = Unit.cross_tenant_objects.bulk_create(
        Unit(organisation=organisation, name=f"Afdeling {i:02d}") for i in range(15)
    )
    positions = Position.cross_tenant_objects.bulk_create(
        Position(organisation=organisation, name=f"Functie {i:02d}", unit=units[i % len(units)]) for i in range(30)
    )
    references = list(ReferenceProcess.national_objects.filter(is_active=True).select_related("category"))
    circumstances = list(Circumstance.national_objects.filter(kind=CircumstanceKind.INTERNAL, is_active=True))
    partners = [(Executor.ENVIRONMENT_SERVICE, "Omgevingsdienst"), (Executor.JOINT_ARRANGEMENT, "Werkbedrijf")]
    processes = []
    for i in range(size):
        reference = references[i % len(references)]
        executor, partner = partners[i % 2] if i % 8 == 7 else (Executor.OWN, "")
        processes.append(
            Process(
                organisation=organisation,
                code=f"P-{i + 1:04d}",
                name=f"{reference.name} {i:04d}",
                category=reference.category,
                unit=units[i % len(units)],
                owner=None if i % 10 == 9 else owners[i % len(owners)],
                reference_process=reference,
                yearly_volume=None if i % 6 == 5 else (i * 37) % 5_000,
                executor=executor,
                executor_name=partner,
                is_active=i % 20 != 19,
            )
        )
    processes = Process.cross_tenant_objects.bulk_create(processes, batch_size=500)
    position_links = Process.positions.through
    circumstance_links = Process.circumstances.through
    position_links.objects.bulk_create(
        (
            position_links(process_id=process.pk, position_id=positions[(i + k) % len(positions)].pk)
            for i, process in enumerate(processes)
            for k in range(3 if i == 0 else 1 + i % 3)
        ),
        batch_size=2000,
    )
    circumstance_links.objects.bulk_create(
        (
            circumstance_links(process_id=process.pk, circumstance_id=circumstances[(i + k) % len(circumstances)].pk)
            for i, process in enumerate(processes)
            for k in range(3 if i == 0 else i % 4)
        ),
        batch_size=2000,
    )
    return organisation, coordinator, processes[0]


def percentile(timings: list[float], share: int) -> float:
    return statistics.quantiles(timings, n=100, method="inclusive")[share - 1]


def measure_spread(client: Any, url: str, repeats: int) -> tuple[int, float, float, int]:
    """Query count, p50 and p95 of the time, and the status.

    The count is the lowest seen: the idle-timeout middleware saves the session when its last
    activity mark is 15 seconds old, which adds queries to an odd request at any size.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: compiled templates and caches are not what is measured
    timings: list[float] = []
    counts: set[int] = set()
    status = 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        counts.add(len(captured))
        status = response.status_code
    return min(counts), percentile(timings, 50), percentile(timings, 95), status


def logged_in(user: Any, organisation: Any) -> Any:
    from django.test import Client

    from weerbaar.core.middleware import ACTIVE_ORGANISATION_SESSION_KEY

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[ACTIVE_ORGANISATION_SESSION_KEY] = str(organisation.uuid)
    session.save()
    return client


def bench_processes(results: dict[str, Any]) -> bool:
    for size in PROCESS_SIZES:
        organisation, coordinator, detail = seed_processes(size)
        client = logged_in(coordinator, organisation)
        for name, url in PROCESS_PAGES.items():
            queries, p50, p95, status = measure_spread(client, url.format(detail=detail.uuid), PROCESS_REPEATS)
            if status != 200:
                print(f"{name} at n={size} answered HTTP {status}; the figures would be meaningless", file=sys.stderr)
                return False
            results[f"{name}_n{size}_queries"] = (queries, "queries")
            results[f"{name}_n{size}_p50"] = (round(p50, 1), "ms")
            results[f"{name}_n{size}_p95"] = (round(p95, 1), "ms")
    small, large = PROCESS_SIZES
    for name in PROCESS_PAGES:
        q_small, q_large = results[f"{name}_n{small}_queries"][0], results[f"{name}_n{large}_queries"][0]
        t_small, t_large = results[f"{name}_n{small}_p50"][0], results[f"{name}_n{large}_p50"][0]
        results[f"{name}_query_ratio"] = (round(q_large / max(q_small, 1), 2), "ratio")
        results[f"{name}_time_ratio"] = (round(t_large / max(t_small, 0.001), 2), "ratio")
    return True


def measure(client: Any, url: str) -> tuple[int, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries, status = [], 0, 0
    for _ in range(REPEATS):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        queries, status = len(captured), response.status_code
    return queries, statistics.median(timings), status


def main() -> int:
    setup_django()
    pages = {"user_list": "/gebruikers", "audit_log": "/audittrail/", "access_review": "/beheer/toegangscontrole"}
    results: dict[str, Any] = {}
    for size in SIZES:
        organisation, admin = seed(size)
        client = logged_in(admin, organisation)
        for name, url in pages.items():
            queries, millis, status = measure(client, url)
            if status != 200:
                print(f"{name} at n={size} answered HTTP {status}; the figures would be meaningless", file=sys.stderr)
                return 1
            results[f"{name}_n{size}_queries"] = (queries, "queries")
            results[f"{name}_n{size}_time"] = (round(millis, 1), "ms")
    small, large = SIZES
    for name in pages:
        q_small, q_large = results[f"{name}_n{small}_queries"][0], results[f"{name}_n{large}_queries"][0]
        t_small, t_large = results[f"{name}_n{small}_time"][0], results[f"{name}_n{large}_time"][0]
        results[f"{name}_query_ratio"] = (round(q_large / max(q_small, 1), 2), "ratio")
        results[f"{name}_time_ratio"] = (round(t_large / max(t_small, 0.001), 2), "ratio")
    if not bench_processes(results):
        return 1
    from bench_import import bench_import

    if not bench_import(results, seed_processes, logged_in):
        return 1
    from bench_scoring import bench_scoring

    bench_scoring(results)
    from bench_scans import bench_scans

    bench_scans(results, logged_in, measure_spread)
    from bench_plan import bench_plan

    bench_plan(results, logged_in, measure_spread)
    from bench_dashboards import bench_dashboards

    bench_dashboards(results, logged_in, measure_spread)
    __import__("bench_report").bench_report(results)  # the management report PDF (Veenhaven)
    for key, (value, unit) in results.items():
        print(f"{key} {value} {unit}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(
        json.dumps({k: {"value": v, "unit": u} for k, (v, u) in results.items()}, indent=2), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
