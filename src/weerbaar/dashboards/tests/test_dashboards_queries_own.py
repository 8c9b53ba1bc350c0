"""The mayor overview, a consultation and the capacity pages cost the same number of queries for a
small and a much bigger organisation (an N+1 shows up as a difference between the two sizes)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import middleware_queries
from weerbaar.dashboards.models import MayorConsultation
from weerbaar.dashboards.tests.support import days, make_agreement, make_consultation, set_capacity
from weerbaar.plan.tests.support import plan
from weerbaar.register.tests.support import make_process
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

#: The overview: newest consultation, agreement counts, the card's first agreements, consultations in the
#: last year; the open agreements with owners; the history page and its count.
OVERVIEW_BUDGET = 7
#: One consultation: the consultation, its agreements with owners, whether a newer one exists, the owners
#: for the add form.
DETAIL_BUDGET = 4
#: The capacity page: the allocations and one aggregate over the plan.
CAPACITY_BUDGET = 2
#: The capacity form: the same two queries.
CAPACITY_EDIT_BUDGET = 2


def _queries(client: Client, url: str) -> int:
    middleware_queries(client)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _compare(world: World, url: Callable[[], str], grow: Callable[[int, int], None], budget: int, role: str) -> None:
    client = world.client_for(role)
    grow(0, 2)
    small = _queries(client, url())
    grow(2, 25)
    large = _queries(client, url())
    assert small == large, f"{url()}: {small} queries for 2 rows, {large} for 25"
    overhead = middleware_queries(client)
    assert large <= overhead + budget, f"{url()}: {large - overhead} queries of the view's own, budget {budget}"


def _grow_consultations(world: World) -> Callable[[int, int], None]:
    owners = [world.a.members[role] for role in ("coordinator", "secretaris", "proceseigenaar")]

    def grow(start: int, stop: int) -> None:
        for index in range(start, stop):
            item = make_consultation(world.a, days(-300 + index * 10), topics=f"Onderwerp {index}")
            make_agreement(world.a, item, description=f"Afspraak {index}", owner=owners[index % 3], due_on=days(index))

    return grow


@pytest.mark.parametrize("role", ["secretaris", "coordinator"])
def test_the_mayor_overview_costs_the_same_at_any_size(world: World, role: str) -> None:
    _compare(world, lambda: reverse("dashboards:mayor_overview"), _grow_consultations(world), OVERVIEW_BUDGET, role)


def test_a_consultation_with_many_agreements_costs_the_same(world: World) -> None:
    item = make_consultation(world.a, days(-20))
    owners = [world.a.members[role] for role in ("coordinator", "secretaris", "proceseigenaar")]

    def grow(start: int, stop: int) -> None:
        for index in range(start, stop):
            make_agreement(world.a, item, description=f"Afspraak {index}", owner=owners[index % 3])

    _compare(
        world, lambda: reverse("dashboards:consultation_detail", args=[item.uuid]), grow, DETAIL_BUDGET, "secretaris"
    )


def _grow_plan(world: World) -> Callable[[int, int], None]:
    from weerbaar.catalogue.models import Measure, MeasureScope

    with tenant_scope(world.a.organisation):
        keys = list(
            Measure.national_objects.filter(scope=MeasureScope.PROCESS, is_active=True)
            .order_by("position", "key")
            .values_list("key", flat=True)[:5]
        )

    def grow(start: int, stop: int) -> None:
        with tenant_scope(world.a.organisation):
            for index in range(start, stop):
                process = make_process(world.a, name=f"Proces {index}")
                line = plan(world.a, process, keys[index % len(keys)])
                line.estimated_hours = 10 + index
                line.save(update_fields=["estimated_hours"])

    return grow


@pytest.mark.parametrize(
    ("name", "budget", "role"),
    [("capacity", CAPACITY_BUDGET, "secretaris"), ("capacity_edit", CAPACITY_EDIT_BUDGET, "coordinator")],
)
def test_the_capacity_pages_cost_the_same_at_any_size(world: World, name: str, budget: int, role: str) -> None:
    set_capacity(world.a, coordinator="24", proceseigenaar="24", secretaris="2")
    _compare(world, lambda: reverse(f"dashboards:{name}"), _grow_plan(world), budget, role)


def test_the_demo_loads_consultations_agreements_capacity_and_estimates(world: World) -> None:
    from weerbaar.dashboards.demo import load_dashboards_demo
    from weerbaar.dashboards.selectors.capacity import capacity_summary
    from weerbaar.dashboards.selectors.mayor import mayor_summary
    from weerbaar.dashboards.tests.support import today

    _grow_plan(world)(0, 6)
    with tenant_scope(world.a.organisation):
        load_dashboards_demo(world.a.organisation, world.a.members, today())
        load_dashboards_demo(world.a.organisation, world.a.members, today())  # a second load changes nothing
        mayor = mayor_summary(today())
        capacity = capacity_summary(today())
        assert MayorConsultation.objects.count() == 4
    assert mayor.overdue_agreements == 1 and mayor.open_agreements == 3 and not mayor.next_is_overdue
    assert capacity.is_set and capacity.available_hours_per_week == 54
