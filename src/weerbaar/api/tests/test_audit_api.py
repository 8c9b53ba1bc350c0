"""/api/v1/auditgebeurtenissen: the own chain, read-only, for the beheerder only (audit.api)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from weerbaar.api.tests.utils import KeyMaker, assert_problem, auth, issue
from weerbaar.audit.models import AuditEvent
from weerbaar.audit.services import record
from weerbaar.core.permissions import ROLE_ACTIONS, Action, Role
from weerbaar.core.tenancy import tenant_scope
from weerbaar.testing.world import CANARY, Tenant, World

pytestmark = pytest.mark.django_db

LIST = "/api/v1/auditgebeurtenissen"


def _record(tenant: Tenant, action: str = "unit.update", **kwargs: Any) -> AuditEvent:
    return record(action=action, organisation=tenant.organisation, actor=tenant.user("beheerder"), **kwargs)


def test_only_the_beheerder_may_read_the_trail_through_the_api() -> None:
    assert [role for role in Role if Action.AUDIT_API in ROLE_ACTIONS[role]] == [Role.BEHEERDER]
    # The coordinator reads the trail on screen, not through a key.
    assert Action.AUDIT_VIEW in ROLE_ACTIONS[Role.COORDINATOR]


def test_the_coordinator_gets_403(world: World, make_key: KeyMaker) -> None:
    client = Client(headers=auth(make_key("coordinator")))
    assert_problem(client.get(LIST), 403)
    event = _record(world.a)
    assert_problem(client.get(f"{LIST}/{event.id}"), 403)


def test_the_list_shows_the_own_chain_newest_first_without_secrets(world: World, api: Client) -> None:
    _record(world.b, object_label=f"{CANARY} geheim")
    _record(world.a, object_label="Burgerzaken", changes={"name": ["Oud", "Nieuw"]})
    response = api.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert CANARY.encode() not in response.content
    newest = body["resultaten"][0]
    assert newest["actie"] == "unit.update"
    assert newest["objectOmschrijving"] == "Burgerzaken"
    assert newest["wijzigingen"] == {"name": ["Oud", "Nieuw"]}
    assert newest["wie"] == world.a.user("beheerder").email
    assert set(newest) >= {"id", "volgnummer", "tijdstip", "resultaat", "herkomst", "hash", "vorigeHash"}
    # The api key that the fixture made is in the trail, but never its secret.
    created = next(event for event in body["resultaten"] if event["actie"] == "api_token.create")
    key_secret = api.defaults["HTTP_AUTHORIZATION"].split(".", 1)[1]
    assert key_secret not in response.content.decode()
    assert created["wijzigingen"]["prefix"][1]


def test_the_list_filters_on_action_and_dates(world: World, api: Client) -> None:
    _record(world.a, "unit.create")
    _record(world.a, "membership.create")
    actions = {event["actie"] for event in api.get(f"{LIST}?actie=unit.").json()["resultaten"]}
    assert actions == {"unit.create"}
    today = timezone.localdate()
    assert api.get(f"{LIST}?vanaf={today}&tot={today}").json()["aantal"] >= 2
    tomorrow = today + dt.timedelta(days=1)
    assert api.get(f"{LIST}?vanaf={tomorrow}").json()["aantal"] == 0
    body = assert_problem(api.get(f"{LIST}?vanaf={tomorrow}&tot={today}"), 400)
    assert [param["name"] for param in body["invalidParams"]] == ["tot"]
    body = assert_problem(api.get(f"{LIST}?vanaf=gisteren"), 400)
    assert [param["name"] for param in body["invalidParams"]] == ["vanaf"]


def test_one_event_by_id_and_another_organisations_is_404(world: World, api: Client) -> None:
    own = _record(world.a)
    foreign = _record(world.b, object_label=CANARY)
    assert api.get(f"{LIST}/{own.id}").json()["id"] == own.id
    response = api.get(f"{LIST}/{foreign.id}")
    assert_problem(response, 404)
    assert CANARY.encode() not in response.content


def test_a_riec_beheerder_reads_only_the_riec_chain(world: World) -> None:
    _record(world.a, object_label="Aadorp-regel")
    client = Client(headers=auth(issue(world.riec).key))
    response = client.get(LIST)
    assert response.status_code == 200
    assert b"Aadorp-regel" not in response.content


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_needs_the_same_queries_at_any_size(
    world: World, api: Client, size: int, django_assert_max_num_queries: Any
) -> None:
    for number in range(size):
        _record(world.a, object_label=f"Regel {number}")
    with django_assert_max_num_queries(4):
        response = api.get(f"{LIST}?paginaGrootte=200")
    assert response.json()["aantal"] == size + 1


def test_the_trail_cannot_be_written_through_the_api(world: World, api: Client) -> None:
    event = _record(world.a)
    for method in ("post", "put", "patch", "delete"):
        url = LIST if method == "post" else f"{LIST}/{event.id}"
        assert_problem(getattr(api, method)(url, {}, content_type="application/json"), 405)
    with tenant_scope(world.a.organisation):
        assert AuditEvent.objects.filter(pk=event.pk).exists()
