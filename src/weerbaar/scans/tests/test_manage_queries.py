"""The scan management pages cost the same number of queries for a small and a ten times bigger scan.

A query per row (an N+1) shows up as a difference between the two sizes, whatever the budget says.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, middleware_queries
from weerbaar.register.models import Process
from weerbaar.register.tests.support import make_process
from weerbaar.scans import services
from weerbaar.scans.models import Scan
from weerbaar.scans.tests.support import make_scan, rate, ratings_of, scan_processes
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

#: The list: the paginator's count and the page of scans with their counts.
LIST_BUDGET = 2
#: The scan page: the scan, the counts per process, the raters with their counts.
DETAIL_BUDGET = 3
#: The raters page: the scan, the processes, their ratings with raters, the eligible raters.
RATERS_BUDGET = 4
#: The new scan form: the unit tree (units, members per unit), the processes, the eligible raters,
#: the closed scans a repeat scan can start from.
CREATE_BUDGET = 5


def _queries(client: Client, url: str) -> tuple[int, str]:
    middleware_queries(client)  # takes any session write of the idle-timeout middleware
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), body(response)


def _processes(world: World, start: int, stop: int) -> list[Process]:
    owners = [world.a.members[role] for role in ("proceseigenaar", "coordinator", "medewerker")]
    with tenant_scope(world.a.organisation):
        return [
            make_process(
                world.a,
                f"Proces {number:02d}",
                unit=world.a.units[number % 2] if number % 5 else None,
                owner=None if number % 7 == 6 else owners[number % len(owners)],
            )
            for number in range(start, stop)
        ]


def test_the_scan_list_costs_the_same_for_3_and_30_scans(world: World) -> None:
    client = world.client_for("secretaris")
    process = _processes(world, 0, 1)

    def add(start: int, stop: int) -> None:
        with tenant_scope(world.a.organisation):
            for number in range(start, stop):
                scan = make_scan(world.a, name=f"Scan {number:02d}", processes=process)
                if number % 3 == 1:
                    services.scan_open(actor=None, scan=scan, version=scan.version)

    add(0, 3)
    small, small_html = _queries(client, reverse("scans:scan_list"))
    add(3, 30)
    large, large_html = _queries(client, reverse("scans:scan_list"))
    assert (small_html.count('<th scope="row">'), large_html.count('<th scope="row">')) == (3, 25)  # one page
    assert small == large
    assert large <= middleware_queries(client) + LIST_BUDGET


def _open_scan(world: World, processes: list[Process], name: str) -> Scan:
    extra = ("secretaris",) if len(processes) > 5 else ()
    with tenant_scope(world.a.organisation):
        scan = make_scan(
            world.a, processes=processes, name=name, extra_roles=("coordinator", *extra), allow_single_rater=True
        )
        scan = services.scan_open(actor=None, scan=scan, version=scan.version)
        for scan_process in scan_processes(scan)[::2]:
            rate(ratings_of(scan_process)[0])
    return scan


def test_the_scan_page_costs_the_same_for_a_small_and_a_large_scan(world: World) -> None:
    client = world.client_for("coordinator")
    small_scan = _open_scan(world, _processes(world, 0, 3), "Klein")
    large_scan = _open_scan(world, _processes(world, 3, 33), "Groot")

    def url(scan: Scan) -> str:
        return reverse("scans:scan_detail", kwargs={"scan_uuid": scan.uuid})

    small, small_html = _queries(client, url(small_scan))
    large, large_html = _queries(client, url(large_scan))
    assert "Aadorp secretaris" not in small_html and "Aadorp secretaris" in large_html
    assert small == large
    assert large <= middleware_queries(client) + DETAIL_BUDGET


def test_the_raters_page_costs_the_same_for_3_and_30_processes(world: World) -> None:
    client = world.client_for("coordinator")
    small_scan = _open_scan(world, _processes(world, 0, 3), "Klein")
    large_scan = _open_scan(world, _processes(world, 3, 33), "Groot")

    def url(scan: Scan) -> str:
        return reverse("scans:scan_raters", kwargs={"scan_uuid": scan.uuid})

    small, small_html = _queries(client, url(small_scan))
    large, large_html = _queries(client, url(large_scan))
    assert (small_html.count('name="scan_process"'), large_html.count('name="scan_process"')) == (3, 30)
    assert small == large
    assert large <= middleware_queries(client) + RATERS_BUDGET


def test_the_process_picker_costs_the_same_for_3_and_30_processes(world: World) -> None:
    client = world.client_for("coordinator")
    _processes(world, 0, 3)
    small, small_html = _queries(client, reverse("scans:scan_create"))
    _processes(world, 3, 30)
    large, large_html = _queries(client, reverse("scans:scan_create"))
    assert (small_html.count('name="processes"'), large_html.count('name="processes"')) == (3, 30)
    assert small == large
    assert large <= middleware_queries(client) + CREATE_BUDGET
