from __future__ import annotations

import re
from binascii import unhexlify

import pytest
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from weerbaar.accounts import services
from weerbaar.audit.models import Result, chain_for
from weerbaar.core.models import User
from weerbaar.testing.factories import TEST_PASSWORD
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import login_client

from .utils import ENROL_URL, SECURITY_URL, VERIFY_URL, app_code, events, give_app, is_logged_in, member, password_step

pytestmark = pytest.mark.django_db

REGENERATE_URL = reverse("accounts:recovery_codes_regenerate")
DISABLE_URL = reverse("accounts:two_factor_disable")
PASSWORD_URL = reverse("accounts:password_change")
CODES_URL = reverse("accounts:recovery_codes")
NEW_PASSWORD = "Een-nieuw-en-lang-wachtwoord-77"


def _verified_client(user: User, device: TOTPDevice) -> Client:
    client = Client()
    password_step(client, user.email)
    client.post(VERIFY_URL, {"code": app_code(device)})
    assert is_logged_in(client)
    return client


def _enrol_code(client: Client) -> str:
    secret = client.session[services.ENROLMENT_SESSION_KEY]
    return f"{totp(unhexlify(secret)):06d}"


def test_the_page_shows_two_factor_off_with_a_way_to_switch_it_on() -> None:
    user, _ = member()
    body = login_client(user).get(SECURITY_URL).content.decode()
    assert "Mijn beveiliging" in body and ">Uit<" in body and ENROL_URL in body
    assert user.email in body


def test_enrolment_shows_an_accessible_qr_code_without_inline_style_and_a_manual_key() -> None:
    user, _ = member()
    client = login_client(user)
    body = client.get(ENROL_URL).content.decode()
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert 'role="img"' in svg and "<title" in svg and "aria-label=" in svg
    assert "style=" not in svg.lower()
    assert re.search(r"<code>([A-Z2-7]{4} ){7}[A-Z2-7]{4}</code>", body)
    # Nothing is stored before the code is confirmed; a reload shows the same key.
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get(ENROL_URL).content.decode().count(svg) == 1


def test_enrolment_confirms_with_a_code_then_shows_ten_recovery_codes_once() -> None:
    user, organisation = member()
    client = login_client(user)
    client.get(ENROL_URL)
    wrong = client.post(ENROL_URL, {"code": "000000"})
    assert wrong.status_code == 200 and "Deze code klopt niet" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
    response = client.post(ENROL_URL, {"code": _enrol_code(client), "next": "/"})
    assert response.status_code == 302 and response["Location"] == CODES_URL + "?next=%2F"
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    page = client.get(response["Location"]).content.decode()
    shown = re.findall(r"<code>([a-z2-7]{4})-([a-z2-7]{4})</code>", page)
    assert len(shown) == 10
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert {a + b for a, b in shown} == stored
    assert client.get(CODES_URL)["Location"] == SECURITY_URL
    [event] = events("auth.2fa_enabled")
    assert event.chain == chain_for(organisation.uuid)
    assert ">Aan<" in client.get(SECURITY_URL).content.decode()


def test_new_recovery_codes_need_a_code_and_replace_the_old_ones() -> None:
    user, _ = member()
    device = give_app(user, recovery_codes=["abcdefgh"])
    client = _verified_client(user, device)
    refused = client.post(REGENERATE_URL, {"herstelcodes-code": "123456"})
    assert refused.status_code == 200 and "Deze code klopt niet" in refused.content.decode()
    assert events("auth.2fa_failed")[-1].result == Result.FAILURE
    response = client.post(REGENERATE_URL, {"herstelcodes-code": app_code(device, steps_ahead=1)})
    assert response["Location"] == CODES_URL
    tokens = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(tokens) == 10 and "abcdefgh" not in tokens
    assert len(events("auth.recovery_codes_regenerated")) == 1
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id  # still verified


def test_switching_off_needs_a_current_code_and_is_audited() -> None:
    user, organisation = member()
    device = give_app(user)
    client = _verified_client(user, device)
    refused = client.post(DISABLE_URL, {"uitschakelen-code": "123456"})
    assert refused.status_code == 200 and TOTPDevice.objects.filter(user=user).exists()
    response = client.post(DISABLE_URL, {"uitschakelen-code": "ijklmnop"})
    assert response["Location"] == SECURITY_URL
    assert not TOTPDevice.objects.filter(user=user).exists() and not StaticDevice.objects.filter(user=user).exists()
    [event] = events("auth.2fa_disabled")
    assert event.chain == chain_for(organisation.uuid)
    # From now on the password alone logs in.
    again = Client()
    assert password_step(again, user.email)["Location"] == reverse("core:home")


def test_switching_off_is_refused_when_the_organisation_requires_it_for_a_role() -> None:
    user, organisation = member(roles=["coordinator"], two_factor_roles=["coordinator"])
    device = give_app(user)
    client = _verified_client(user, device)
    page = client.get(SECURITY_URL).content.decode()
    assert "Niet mogelijk:" in page and organisation.name in page and DISABLE_URL not in page
    response = client.post(DISABLE_URL, {"uitschakelen-code": app_code(device, steps_ahead=1)})
    assert response.status_code == 200
    assert "niet uitschakelen" in response.content.decode()
    assert TOTPDevice.objects.filter(user=user).exists() and not events("auth.2fa_disabled")


def test_changing_the_password_needs_the_current_one_and_keeps_this_session() -> None:
    user, organisation = member()
    client = login_client(user)
    wrong = client.post(
        PASSWORD_URL, {"current_password": "fout", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert "Uw huidige wachtwoord is niet juist." in wrong.content.decode()
    response = client.post(
        PASSWORD_URL,
        {"current_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == SECURITY_URL
    assert client.get(SECURITY_URL).status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    [event] = events("auth.password_changed")
    assert event.chain == chain_for(organisation.uuid)


def test_a_new_password_must_pass_the_validators_with_dutch_messages() -> None:
    user, _ = member()
    client = login_client(user)
    short = client.post(
        PASSWORD_URL, {"current_password": TEST_PASSWORD, "new_password1": "kort", "new_password2": "kort"}
    ).content.decode()
    assert "te kort" in short
    numeric = client.post(
        PASSWORD_URL,
        {"current_password": TEST_PASSWORD, "new_password1": "123456789012345", "new_password2": "123456789012345"},
    ).content.decode()
    assert "bestaat alleen uit cijfers" in numeric
    mismatch = client.post(
        PASSWORD_URL,
        {"current_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
    ).content.decode()
    assert "niet gelijk" in mismatch
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD) and not events("auth.password_changed")


def test_the_security_forms_survive_naughty_input() -> None:
    user, _ = member()
    device = give_app(user)
    client = _verified_client(user, device)
    submit_naughty(client, REGENERATE_URL, base_data={}, fields=["herstelcodes-code"])
    submit_naughty(client, DISABLE_URL, base_data={}, fields=["uitschakelen-code"])
    submit_naughty(
        client,
        PASSWORD_URL,
        base_data={"current_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        fields=["current_password", "new_password2"],
    )
    assert TOTPDevice.objects.filter(user=user).exists()
    newcomer, _ = member()
    other = login_client(newcomer)
    other.get(ENROL_URL)
    submit_naughty(other, ENROL_URL, base_data={}, fields=["code", "next"])
