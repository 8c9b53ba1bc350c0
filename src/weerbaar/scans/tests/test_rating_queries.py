"""The rater's pages cost the same number of queries for 3 processes as for 30.

A query per rating or per process (an N+1) shows up as a difference, whatever the budget says.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, middleware_queries
from weerbaar.register.tests.support import internal_circumstances, make_process
from weerbaar.scans import services
from weerbaar.scans.models import Rating, Scan
from weerbaar.scans.selectors import rating as rating_selectors
from weerbaar.scans.tests.support import make_scan, rate
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

LIST = reverse("scans:my_ratings")
#: The list: the rater's scans with their progress counted in SQL, the characteristics (to count what
#: is filled in) and one page of ratings (with their joins) for every scan shown.
LIST_BUDGET = 3
#: The rating page: the rating with its joins, the characteristics, the internal circumstances, the
#: process's register circumstances (the hint) and the rater's sequence in the scan (previous/next).
PAGE_BUDGET = 5
#: An autosave: the rating, the internal circumstances, the characteristics and the register hint
#: (the form); the locked rating with what the audit names, the characteristic keys, the update,
#: the audit chain head, event and new head, with two savepoints and their releases; the sequence.
AUTOSAVE_BUDGET = 15


def _queries(client: Client, url: str) -> tuple[int, str]:
    middleware_queries(client)  # takes any session write, so the measurement is the page's own
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), body(response)


def _scan(world: World, name: str, count: int) -> Scan:
    """An open scan of ``count`` processes; the coordinator rates each, some started, some handed in."""
    circumstances = internal_circumstances()[:2]
    with tenant_scope(world.a.organisation):
        processes = [
            make_process(world.a, name=f"{name} proces {number:02d}", circumstances=circumstances[: number % 3])
            for number in range(count)
        ]
        scan = make_scan(world.a, name=name, processes=processes, extra_roles=("coordinator",))
        scan = services.scan_open(actor=None, scan=scan, version=scan.version)
        mine = list(Rating.objects.filter(scan_process__scan=scan, rater=world.a.members["coordinator"]).order_by("pk"))
        for number, rating in enumerate(mine):
            if number % 3 == 1:
                rate(rating)
            elif number % 3 == 2:
                rate(rating, scores={"klantcontact": 2}, impact={}, submit=False)
    return scan


def _rows(html: str) -> int:
    return html.count('<th scope="row">')


def test_the_rater_pages_need_the_same_number_of_queries_for_3_or_30_processes(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rating_selectors, "PAGE_SIZE", 10)  # the large scan spans three pages
    client = world.client_for("coordinator")
    coordinator = world.a.members["coordinator"]

    def page_url(scan: Scan) -> str:
        with tenant_scope(world.a.organisation):
            # The third one: started, with register circumstances, a previous and a next process.
            rating = Rating.objects.filter(scan_process__scan=scan, rater=coordinator).order_by("pk")[2]
        return reverse("scans:rating", kwargs={"rating_uuid": rating.uuid})

    small_scan = _scan(world, "Kleine scan", 3)
    small_list, small_list_html = _queries(client, LIST)
    small_page, small_page_html = _queries(client, page_url(small_scan))
    large_scan = _scan(world, "Grote scan", 30)
    large_list, large_list_html = _queries(client, LIST)
    large_page, large_page_html = _queries(client, page_url(large_scan))
    chosen, chosen_html = _queries(client, f"{LIST}?scan={large_scan.uuid}&pagina=3")

    # One page per open scan: all 3 of the small one, 10 of the 30 of the large one.
    assert (_rows(small_list_html), _rows(large_list_html)) == (3, 13)
    assert "bezig (1 van 13 ingevuld)" in large_list_html and "10 van 30 processen ingeleverd" in large_list_html
    assert small_list == large_list == chosen
    assert _rows(chosen_html) == 10 and "pagina 3 van 3" in chosen_html
    assert large_list <= middleware_queries(client) + LIST_BUDGET

    assert "Proces 3 van 3" in small_page_html and "Proces 3 van 30" in large_page_html
    assert small_page == large_page
    assert large_page <= middleware_queries(client) + PAGE_BUDGET


def test_an_autosave_loads_what_the_audit_names_with_the_lock(world: World) -> None:
    """The audit event names the rating ("scan – process – rater") and its organisation: the locking
    query brings those along, so a save costs no extra query per related object."""
    scan = _scan(world, "Scan", 3)
    coordinator = world.a.members["coordinator"]
    with tenant_scope(world.a.organisation):
        rating = Rating.objects.filter(scan_process__scan=scan, rater=coordinator).order_by("pk")[0]
    client = world.client_for("coordinator")
    url = reverse("scans:rating_autosave", kwargs={"rating_uuid": rating.uuid})
    middleware_queries(client)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, {"version": rating.version, "field": "note", "note": "Eerste gedachte"})
    assert response.status_code == 200 and "Opgeslagen om" in body(response)
    sql = [query["sql"] for query in captured.captured_queries]
    assert len(sql) <= middleware_queries(client) + AUTOSAVE_BUDGET, [each[:100] for each in sql]
    # Inside the save's transaction nothing is fetched one by one.
    saving = sql[next(number for number, each in enumerate(sql) if each.startswith("SAVEPOINT")) :]
    lone = ('SELECT "register_process"', 'SELECT "core_membership"', 'SELECT "core_user"', 'SELECT "core_organisation"')
    assert not [each[:100] for each in saving if each.startswith(lone)]
