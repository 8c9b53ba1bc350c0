"""Every attention list costs the same number of queries for a small and a much bigger organisation.

A query per row (an N+1) shows up as a difference between the two sizes, whatever the budget says.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weerbaar.attention.tests.support import backdate, days, log, make_activity, make_item, past_item, position
from weerbaar.catalogue.models import Measure, MeasureScope
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import middleware_queries
from weerbaar.plan import services as plan_services
from weerbaar.plan.models import MeasureStatus, PlannedMeasure, RiskAcceptance
from weerbaar.plan.tests.support import pdf
from weerbaar.register.tests.support import make_process
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

#: The activity list: the activities with their owners.
ACTIVITY_LIST_BUDGET = 1
#: One activity: the activity, its target units and positions, the log with its units and positions, and the
#: form's unit tree (units, members per unit) and vulnerable positions.
ACTIVITY_DETAIL_BUDGET = 9
#: The communication plan: the moments of the year with their owners.
PLAN_BUDGET = 1
#: The checklist: the measures, the number of active units, the plan lines, their units.
CHECKLIST_BUDGET = 4
#: The due list: owners for the filter, plan lines, activities, moments, positions, acceptances.
DUE_BUDGET = 6
#: The overview: activities, log dates, implemented lines, last scan; then the five due sources.
OVERVIEW_BUDGET = 9


def _queries(client: Client, url: str) -> int:
    middleware_queries(client)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _compare(world: World, url: str, grow: Callable[[int, int], None], budget: int, role: str = "coordinator") -> None:
    client = world.client_for(role)
    grow(0, 2)
    small = _queries(client, url)
    grow(2, 30)
    large = _queries(client, url)
    assert small == large, f"{url}: {small} queries for 2 rows, {large} for 30"
    overhead = middleware_queries(client)
    assert large <= overhead + budget, f"{url}: {large - overhead} queries of the view's own, budget {budget}"


def _activities(world: World) -> Callable[[int, int], None]:
    owners = [world.a.members[role] for role in ("proceseigenaar", "coordinator", "medewerker")]

    def grow(start: int, stop: int) -> None:
        for number in range(start, stop):
            activity = make_activity(
                world.a, f"Activiteit {number:02d}", owner=owners[number % 3], target_units=world.a.units
            )
            if number % 2:
                backdate(activity, days(-40 - number))
                log(world.a, activity, days(-number), units=[world.a.units[0]])

    return grow


def test_the_activity_list_is_flat(world: World) -> None:
    _compare(world, reverse("attention:activity_list"), _activities(world), ACTIVITY_LIST_BUDGET)


def test_an_owners_own_activity_list_is_flat(world: World) -> None:
    _compare(world, reverse("attention:activity_list"), _activities(world), ACTIVITY_LIST_BUDGET, role="medewerker")


def test_an_activity_with_a_long_done_log_is_flat(world: World) -> None:
    activity = backdate(make_activity(world.a, "Normgesprek", cadence_months=1, target_units=world.a.units), days(-900))
    vulnerable = position(world.a, "Inkoper")

    def grow(start: int, stop: int) -> None:
        for number in range(start, stop):
            log(world.a, activity, days(-number * 20), units=world.a.units, positions=[vulnerable], participants=number)

    url = reverse("attention:activity_detail", kwargs={"activity_uuid": activity.uuid})
    _compare(world, url, grow, ACTIVITY_DETAIL_BUDGET)


def test_the_communication_plan_is_flat(world: World) -> None:
    def grow(start: int, stop: int) -> None:
        for number in range(start, stop):
            if number % 2:
                past_item(world.a, f"Bericht {number:02d}", days(-1 - number % 3))
            else:
                make_item(
                    world.a, f"Bericht {number:02d}", planned_on=days(number % 3), owner=world.a.members["secretaris"]
                )

    _compare(world, reverse("attention:communication_plan"), grow, PLAN_BUDGET)


def _organisation_measures(world: World) -> list[Measure]:
    with tenant_scope(world.a.organisation):
        return list(Measure.national_objects.filter(scope=MeasureScope.ORGANISATION).order_by("position", "key"))


def _plan_lines(world: World) -> Callable[[int, int], None]:
    measures = _organisation_measures(world)
    statuses = [MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS, MeasureStatus.IMPLEMENTED, MeasureStatus.REJECTED]

    def grow(start: int, stop: int) -> None:
        coordinator = world.a.members["coordinator"]
        with tenant_scope(world.a.organisation):
            for number in range(start, stop):
                status = statuses[number % 4]
                planned = plan_services.planned_measure_create(
                    actor=None,
                    member=coordinator,
                    measure=measures[number],
                    owner=world.a.members["proceseigenaar"] if status != MeasureStatus.REJECTED else None,
                    due_date=days(10),
                    status=MeasureStatus.PLANNED if status == MeasureStatus.IMPLEMENTED else status,
                    rejection_reason="Niet nodig" if status == MeasureStatus.REJECTED else "",
                    units=world.a.units[: 1 + number % 2],
                    reaches_all_units=number % 3 == 0,
                )
                if status == MeasureStatus.IMPLEMENTED:
                    plan_services.planned_measure_set_status(
                        actor=None,
                        member=coordinator,
                        planned=planned,
                        version=planned.version,
                        status=MeasureStatus.IMPLEMENTED,
                        implemented_on=days(-400 * (number % 2)),
                    )
                    plan_services.evidence_add(actor=None, member=coordinator, planned=planned, upload=pdf())
                elif status != MeasureStatus.REJECTED:
                    # Overdue lines for the due list.
                    line = PlannedMeasure.objects.get(pk=planned.pk)
                    line.due_date = days(-number)
                    line.save()

    return grow


def test_the_checklist_is_flat(world: World) -> None:
    _compare(world, reverse("attention:checklist"), _plan_lines(world), CHECKLIST_BUDGET)


def _due_everything(world: World) -> Callable[[int, int], None]:
    lines, activities = _plan_lines(world), _activities(world)

    def grow(start: int, stop: int) -> None:
        lines(start, stop)
        activities(start, stop)
        with tenant_scope(world.a.organisation):
            for number in range(start, stop):
                past_item(world.a, f"Bericht {number:02d}", days(-1 - number))
                position(world.a, f"Functie {number:02d}", last_screening_on=None if number % 2 else days(-5 * 365))
                process = make_process(world.a, f"Proces {number:02d}")
                RiskAcceptance.objects.create(
                    organisation=world.a.organisation,
                    process=process,
                    reason="Aanvaard",
                    accepted_on=days(-400),
                    expires_on=days(-number - 1),
                    accepted_by=world.a.members["secretaris"],
                )

    return grow


def test_the_due_list_is_flat_with_many_plan_lines_positions_and_activities(world: World) -> None:
    _compare(world, reverse("attention:due_list"), _due_everything(world), DUE_BUDGET)


def test_the_due_list_export_is_flat(world: World) -> None:
    # The export also writes one audit event (a chain head lock, the event, the head update).
    client = world.client_for("coordinator")
    grow = _due_everything(world)
    grow(0, 2)
    small = _queries(client, reverse("attention:due_export"))
    grow(2, 30)
    assert _queries(client, reverse("attention:due_export")) == small


def test_the_overview_is_flat(world: World) -> None:
    _compare(world, reverse("attention:overview"), _due_everything(world), OVERVIEW_BUDGET)
