from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from weerbaar.audit.models import SYSTEM_CHAIN, Result, chain_for
from weerbaar.testing.factories import TEST_PASSWORD

from .utils import events, is_logged_in, member, password_step

pytestmark = pytest.mark.django_db

LOCKED_HEADING = "Inloggen is tijdelijk geblokkeerd"


def _fail(client: Client, email: str, times: int) -> list[int]:
    return [password_step(client, email, f"fout-wachtwoord-{i}").status_code for i in range(times)]


def test_five_wrong_passwords_lock_the_account_for_this_address_with_a_dutch_page() -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    user, organisation = member()
    client = Client()
    assert _fail(client, user.email, 4) == [200, 200, 200, 200]
    fifth = password_step(client, user.email, "fout-wachtwoord-5")
    assert fifth.status_code == 429
    body = fifth.content.decode()
    assert LOCKED_HEADING in body and "15 minuten" in body
    # Even the right password is refused now.
    response = password_step(client, user.email, TEST_PASSWORD)
    assert response.status_code == 429 and LOCKED_HEADING in response.content.decode()
    assert not is_logged_in(client)
    locked = events("auth.login_locked")
    assert locked and all(e.chain == chain_for(organisation.uuid) and e.result == Result.DENIED for e in locked)


def test_an_unknown_address_is_locked_exactly_like_a_known_one() -> None:
    client = Client()
    assert _fail(client, "niemand@nergens.example", 4) == [200, 200, 200, 200]
    response = password_step(client, "niemand@nergens.example", "nog-een-keer-123")
    assert response.status_code == 429 and LOCKED_HEADING in response.content.decode()
    assert events("auth.login_locked")[0].chain == SYSTEM_CHAIN


def test_the_lock_holds_for_the_address_and_ip_together() -> None:
    user, _ = member()
    _fail(Client(REMOTE_ADDR="192.0.2.10"), user.email, 5)
    assert password_step(Client(REMOTE_ADDR="192.0.2.10"), user.email).status_code == 429
    # The real user at another address can still work: an attacker cannot lock everyone out.
    other = Client(REMOTE_ADDR="198.51.100.20")
    assert password_step(other, user.email).status_code == 302 and is_logged_in(other)


def test_a_successful_login_resets_the_count() -> None:
    user, _ = member()
    client = Client()
    _fail(client, user.email, 4)
    assert password_step(client, user.email).status_code == 302
    client.post("/uitloggen")
    assert _fail(client, user.email, 4) == [200, 200, 200, 200]
