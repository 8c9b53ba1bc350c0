"""/api/v1 catalogue endpoints: read only, Dutch field names, the organisation's effective catalogue."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from weerbaar.api.tests.utils import KeyMaker, assert_problem, auth, issue
from weerbaar.catalogue.models import Characteristic, Circumstance, Measure, ProcessCategory, ReferenceProcess
from weerbaar.catalogue.tests.test_pages import own_circumstance, own_measure, own_process
from weerbaar.core.permissions import Role
from weerbaar.core.tests.beheer_support import middleware_queries
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

ENDPOINTS = ["kenmerken", "procescategorieen", "referentieprocessen", "omstandigheden", "maatregelen"]


def _all(client: Client, endpoint: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/{endpoint}", {"paginaGrootte": 200, **params})
    assert response.status_code == 200, response.content[:300]
    return list(response.json()["resultaten"])


@pytest.fixture
def reader(make_key: KeyMaker) -> Client:
    """A key of a medewerker of gemeente A: the least role that may read the catalogue."""
    return Client(headers=auth(make_key(Role.MEDEWERKER)))


def test_the_characteristics_come_with_their_scales(reader: Client) -> None:
    items = _all(reader, "kenmerken")
    assert [item["code"] for item in items] == [f"K{n}" for n in range(1, 9)]
    first = items[0]
    assert set(first) == {"sleutel", "code", "naam", "waarom", "voorbeelden", "hulpvragen", "schaal"}
    assert sorted(first["schaal"]) == ["0", "1", "2", "3", "4"]
    one = reader.get(f"/api/v1/kenmerken/{first['sleutel']}")
    assert one.status_code == 200 and one.json() == first


def test_the_categories_are_listed_and_retrieved_by_key(reader: Client) -> None:
    items = _all(reader, "procescategorieen")
    assert len(items) == ProcessCategory.objects.count()
    assert set(items[0]) == {"sleutel", "naam", "omschrijving"}
    assert reader.get(f"/api/v1/procescategorieen/{items[0]['sleutel']}").json() == items[0]
    assert_problem(reader.get("/api/v1/procescategorieen/bestaat-niet"), 404)


def test_reference_processes_are_the_effective_catalogue(world: World, reader: Client) -> None:
    national = ReferenceProcess.national_objects.filter(is_active=True).order_by("position").first()
    assert national is not None
    version = own_process(world.a, "Onze versie", based_on=national, category=national.category)
    own = own_process(world.a, "Marktkraam toewijzen", typical_unit="Economische Zaken")
    items = {item["sleutel"]: item for item in _all(reader, "referentieprocessen")}
    assert national.key not in items
    assert items[str(version.uuid)]["gebaseerdOp"] == national.key
    assert items[str(version.uuid)]["herkomst"] == "eigen"
    mine = items[str(own.uuid)]
    assert set(mine) == {
        "sleutel",
        "herkomst",
        "gebaseerdOp",
        "naam",
        "omschrijving",
        "categorie",
        "gebruikelijkeAfdeling",
        "kenmerken",
    }
    assert mine["gebaseerdOp"] is None and mine["gebruikelijkeAfdeling"] == "Economische Zaken"
    assert mine["kenmerken"] == [c.key for c in own.characteristics.all()]
    national_count = ReferenceProcess.national_objects.filter(is_active=True).count()
    assert len(items) == national_count + 1
    # One entry: by national key (also when replaced, to compare) or by own uuid.
    assert reader.get(f"/api/v1/referentieprocessen/{national.key}").json()["herkomst"] == "landelijk"
    assert reader.get(f"/api/v1/referentieprocessen/{own.uuid}").json() == mine


def test_the_reference_process_list_filters(world: World, reader: Client) -> None:
    own = own_process(world.a, "Marktkraam toewijzen", typical_unit="Economische Zaken")
    assert [item["naam"] for item in _all(reader, "referentieprocessen", herkomst="eigen")] == ["Marktkraam toewijzen"]
    assert [item["naam"] for item in _all(reader, "referentieprocessen", zoek="marktkraam")] == [own.name]
    category = own.category
    expected = ReferenceProcess.national_objects.filter(is_active=True, category=category).count() + 1
    assert len(_all(reader, "referentieprocessen", categorie=category.key)) == expected
    characteristic = own.characteristics.get()
    assert all(
        characteristic.key in item["kenmerken"]
        for item in _all(reader, "referentieprocessen", kenmerk=characteristic.key)
    )
    body = assert_problem(reader.get("/api/v1/referentieprocessen", {"herkomst": "elders"}), 400)
    assert body["invalidParams"][0]["name"] == "herkomst"


def test_measures_come_with_their_effects(world: World, reader: Client) -> None:
    geldstromen = Characteristic.objects.order_by("position").first()
    assert geldstromen is not None
    own = own_measure(world.a, "Tweede handtekening", effects={geldstromen: 3}, review_cadence_months=9)
    item = reader.get(f"/api/v1/maatregelen/{own.uuid}").json()
    assert item["effecten"] == [{"kenmerk": geldstromen.key, "sterkte": 3}]
    assert item["herzienElkeMaanden"] == 9 and item["reikwijdte"] == "proces" and item["groep"] == "barrieres"
    items = _all(reader, "maatregelen")
    assert len(items) == Measure.national_objects.filter(is_active=True).count() + 1
    assert all(entry["effecten"] for entry in items)


def test_circumstances_are_listed_with_kind_and_group(world: World, reader: Client) -> None:
    own = own_circumstance(world.a, "Veel inhuur", group="werkwijze")
    items = {item["sleutel"]: item for item in _all(reader, "omstandigheden")}
    assert items[str(own.uuid)]["soort"] == "intern" and items[str(own.uuid)]["groep"] == "werkwijze"
    assert len(items) == Circumstance.national_objects.filter(is_active=True).count() + 1


def test_gemeente_bs_own_entries_never_reach_gemeente_a(world: World, reader: Client) -> None:
    own_b = [
        own_process(world.b, f"{CANARY} proces"),
        own_measure(world.b, f"{CANARY} maatregel"),
        own_circumstance(world.b, f"{CANARY} omstandigheid"),
    ]
    for endpoint in ENDPOINTS:
        response = reader.get(f"/api/v1/{endpoint}", {"paginaGrootte": 200})
        assert response.status_code == 200
        assert CANARY not in response.content.decode()
    for endpoint, entry in zip(["referentieprocessen", "maatregelen", "omstandigheden"], own_b, strict=True):
        response = reader.get(f"/api/v1/{endpoint}/{entry.uuid}")
        assert_problem(response, 404)
        assert CANARY not in response.content.decode()
    b_client = Client(headers=auth(issue(world.b, Role.LEZER).key))
    assert any(CANARY in item["naam"] for item in _all(b_client, "maatregelen"))


def test_the_catalogue_endpoints_need_a_key_and_are_read_only(world: World, reader: Client) -> None:
    for endpoint in ENDPOINTS:
        assert_problem(Client().get(f"/api/v1/{endpoint}"), 401)
        assert reader.post(f"/api/v1/{endpoint}", {}, content_type="application/json").status_code == 405
    key = Characteristic.objects.order_by("position").values_list("key", flat=True).first()
    assert reader.delete(f"/api/v1/kenmerken/{key}").status_code == 405


def test_naughty_filters_never_break_the_reference_process_endpoint(reader: Client) -> None:
    responses = submit_naughty(
        reader,
        "/api/v1/referentieprocessen",
        base_data={},
        fields=["zoek", "categorie", "kenmerk", "herkomst", "pagina", "paginaGrootte"],
        method="get",
    )
    assert all(r["Content-Type"].startswith(("application/json", "application/problem+json")) for r in responses)


@pytest.mark.parametrize("extra", [3, 30])
def test_the_list_endpoints_need_the_same_number_of_queries_at_any_size(
    world: World, extra: int, make_key: KeyMaker, django_assert_max_num_queries: Any
) -> None:
    for number in range(extra):
        own_process(world.a, f"Eigen proces {number}")
        own_measure(world.a, f"Eigen maatregel {number}")
        own_circumstance(world.a, f"Eigen omstandigheid {number}")
    client = Client(headers=auth(make_key("lezer")))
    client.get("/api/v1/organisatie")  # the key's first use stamps last_used_at; not part of the budget
    base = middleware_queries(client)
    # The key lookup, then the endpoint's own: count, page, and one prefetch (characteristics or effects).
    for endpoint in ENDPOINTS:
        with django_assert_max_num_queries(base + 4):
            response = client.get(f"/api/v1/{endpoint}", {"paginaGrootte": 200})
        assert response.status_code == 200
