"""Mijn maatregelen: an owner's own plan lines, grouped by what they ask of them now."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import middleware_queries
from weerbaar.plan.tests.support import ORGANISATION_MEASURE, implement, plan
from weerbaar.plan.tests.test_plan_list import days, lines_for, process_keys, shift
from weerbaar.register.models import Process
from weerbaar.register.tests.support import make_process
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

MINE = "/mijn-maatregelen"
#: The page's own queries: the open and review-due lines (due_measures), and the rest.
BUDGET = 2


def _group(body: str, anchor: str) -> str:
    start = body.index(f'<h2 id="{anchor}">')
    end = body.find("</section>", start)
    return body[start:end]


def test_an_owner_sees_their_own_lines_in_groups_each_linking_to_its_page(world: World) -> None:
    keys = process_keys()
    with tenant_scope(world.a.organisation):
        process = make_process(world.a, name="Subsidieverlening")
    overdue = shift(world.a, plan(world.a, process, keys[0]), due_date=days(-3))
    soon = plan(world.a, process, keys[1], due_in_days=20)
    later = plan(world.a, process, keys[2], due_in_days=120)
    review = implement(world.a, plan(world.a, process, keys[3], review_cadence_months=12), on=days(-380))
    alive = implement(world.a, plan(world.a, process, keys[4], review_cadence_months=12), on=days(-30))
    wide = plan(world.a, None, ORGANISATION_MEASURE, due_in_days=200)
    theirs = plan(world.a, process, keys[5], owner_role="secretaris")
    response = world.client_for("proceseigenaar").get(MINE)
    assert response.status_code == 200
    body = response.content.decode()
    assert overdue.measure.name in _group(body, "te-laat")
    assert "had klaar moeten zijn" in _group(body, "te-laat")
    assert soon.measure.name in _group(body, "binnenkort")
    assert review.measure.name in _group(body, "herziening")
    assert "herziening te laat" in _group(body, "herziening")
    assert later.measure.name in _group(body, "lopend") and wide.measure.name in _group(body, "lopend")
    assert "Hele organisatie" in _group(body, "lopend")
    assert alive.measure.name in _group(body, "levend")
    # Need-to-know: another owner's line is not on the page.
    assert theirs.measure.name not in body
    for line in (overdue, soon, later, review, alive, wide):
        assert reverse("plan:measure_detail", kwargs={"planned_measure_uuid": line.uuid}) in body
    assert re.findall(r'<span class="plan-summary__count">(\d+)</span>', body) == ["1", "1", "1", "2", "1"]
    # A proceseigenaar has no way to the whole plan; the secretaris does.
    assert 'href="/actieplan"' not in body
    assert 'href="/actieplan"' in world.client_for("secretaris").get(MINE).content.decode()


def test_a_review_that_falls_due_soon_is_listed_before_it_is_late(world: World) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a, name="Subsidieverlening")
    line = implement(world.a, plan(world.a, process, process_keys()[0], review_cadence_months=12), on=days(-350))
    body = world.client_for("proceseigenaar").get(MINE).content.decode()
    assert line.measure.name in _group(body, "herziening")
    assert "herzien uiterlijk" in _group(body, "herziening")


def test_without_lines_the_page_explains_what_it_is_for(world: World) -> None:
    body = world.client_for("medewerker").get(MINE).content.decode()
    assert "U bent nog van geen enkele maatregel eigenaar." in body
    assert "coördinator ondermijning aan u toewijst" in body
    assert CANARY not in body


@pytest.mark.parametrize("role", ["lezer", "beheerder"])
def test_roles_that_own_nothing_get_403(world: World, role: str) -> None:
    assert world.client_for(role).get(MINE).status_code == 403


def test_my_measures_costs_the_same_for_3_and_26_lines(world: World) -> None:
    with tenant_scope(world.a.organisation):
        one, two = make_process(world.a, name="Proces een"), make_process(world.a, name="Proces twee")
    client = world.client_for("proceseigenaar")

    def add(process: Process, count: int, start: int) -> None:
        for number, line in enumerate(lines_for(world.a, process, count, start=start, review_cadence_months=12)):
            if number % 3 == 1:
                implement(world.a, line, on=days(-number * 40))
            elif number % 3 == 2:
                shift(world.a, line, due_date=days(-number))

    add(one, 3, 0)
    middleware_queries(client)
    with CaptureQueriesContext(connection) as small:
        assert client.get(MINE).status_code == 200
    add(one, 20, 3)
    add(two, 3, 0)
    with CaptureQueriesContext(connection) as large:
        body = client.get(MINE).content.decode()
    assert body.count('class="my-list__name"') == 26
    assert len(small) == len(large)
    assert len(large) <= middleware_queries(client) + BUDGET
