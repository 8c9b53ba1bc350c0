"""Reads about a person's sign-in security: second factor, recovery codes, the organisations' policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from weerbaar.core.models import Membership, Organisation, User
from weerbaar.core.selectors import active_memberships_of_user


def totp_device_of(user: User | Any) -> TOTPDevice | None:
    """The confirmed authenticator app of a user; its presence is what "two-factor on" means."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_device_of(user: User | Any) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_two_factor(user: User | Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User | Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def two_factor_required(membership: Membership | Any) -> bool:
    """The organisation's policy (``two_factor_roles``) names one of this membership's roles."""
    if membership is None or not membership.is_active:
        return False
    mandatory = membership.organisation.two_factor_roles or []
    return bool(set(mandatory) & set(membership.roles or []))


def organisations_requiring_two_factor(user: User | Any) -> list[Organisation]:
    """Switching two-factor off is refused while any of these exists, whichever organisation is active."""
    return [m.organisation for m in active_memberships_of_user(user) if two_factor_required(m)]


def user_from_uidb64(uidb64: str) -> User | None:
    """The user a password-reset link points at, or None for a broken or foreign id."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, ValidationError):
        return None
    if pk <= 0 or pk > 2**63 - 1:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


@dataclass(frozen=True)
class SecurityOverview:
    """What "Mijn beveiliging" shows."""

    has_two_factor: bool
    recovery_codes_left: int
    required_by: list[Organisation]

    @property
    def disable_allowed(self) -> bool:
        return self.has_two_factor and not self.required_by


def security_overview(*, user: User | Any) -> SecurityOverview:
    enabled = has_two_factor(user)
    return SecurityOverview(
        has_two_factor=enabled,
        recovery_codes_left=recovery_codes_left(user) if enabled else 0,
        required_by=organisations_requiring_two_factor(user),
    )
