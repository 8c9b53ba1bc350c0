"""Weerbaar benchmarks: print `name value unit` lines and write benchmarks/results/latest.json.

Figures, never pass/fail on time. Run with `make bench`. Each list page is measured at a small and
a large size; the ratio of query counts must stay 1.0 (no N+1), time ratios show how a page scales.
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
    from django.test import Client

    from weerbaar.core.middleware import ACTIVE_ORGANISATION_SESSION_KEY

    pages = {"user_list": "/gebruikers", "audit_log": "/audittrail/", "access_review": "/beheer/toegangscontrole"}
    results: dict[str, Any] = {}
    for size in SIZES:
        organisation, admin = seed(size)
        client = Client()
        client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
        session = client.session
        session[ACTIVE_ORGANISATION_SESSION_KEY] = str(organisation.uuid)
        session.save()
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
    for key, (value, unit) in results.items():
        print(f"{key} {value} {unit}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(
        json.dumps({k: {"value": v, "unit": u} for k, (v, u) in results.items()}, indent=2), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
