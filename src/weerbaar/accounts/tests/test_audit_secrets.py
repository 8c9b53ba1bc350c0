from __future__ import annotations

import re
from base64 import b32encode
from binascii import unhexlify
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from weerbaar.accounts import services
from weerbaar.testing.factories import TEST_PASSWORD

from .utils import ENROL_URL, VERIFY_URL, all_audit_text, app_code, events, is_logged_in, member, password_step

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Geheim-nieuw-wachtwoord-31415"
RESET_PASSWORD = "Geheim-hersteld-wachtwoord-27182"
WRONG_PASSWORD = "Geheim-fout-wachtwoord-16180"


def test_no_password_code_key_or_token_ever_reaches_the_audit_trail(django_capture_on_commit_callbacks: Any) -> None:
    user, _ = member()
    secrets = [TEST_PASSWORD, NEW_PASSWORD, RESET_PASSWORD, WRONG_PASSWORD, "271828", "zyxwvuts"]

    password_step(Client(), user.email, WRONG_PASSWORD)
    client = Client()
    password_step(client, user.email)
    client.get(ENROL_URL)
    secret = client.session[services.ENROLMENT_SESSION_KEY]
    secrets += [secret, b32encode(unhexlify(secret)).decode()]
    response = client.post(ENROL_URL, {"code": f"{totp(unhexlify(secret)):06d}"})
    codes = re.findall(r"<code>([a-z2-7]{4})-([a-z2-7]{4})</code>", client.get(response["Location"]).content.decode())
    secrets += [a + b for a, b in codes]
    device = TOTPDevice.objects.get(user=user)

    client.post(
        reverse("accounts:password_change"),
        {"current_password": TEST_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    client.post(reverse("accounts:recovery_codes_regenerate"), {"herstelcodes-code": "271828"})
    client.post(reverse("accounts:two_factor_disable"), {"uitschakelen-code": "zyxwvuts"})

    second = Client()
    password_step(second, user.email, NEW_PASSWORD)
    second.post(VERIFY_URL, {"code": "271828"})
    used = app_code(device, steps_ahead=1)
    secrets.append(used)
    second.post(VERIFY_URL, {"code": used})
    assert is_logged_in(second)

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("accounts:password_reset"), {"email": user.email})
    link = re.search(r"https?://\S+", str(mail.outbox[0].body))
    assert link
    secrets.append(link.group(0).rstrip("/").split("/")[-1])
    reset = Client()
    step = reset.get(link.group(0))
    reset.post(step["Location"], {"new_password1": RESET_PASSWORD, "new_password2": RESET_PASSWORD})

    for action in [
        "auth.login",
        "auth.login_failed",
        "auth.2fa_enabled",
        "auth.2fa_failed",
        "auth.password_changed",
        "auth.password_reset_requested",
        "auth.password_reset_done",
    ]:
        assert events(action), f"no {action} event was written"
    trail = all_audit_text()
    leaked = [secret for secret in secrets if secret and secret in trail]
    assert not leaked, f"secrets in the audit trail: {leaked}"


def test_a_password_typed_into_the_email_field_never_reaches_the_trail() -> None:
    from django.test import Client

    from weerbaar.audit.models import AuditEvent

    Client().post("/inloggen", {"username": "Geheim-Wachtwoord-123", "password": "x"})
    Client().post("/inloggen", {"username": "iemand@aadorp.example", "password": "x"})
    labels = list(AuditEvent.all_chains.values_list("actor_label", "object_label"))
    assert all("Geheim-Wachtwoord-123" not in " ".join(pair) for pair in labels)
    assert ("[geen geldig e-mailadres]", "[geen geldig e-mailadres]") in labels
    assert any(pair[0] == "iemand@aadorp.example" for pair in labels)
