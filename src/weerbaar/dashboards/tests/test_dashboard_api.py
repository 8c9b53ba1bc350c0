"""/api/v1/overzicht: the dashboards' figures, the same as the start page, per role held."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from weerbaar.api.tests.utils import auth, issue
from weerbaar.core.permissions import Role
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body
from weerbaar.dashboards.tests.test_dashboard_queries import grow, seed_base
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

OVERVIEW = "/api/v1/overzicht"


def _get(world: World, role: str) -> dict:  # type: ignore[type-arg]
    response = world.client_for(role).get(OVERVIEW)
    assert response.status_code == 200, response.content[:300]
    data: dict = response.json()  # type: ignore[type-arg]
    assert CANARY not in response.content.decode()
    return data


def test_the_figures_match_the_start_page(world: World) -> None:
    seeded = seed_base(world.a)
    grow(world.a, seeded, 1, 12)
    data = _get(world, "secretaris")
    assert data["rollen"] == ["secretaris"]
    figures = data["secretaris"]
    assert [each for each in data if data[each] is None and each != "rollen"] == [
        "coordinator",
        "proceseigenaar",
        "lezer",
        "beheerder",
        "vertrouwenspersoon",
        "medewerker",
    ]
    html = body(world.client_for("secretaris").get(reverse("core:home")))
    for item in figures["aandacht"]:
        assert item["url"].replace("&", "&amp;") in html
    for topic in figures["onderwerpen"]:
        assert topic["statusTekst"] in html and topic["titel"] in html
    top = figures["kwetsbareProcessen"]["top"]
    assert len(top) == 10
    for row in top:
        assert re.search(rf">{re.escape(row['naam'])}</a>", html)
    assert f"{figures['screening']['nodig']} functies</a>" in html
    training = figures["training"]
    assert f"{training['afdelingenBereikt']} van {training['afdelingenTotaal']} afdelingen en teams" in html


def test_the_coordinator_and_the_owner_get_their_own_figures(world: World) -> None:
    seeded = seed_base(world.a)
    grow(world.a, seeded, 1, 12)
    coordinator = _get(world, "coordinator")["coordinator"]
    html = body(world.client_for("coordinator").get(reverse("core:home")))
    assert [scan["naam"] for scan in coordinator["scans"]] == ["Scan in review", "Scan open"] or len(
        coordinator["scans"]
    ) == 2
    for scan in coordinator["scans"]:
        assert scan["naam"] in html
    assert f'?aandacht=niet_levend">{coordinator["actieplanNietLevend"]}</a>' in html
    owner = _get(world, "proceseigenaar")["proceseigenaar"]
    owner_html = body(world.client_for("proceseigenaar").get(reverse("core:home")))
    assert f"U bent eigenaar van {owner['processen']} processen." in owner_html


def test_a_role_without_rights_gets_no_secretaris_figures(world: World) -> None:
    for role in ("medewerker", "lezer", "beheerder", "coordinator", "proceseigenaar", "vertrouwenspersoon"):
        data = _get(world, role)
        assert data["secretaris"] is None, role
        assert data[role] is not None, role
        assert data["rollen"] == [role]
    employee = _get(world, "medewerker")["medewerker"]
    names = {(each["rol"], each["email"]) for each in employee["aanspreekpunten"]}
    assert names == {
        ("vertrouwenspersoon", "vertrouwenspersoon@aadorp.example"),
        ("coordinator", "coordinator@aadorp.example"),
    }


def test_an_api_key_gets_the_figures_of_its_members_roles(world: World) -> None:
    key = issue(world.a, "lezer")
    response = Client(headers=auth(key.key)).get(OVERVIEW)
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    assert data["rollen"] == ["lezer"] and data["secretaris"] is None
    assert data["lezer"]["laatsteRapportage"] is None and data["lezer"]["rapportages"] == 0
    assert Client().get(OVERVIEW).status_code in (401, 403)


def test_a_member_with_several_roles_gets_every_block_and_the_analist_none(world: World) -> None:
    member = world.a.members["coordinator"]
    with tenant_scope(world.a.organisation):
        member.roles = [Role.COORDINATOR, Role.SECRETARIS]
        member.save()
    data = _get(world, "coordinator")
    assert data["rollen"] == ["secretaris", "coordinator"]
    assert data["secretaris"] is not None and data["coordinator"] is not None
    response = world.client_for(Role.REGIO_ANALIST, world.riec).get(OVERVIEW)
    assert response.status_code == 200 and response.json()["rollen"] == []


def test_the_schema_documents_the_overview() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/overzicht" in schema["paths"] or "/overzicht" in str(schema["paths"])
    assert "OverzichtSecretaris" in schema["components"]["schemas"]
