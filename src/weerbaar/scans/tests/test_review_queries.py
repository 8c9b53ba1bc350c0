"""The review pages cost the same number of queries however many processes or raters there are.

Spreads and proposals are computed in Python from one ratings query; a query per process or per
rater would show up here as a difference between the two sizes.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from weerbaar.core.tests.beheer_support import body, middleware_queries
from weerbaar.scans.selectors import review as review_selectors
from weerbaar.scans.tests.support import LEVELS, scan_processes
from weerbaar.scans.tests.test_review_views import consensus_url, review_url, scan_in_review
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

#: The overview: the scan, the characteristic keys, every process's id and settled state (in order),
#: the ratings' plain values when the agreement is not cached yet (its key is the scan's uuid,
#: version and state), and the processes of one page (with unit).
OVERVIEW_BUDGET = 6
#: One process: the process (with scan, unit and who settled it), its ratings with raters, the
#: characteristics, the internal circumstances, the amendments.
CONSENSUS_BUDGET = 5


def _queries(client: Client, url: str) -> tuple[int, str]:
    middleware_queries(client)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), body(response)


def test_the_overview_needs_the_same_queries_for_3_and_30_processes(world: World) -> None:
    client = world.client_for("coordinator")
    disputed = {"scores": dict(LEVELS, **{"belang-derden": 1})}
    small_scan = scan_in_review(world.a, [[{}, disputed]] * 3)
    small, small_html = _queries(client, review_url(small_scan))
    large_scan = scan_in_review(world.a, [[{}, disputed], [{}, {}], [{}, None]] * 10, name="Groot")
    large, large_html = _queries(client, review_url(large_scan))
    assert (small_html.count('<th scope="row">'), large_html.count('<th scope="row">')) == (3, 30)
    assert large_html.count("1 onderdeel verschilt 2 of meer") == 10
    assert small == large
    assert large <= middleware_queries(client) + OVERVIEW_BUDGET
    again, again_html = _queries(client, review_url(large_scan))
    assert again == large - 1 and again_html.count("1 onderdeel verschilt 2 of meer") == 10  # the agreement was kept


def test_the_overview_pages_the_rows_but_counts_every_process(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(review_selectors, "PAGE_SIZE", 2)
    client = world.client_for("coordinator")
    disputed = {"scores": dict(LEVELS, **{"belang-derden": 1})}
    scan = scan_in_review(world.a, [[{}, disputed], [{}, {}]] * 3)
    first, first_html = _queries(client, review_url(scan))
    last, last_html = _queries(client, review_url(scan) + "?toon=eens&pagina=2")
    assert first_html.count('<th scope="row">') == 2 and "Pagina 1 van 3" in first_html
    assert "Alle processen (6)" in first_html and "Vraagt aandacht (3)" in first_html
    assert "Beoordelaars zijn het eens (3)" in first_html and "Consensus vastgesteld (0)" in first_html
    assert last_html.count('<th scope="row">') == 1 and "Pagina 2 van 2" in last_html
    assert "Proces 05" in last_html and "toon=eens&amp;pagina=1" in last_html
    assert 'name="toon" value="eens"' in last_html and 'name="pagina" value="2"' in last_html
    assert first - 1 == last  # the second request found the agreement in the cache


def test_the_consensus_page_needs_the_same_queries_for_2_and_5_raters(world: World) -> None:
    client = world.client_for("coordinator")
    two = scan_in_review(world.a, [[{}, {}]])
    five = scan_in_review(
        world.a,
        [[{}, {}, {}, {}, None]],
        extra_roles=("coordinator", "secretaris", "vertrouwenspersoon", "medewerker"),
        name="Vijf",
    )
    small, small_html = _queries(client, consensus_url(scan_processes(two)[0]))
    large, large_html = _queries(client, consensus_url(scan_processes(five)[0]))
    assert "2 van 2 beoordelaars" in small_html and "4 van 5 beoordelaars" in large_html
    assert small == large
    assert large <= middleware_queries(client) + CONSENSUS_BUDGET
