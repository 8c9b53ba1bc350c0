"""Beheer › API-sleutels: issue a key (shown once), list, revoke; audited, tenant-safe."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weerbaar.api.models import ApiToken, hash_secret
from weerbaar.api.services import api_token_create
from weerbaar.api.tests.utils import assert_problem, auth, issue
from weerbaar.audit.models import AuditEvent
from weerbaar.core.permissions import ROLE_ACTIONS, Action, Role
from weerbaar.core.tenancy import tenant_scope
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

LIST = reverse("api_keys:key_list")
CREATE = reverse("api_keys:key_create")
KEY_PATTERN = re.compile(r'id="api-key" value="([0-9a-f]{12}\.[A-Za-z0-9_\-]+)"')


@pytest.fixture(autouse=True)
def _beheerder_also_reads(world: World) -> None:
    """A key never carries more rights than its issuer holds, and the lezer reads reports, which a
    beheerder alone may not: the beheerder here also holds the lezer role, so the lezer's key is allowed."""
    beheerder = world.a.members["beheerder"]
    beheerder.roles = [Role.BEHEERDER, Role.LEZER]
    beheerder.save(update_fields=["roles"])


def _form(world: World, **overrides: Any) -> dict[str, str]:
    data = {
        "name": "Koppeling zaaksysteem",
        "membership": str(world.a.members["lezer"].uuid),
        "expires_on": (timezone.localdate() + dt.timedelta(days=60)).isoformat(),
    }
    data.update(overrides)
    return data


def _events(world: World, action: str) -> list[AuditEvent]:
    with tenant_scope(world.a.organisation):
        return list(AuditEvent.objects.filter(action=action))


def _tokens(world: World) -> list[ApiToken]:
    with tenant_scope(world.a.organisation):
        return list(ApiToken.objects.order_by("pk"))


def test_the_menu_shows_api_keys_to_the_beheerder_only(world: World) -> None:
    assert "API-sleutels" in world.client_for("beheerder").get("/").content.decode()
    assert "API-sleutels" not in world.client_for("coordinator").get("/").content.decode()
    assert world.client_for("coordinator").get(LIST).status_code == 403


def test_the_empty_list_says_what_to_do(world: World) -> None:
    body = world.client_for("beheerder").get(LIST).content.decode()
    assert "Nog geen API-sleutels" in body
    assert CREATE in body


def test_creating_a_key_shows_it_once_and_stores_only_its_hash(world: World) -> None:
    client = world.client_for("beheerder")
    response = client.post(CREATE, _form(world))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    match = KEY_PATTERN.search(page)
    assert match, page
    key = match.group(1)
    [token] = _tokens(world)
    prefix, secret = key.split(".", 1)
    assert (token.prefix, token.key_hash) == (prefix, hash_secret(secret))
    assert token.membership == world.a.members["lezer"]
    assert token.created_by == world.a.user("beheerder")
    assert timezone.localtime(token.expires_at).date() == timezone.localdate() + dt.timedelta(days=60)
    # The key works for the API, with the member's roles.
    assert Client(headers=auth(key)).get("/api/v1/afdelingen").status_code == 200
    # Never shown again, never in the trail.
    listing = client.get(LIST).content.decode()
    assert secret not in listing
    assert "Koppeling zaaksysteem" in listing
    assert prefix in listing
    [event] = _events(world, "api_token.create")
    assert event.actor_label == world.a.user("beheerder").email
    assert secret not in str(event.changes) and token.key_hash not in str(event.changes)
    assert event.changes["member"] == [None, world.a.user("lezer").email]


def test_a_member_of_another_organisation_cannot_be_chosen(world: World) -> None:
    response = world.client_for("beheerder").post(CREATE, _form(world, membership=str(world.b.members["lezer"].uuid)))
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert CANARY not in response.content.decode()
    assert _tokens(world) == []


@pytest.mark.parametrize(
    ("days", "message"),
    [(0, "Kies een datum in de toekomst."), (-3, "Kies een datum in de toekomst."), (400, "hoogstens een jaar")],
)
def test_the_expiry_must_lie_within_a_year(world: World, days: int, message: str) -> None:
    expires = (timezone.localdate() + dt.timedelta(days=days)).isoformat()
    response = world.client_for("beheerder").post(CREATE, _form(world, expires_on=expires))
    assert message in response.content.decode()
    assert _tokens(world) == []


def test_the_list_shows_status_member_and_last_use(world: World) -> None:
    active = issue(world.a, "lezer", name="Actieve koppeling")
    Client(headers=auth(active.key)).get("/api/v1/organisatie")
    expired = issue(world.a, "lezer", name="Oude koppeling").token
    ApiToken.cross_tenant_objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    issue(world.b, name=f"{CANARY} koppeling")
    body = world.client_for("beheerder").get(LIST).content.decode()
    assert "Actieve koppeling" in body and "Oude koppeling" in body
    assert "verlopen" in body and "actief" in body
    assert "nog nooit" in body  # the expired one was never used
    assert world.a.user("lezer").email in body
    assert CANARY not in body


def test_revoking_asks_first_then_revokes_for_good_and_is_audited(world: World) -> None:
    issued = issue(world.a, "lezer")
    client = world.client_for("beheerder")
    url = reverse("api_keys:key_revoke", kwargs={"api_token_uuid": issued.token.uuid})
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Sleutel intrekken" in confirm.content.decode()
    assert _tokens(world)[0].revoked_at is None
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == LIST
    assert _tokens(world)[0].revoked_at is not None
    assert_problem(Client(headers=auth(issued.key)).get("/api/v1/organisatie"), 401)
    assert "ingetrokken" in client.get(LIST).content.decode()
    # A second revoke changes and records nothing.
    client.post(url)
    assert len(_events(world, "api_token.revoke")) == 1


def test_another_organisations_key_cannot_be_revoked(world: World) -> None:
    foreign = issue(world.b)
    url = reverse("api_keys:key_revoke", kwargs={"api_token_uuid": foreign.token.uuid})
    client = world.client_for("beheerder")
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert ApiToken.cross_tenant_objects.get(pk=foreign.token.pk).revoked_at is None
    assert Client(headers=auth(foreign.key)).get("/api/v1/organisatie").status_code == 200


def test_hostile_input_on_the_form_gives_no_server_error(world: World) -> None:
    responses = submit_naughty(
        world.client_for("beheerder"), CREATE, base_data=_form(world), fields=["name", "membership", "expires_on"]
    )
    assert {response.status_code for response in responses} == {200}
    # Every accepted name is stored as typed (the form trims surrounding spaces).
    names = {token.name for token in _tokens(world)}
    assert "<script>alert('weerbaar')</script>" in names


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_needs_the_same_queries_at_any_size(
    world: World, size: int, django_assert_max_num_queries: Any
) -> None:
    for number in range(size):
        issue(world.a, "lezer", name=f"Koppeling {number}")
    client = world.client_for("beheerder")
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert response.content.decode().count("Koppeling ") >= size


def test_a_key_never_carries_rights_its_maker_lacks(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    # Suppose the beheerder could not read the audit trail, which the coordinator can.
    monkeypatch.setitem(ROLE_ACTIONS, Role.BEHEERDER, ROLE_ACTIONS[Role.BEHEERDER] - {Action.AUDIT_VIEW})
    client = world.client_for("beheerder")
    coordinator = str(world.a.members["coordinator"].uuid)
    assert coordinator not in client.get(CREATE).content.decode()
    response = client.post(CREATE, _form(world, membership=coordinator))
    assert "Selecteer een geldige keuze" in response.content.decode()
    with tenant_scope(world.a.organisation), pytest.raises(ValidationError) as refused:
        api_token_create(
            actor=world.a.user("beheerder"),
            organisation=world.a.organisation,
            membership=world.a.members["coordinator"],
            name="Omweg",
            expires_at=timezone.now() + dt.timedelta(days=5),
        )
    assert "nooit meer rechten" in str(refused.value)
    assert _tokens(world) == []


def test_the_service_refuses_a_member_of_another_organisation_or_an_inactive_one(world: World) -> None:
    inactive = world.a.members["lezer"]
    inactive.is_active = False
    with tenant_scope(world.a.organisation):
        inactive.save()
        for membership in (world.b.members["lezer"], inactive):
            with pytest.raises(ValidationError) as refused:
                api_token_create(
                    actor=world.a.user("beheerder"),
                    organisation=world.a.organisation,
                    membership=membership,
                    name="Koppeling",
                    expires_at=timezone.now() + dt.timedelta(days=5),
                )
            assert "membership" in refused.value.message_dict
    assert _tokens(world) == []
