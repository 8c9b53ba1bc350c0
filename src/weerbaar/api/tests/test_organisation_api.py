from __future__ import annotations

import pytest
from django.test import Client

from weerbaar.api.tests.utils import KeyMaker, auth
from weerbaar.core.permissions import GEMEENTE_ROLES
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db


def test_it_describes_the_bound_organisation_in_dutch(world: World, api: Client) -> None:
    body = api.get("/api/v1/organisatie").json()
    organisation = world.a.organisation
    assert body == {
        "uuid": str(organisation.uuid),
        "naam": "Gemeente Aadorp",
        "soort": "gemeente",
        "cbsCode": "GM8801",
        "inwoners": organisation.inhabitants,
        "grootteklasse": organisation.size_class,
        "regionaleVergelijking": False,
        "riec": {"uuid": str(world.riec.organisation.uuid), "naam": "RIEC Testregio"},
    }


@pytest.mark.parametrize("role", sorted(GEMEENTE_ROLES))
def test_every_member_reads_the_own_organisation_and_never_another(world: World, make_key: KeyMaker, role: str) -> None:
    response = Client(headers=auth(make_key(role))).get("/api/v1/organisatie")
    assert response.status_code == 200
    assert response.json()["uuid"] == str(world.a.organisation.uuid)
    assert CANARY.encode() not in response.content
