"""Small builders for the accounts tests: members, authenticator apps, codes, the two login steps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from weerbaar.audit.models import AuditEvent
from weerbaar.core.models import Organisation, User
from weerbaar.core.tenancy import tenant_scope
from weerbaar.testing.factories import TEST_PASSWORD, MembershipFactory, OrganisationFactory, UserFactory

LOGIN_URL = reverse("accounts:login")
VERIFY_URL = reverse("accounts:login_verify")
SECURITY_URL = reverse("accounts:security")
ENROL_URL = reverse("accounts:two_factor_enrol")


def member(
    *, roles: Iterable[str] = ("medewerker",), two_factor_roles: Iterable[str] = (), email: str | None = None
) -> tuple[User, Organisation]:
    organisation: Organisation = OrganisationFactory.create(two_factor_roles=list(two_factor_roles))
    user: User = UserFactory.create(**({"email": email} if email else {}))
    with tenant_scope(organisation):
        MembershipFactory(organisation=organisation, user=user, roles=list(roles))
    return user, organisation


def give_app(user: User, *, recovery_codes: Iterable[str] = ("abcdefgh", "ijklmnop", "qrstuvwx")) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="Authenticator-app", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="Herstelcodes", confirmed=True)
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in recovery_codes])
    return device


def app_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app shows now (or ``steps_ahead`` periods later; the server accepts one step of skew)."""
    device.refresh_from_db()
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=steps_ahead)
    return f"{value:06d}"


def password_step(client: Client, email: str, password: str = TEST_PASSWORD, **extra: Any) -> Any:
    return client.post(LOGIN_URL, {"username": email, "password": password, **extra})


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.all_chains.filter(action=action).order_by("id"))


def all_audit_text() -> str:
    """Every free-text part of the trail as one string, to prove secrets never land in it.

    Hashes, UUIDs and timestamps are left out: a six-digit code could appear in them by chance.
    """
    fields = ("actor_label", "action", "object_type", "object_label", "origin", "changes", "reason")
    rows = AuditEvent.all_chains.all().values(*fields)
    return "\n".join(repr([row[field] for field in fields]) for row in rows)


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session
