"""Every dashboard costs the same number of queries for a small and a much bigger organisation.

A query per row (an N+1) shows up as a difference between the two sizes, whatever the budget says.
Each budget counts the dashboard's own queries; the middleware's (session, user, membership, 2FA)
come on top (``middleware_queries``). With them, no dashboard may take more than ``PAGE_LIMIT``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from weerbaar.attention.models import ActivityKind, ActivityLog
from weerbaar.attention.tests.support import log, make_activity
from weerbaar.catalogue.models import Measure, MeasureScope
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, middleware_queries
from weerbaar.dashboards.models import MayorConsultation
from weerbaar.plan.models import MeasureStatus, PlannedMeasure
from weerbaar.register.models import Position, ScreeningLevel
from weerbaar.register.tests.support import make_process
from weerbaar.scans import services as scan_services
from weerbaar.scans.tests.results_support import bulk_results, scan_with_results
from weerbaar.scans.tests.support import make_scan
from weerbaar.testing.world import Tenant, World

pytestmark = pytest.mark.django_db

#: The issue's limit for a whole dashboard request, the middleware's queries included.
PAGE_LIMIT = 15
#: Mayor (newest consultation with its counts, first open agreements), capacity (allocations; the need
#: rides along with the unit counts), results (scans, heat map, top 10), plan (catalogue, lines),
#: training and screening (activities, unit counts, positions), contact people.
SECRETARIS_BUDGET = 12
#: Running scans, the review overview (characteristics, statuses, agreement), the plan's counts,
#: the five sources of the due list.
COORDINATOR_BUDGET = 10
#: Own processes (count, first few), ratings to do, own measures, own activities.
OWNER_BUDGET = 5
#: Latest report, external context.
READER_BUDGET = 2
#: Members, invitations, access reviews due, audit chain (the last full check, the head, the event the
#: check ended at, and the events since — or every event when there is no full check yet).
BEHEER_BUDGET = 7
#: Contact people, ratings to do, own measures, own activities.
EMPLOYEE_BUDGET = 4

BUDGETS = {
    "secretaris": SECRETARIS_BUDGET,
    "coordinator": COORDINATOR_BUDGET,
    "proceseigenaar": OWNER_BUDGET,
    "lezer": READER_BUDGET,
    "beheerder": BEHEER_BUDGET,
    "medewerker": EMPLOYEE_BUDGET,
    "vertrouwenspersoon": EMPLOYEE_BUDGET,
}

HOME = reverse("core:home")


def _queries(client: Client) -> tuple[int, str]:
    middleware_queries(client)  # takes any session write of the idle-timeout middleware
    cache.clear()  # the review overview caches its agreement: count it uncached at both sizes
    with CaptureQueriesContext(connection) as captured:
        response = client.get(HOME)
    assert response.status_code == 200
    return len(captured), body(response)


def seed_base(tenant: Tenant) -> dict[str, object]:
    """Two closed scans, one in review and one open; a consultation with the mayor; a training."""
    today = timezone.localdate()
    with tenant_scope(tenant.organisation):
        first = make_process(tenant, name="Eerste proces", owner=tenant.members["proceseigenaar"])
        previous = scan_with_results(tenant, [first], name="Scan 2025")
        current = scan_with_results(tenant, [first], name="Scan 2026")
        scan_with_results(tenant, [first], name="Scan in review", close=False)
        running = make_scan(tenant, processes=[first], name="Scan open")
        scan_services.scan_open(actor=None, scan=running, version=running.version)
        MayorConsultation.objects.create(
            organisation=tenant.organisation,
            held_on=today - dt.timedelta(days=40),
            topics="Weerbaarheid",
            next_on=today + dt.timedelta(days=20),
        )
        training = make_activity(tenant, "Training agressie", kind=ActivityKind.TRAINING)
        log(tenant, training, today - dt.timedelta(days=10), units=[tenant.units[0]])
    return {"scans": [current, previous], "training": training}


def grow(tenant: Tenant, seeded: dict[str, object], start: int, stop: int) -> None:
    """Processes ``start``..``stop`` with results, plan lines, positions and logs."""
    today = timezone.localdate()
    with tenant_scope(tenant.organisation):
        processes = bulk_results(tenant, seeded["scans"], start, stop)  # type: ignore[arg-type]
        measures = list(Measure.national_objects.filter(scope=MeasureScope.PROCESS, is_active=True).order_by("pk"))
        org_measures = list(
            Measure.national_objects.filter(scope=MeasureScope.ORGANISATION, is_active=True).order_by("pk")
        )
        statuses = list(MeasureStatus.values)
        owners = [tenant.members[role] for role in ("proceseigenaar", "medewerker", "vertrouwenspersoon")]
        lines = []
        for i, process in enumerate(processes, start=start):
            status = statuses[i % len(statuses)]
            implemented = status == MeasureStatus.IMPLEMENTED
            lines.append(
                PlannedMeasure(
                    organisation=tenant.organisation,
                    measure=measures[i % len(measures)],
                    process=process,
                    owner=owners[i % 3],
                    status=status,
                    due_date=today + dt.timedelta(days=i % 60 - 30),
                    rejection_reason="Te duur" if status == MeasureStatus.REJECTED else "",
                    implemented_on=today - dt.timedelta(days=40 * i) if implemented else None,
                    created_by=tenant.members["coordinator"],
                )
            )
        for i, measure in enumerate(org_measures[start // 2 : stop // 2]):
            status = statuses[i % len(statuses)]
            lines.append(
                PlannedMeasure(
                    organisation=tenant.organisation,
                    measure=measure,
                    owner=owners[i % 3],
                    status=status,
                    due_date=today + dt.timedelta(days=i % 40 - 20),
                    rejection_reason="Te duur" if status == MeasureStatus.REJECTED else "",
                    implemented_on=today - dt.timedelta(days=100 * i) if status == MeasureStatus.IMPLEMENTED else None,
                    reaches_all_units=True,
                    created_by=tenant.members["coordinator"],
                )
            )
        PlannedMeasure.cross_tenant_objects.bulk_create(lines)
        positions = Position.cross_tenant_objects.bulk_create(
            Position(
                organisation=tenant.organisation,
                name=f"Functie {i:03d}",
                unit=tenant.units[i % 2],
                screening_level=ScreeningLevel.VOG_NP,
                renewal_years=3,
                last_screening_on=None if i % 4 == 0 else today - dt.timedelta(days=300 * (i % 5)),
            )
            for i in range(start, stop)
        )
        entry = ActivityLog.objects.filter(activity=seeded["training"]).first()
        assert entry is not None
        entry.positions.add(*positions[::2])


@pytest.mark.parametrize("role", sorted(BUDGETS))
def test_every_dashboard_costs_the_same_for_a_small_and_a_big_organisation(world: World, role: str) -> None:
    seeded = seed_base(world.a)
    grow(world.a, seeded, 1, 10)
    client = world.client_for(role)
    small, _small_html = _queries(client)
    grow(world.a, seeded, 10, 200)
    large, large_html = _queries(client)
    assert small == large, f"{role}: {small} queries at 10 processes, {large} at 200"
    overhead = middleware_queries(client)
    assert large - overhead <= BUDGETS[role], f"{role}: {large - overhead} queries of its own, budget {BUDGETS[role]}"
    assert large <= PAGE_LIMIT, f"{role}: {large} queries for the whole request"
    if role == "secretaris":
        assert "Bulkproces" in large_html and "Top 10" in large_html
