"""Every write to API keys, each one audited. The secret itself is never stored nor logged."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.api.models import ApiToken, hash_secret
from weerbaar.audit.services import diff, record
from weerbaar.core.models import Membership, Organisation, User

#: The prefix is the public half of a key, used to find it (``ApiToken.prefix`` holds 12 characters).
PREFIX_BYTES = 6
SECRET_BYTES = 32
#: Keys must expire: a forgotten key of a retired integration is a door left open.
MAX_VALIDITY = dt.timedelta(days=366)


@dataclass(frozen=True)
class IssuedApiToken:
    token: ApiToken
    #: ``<prefix>.<secret>``: shown to the beheerder once, then gone.
    key: str


def key_within_rights(*, maker: Membership, member: Membership) -> bool:
    """A key acts with its member's roles; whoever makes it must hold every one of those rights.

    Otherwise a beheerder could hand themselves, say, a vertrouwenspersoon's access to confidential
    reports by making a key in that person's name.
    """
    return member.actions <= maker.actions


@transaction.atomic
def api_token_create(
    *, actor: User, organisation: Organisation, membership: Membership, name: str, expires_at: dt.datetime
) -> IssuedApiToken:
    errors: dict[str, str] = {}
    maker = Membership.objects.filter(organisation=organisation, user=actor).first()
    if membership.organisation_id != organisation.pk:
        errors["membership"] = _("Deze persoon is geen lid van uw organisatie.")
    elif not (membership.is_active and membership.user.is_active):
        errors["membership"] = _(
            "Deze persoon is niet meer actief; er kan geen sleutel namens hem of haar worden gemaakt."
        )
    elif maker is None or not key_within_rights(maker=maker, member=membership):
        errors["membership"] = _(
            "Deze persoon mag dingen die u zelf niet mag. Een sleutel geeft nooit meer rechten dan die van wie "
            "hem maakt."
        )
    now = timezone.now()
    if expires_at <= now:
        errors["expires_at"] = _("Kies een datum in de toekomst.")
    elif expires_at > now + MAX_VALIDITY:
        errors["expires_at"] = _("Een sleutel is hoogstens een jaar geldig. Kies een eerdere datum.")
    if errors:
        raise ValidationError(errors)
    prefix = secrets.token_hex(PREFIX_BYTES)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken(
        organisation=organisation,
        membership=membership,
        name=name.strip(),
        prefix=prefix,
        key_hash=hash_secret(secret),
        created_by=actor,
        expires_at=expires_at,
    )
    token.full_clean()
    token.save()
    record(
        action="api_token.create",
        actor=actor,
        organisation=organisation,
        obj=token,
        changes=diff(
            {},
            {"name": token.name, "member": membership.user.email, "prefix": prefix, "expires_at": expires_at},
        ),
    )
    return IssuedApiToken(token=token, key=f"{prefix}.{secret}")


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoking is final and idempotent: a second revoke changes nothing and records nothing."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at", "updated_at"])
    record(
        action="api_token.revoke",
        actor=actor,
        organisation=token.organisation,
        obj=locked,
        changes=diff({"revoked_at": None}, {"revoked_at": locked.revoked_at}),
    )
    return locked
