"""/api/v1/processen and /api/v1/functies: read and write through the audited services."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from weerbaar.api.tests.utils import KeyMaker, assert_problem, auth, issue
from weerbaar.audit.models import AuditEvent
from weerbaar.catalogue.models import Circumstance, CircumstanceKind, ReferenceProcess
from weerbaar.core.tenancy import tenant_scope
from weerbaar.register.models import Position, Process
from weerbaar.register.tests.support import first_category, make_position, make_process
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

PROCESSES = "/api/v1/processen"
POSITIONS = "/api/v1/functies"


def _json(client: Client, method: str, url: str, data: Any) -> Any:
    return getattr(client, method)(url, data, content_type="application/json")


def _events(world: World, action: str) -> list[AuditEvent]:
    with tenant_scope(world.a.organisation):
        return list(AuditEvent.objects.filter(action=action))


@pytest.fixture
def make_key(world: World) -> KeyMaker:
    def make(role: str = "coordinator") -> str:
        return issue(world.a, role).key

    return make


@pytest.fixture
def coordinator(make_key: KeyMaker) -> Client:
    return Client(headers=auth(make_key("coordinator")))


def test_the_process_list_shows_the_own_register_with_dutch_names(world: World, coordinator: Client) -> None:
    with tenant_scope(world.a.organisation):
        position = make_position(world.a)
        make_process(world.a, positions=[position])
    with tenant_scope(world.b.organisation):
        make_process(world.b, name=f"Geheim {CANARY}")
    response = coordinator.get(PROCESSES)
    assert response.status_code == 200
    [body] = response.json()["resultaten"]
    assert body["code"] == "P-001"
    assert body["naam"] == "Evenementenvergunning"
    assert body["categorie"] == first_category().key
    assert body["eigenaar"]["uuid"] == str(world.a.members["proceseigenaar"].uuid)
    assert body["functies"] == [str(position.uuid)]
    assert body["uitgevoerdDoor"] == "eigen"
    assert CANARY.encode() not in response.content


def test_another_organisations_process_is_a_404(world: World, coordinator: Client) -> None:
    with tenant_scope(world.b.organisation):
        foreign = make_process(world.b)
    assert_problem(coordinator.get(f"{PROCESSES}/{foreign.uuid}"), 404)
    assert_problem(_json(coordinator, "patch", f"{PROCESSES}/{foreign.uuid}", {"naam": "x", "versie": 1}), 404)


@pytest.mark.parametrize("size", [3, 30])
def test_the_process_list_needs_the_same_queries_at_any_size(
    world: World, coordinator: Client, size: int, django_assert_max_num_queries: Any
) -> None:
    with tenant_scope(world.a.organisation):
        position = make_position(world.a)
        circumstance = Circumstance.national_objects.filter(kind=CircumstanceKind.INTERNAL).first()
        for number in range(size):
            make_process(world.a, name=f"Proces {number}", positions=[position], circumstances=[circumstance])
    # key lookup, last-used stamp, count, page, positions, circumstances
    with django_assert_max_num_queries(6):
        response = coordinator.get(f"{PROCESSES}?paginaGrootte=100")
    assert len(response.json()["resultaten"]) == size


def test_creating_a_process_goes_through_the_audited_service(world: World, coordinator: Client) -> None:
    with tenant_scope(world.a.organisation):
        position = make_position(world.a)
        reference = ReferenceProcess.national_objects.order_by("position").first()
        circumstance = Circumstance.national_objects.filter(kind=CircumstanceKind.INTERNAL).first()
    response = _json(
        coordinator,
        "post",
        PROCESSES,
        {
            "naam": "Horecavergunning",
            "categorie": first_category().key,
            "afdeling": str(world.a.units[1].uuid),
            "eigenaar": str(world.a.members["coordinator"].uuid),
            "functies": [str(position.uuid)],
            "referentieproces": reference.key,
            "omstandigheden": [circumstance.key],
            "aantalPerJaar": 80,
            "uitgevoerdDoor": "omgevingsdienst",
            "partner": "Omgevingsdienst Zuidwaard",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["referentieproces"] == reference.key
    assert body["omstandigheden"] == [circumstance.key]
    assert response["Location"].endswith(f"{PROCESSES}/{body['uuid']}")
    [event] = _events(world, "process.create")
    assert event.object_uuid == body["uuid"]


def test_references_of_another_organisation_do_not_exist(world: World, coordinator: Client) -> None:
    with tenant_scope(world.b.organisation):
        foreign_position = make_position(world.b)
    response = _json(
        coordinator,
        "post",
        PROCESSES,
        {
            "naam": "Lek",
            "categorie": first_category().key,
            "eigenaar": str(world.b.members["coordinator"].uuid),
            "functies": [str(foreign_position.uuid)],
        },
    )
    body = assert_problem(response, 400)
    assert {param["name"] for param in body["invalidParams"]} >= {"eigenaar", "functies.0"}
    assert CANARY.encode() not in response.content


def test_a_partner_without_a_name_is_refused_by_the_service_rule(world: World, coordinator: Client) -> None:
    body = assert_problem(
        _json(
            coordinator,
            "post",
            PROCESSES,
            {"naam": "Inkoop", "categorie": first_category().key, "uitgevoerdDoor": "andere_partner"},
        ),
        400,
    )
    assert body["invalidParams"][0]["name"] == "partner"


def test_patch_changes_archives_and_refuses_a_stale_version(world: World, coordinator: Client) -> None:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a)
    url = f"{PROCESSES}/{process.uuid}"
    response = _json(coordinator, "patch", url, {"aantalPerJaar": 300, "versie": 1})
    assert response.status_code == 200
    assert response.json()["versie"] == 2
    assert_problem(_json(coordinator, "patch", url, {"aantalPerJaar": 1, "versie": 1}), 409)
    response = _json(coordinator, "patch", url, {"actief": False, "versie": 2})
    assert response.json()["actief"] is False
    assert len(_events(world, "process.archive")) == 1
    with tenant_scope(world.a.organisation):
        assert Process.objects.get().yearly_volume == 300


def test_readers_cannot_write_and_medewerkers_cannot_read(world: World, make_key: KeyMaker) -> None:
    medewerker = Client(headers=auth(make_key("medewerker")))
    assert_problem(medewerker.get(PROCESSES), 403)
    assert_problem(medewerker.get(POSITIONS), 403)
    for role in ("lezer", "secretaris", "proceseigenaar"):
        client = Client(headers=auth(make_key(role)))
        assert client.get(PROCESSES).status_code == 200
        assert_problem(_json(client, "post", PROCESSES, {"naam": "x", "categorie": first_category().key}), 403)
        assert_problem(_json(client, "post", POSITIONS, {"naam": "x", "screening": "geen"}), 403)
    assert _events(world, "process.create") == []


def test_hostile_input_on_process_create_gives_no_server_error(world: World, make_key: KeyMaker) -> None:
    responses = submit_naughty(
        Client(),
        PROCESSES,
        base_data={"naam": "Basisnaam", "categorie": first_category().key, "omschrijving": ""},
        fields=["naam", "omschrijving", "categorie", "afdeling", "eigenaar", "referentieproces", "partner"],
        as_json=True,
        headers=auth(make_key("coordinator")),
    )
    assert {response.status_code for response in responses} <= {201, 400}


def test_positions_are_created_read_and_changed(world: World, coordinator: Client) -> None:
    response = _json(
        coordinator,
        "post",
        POSITIONS,
        {
            "naam": "Handhaver",
            "afdeling": str(world.a.units[1].uuid),
            "fte": "3.5",
            "screening": "vog_np",
            "risicogebieden": ["informatie", "personen"],
            "herhalenNaJaren": 5,
            "laatsteScreening": "2022-02-01",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["volgendeScreening"] == "2027-02-01"
    assert body["fte"] == "3.5"
    url = f"{POSITIONS}/{body['uuid']}"
    assert coordinator.get(url).json()["naam"] == "Handhaver"
    body = assert_problem(_json(coordinator, "patch", url, {"screening": "geen", "versie": 1}), 400)
    assert {param["name"] for param in body["invalidParams"]} >= {"risicogebieden"}
    response = _json(
        coordinator, "patch", url, {"screening": "vog_p", "risicogebieden": [], "herhalenNaJaren": 3, "versie": 1}
    )
    assert response.json()["screening"] == "vog_p"
    assert len(_events(world, "position.update")) == 1


def test_hostile_input_on_position_create_gives_no_server_error(world: World, make_key: KeyMaker) -> None:
    responses = submit_naughty(
        Client(),
        POSITIONS,
        base_data={"naam": "Basis", "screening": "geen"},
        fields=["naam", "afdeling", "fte", "screening", "herhalenNaJaren", "laatsteScreening"],
        as_json=True,
        headers=auth(make_key("coordinator")),
    )
    assert {response.status_code for response in responses} <= {201, 400}
    with tenant_scope(world.a.organisation):
        assert Position.objects.filter(name="<script>alert('weerbaar')</script>").exists()
