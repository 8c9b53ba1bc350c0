"""/api/v1/afdelingen: list, read, create and change through the audited services."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from weerbaar.api.tests.utils import KeyMaker, assert_problem, auth, issue
from weerbaar.audit.models import AuditEvent
from weerbaar.core.models import Unit
from weerbaar.core.tenancy import tenant_scope
from weerbaar.testing.factories import UnitFactory
from weerbaar.testing.naughty import NAUGHTY_STRINGS, submit_naughty
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

LIST = "/api/v1/afdelingen"


def _detail(unit: Unit) -> str:
    return f"{LIST}/{unit.uuid}"


def _json(client: Client, method: str, url: str, data: Any) -> Any:
    return getattr(client, method)(url, data, content_type="application/json")


def _unit(world: World, uuid: str) -> Unit:
    with tenant_scope(world.a.organisation):
        return Unit.objects.get(uuid=uuid)


def _events(world: World, action: str) -> list[AuditEvent]:
    with tenant_scope(world.a.organisation):
        return list(AuditEvent.objects.filter(action=action))


# --- reading ---------------------------------------------------------------------------------


def test_the_list_shows_the_own_units_with_dutch_field_names(world: World, api: Client) -> None:
    response = api.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"aantal", "volgende", "vorige", "resultaten"}
    assert body["aantal"] == 2
    top, child = world.a.units
    by_name = {unit["naam"]: unit for unit in body["resultaten"]}
    assert set(by_name[child.name]) == {
        "uuid",
        "naam",
        "omschrijving",
        "bovenliggendeAfdeling",
        "actief",
        "versie",
        "aangemaakt",
        "gewijzigd",
    }
    assert by_name[child.name]["bovenliggendeAfdeling"] == str(top.uuid)
    assert by_name[top.name]["bovenliggendeAfdeling"] is None
    assert CANARY not in response.content.decode()


def test_a_key_of_gemeente_a_never_sees_gemeente_b(world: World, api: Client) -> None:
    for url in (LIST, f"{LIST}?zoek={CANARY}", f"{LIST}?actief=true", f"{LIST}?paginaGrootte=200"):
        response = api.get(url)
        assert response.status_code == 200
        assert CANARY.encode() not in response.content
    assert api.get(f"{LIST}?zoek={CANARY}").json()["aantal"] == 0
    # The same endpoint with B's key shows B's units: the filter is the key's organisation.
    b_client = Client(headers=auth(issue(world.b).key))
    assert {u["naam"] for u in b_client.get(LIST).json()["resultaten"]} == {u.name for u in world.b.units}


def test_the_list_filters_on_active_and_search(world: World, api: Client) -> None:
    with tenant_scope(world.a.organisation):
        UnitFactory(organisation=world.a.organisation, name="Oud archief", is_active=False, description="vroeger")
    assert [u["naam"] for u in api.get(f"{LIST}?actief=false").json()["resultaten"]] == ["Oud archief"]
    assert len(api.get(f"{LIST}?actief=true").json()["resultaten"]) == 2
    assert [u["naam"] for u in api.get(f"{LIST}?zoek=VROEGER").json()["resultaten"]] == ["Oud archief"]
    body = assert_problem(api.get(f"{LIST}?actief=misschien"), 400)
    assert [param["name"] for param in body["invalidParams"]] == ["actief"]


def test_the_list_is_paginated(world: World, api: Client) -> None:
    with tenant_scope(world.a.organisation):
        for number in range(5):
            UnitFactory(organisation=world.a.organisation, name=f"Team {number}")
    first = api.get(f"{LIST}?paginaGrootte=3").json()
    assert first["aantal"] == 7
    assert len(first["resultaten"]) == 3
    assert first["vorige"] is None
    assert "pagina=2" in first["volgende"]
    assert_problem(api.get(f"{LIST}?pagina=99"), 404)


def test_one_unit_is_read_by_its_uuid(world: World, api: Client) -> None:
    child = world.a.units[1]
    body = api.get(_detail(child)).json()
    assert body["uuid"] == str(child.uuid)
    assert body["naam"] == child.name
    assert body["versie"] == 1


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_needs_the_same_queries_at_any_size(
    world: World, api: Client, size: int, django_assert_max_num_queries: Any
) -> None:
    with tenant_scope(world.a.organisation):
        parent = world.a.units[0]
        for number in range(size):
            UnitFactory(organisation=world.a.organisation, name=f"Team {number}", parent=parent)
    # key lookup, last-used stamp, count, page (parents joined)
    with django_assert_max_num_queries(5):
        response = api.get(f"{LIST}?paginaGrootte=200")
    assert len(response.json()["resultaten"]) == size + 2


# --- roles -----------------------------------------------------------------------------------


def test_roles_without_units_view_cannot_read_and_readers_cannot_write(world: World, make_key: KeyMaker) -> None:
    medewerker = Client(headers=auth(make_key("medewerker")))
    assert_problem(medewerker.get(LIST), 403)
    assert_problem(medewerker.get(_detail(world.a.units[0])), 403)
    for role in ("lezer", "coordinator", "secretaris", "proceseigenaar", "vertrouwenspersoon"):
        client = Client(headers=auth(make_key(role)))
        assert client.get(LIST).status_code == 200
        assert_problem(_json(client, "post", LIST, {"naam": "Nieuw"}), 403)
        assert_problem(_json(client, "patch", _detail(world.a.units[0]), {"naam": "Nieuw", "versie": 1}), 403)
    assert _events(world, "unit.create") == []


# --- creating --------------------------------------------------------------------------------


def test_creating_a_unit_goes_through_the_audited_service(world: World, api: Client) -> None:
    top = world.a.units[0]
    response = _json(api, "post", LIST, {"naam": "  Vergunningen ", "bovenliggendeAfdeling": str(top.uuid)})
    assert response.status_code == 201
    body = response.json()
    assert body["naam"] == "Vergunningen"
    assert body["bovenliggendeAfdeling"] == str(top.uuid)
    assert body["versie"] == 1
    assert response["Location"].endswith(f"{LIST}/{body['uuid']}")
    unit = _unit(world, body["uuid"])
    assert unit.organisation == world.a.organisation
    [event] = _events(world, "unit.create")
    assert event.actor_label == world.a.user("beheerder").email
    assert event.object_uuid == body["uuid"]


def test_a_parent_of_another_organisation_does_not_exist(world: World, api: Client) -> None:
    response = _json(api, "post", LIST, {"naam": "Lek", "bovenliggendeAfdeling": str(world.b.units[0].uuid)})
    body = assert_problem(response, 400)
    assert body["invalidParams"][0]["name"] == "bovenliggendeAfdeling"
    assert body["invalidParams"][0]["reason"] == "Er is geen afdeling met deze uuid in uw organisatie."
    assert CANARY.encode() not in response.content


def test_a_duplicate_name_is_refused_by_the_service_rule(world: World, api: Client) -> None:
    body = assert_problem(_json(api, "post", LIST, {"naam": world.a.units[0].name}), 400)
    assert body["invalidParams"][0]["name"] == "naam"


def test_hostile_input_on_create_gives_no_server_error(world: World, make_key: KeyMaker) -> None:
    key = make_key("beheerder")
    responses = submit_naughty(
        Client(),
        LIST,
        base_data={"naam": "Basisnaam", "omschrijving": "", "bovenliggendeAfdeling": None},
        fields=["naam", "omschrijving", "bovenliggendeAfdeling"],
        as_json=True,
        headers=auth(key),
    )
    assert {response.status_code for response in responses} <= {201, 400}
    for response in responses:
        if response.status_code == 400:
            assert response["Content-Type"] == "application/problem+json"
    # Stored text comes back exactly as sent (trimmed): nothing is mangled or lost.
    created = [response.json() for response in responses if response.status_code == 201]
    assert any(unit["naam"] == "<script>alert('weerbaar')</script>" for unit in created)


# --- changing --------------------------------------------------------------------------------


def test_patch_changes_only_the_fields_sent_and_bumps_the_version(world: World, api: Client) -> None:
    child = world.a.units[1]
    response = _json(api, "patch", _detail(child), {"omschrijving": "Paspoorten en rijbewijzen", "versie": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["omschrijving"] == "Paspoorten en rijbewijzen"
    assert body["naam"] == child.name
    assert body["bovenliggendeAfdeling"] == str(world.a.units[0].uuid)
    assert body["versie"] == 2
    [event] = _events(world, "unit.update")
    assert event.changes == {"description": ["", "Paspoorten en rijbewijzen"]}


def test_patch_can_archive_and_move_to_the_top(world: World, api: Client) -> None:
    child = world.a.units[1]
    body = _json(api, "patch", _detail(child), {"actief": False, "bovenliggendeAfdeling": None, "versie": 1}).json()
    assert body["actief"] is False
    assert body["bovenliggendeAfdeling"] is None
    assert _unit(world, str(child.uuid)).is_active is False


def test_put_replaces_every_field_and_requires_them_all(world: World, api: Client) -> None:
    child = world.a.units[1]
    body = assert_problem(_json(api, "put", _detail(child), {"naam": "Alleen naam", "versie": 1}), 400)
    assert {p["name"] for p in body["invalidParams"]} == {"omschrijving", "bovenliggendeAfdeling", "actief"}
    full = {"naam": "Burgerzaken", "omschrijving": "Balie", "bovenliggendeAfdeling": None, "actief": True, "versie": 1}
    response = _json(api, "put", _detail(child), full)
    assert response.status_code == 200
    assert response.json()["bovenliggendeAfdeling"] is None
    assert response.json()["versie"] == 2


def test_a_change_without_a_version_is_refused(world: World, api: Client) -> None:
    body = assert_problem(_json(api, "patch", _detail(world.a.units[1]), {"naam": "Zonder versie"}), 400)
    assert [p["name"] for p in body["invalidParams"]] == ["versie"]
    assert _unit(world, str(world.a.units[1].uuid)).name == world.a.units[1].name


def test_a_stale_version_is_a_409_conflict_and_changes_nothing(world: World, api: Client) -> None:
    child = world.a.units[1]
    assert _json(api, "patch", _detail(child), {"naam": "Eerste", "versie": 1}).status_code == 200
    response = _json(api, "patch", _detail(child), {"naam": "Tweede", "versie": 1})
    body = assert_problem(response, 409)
    assert body["title"] == "Conflict"
    assert "intussen gewijzigd" in body["detail"]
    assert "versie" in body["detail"]
    assert _unit(world, str(child.uuid)).name == "Eerste"
    assert len(_events(world, "unit.update")) == 1


def test_hostile_input_on_patch_gives_no_server_error(world: World, make_key: KeyMaker) -> None:
    headers = auth(make_key("beheerder"))
    client = Client()
    child = world.a.units[1]
    for field in ("naam", "omschrijving", "bovenliggendeAfdeling", "actief", "versie"):
        for value in NAUGHTY_STRINGS:
            # Send the current version each time, so every value reaches the validation.
            version = _unit(world, str(child.uuid)).version
            base = {"versie": version} if field != "versie" else {}
            [response] = submit_naughty(
                client,
                _detail(child),
                base_data=base,
                fields=[field],
                method="patch",
                as_json=True,
                headers=headers,
                strings=[value],
            )
            assert response.status_code in {200, 400}, (field, value[:30], response.content[:200])
