"""Users and memberships: roles, deactivation, the last-beheerder guard and the access review."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.audit.services import diff, record, snapshot
from weerbaar.core.models import Membership, Organisation, Unit, User
from weerbaar.core.permissions import Role, actions_for_roles
from weerbaar.core.services import ownership
from weerbaar.core.services.common import check_version, lock_organisation, validate_roles

MEMBERSHIP_FIELDS = ("roles", "unit", "is_active")


@transaction.atomic
def membership_create(
    *,
    actor: User | None,
    organisation: Organisation,
    user: User,
    roles: Iterable[str],
    unit: Unit | None = None,
) -> Membership:
    checked_roles = validate_roles(organisation=organisation, roles=roles)
    if Membership.cross_tenant_objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError({"email": _("Deze persoon is al lid van deze organisatie.")})
    membership = Membership(organisation=organisation, user=user, roles=checked_roles, unit=unit)
    membership.full_clean()
    membership.save()
    record(
        action="membership.create",
        actor=actor,
        organisation=organisation,
        obj=membership,
        object_label=user.email,
        changes=diff({}, snapshot(membership, MEMBERSHIP_FIELDS)),
    )
    return membership


@transaction.atomic
def user_create(
    *, actor: User | None, organisation: Organisation | None, email: str, full_name: str, password: str | None = None
) -> User:
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("Er bestaat al een account met dit e-mailadres.")})
    user = User(email=email, full_name=full_name.strip())
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    record(
        action="user.create",
        actor=actor,
        organisation=organisation,
        obj=user,
        object_label=user.email,
        changes=diff({}, {"email": user.email, "full_name": user.full_name, "password": "set" if password else ""}),
    )
    return user


# --- memberships --------------------------------------------------------------------------------


def _guard_last_beheerder(*, actor: User, membership: Membership, field: str) -> None:
    """Refuse a change that would leave the organisation without an active beheerder."""
    others = (
        Membership.cross_tenant_objects.filter(organisation_id=membership.organisation_id, is_active=True)
        .exclude(pk=membership.pk)
        .values_list("roles", flat=True)
    )
    if any(Role.BEHEERDER in roles for roles in others):
        return
    if membership.user_id == actor.pk:
        message = _(
            "U bent de laatste actieve functioneel beheerder van deze organisatie. Geef eerst iemand anders "
            "de rol functioneel beheerder; anders kan niemand meer gebruikers en instellingen beheren."
        )
    else:
        message = _(
            "Dit is de laatste actieve functioneel beheerder van deze organisatie. Geef eerst iemand anders "
            "de rol functioneel beheerder; anders kan niemand meer gebruikers en instellingen beheren."
        )
    raise ValidationError({field: message} if field else message, code="last_beheerder")


def _validate_member_unit(membership: Membership, unit: Unit | None, previous_unit_id: int | None) -> None:
    if unit is None:
        return
    if unit.organisation_id != membership.organisation_id:
        raise ValidationError({"unit": _("Deze afdeling hoort bij een andere organisatie.")})
    if not unit.is_active and unit.pk != previous_unit_id:
        raise ValidationError(
            {"unit": _("“%(name)s” is gearchiveerd; kies een actieve afdeling.") % {"name": unit.name}}
        )


@transaction.atomic
def membership_update(
    *,
    actor: User,
    membership: Membership,
    roles: Iterable[str],
    unit: Unit | None,
    version: int | None = None,
) -> Membership:
    lock_organisation(membership.organisation_id)
    locked = (
        Membership.objects.select_for_update(of=("self",)).select_related("organisation", "user").get(pk=membership.pk)
    )
    check_version(locked.version, version)
    if not locked.is_active:
        raise ValidationError(_("Deze persoon is gedeactiveerd. Activeer het lidmaatschap eerst opnieuw."))
    checked_roles = validate_roles(organisation=locked.organisation, roles=roles)
    if locked.user_id == actor.pk and actions_for_roles(checked_roles) - actions_for_roles(locked.roles):
        # Separation of duties: nobody widens their own rights; another beheerder must do it.
        raise ValidationError(
            {"roles": _("U kunt uzelf geen rollen met extra rechten geven. Vraag een andere beheerder.")}
        )
    _validate_member_unit(locked, unit, locked.unit_id)
    if locked.is_active and Role.BEHEERDER in locked.roles and Role.BEHEERDER not in checked_roles:
        _guard_last_beheerder(actor=actor, membership=locked, field="roles")
    before = snapshot(locked, MEMBERSHIP_FIELDS)
    locked.roles = checked_roles
    locked.unit = unit
    locked.full_clean()
    changes = diff(before, snapshot(locked, MEMBERSHIP_FIELDS))
    if changes:
        locked.version += 1
        locked.save()
        record(
            action="membership.update",
            actor=actor,
            organisation=locked.organisation,
            obj=locked,
            object_label=locked.user.email,
            changes=changes,
        )
    return locked


def _set_membership_active(
    *,
    actor: User,
    membership: Membership,
    version: int | None,
    active: bool,
    action: str,
    reason: str = "",
    new_owner: Membership | None = None,
) -> Membership:
    lock_organisation(membership.organisation_id)
    locked = (
        Membership.objects.select_for_update(of=("self",)).select_related("organisation", "user").get(pk=membership.pk)
    )
    check_version(locked.version, version)
    if locked.is_active == active:
        raise ValidationError(
            _("Dit lidmaatschap is al actief.") if active else _("Dit lidmaatschap is al gedeactiveerd."),
            code="unchanged",
        )
    if not active and Role.BEHEERDER in locked.roles:
        _guard_last_beheerder(actor=actor, membership=locked, field="")
    if not active:
        owned = ownership.owned_by(locked)
        if owned and new_owner is None:
            raise ownership.owner_required_error(owned)
        if owned and new_owner is not None:
            ownership.transfer_all(actor=actor, source=locked, target=new_owner)
    fields = (*MEMBERSHIP_FIELDS, "deactivated_at")
    before = snapshot(locked, fields)
    locked.is_active = active
    locked.deactivated_at = None if active else timezone.now()
    locked.version += 1
    locked.save()
    record(
        action=action,
        actor=actor,
        organisation=locked.organisation,
        obj=locked,
        object_label=locked.user.email,
        changes=diff(before, snapshot(locked, fields)),
        reason=reason,
    )
    return locked


@transaction.atomic
def membership_deactivate(
    *,
    actor: User,
    membership: Membership,
    version: int | None = None,
    reason: str = "",
    new_owner: Membership | None = None,
) -> Membership:
    """Memberships are never deleted: the trail and earlier ratings keep pointing at the person.

    A member who still owns processes (or other work) needs ``new_owner``, who takes it all over.
    """
    return _set_membership_active(
        actor=actor,
        membership=membership,
        version=version,
        active=False,
        action="membership.deactivate",
        reason=reason.strip(),
        new_owner=new_owner,
    )


@transaction.atomic
def membership_reactivate(*, actor: User, membership: Membership, version: int | None = None) -> Membership:
    return _set_membership_active(
        actor=actor, membership=membership, version=version, active=True, action="membership.reactivate"
    )


# --- access review (BIO2: review access rights yearly, privileged rights quarterly) -----------------


@transaction.atomic
def access_review_confirm(*, actor: User, membership: Membership, version: int | None = None) -> Membership:
    """The reviewer confirms the roles they saw; the version makes sure nobody changed them meanwhile."""
    locked = (
        Membership.objects.select_for_update(of=("self",)).select_related("organisation", "user").get(pk=membership.pk)
    )
    check_version(locked.version, version)
    if locked.user_id == actor.pk:
        # A review of your own access by yourself is no review (BIO2 5.18).
        raise ValidationError(_("U kunt uw eigen toegang niet zelf bevestigen. Vraag een andere beheerder."))
    if not locked.is_active:
        raise ValidationError(_("Een gedeactiveerd lidmaatschap hoeft niet gecontroleerd te worden."), code="inactive")
    fields = ("roles", "unit", "last_reviewed_at", "last_reviewed_by")
    before = snapshot(locked, fields)
    locked.last_reviewed_at = timezone.now()
    locked.last_reviewed_by = actor
    locked.save(update_fields=["last_reviewed_at", "last_reviewed_by", "updated_at"])
    changes = diff(before, snapshot(locked, fields))
    # The confirmed roles are part of the evidence, also when they did not change.
    changes["roles"] = [locked.roles, locked.roles]
    record(
        action="access_review.confirm",
        actor=actor,
        organisation=locked.organisation,
        obj=locked,
        object_label=locked.user.email,
        changes=changes,
    )
    return locked


@transaction.atomic
def access_review_revoke(
    *,
    actor: User,
    membership: Membership,
    reason: str,
    version: int | None = None,
    new_owner: Membership | None = None,
) -> Membership:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Geef aan waarom de toegang wordt ingetrokken.")})
    locked = _set_membership_active(
        actor=actor,
        membership=membership,
        version=version,
        active=False,
        action="access_review.revoke",
        reason=reason,
        new_owner=new_owner,
    )
    locked.last_reviewed_at = timezone.now()
    locked.last_reviewed_by = actor
    locked.save(update_fields=["last_reviewed_at", "last_reviewed_by", "updated_at"])
    return locked


# --- invitations ------------------------------------------------------------------------------------
