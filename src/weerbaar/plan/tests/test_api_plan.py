"""/api/v1/actieplan: need-to-know per role, the fields, filters, and progress through the audited services."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from weerbaar.api.services import api_token_create
from weerbaar.api.tests.utils import assert_problem, auth
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import events
from weerbaar.plan.models import MeasureStatus, PlannedMeasure
from weerbaar.plan.tests import test_plan_list
from weerbaar.plan.tests.support import implement, plan
from weerbaar.plan.tests.test_plan_list import days, lines_for
from weerbaar.register.tests.support import make_process
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

PLAN = "/api/v1/actieplan"
plan_world = test_plan_list.plan_world  # the shared fixture: a line in every state
SAMPLE = ["", "<script>alert('weerbaar')</script>", "'; DROP TABLE core_user; --", "\u0000nul", "-1", "9" * 30, "NaN"]


def client_for(world: World, role: str, tenant: Any = None) -> Client:
    """A key the member makes for themselves (its rights are the member's)."""
    tenant = tenant or world.a
    member = tenant.members[role]
    with tenant_scope(tenant.organisation):
        key = api_token_create(
            actor=member.user,
            organisation=tenant.organisation,
            membership=member,
            name=f"Koppeling {role}",
            expires_at=timezone.now() + dt.timedelta(days=30),
        ).key
    return Client(headers=auth(key))


def _patch(client: Client, url: str, data: Any) -> Any:
    return client.patch(url, json.dumps(data), content_type="application/json")


def _reload(line: PlannedMeasure, world: World) -> PlannedMeasure:
    with tenant_scope(world.a.organisation):
        return PlannedMeasure.objects.get(pk=line.pk)


def test_the_coordinator_sees_every_line_and_an_owner_only_their_own(world: World, plan_world: dict[str, Any]) -> None:
    everything = client_for(world, "coordinator").get(PLAN)
    assert everything.status_code == 200
    assert everything.json()["aantal"] == 8  # the API lists rejected lines too
    own = client_for(world, "proceseigenaar")
    body = own.get(PLAN).json()
    mine = ("overdue", "fading", "lapsed", "alive", "rejected")
    assert {item["uuid"] for item in body["resultaten"]} == {str(plan_world[key].uuid) for key in mine}
    assert_problem(own.get(f"{PLAN}/{plan_world['soon'].uuid}"), 404)
    assert own.get(f"{PLAN}/{plan_world['overdue'].uuid}").status_code == 200
    assert client_for(world, "medewerker").get(PLAN).json()["aantal"] == 0
    assert_problem(client_for(world, "lezer").get(PLAN), 403)
    assert_problem(client_for(world, "beheerder").get(PLAN), 403)
    foreign = client_for(world, "coordinator", world.b)
    assert_problem(foreign.get(f"{PLAN}/{plan_world['overdue'].uuid}"), 404)
    assert CANARY not in everything.content.decode()


def test_the_fields_of_a_line(world: World, plan_world: dict[str, Any]) -> None:
    client = client_for(world, "secretaris")
    overdue = client.get(f"{PLAN}/{plan_world['overdue'].uuid}").json()
    assert overdue["maatregel"]["sleutel"] == plan_world["overdue"].measure.key
    assert overdue["maatregel"]["naam"] == plan_world["overdue"].measure.name
    assert overdue["proces"] == {
        "uuid": str(plan_world["subsidies"].uuid),
        "code": plan_world["subsidies"].code,
        "naam": "Subsidieverlening",
    }
    assert overdue["eigenaar"] == {"uuid": str(world.a.members["proceseigenaar"].uuid), "naam": "Aadorp proceseigenaar"}
    assert overdue["status"] == "gepland"
    assert overdue["gereedOp"] == days(-5).isoformat()
    assert overdue["levendigheid"] is None and overdue["volgendeHerzieningOp"] is None
    assert overdue["versie"] == _reload(plan_world["overdue"], world).version
    wide = client.get(f"{PLAN}/{plan_world['wide'].uuid}").json()
    assert wide["proces"] is None
    alive = client.get(f"{PLAN}/{plan_world['alive'].uuid}").json()
    assert alive["levendigheid"] == 1.0 and alive["geimplementeerdOp"] == days(-10).isoformat()
    assert alive["herzieningElkeMaanden"] == 12 and alive["laatstHerzienOp"] is None
    fading = client.get(f"{PLAN}/{plan_world['fading'].uuid}").json()
    assert 0 < fading["levendigheid"] < 1
    assert client.get(f"{PLAN}/{plan_world['lapsed'].uuid}").json()["levendigheid"] == 0.0
    rejected = client.get(f"{PLAN}/{plan_world['rejected'].uuid}").json()
    assert rejected["status"] == "afgewezen" and rejected["redenAfwijzing"] == "Past niet bij ons"


def test_the_filters(world: World, plan_world: dict[str, Any]) -> None:
    client = client_for(world, "coordinator")
    implemented = client.get(f"{PLAN}?status=geimplementeerd").json()
    assert implemented["aantal"] == 3
    secretaris = world.a.members["secretaris"]
    assert [item["uuid"] for item in client.get(f"{PLAN}?eigenaar={secretaris.uuid}").json()["resultaten"]] == [
        str(plan_world["soon"].uuid)
    ]
    assert_problem(client.get(f"{PLAN}?status=kapot"), 400)
    assert_problem(client.get(f"{PLAN}?eigenaar=geen-uuid"), 400)
    body = assert_problem(client.get(f"{PLAN}?eigenaar={world.b.members['secretaris'].uuid}"), 400)
    assert body["invalidParams"][0]["name"] == "eigenaar"


def test_the_owner_moves_their_line_on_and_it_is_audited(world: World, plan_world: dict[str, Any]) -> None:
    line = plan_world["overdue"]
    url = f"{PLAN}/{line.uuid}"
    client = client_for(world, "proceseigenaar")
    version = _reload(line, world).version
    before = len(events(world.a.organisation, "plan.measure.status"))
    response = _patch(client, url, {"status": "in_uitvoering", "versie": version})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_uitvoering" and response.json()["versie"] == version + 1
    assert len(events(world.a.organisation, "plan.measure.status")) == before + 1
    # A stale version changes nothing.
    assert_problem(_patch(client, url, {"status": "geimplementeerd", "versie": version}), 409)
    assert _reload(line, world).status == MeasureStatus.IN_PROGRESS
    response = _patch(
        client, url, {"status": "geimplementeerd", "geimplementeerdOp": days(-2).isoformat(), "versie": version + 1}
    )
    assert response.status_code == 200, response.content
    assert response.json()["geimplementeerdOp"] == days(-2).isoformat() and response.json()["levendigheid"] == 1.0
    assert len(events(world.a.organisation, "plan.measure.status")) == before + 2


@pytest.mark.parametrize(
    ("role", "change", "status", "field"),
    [
        ("proceseigenaar", {"status": "afgewezen", "redenAfwijzing": "Te duur"}, 400, "status"),
        ("proceseigenaar", {"gereedOp": "2030-01-01"}, 403, None),
        ("secretaris", {"status": "in_uitvoering"}, 403, None),
        ("coordinator", {"status": "afgewezen"}, 400, "redenAfwijzing"),
        ("coordinator", {"gereedOp": "2000-01-01"}, 400, "gereedOp"),
        ("coordinator", {"status": "geimplementeerd", "geimplementeerdOp": "2099-01-01"}, 400, "geimplementeerdOp"),
        ("coordinator", {"geimplementeerdOp": "2020-01-01"}, 400, "geimplementeerdOp"),
        ("coordinator", {"status": "kapot"}, 400, "status"),
        ("coordinator", {}, 400, "versie"),
    ],
)
def test_refused_changes_are_explained_and_save_nothing(
    world: World, plan_world: dict[str, Any], role: str, change: dict[str, Any], status: int, field: str | None
) -> None:
    line = _reload(plan_world["overdue"], world)
    audited = (
        len(events(world.a.organisation, "plan.measure.status")),
        len(events(world.a.organisation, "plan.measure.update")),
    )
    data = {**change} if field == "versie" else {**change, "versie": line.version}
    body = assert_problem(_patch(client_for(world, role), f"{PLAN}/{line.uuid}", data), status)
    if field is not None:
        assert field in [param["name"] for param in body["invalidParams"]], body
    after = _reload(line, world)
    assert (after.version, after.status, after.due_date) == (line.version, line.status, line.due_date)
    assert (
        len(events(world.a.organisation, "plan.measure.status")),
        len(events(world.a.organisation, "plan.measure.update")),
    ) == audited


def test_the_coordinator_moves_a_due_date_and_rejects_with_a_reason_in_one_go(
    world: World, plan_world: dict[str, Any]
) -> None:
    line = _reload(plan_world["soon"], world)
    url = f"{PLAN}/{line.uuid}"
    client = client_for(world, "coordinator")
    response = _patch(client, url, {"gereedOp": days(60).isoformat(), "versie": line.version})
    assert response.status_code == 200 and response.json()["gereedOp"] == days(60).isoformat()
    assert len(events(world.a.organisation, "plan.measure.update")) == 1
    # Both changes or neither: a refused status leaves the due date as it was.
    version = response.json()["versie"]
    assert_problem(
        _patch(client, url, {"gereedOp": days(90).isoformat(), "status": "afgewezen", "versie": version}), 400
    )
    assert _reload(line, world).due_date == days(60)
    response = _patch(
        client, url, {"status": "afgewezen", "redenAfwijzing": "Komt in de nieuwe werkwijze", "versie": version}
    )
    assert response.status_code == 200 and response.json()["redenAfwijzing"] == "Komt in de nieuwe werkwijze"
    # Only the version: nothing changes, but a stale one is still refused.
    assert _patch(client, url, {"versie": version + 1}).status_code == 200
    assert_problem(_patch(client, url, {"versie": version}), 409)


def test_patch_survives_hostile_input(world: World, plan_world: dict[str, Any]) -> None:
    line = _reload(plan_world["soon"], world)
    url = f"{PLAN}/{line.uuid}"
    client = client_for(world, "coordinator")
    base = {"status": "in_uitvoering", "versie": line.version}
    submit_naughty(client, url, base_data=base, fields=["redenAfwijzing"], method="patch", as_json=True)
    submit_naughty(
        client,
        url,
        base_data=base,
        fields=["status", "gereedOp", "geimplementeerdOp", "versie"],
        method="patch",
        as_json=True,
        strings=SAMPLE,
    )
    owner = client_for(world, "proceseigenaar")
    mine = _reload(plan_world["overdue"], world)
    submit_naughty(
        owner,
        f"{PLAN}/{mine.uuid}",
        base_data={"status": "in_uitvoering", "versie": mine.version},
        fields=["status", "redenAfwijzing", "versie"],
        method="patch",
        as_json=True,
        strings=SAMPLE,
    )


@pytest.mark.parametrize("role", ["coordinator", "proceseigenaar"])
def test_the_list_costs_the_same_for_3_and_30_lines(world: World, role: str) -> None:
    with tenant_scope(world.a.organisation):
        one, two = make_process(world.a, name="Proces een"), make_process(world.a, name="Proces twee")
    client = client_for(world, role)
    for line in lines_for(world.a, one, 3, review_cadence_months=12):
        implement(world.a, line, on=days(-200))
    client.get(PLAN)  # the key's first use writes its last-used time
    with CaptureQueriesContext(connection) as small:
        assert client.get(PLAN).json()["aantal"] == 3
    for number, line in enumerate(lines_for(world.a, one, 20, start=3) + lines_for(world.a, two, 7)):
        if number % 2:
            implement(world.a, line, on=days(-number))
    plan(world.a, None, "normgesprek-teams")
    with CaptureQueriesContext(connection) as large:
        assert client.get(PLAN).json()["aantal"] == 31
    assert len(small) == len(large)
