"""Invitations by e-mail with a one-time link."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from weerbaar.audit.services import diff, record, snapshot
from weerbaar.core.models import Invitation, Membership, Organisation, Unit, User
from weerbaar.core.services.common import lock_organisation, validate_roles
from weerbaar.core.services.members import membership_create, user_create
from weerbaar.core.tenancy import tenant_scope

INVITATION_FIELDS = ("email", "full_name", "roles", "unit", "expires_at")


class InvitationUnusable(ValidationError):
    """The link is expired, used, revoked or unknown."""


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, Invitation.hash_token(token)


def _expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.INVITATION_VALID_DAYS)


def _send_invitation(*, invitation: Invitation, token: str, base_url: str) -> None:
    link = base_url.rstrip("/") + reverse("core:invitation_accept", kwargs={"token": token})
    organisation = invitation.organisation
    inviter = invitation.invited_by
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "organisation": organisation.name,
            "inviter": inviter.full_name if inviter else "",
            "full_name": invitation.full_name,
            "roles": invitation.role_labels(),
            "link": link,
            "expires_at": timezone.localtime(invitation.expires_at),
        }
        body = render_to_string("core/email/invitation.txt", context)
        subject = _("Uitnodiging voor Weerbaar van %(organisation)s") % {"organisation": organisation.name}
    # A name with a line break must never become an extra mail header.
    subject = " ".join(subject.split())[:200]
    recipient = invitation.email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient]))


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    organisation: Organisation,
    email: str,
    roles: Iterable[str],
    unit: Unit | None = None,
    full_name: str = "",
    base_url: str,
) -> Invitation:
    """Store the invitation (only the token's hash) and mail the one-time link after the commit."""
    lock_organisation(organisation.pk)  # a double click must not create two open invitations
    email = email.strip().lower()
    checked_roles = validate_roles(organisation=organisation, roles=roles)
    existing = (
        Membership.cross_tenant_objects.filter(organisation=organisation, user__email__iexact=email)
        .only("is_active")
        .first()
    )
    if existing is not None:
        raise ValidationError(
            {
                "email": _("Deze persoon is al lid van deze organisatie.")
                if existing.is_active
                else _(
                    "Deze persoon heeft een gedeactiveerd lidmaatschap. Heractiveer dat op de pagina van deze "
                    "gebruiker in plaats van een nieuwe uitnodiging te sturen."
                )
            }
        )
    pending = Invitation.cross_tenant_objects.filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    )
    if pending.exists():
        raise ValidationError(
            {"email": _("Er staat al een uitnodiging open voor dit e-mailadres. Verstuur die opnieuw of trek hem in.")}
        )
    unit = Unit.cross_tenant_objects.filter(pk=unit.pk).first() if unit is not None else None
    if unit is not None and (unit.organisation_id != organisation.pk or not unit.is_active):
        raise ValidationError({"unit": _("Kies een actieve afdeling van deze organisatie.")})
    token, token_hash = _new_token()
    invitation = Invitation(
        organisation=organisation,
        email=email,
        full_name=full_name.strip(),
        roles=checked_roles,
        unit=unit,
        invited_by=actor,
        token_hash=token_hash,
        expires_at=_expiry(),
    )
    invitation.full_clean()
    invitation.save()
    record(
        action="invitation.create",
        actor=actor,
        organisation=organisation,
        obj=invitation,
        object_label=email,
        changes=diff({}, snapshot(invitation, INVITATION_FIELDS)),
    )
    _send_invitation(invitation=invitation, token=token, base_url=base_url)
    return invitation


def _lock_pending(invitation: Invitation) -> Invitation:
    locked = (
        # Lock only the invitation row: PostgreSQL cannot lock the nullable side of an outer join.
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "invited_by", "unit")
        .get(pk=invitation.pk)
    )
    if not locked.is_pending:
        raise ValidationError(_("Deze uitnodiging is al aangenomen of ingetrokken."), code="not_pending")
    return locked


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    locked = _lock_pending(invitation)
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at", "updated_at"])
    record(
        action="invitation.revoke",
        actor=actor,
        organisation=locked.organisation,
        obj=locked,
        object_label=locked.email,
        changes={"revoked_at": [None, locked.revoked_at]},
    )
    return locked


@transaction.atomic
def invitation_resend(*, actor: User, invitation: Invitation, base_url: str) -> Invitation:
    """A new token and a new expiry date; the old link stops working at once."""
    locked = _lock_pending(invitation)
    before = snapshot(locked, ("expires_at",))
    token, locked.token_hash = _new_token()
    locked.expires_at = _expiry()
    locked.save(update_fields=["token_hash", "expires_at", "updated_at"])
    record(
        action="invitation.resend",
        actor=actor,
        organisation=locked.organisation,
        obj=locked,
        object_label=locked.email,
        changes=diff(before, snapshot(locked, ("expires_at",))),
    )
    _send_invitation(invitation=locked, token=token, base_url=base_url)
    return locked


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User | None = None, full_name: str = "", password: str = ""
) -> Membership:
    """Join the organisation: a new person gets an account, an existing account holder a membership.

    The link may be opened while another organisation (or none) is bound, so the work runs in the
    invitation's own organisation.
    """
    organisation = invitation.organisation
    with tenant_scope(organisation):
        locked = Invitation.objects.select_for_update(of=("self",)).select_related("unit").get(pk=invitation.pk)
        if not locked.is_usable:
            raise InvitationUnusable(_("Deze uitnodiging is niet meer geldig."), code="unusable")
        if user is None:
            user = user_create(
                actor=None,
                organisation=organisation,
                email=locked.email,
                full_name=full_name or locked.full_name,
                password=password,
            )
        elif user.email.lower() != locked.email.lower():
            raise ValidationError(_("Deze uitnodiging is voor een ander e-mailadres."), code="other_address")
        unit = locked.unit if locked.unit is not None and locked.unit.is_active else None
        membership = membership_create(actor=user, organisation=organisation, user=user, roles=locked.roles, unit=unit)
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at", "updated_at"])
        record(
            action="invitation.accept",
            actor=user,
            organisation=organisation,
            obj=locked,
            object_label=locked.email,
            changes={"accepted_at": [None, locked.accepted_at]},
        )
    return membership
