from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from weerbaar.accounts.forms import INVALID_LOGIN
from weerbaar.audit.models import SYSTEM_CHAIN, Result, chain_for
from weerbaar.core.models import User
from weerbaar.testing.factories import TEST_PASSWORD, UserFactory
from weerbaar.testing.naughty import submit_naughty

from .utils import LOGIN_URL, events, is_logged_in, member, password_step

pytestmark = pytest.mark.django_db


def test_it_logs_in_with_email_and_password_and_audits_it_in_the_organisation_chain() -> None:
    user, organisation = member()
    client = Client()
    response = password_step(client, user.email.upper())
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert is_logged_in(client)
    [event] = events("auth.login")
    assert event.chain == chain_for(organisation.uuid) and event.actor_uuid == user.uuid
    assert event.result == Result.SUCCESS


def test_it_gives_one_message_for_an_unknown_address_a_wrong_password_and_an_inactive_user() -> None:
    user, _ = member()
    inactive: User = UserFactory.create(is_active=False)
    cases: list[tuple[str, str]] = [
        ("niemand@nergens.example", TEST_PASSWORD),
        (user.email, "fout-wachtwoord-123"),
        (inactive.email, TEST_PASSWORD),
    ]
    bodies = []
    for email, password in cases:
        client = Client()
        response = password_step(client, email, password)
        assert response.status_code == 200 and not is_logged_in(client)
        body = response.content.decode()
        assert str(INVALID_LOGIN) in body
        form = body[body.index("<form") : body.index("</form>")].replace(email, "ADRES")
        bodies.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", form))
    # Apart from the echoed address and the per-request CSRF token, the three answers are the same.
    assert bodies[0] == bodies[1] == bodies[2]


def test_it_audits_failed_logins_in_the_system_chain_for_unknown_addresses_only() -> None:
    user, organisation = member()
    password_step(Client(), "niemand@nergens.example", "wat-dan-ook-123")
    password_step(Client(), user.email, "fout-wachtwoord-123")
    unknown, known = events("auth.login_failed")
    assert unknown.chain == SYSTEM_CHAIN and unknown.actor_label == "niemand@nergens.example"
    assert known.chain == chain_for(organisation.uuid) and known.object_uuid == str(user.uuid)
    assert unknown.result == known.result == Result.FAILURE


def test_it_follows_a_safe_next_and_ignores_an_external_one() -> None:
    user, _ = member()
    response = password_step(Client(), user.email, next="/mijn-beveiliging")
    assert response["Location"] == "/mijn-beveiliging"
    response = password_step(Client(), user.email, next="https://boef.example/phish")
    assert response["Location"] == reverse("core:home")
    response = password_step(Client(), user.email, next="//boef.example")
    assert response["Location"] == reverse("core:home")


def test_a_logged_in_user_opening_the_login_page_goes_on_to_next() -> None:
    user, _ = member()
    client = Client()
    password_step(client, user.email)
    response = client.get(LOGIN_URL + "?next=/mijn-beveiliging")
    assert response.status_code == 302 and response["Location"] == "/mijn-beveiliging"


def test_it_logs_out_only_by_post_and_audits_it() -> None:
    user, organisation = member()
    client = Client()
    password_step(client, user.email)
    assert client.get(reverse("accounts:logout")).status_code == 405
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == LOGIN_URL
    assert not is_logged_in(client)
    [event] = events("auth.logout")
    assert event.chain == chain_for(organisation.uuid) and event.actor_uuid == user.uuid


def test_the_login_page_links_to_password_reset() -> None:
    body = Client().get(LOGIN_URL).content.decode()
    assert reverse("accounts:password_reset") in body and "Wachtwoord vergeten?" in body


def test_the_login_form_survives_naughty_input() -> None:
    user, _ = member()
    submit_naughty(
        Client(), LOGIN_URL, base_data={"username": user.email, "password": "fout-wachtwoord-123"}, fields=["username"]
    )
    submit_naughty(
        Client(), LOGIN_URL, base_data={"username": "iemand@nergens.example", "password": "x"}, fields=["password"]
    )


def test_a_post_without_csrf_token_gets_the_dutch_csrf_page() -> None:
    user, _ = member()
    client = Client(enforce_csrf_checks=True)
    response = password_step(client, user.email)
    assert response.status_code == 403
    assert "Het formulier is verlopen" in response.content.decode()
    assert not is_logged_in(client)
