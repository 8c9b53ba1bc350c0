from __future__ import annotations

import time

import pytest
from axes.models import AccessAttempt
from django.conf import LazySettings
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from weerbaar.accounts import services
from weerbaar.audit.models import Result, chain_for
from weerbaar.testing.naughty import NAUGHTY_STRINGS, submit_naughty

from .utils import VERIFY_URL, app_code, events, give_app, is_logged_in, member, password_step

pytestmark = pytest.mark.django_db


def test_the_password_alone_does_not_log_in_a_user_with_an_app() -> None:
    user, _ = member()
    give_app(user)
    client = Client()
    response = password_step(client, user.email)
    assert response.status_code == 302 and response["Location"] == VERIFY_URL
    assert not is_logged_in(client)
    assert client.get(reverse("core:home")).status_code == 302
    assert not events("auth.login")
    page = client.get(VERIFY_URL)
    assert page.status_code == 200 and "Bevestig dat u het bent" in page.content.decode()


def test_the_app_code_completes_the_login_verified_and_keeps_next() -> None:
    user, organisation = member()
    device = give_app(user)
    client = Client()
    password_step(client, user.email, next="/mijn-beveiliging")
    response = client.post(VERIFY_URL, {"code": app_code(device)})
    assert response.status_code == 302 and response["Location"] == "/mijn-beveiliging"
    assert is_logged_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    [event] = events("auth.login")
    assert event.chain == chain_for(organisation.uuid) and "authenticator-app" in event.reason


def test_an_app_code_cannot_be_used_twice() -> None:
    user, _ = member()
    device = give_app(user)
    code = app_code(device)
    first = Client()
    password_step(first, user.email)
    assert first.post(VERIFY_URL, {"code": code}).status_code == 302
    second = Client()
    password_step(second, user.email)
    response = second.post(VERIFY_URL, {"code": code})
    assert response.status_code == 200 and not is_logged_in(second)
    assert "Deze code klopt niet" in response.content.decode()


def test_a_recovery_code_logs_in_once_whatever_the_spelling() -> None:
    user, _ = member()
    give_app(user, recovery_codes=["abcdefgh", "ijklmnop"])
    client = Client()
    password_step(client, user.email)
    response = client.post(VERIFY_URL, {"code": " ABCD-efgh "}, follow=True)
    assert is_logged_in(client)
    assert "nog 1 herstelcode over" in response.content.decode()
    assert "herstelcode" in events("auth.login")[0].reason
    again = Client()
    password_step(again, user.email)
    assert again.post(VERIFY_URL, {"code": "abcdefgh"}).status_code == 200
    assert not is_logged_in(again)


def test_wrong_codes_are_audited_counted_and_after_five_the_login_starts_over() -> None:
    user, organisation = member()
    device = give_app(user)
    client = Client()
    password_step(client, user.email)
    for attempt in range(1, 5):
        response = client.post(VERIFY_URL, {"code": "000000" if attempt % 2 else "zzzzzzzz"})
        assert response.status_code == 200
        assert f"nog {5 - attempt} keer" in response.content.decode()
    response = client.post(VERIFY_URL, {"code": "999999"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    # The pending login is gone: even the right code does not help now.
    assert client.post(VERIFY_URL, {"code": app_code(device)})["Location"] == reverse("accounts:login")
    assert not is_logged_in(client)
    failed = events("auth.2fa_failed")
    assert len(failed) == 5
    assert all(e.chain == chain_for(organisation.uuid) and e.result == Result.FAILURE for e in failed)
    # …and it counts as a failed login towards the lockout.
    assert AccessAttempt.objects.get(username=user.email).failures_since_start == 1


def test_quick_guesses_are_slowed_down_by_the_device(settings: LazySettings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    user, _ = member()
    device = give_app(user)
    client = Client()
    password_step(client, user.email)
    client.post(VERIFY_URL, {"code": "000000"})
    response = client.post(VERIFY_URL, {"code": app_code(device)})
    assert response.status_code == 200 and not is_logged_in(client)
    assert "Wacht 1 seconde" in response.content.decode()


def test_the_code_page_without_a_pending_login_sends_to_the_login_page() -> None:
    assert Client().get(VERIFY_URL)["Location"] == reverse("accounts:login")
    response = Client().post(VERIFY_URL, {"code": "123456"})
    assert response["Location"] == reverse("accounts:login")


def test_a_pending_login_expires() -> None:
    user, _ = member()
    device = give_app(user)
    client = Client()
    password_step(client, user.email)
    session = client.session
    pending = session[services.PENDING_LOGIN_SESSION_KEY]
    pending["since"] = int(time.time()) - services.PENDING_LOGIN_SECONDS - 1
    session[services.PENDING_LOGIN_SESSION_KEY] = pending
    session.save()
    response = client.post(VERIFY_URL, {"code": app_code(device)})
    assert response["Location"] == reverse("accounts:login") and not is_logged_in(client)


def test_the_code_form_survives_naughty_input() -> None:
    user, _ = member()
    give_app(user)
    client = Client()
    password_step(client, user.email)
    # Fewer than five strings per pending login, so every one reaches the form.
    for start in range(0, len(NAUGHTY_STRINGS), 4):
        password_step(client, user.email)
        submit_naughty(client, VERIFY_URL, base_data={}, fields=["code"], strings=NAUGHTY_STRINGS[start : start + 4])
