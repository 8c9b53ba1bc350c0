"""/api/v1/scans and /api/v1/resultaten: progress for scans.view, results on a need-to-know basis."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from weerbaar.api.services import api_token_create
from weerbaar.api.tests.utils import assert_problem, auth
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import events
from weerbaar.register.models import Process
from weerbaar.register.tests.support import make_process
from weerbaar.scans import services
from weerbaar.scans.models import Scan, ScanState
from weerbaar.scans.tests.support import make_scan, rate, ratings_of, reload, scan_processes
from weerbaar.testing.world import CANARY, Tenant, World

pytestmark = pytest.mark.django_db

SCANS = "/api/v1/scans"
RESULTS = "/api/v1/resultaten"


def _client(world: World, role: str, tenant: Tenant | None = None) -> Client:
    """A key the member makes for themselves (a beheerder may not hand out rights they lack)."""
    tenant = tenant or world.a
    member = tenant.members[role]
    with tenant_scope(tenant.organisation):
        key = api_token_create(
            actor=member.user,
            organisation=tenant.organisation,
            membership=member,
            name=f"Eigen koppeling {role}",
            expires_at=timezone.now() + dt.timedelta(days=30),
        ).key
    return Client(headers=auth(key))


def _closed_scan(
    tenant: Tenant, processes: list[Process], *, name: str = "Scan 2025", state: str = ScanState.CLOSED
) -> Scan:
    """A closed scan with a stored result per process, built directly (the services are tested elsewhere)."""
    with tenant_scope(tenant.organisation):
        scan = make_scan(tenant, processes=processes, extra_roles=(), name=name, allow_single_rater=True)
        for number, scan_process in enumerate(scan_processes(scan)):
            scan_process.vulnerability = 10.0 + number
            scan_process.inherent_vulnerability = 20.0 + number
            scan_process.likelihood = 2
            scan_process.impact = 3
            scan_process.model_version = "1.0.0"
            scan_process.single_rater = True
            scan_process.explanation = {
                "contributions": [{"kind": "characteristic", "key": "klantcontact", "points": 10.0}]
            }
            scan_process.save()
        scan.state = state
        scan.closed_at = timezone.now() if state == ScanState.CLOSED else None
        scan.save()
    return scan


# --- scans -----------------------------------------------------------------------------------------


def test_the_scan_list_shows_progress_and_filters_on_status(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a)
        scan = services.scan_open(actor=None, scan=scan, version=scan.version)
        rate(ratings_of(scan_processes(scan)[0])[0])
        make_scan(world.a, processes=[make_process(world.a, name="Inkoop")], name="Concept 2027")
    with tenant_scope(world.b.organisation):
        make_scan(world.b, name=f"Scan {CANARY}")
    client = _client(world, "secretaris")
    response = client.get(SCANS)
    assert response.status_code == 200
    assert response.json()["aantal"] == 2
    assert CANARY.encode() not in response.content
    [body] = client.get(f"{SCANS}?status=open").json()["resultaten"]
    assert body["uuid"] == str(scan.uuid)
    assert body["naam"] == "Scan 2026"
    assert body["status"] == "open"
    assert body["processen"] == 2
    assert body["voortgang"] == {"ingeleverd": 1, "totaal": 4}
    assert body["periode"] == {"van": scan.period_start.isoformat(), "tot": scan.period_end.isoformat()}
    assert body["uitersteDatum"] == scan.deadline.isoformat()
    assert client.get(f"{SCANS}/{scan.uuid}").json()["voortgang"]["ingeleverd"] == 1
    assert_problem(client.get(f"{SCANS}?status=klaar"), 400)


def test_scans_need_scans_view_and_another_organisations_scan_is_a_404(world: World) -> None:
    with tenant_scope(world.b.organisation):
        foreign = make_scan(world.b, name=f"Scan {CANARY}")
    assert_problem(_client(world, "coordinator").get(f"{SCANS}/{foreign.uuid}"), 404)
    for role in ("lezer", "proceseigenaar", "medewerker"):
        assert_problem(_client(world, role).get(SCANS), 403)


@pytest.mark.parametrize("size", [3, 30])
def test_the_scan_list_needs_the_same_queries_at_any_size(world: World, size: int) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a)
        for number in range(size):
            make_scan(world.a, processes=[process], name=f"Scan {number:02d}")
    client = _client(world, "coordinator")
    client.get(SCANS)  # the key's last-used stamp
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{SCANS}?paginaGrootte=100")
    assert response.json()["aantal"] == size
    # key lookup, count, page
    assert len(captured) == 3, [query["sql"][:120] for query in captured.captured_queries]


# --- resultaten ------------------------------------------------------------------------------------


def test_results_come_from_the_real_scoring_after_closing(world: World) -> None:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a)
        scan = services.scan_open(actor=None, scan=scan, version=scan.version)
        for scan_process in scan_processes(scan):
            for rating in ratings_of(scan_process):
                rate(rating)
        scan = services.scan_start_review(actor=None, scan=reload(scan), version=reload(scan).version)
        services.consensus_accept_agreed(actor=None, by=None, scan=scan, version=scan.version)
        services.scan_close(actor=None, scan=reload(scan), version=reload(scan).version)
        stored = scan_processes(scan)
    response = _client(world, "coordinator").get(RESULTS)
    assert response.status_code == 200
    body = response.json()
    assert body["aantal"] == 2
    first = body["resultaten"][0]
    expected = next(sp for sp in stored if str(sp.process.uuid) == first["proces"]["uuid"])
    assert first["scan"] == str(scan.uuid)
    assert first["kwetsbaarheid"] == expected.vulnerability
    assert first["kans"] == expected.likelihood and first["impact"] == expected.impact
    assert first["risicocel"] == f"{expected.likelihood}x{expected.impact}"
    assert first["modelversie"] == expected.model_version and first["eenBeoordelaar"] is False
    assert first["voorlopig"] is False and first["risicoklasse"] in {"laag", "middel", "hoog", "zeer-hoog"}
    kinds = {item["soort"] for item in first["toelichting"]}
    assert "kenmerk" in kinds
    assert sum(item["punten"] for item in first["toelichting"]) == pytest.approx(expected.vulnerability, abs=0.1)
    # Like the Excel export, the API hands out the map of weak spots: every read is in the trail.
    read = events(world.a.organisation, "results.api")[0]
    assert read.changes["regels"] == [None, 2] and read.object_uuid == str(scan.uuid)


def test_a_proceseigenaar_sees_only_the_results_of_their_own_processes(world: World) -> None:
    with tenant_scope(world.a.organisation):
        own = make_process(world.a, name="Eigen proces")
        other = make_process(world.a, name="Proces van een ander", owner=world.a.members["coordinator"])
    scan = _closed_scan(world.a, [own, other])
    everything = _client(world, "secretaris").get(RESULTS).json()
    assert [item["proces"]["naam"] for item in everything["resultaten"]] == ["Proces van een ander", "Eigen proces"]
    response = _client(world, "proceseigenaar").get(f"{RESULTS}?scan={scan.uuid}")
    assert [item["proces"]["naam"] for item in response.json()["resultaten"]] == ["Eigen proces"]
    assert b"Proces van een ander" not in response.content
    for role in ("lezer", "medewerker", "vertrouwenspersoon"):
        assert_problem(_client(world, role).get(RESULTS), 403)


def test_results_pick_the_latest_closed_scan_and_refuse_an_open_or_foreign_one(world: World) -> None:
    client = _client(world, "coordinator")
    # No closed scan yet: an empty list, not an error.
    assert client.get(RESULTS).json() == {"aantal": 0, "volgende": None, "vorige": None, "resultaten": []}
    with tenant_scope(world.a.organisation):
        process = make_process(world.a)
    older = _closed_scan(world.a, [process], name="Scan 2024")
    newer = _closed_scan(world.a, [process], name="Scan 2025")
    with tenant_scope(world.a.organisation):
        open_scan = make_scan(world.a, processes=[process], name="Scan 2026")
    with tenant_scope(world.b.organisation):
        foreign = _closed_scan(world.b, [make_process(world.b, name=f"Proces {CANARY}")], name=f"Scan {CANARY}")
    assert {item["scan"] for item in client.get(RESULTS).json()["resultaten"]} == {str(newer.uuid)}
    assert {item["scan"] for item in client.get(f"{RESULTS}?scan={older.uuid}").json()["resultaten"]} == {
        str(older.uuid)
    }
    body = assert_problem(client.get(f"{RESULTS}?scan={open_scan.uuid}"), 400)
    assert body["invalidParams"][0]["reason"].startswith("Deze scan is nog niet afgesloten")
    response = client.get(f"{RESULTS}?scan={foreign.uuid}")
    assert_problem(response, 400)
    assert CANARY.encode() not in response.content


def test_provisional_results_of_a_scan_in_review_only_for_who_sees_all(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a)
    closed = _closed_scan(world.a, [process], name="Scan 2025")
    review = _closed_scan(world.a, [process], name="Scan 2026", state=ScanState.REVIEW)
    coordinator = _client(world, "coordinator")
    # The default stays the latest closed scan; the one in review only when asked for.
    [row] = coordinator.get(RESULTS).json()["resultaten"]
    assert row["scan"] == str(closed.uuid) and row["voorlopig"] is False
    [row] = coordinator.get(f"{RESULTS}?scan={review.uuid}").json()["resultaten"]
    assert row["scan"] == str(review.uuid) and row["voorlopig"] is True
    assert row["risicocel"] == "2x3" and row["risicoklasse"] == "middel"
    owner = _client(world, "proceseigenaar")
    assert [row["scan"] for row in owner.get(RESULTS).json()["resultaten"]] == [str(closed.uuid)]
    assert_problem(owner.get(f"{RESULTS}?scan={review.uuid}"), 400)


@pytest.mark.parametrize("size", [3, 30])
def test_the_result_list_needs_the_same_queries_at_any_size(world: World, size: int) -> None:
    with tenant_scope(world.a.organisation):
        processes = [make_process(world.a, name=f"Proces {number:02d}") for number in range(size)]
    _closed_scan(world.a, processes)
    client = _client(world, "proceseigenaar")
    client.get(RESULTS)  # the key's last-used stamp
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"{RESULTS}?paginaGrootte=100")
    assert response.json()["aantal"] == size
    # key lookup, latest closed scan, count, page; then the audit event of the read (savepoint,
    # chain head lock and upsert, event insert, head update): the same at any size.
    assert len(captured) == 9, [query["sql"][:120] for query in captured.captured_queries]
