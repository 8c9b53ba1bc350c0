"""The repeat scan on the results pages: the organisation's trend against the previous round."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Avg
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, middleware_queries
from weerbaar.register.tests.support import make_process
from weerbaar.scans.models import Scan, ScanProcess
from weerbaar.scans.selectors.results import result_scans
from weerbaar.scans.selectors.trend import previous_round, scan_trend
from weerbaar.scans.tests.results_support import bulk_results, scan_with_results
from weerbaar.scans.tests.support import reload
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

RESULTS = reverse("scans:results")


def _two_rounds(world: World, stop: int = 13) -> tuple[Scan, Scan]:
    """Scan 2025 and Scan 2026: one process rated alike in both, and bulk processes 1..stop-1 where
    (see ``bulk_results``) every fourth is new in 2026 and the others went up, stayed or went down by turns."""
    with tenant_scope(world.a.organisation):
        first = make_process(world.a, name="Eerste proces")
        previous = scan_with_results(world.a, [first], name="Scan 2025")
        current = scan_with_results(world.a, [first], name="Scan 2026")
        bulk_results(world.a, [current, previous], 1, stop)
    return previous, current


def _risk_counts(scan: Scan) -> dict[str, int]:
    """Processes per risk class, counted straight from kans × impact (the bands of the results page)."""
    counts = dict.fromkeys(("zeer-hoog", "hoog", "middel", "laag"), 0)
    for likelihood, impact in ScanProcess.cross_tenant_objects.filter(scan=scan).values_list("likelihood", "impact"):
        product = likelihood * impact
        key = "zeer-hoog" if product >= 20 else "hoog" if product >= 10 else "middel" if product >= 5 else "laag"
        counts[key] += 1
    return counts


def test_the_trend_counts_the_moves_the_classes_and_the_averages(world: World) -> None:
    previous, current = _two_rounds(world)
    coordinator = world.a.members["coordinator"]
    with tenant_scope(world.a.organisation):
        with CaptureQueriesContext(connection) as captured:
            trend = scan_trend(coordinator, current, result_scans(coordinator))
        assert len(captured) == 3  # the visible scans, then this scan's and the previous round's results
    assert trend is not None and trend.previous == previous
    # 1..12: 4, 8 and 12 are new; of the others 3, 6, 9 went up, 2, 5, 11 down, 1, 7, 10 (and the first) stayed.
    assert (trend.higher, trend.lower, trend.equal, trend.new, trend.dropped) == (3, 3, 4, 3, 0)
    assert (trend.processes_before, trend.processes_now) == (10, 13)
    for scan, average in ((previous, trend.average_before), (current, trend.average_now)):
        expected = ScanProcess.cross_tenant_objects.filter(scan=scan).aggregate(value=Avg("vulnerability"))["value"]
        assert average == pytest.approx(expected)
    assert {row.risk.key: row.before for row in trend.classes} == _risk_counts(previous)
    assert {row.risk.key: row.now for row in trend.classes} == _risk_counts(current)
    # A proceseigenaar's trend counts the own processes only (every third bulk process, and the first).
    owner = world.a.members["proceseigenaar"]
    with tenant_scope(world.a.organisation):
        own = scan_trend(owner, current, result_scans(owner))
    assert own is not None and own.processes_now == 1 + len(range(3, 13, 3))
    assert (own.higher, own.lower) == (3, 0)


def test_the_previous_round_is_the_starting_point_else_the_scan_closed_before() -> None:
    def scan(pk: int, day: int | None, state: str = "afgesloten", previous: int | None = None) -> Scan:
        closed = timezone.make_aware(dt.datetime(2026, 1, day)) if day else None
        return Scan(
            pk=pk,
            name=f"Scan {pk}",
            state=state,
            closed_at=closed,
            period_end=dt.date(2026, 1, 1),
            previous_scan_id=previous,
        )

    oldest, older, newest = scan(1, 1), scan(2, 2), scan(3, 3, previous=1)
    in_review = scan(4, None, state="review")
    scans = [in_review, newest, older, oldest]
    assert previous_round(newest, scans) == oldest  # its starting point
    assert previous_round(older, scans) == oldest  # the scan closed before it
    assert previous_round(in_review, scans) == newest  # a provisional result: the latest closed one
    assert previous_round(oldest, scans) is None
    # A starting point the member cannot see (not among their scans) falls back to the scan before.
    assert previous_round(newest, [newest, older]) == older


def test_the_results_page_shows_the_trend_and_the_process_page_the_change(world: World) -> None:
    previous, current = _two_rounds(world)
    client = world.client_for("secretaris")
    page = body(client.get(RESULTS))
    assert "Trend ten opzichte van Scan 2025" in page and "Vergeleken met de afgesloten scan daarvoor." in page
    assert "3 lager, 4 gelijk, 3 hoger; 3 processen nieuw in deze scan" in page
    assert "<dd>10 → 13</dd>" in page
    older = body(client.get(f"{RESULTS}?scan={previous.uuid}"))
    assert "Nog geen trend: er is geen eerdere afgesloten scan" in older
    with tenant_scope(world.a.organisation):
        Scan.cross_tenant_objects.filter(pk=current.pk).update(previous_scan=previous)
    assert "Deze scan is een herhaalscan met die scan als startpunt." in body(client.get(RESULTS))
    filtered = body(client.get(f"{RESULTS}?afdeling={world.a.units[1].uuid}"))
    assert "De cijfers gelden voor de gekozen afdeling, categorie of eigenaar." in filtered
    # Bulk process 2 went down by 6 points; 4 is new.
    with tenant_scope(world.a.organisation):
        went_down = ScanProcess.objects.get(scan=current, process__code="B-002")
        new = ScanProcess.objects.get(scan=current, process__code="B-004").process
    result_page = body(client.get(reverse("scans:process_result", kwargs={"process_uuid": went_down.process.uuid})))
    assert went_down.vulnerability is not None
    assert f"↓ 6 lager dan Scan 2025 (toen {round(went_down.vulnerability) + 6})" in result_page
    new_page = body(client.get(reverse("scans:process_result", kwargs={"process_uuid": new.uuid})))
    assert "eerste uitkomst: dit proces heeft geen eerdere afgesloten scan" in new_page


def test_the_results_page_with_a_trend_costs_the_same_for_10_and_60_processes(world: World) -> None:
    previous, current = _two_rounds(world, stop=10)
    with tenant_scope(world.a.organisation):
        Scan.cross_tenant_objects.filter(pk=current.pk).update(previous_scan=previous)
    clients = {role: world.client_for(role) for role in ("coordinator", "proceseigenaar")}

    def measure() -> dict[str, int]:
        counts = {}
        for role, client in clients.items():
            middleware_queries(client)
            with CaptureQueriesContext(connection) as captured:
                page = body(client.get(RESULTS))
            assert "Trend ten opzichte van Scan 2025" in page, role
            counts[role] = len(captured)
        return counts

    small = measure()
    with tenant_scope(world.a.organisation):
        bulk_results(world.a, [reload(current), previous], 10, 60)
    assert measure() == small
