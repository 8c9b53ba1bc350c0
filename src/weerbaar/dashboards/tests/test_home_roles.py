"""The start page shows the dashboard of the member's first role, with links to their other roles'."""

from __future__ import annotations

import pytest
from django.urls import reverse

from weerbaar.core.permissions import Role
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")

HEADINGS = {
    "secretaris": "Overzicht voor de gemeentesecretaris",
    "coordinator": "Overzicht voor de coördinator",
    "proceseigenaar": "Overzicht voor de proceseigenaar",
    "beheerder": "Overzicht voor de functioneel beheerder",
    "vertrouwenspersoon": "Overzicht voor de vertrouwenspersoon",
    "lezer": "Overzicht voor de lezer",
    "medewerker": "Overzicht voor de medewerker",
}


@pytest.mark.parametrize("role", sorted(HEADINGS))
def test_every_role_gets_its_dashboard_with_attention_first(world: World, role: str) -> None:
    response = world.client_for(role).get(HOME)
    assert response.status_code == 200
    html = body(response)
    assert html.count("<h1") == 1
    assert HEADINGS[role] in html
    # "Nu aandacht nodig" comes before anything else of the dashboard.
    assert html.index("Nu aandacht nodig") < html.index("</h1>") + 600
    assert CANARY not in html


def test_the_regio_analist_gets_the_plain_welcome(world: World) -> None:
    html = body(world.client_for(Role.REGIO_ANALIST, world.riec).get(HOME))
    assert "Welkom bij Weerbaar" in html and "Nu aandacht nodig" not in html
    assert reverse("catalogue:home") in html


def test_a_member_with_several_roles_switches_between_dashboards(world: World) -> None:
    member = world.a.members["lezer"]
    with tenant_scope(world.a.organisation):
        member.roles = [Role.LEZER, Role.COORDINATOR, Role.MEDEWERKER]
        member.save()
    client = world.client_for("lezer")
    html = body(client.get(HOME))
    assert HEADINGS["coordinator"] in html
    assert f'href="{HOME}?rol=lezer">Overzicht als lezer</a>' in html
    assert f'href="{HOME}?rol=medewerker">Overzicht als medewerker</a>' in html
    html = body(client.get(HOME, {"rol": "medewerker"}))
    assert HEADINGS["medewerker"] in html and f'href="{HOME}">Overzicht als coördinator</a>' in html
    for junk in ("secretaris", "regio-analist", "x" * 500, "'; drop table"):
        response = client.get(HOME, {"rol": junk})
        assert response.status_code == 200 and HEADINGS["coordinator"] in body(response)
