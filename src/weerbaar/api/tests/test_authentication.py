"""API keys: only a valid, unrevoked, unexpired key of an active member opens the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from weerbaar.api.models import ApiToken, hash_secret
from weerbaar.api.services import api_token_revoke
from weerbaar.api.tests.utils import assert_problem, auth, issue
from weerbaar.core.models import Membership, User
from weerbaar.core.tenancy import tenant_scope
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

URL = "/api/v1/organisatie"


def _refused(headers: dict[str, str]) -> None:
    response = Client(headers=headers).get(URL)
    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    assert body["title"] == "Niet ingelogd"


def test_a_valid_key_opens_the_api_for_its_organisation_and_notes_its_use(world: World) -> None:
    issued = issue(world.a)
    assert issued.token.last_used_at is None
    response = Client(headers=auth(issued.key)).get(URL)
    assert response.status_code == 200
    assert response.json()["naam"] == world.a.organisation.name
    assert ApiToken.cross_tenant_objects.get(pk=issued.token.pk).last_used_at is not None


def test_only_a_hash_of_the_secret_is_stored(world: World) -> None:
    issued = issue(world.a)
    prefix, secret = issued.key.split(".", 1)
    token = ApiToken.cross_tenant_objects.get(pk=issued.token.pk)
    assert token.prefix == prefix
    assert token.key_hash == hash_secret(secret)
    assert secret not in {token.key_hash, token.name, token.prefix}


def test_it_refuses_a_request_without_a_key_with_401_and_www_authenticate() -> None:
    _refused({})


@pytest.mark.parametrize(
    "header",
    ["Token", "Token zonderpunt", "Token a.b extra", "Token onbekend.geheim", "Token .", "Token \u00e9\u00e9n.twee"],
)
def test_it_refuses_a_malformed_or_unknown_key(world: World, header: str) -> None:
    _refused({"Authorization": header})


def test_it_refuses_a_key_with_the_wrong_secret(world: World) -> None:
    prefix = issue(world.a).key.split(".", 1)[0]
    _refused(auth(f"{prefix}.verkeerd-geheim"))


def test_it_refuses_a_revoked_key(world: World) -> None:
    issued = issue(world.a)
    with tenant_scope(world.a.organisation):
        api_token_revoke(actor=world.a.user("beheerder"), token=issued.token)
    _refused(auth(issued.key))


def test_it_refuses_an_expired_key(world: World) -> None:
    issued = issue(world.a)
    ApiToken.cross_tenant_objects.filter(pk=issued.token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    _refused(auth(issued.key))


def test_it_refuses_the_key_of_a_deactivated_member(world: World) -> None:
    issued = issue(world.a, "coordinator")
    membership = Membership.cross_tenant_objects.get(pk=world.a.members["coordinator"].pk)
    membership.is_active = False
    membership.save()
    _refused(auth(issued.key))


def test_it_refuses_the_key_of_a_deactivated_user(world: World) -> None:
    issued = issue(world.a, "coordinator")
    User.objects.filter(pk=world.a.user("coordinator").pk).update(is_active=False)
    _refused(auth(issued.key))


def test_a_key_works_with_the_roles_of_its_member_not_those_of_its_maker(world: World) -> None:
    key = issue(world.a, "lezer").key
    client = Client(headers=auth(key))
    assert client.get("/api/v1/afdelingen").status_code == 200
    body = assert_problem(client.post("/api/v1/afdelingen", {"naam": "X"}, content_type="application/json"), 403)
    assert body["title"] == "Geen toegang"


def test_a_key_binds_its_own_organisation_even_beside_a_session_of_another(world: World) -> None:
    client = world.client_for("beheerder", world.b)
    key = issue(world.a).key
    response = client.get("/api/v1/afdelingen", headers=auth(key))
    names = {unit["naam"] for unit in response.json()["resultaten"]}
    assert names == {unit.name for unit in world.a.units}


def test_a_riec_key_sees_its_riec_and_no_gemeente_data(world: World) -> None:
    client = Client(headers=auth(issue(world.riec, "regio-analist").key))
    assert client.get(URL).json()["naam"] == world.riec.organisation.name
    assert_problem(client.get("/api/v1/afdelingen"), 403)
    assert_problem(client.get(f"/api/v1/afdelingen/{world.a.units[0].uuid}"), 403)
