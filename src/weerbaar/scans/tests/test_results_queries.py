"""The results pages cost the same number of queries for 10 and for 60 processes.

A query per row (an N+1, say for the comparison with the previous scan) shows up as a difference
between the two sizes, whatever the budget says.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, middleware_queries
from weerbaar.register.tests.support import make_process
from weerbaar.scans.tests.results_support import bulk_results, scan_with_results
from weerbaar.scans.tests.support import LEVELS
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

RESULTS = reverse("scans:results")
#: Everything a results page may cost, middleware (session, user, membership, 2FA) included.
TOTAL_BUDGET = 15


def _queries(client: Client, url: str) -> tuple[int, str]:
    middleware_queries(client)  # takes any session write of the idle-timeout middleware
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), body(response)


def _rows(html: str) -> int:
    return html.count('<th scope="row"><a href="/resultaten/processen/')


def test_the_results_page_costs_the_same_for_10_and_60_processes(world: World) -> None:
    with tenant_scope(world.a.organisation):
        first = make_process(world.a, name="Eerste proces")
        previous = scan_with_results(world.a, [first], name="Scan 2025")
        current = scan_with_results(world.a, [first], name="Scan 2026")
        bulk_results(world.a, [current, previous], 1, 10)
    # Each URL shows rows at both sizes (an empty page skips the page query, which would prove nothing).
    urls = [
        RESULTS,
        f"{RESULTS}?afdeling={world.a.units[1].uuid}&impact=1",
        f"{RESULTS}?scan={previous.uuid}",
        f"{RESULTS}?pagina=2",
    ]
    clients = {role: world.client_for(role) for role in ("coordinator", "proceseigenaar")}
    small = {(role, url): _queries(client, url) for role, client in clients.items() for url in urls}
    with tenant_scope(world.a.organisation):
        bulk_results(world.a, [current, previous], 10, 60)
    large = {(role, url): _queries(client, url) for role, client in clients.items() for url in urls}
    assert (_rows(small["coordinator", RESULTS][1]), _rows(large["coordinator", RESULTS][1])) == (10, 50)
    assert "↑" in large["coordinator", RESULTS][1] and "nieuw" in large["coordinator", RESULTS][1]
    for key, (count, html) in small.items():
        assert _rows(html) and _rows(large[key][1]), key
        assert count == large[key][0], key
        assert large[key][0] <= TOTAL_BUDGET, (key, large[key][0])


def test_the_process_result_page_costs_the_same_however_long_its_history(world: World) -> None:
    with tenant_scope(world.a.organisation):
        short = make_process(world.a, name="Korte geschiedenis")
        long = make_process(world.a, name="Lange geschiedenis")
        scan_with_results(world.a, [short, long], name="Scan 2024")
        for year in (2025, 2026):
            scan_with_results(world.a, [long], name=f"Scan {year}", scores={long.pk: dict(LEVELS, geldstromen=4)})

    def url(process: object) -> str:
        return reverse("scans:process_result", kwargs={"process_uuid": process.uuid})  # type: ignore[attr-defined]

    for role in ("coordinator", "proceseigenaar"):
        client = world.client_for(role)
        small, small_html = _queries(client, url(short))
        large, large_html = _queries(client, url(long))
        assert "1 scan met een uitkomst" in small_html and "3 scans met een uitkomst" in large_html
        assert small == large, role
        assert large <= TOTAL_BUDGET, role
