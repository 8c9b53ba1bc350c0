"""The process pages cost the same number of queries whether the register holds 3 processes or 30.

Each test measures a page, makes the register (or the process) ten times bigger, and measures
again: a query per row (an N+1) shows up as a difference, whatever the budget says.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weerbaar.catalogue.models import ReferenceProcess
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, middleware_queries
from weerbaar.register import services
from weerbaar.register.models import Executor, Position, Process
from weerbaar.register.tests.support import internal_circumstances, make_position, make_process
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

LIST = reverse("register:process_list")
#: The view's own queries on the list: the unit tree (units, members per unit), the owner and
#: category choices of the filter form, the paginator's count and the page of processes.
LIST_BUDGET = 6
#: The process page: the process with its joins, its positions (with units), its circumstances,
#: and (for who may see it) the latest scan result of the process.
DETAIL_BUDGET = 4


def _queries(client: Client, url: str) -> tuple[int, str]:
    # The warm-up request takes any session write of the idle-timeout middleware, so the
    # measured request counts only what the page itself needs.
    middleware_queries(client)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), body(response)


def _positions(world: World) -> list[Position]:
    with tenant_scope(world.a.organisation):
        return [make_position(world.a, f"Functie {number}", unit=world.a.units[number % 2]) for number in range(3)]


def _add_processes(world: World, start: int, stop: int, positions: list[Position]) -> None:
    """Processes ``start``..``stop`` through the service, with every kind of link the list shows."""
    owners = [member for member in world.a.members.values() if member.is_active]
    references = list(ReferenceProcess.national_objects.filter(is_active=True).order_by("position", "pk")[:10])
    circumstances = internal_circumstances()
    with tenant_scope(world.a.organisation):
        for number in range(start, stop):
            reference = references[number % len(references)]
            partner = number % 4 == 3
            process = make_process(
                world.a,
                f"Proces {number:02d}",
                category=reference.category,
                reference_process=reference,
                unit=world.a.units[number % 2],
                owner=None if number % 5 == 4 else owners[number % len(owners)],
                positions=positions[: 1 + number % 3],
                circumstances=circumstances[: number % 4],
                yearly_volume=None if number % 6 == 5 else 10 * number,
                executor=Executor.ENVIRONMENT_SERVICE if partner else Executor.OWN,
                executor_name="Omgevingsdienst" if partner else "",
            )
            if number % 7 == 6:
                services.process_archive(actor=None, process=process, version=process.version)


def _rows(html: str) -> int:
    return html.count('<th scope="row">')


@pytest.mark.parametrize(
    ("query", "archived_too"),
    [("", False), ("?sorteer=eigenaar&archief=alle", True), ("?sorteer=-volume&categorie=&q=proces", False)],
)
def test_the_process_list_needs_the_same_number_of_queries_for_3_and_30_processes(
    world: World, query: str, archived_too: bool
) -> None:
    positions = _positions(world)
    client = world.client_for("coordinator")
    _add_processes(world, 0, 3, positions)
    small, small_html = _queries(client, LIST + query)
    _add_processes(world, 3, 30, positions)
    large, large_html = _queries(client, LIST + query)

    def shown(total: int) -> int:
        return total if archived_too else total - len([n for n in range(total) if n % 7 == 6])

    assert (_rows(small_html), _rows(large_html)) == (shown(3), shown(30))  # every row was rendered
    assert small == large
    assert large <= middleware_queries(client) + LIST_BUDGET


def test_the_process_page_needs_the_same_number_of_queries_however_much_it_links_to(world: World) -> None:
    positions = _positions(world)
    client = world.client_for("coordinator")
    with tenant_scope(world.a.organisation):
        bare = make_process(world.a, "Kaal proces", owner=None, positions=positions[:1])
    _add_processes(world, 0, 30, positions)
    with tenant_scope(world.a.organisation):
        # "Proces 02" has three positions, two circumstances and an owner; one more circumstance.
        full = services.process_update(
            actor=None, process=Process.objects.get(name="Proces 02"), circumstances=internal_circumstances()[:3]
        )
        assert (full.positions.count(), full.circumstances.count()) == (3, 3)

    def url(process: Process) -> str:
        return reverse("register:process_detail", kwargs={"process_uuid": process.uuid})

    small, small_html = _queries(client, url(bare))
    large, large_html = _queries(client, url(full))
    assert "Kaal proces" in small_html and all(position.name in large_html for position in positions)
    assert small == large
    assert large <= middleware_queries(client) + DETAIL_BUDGET
