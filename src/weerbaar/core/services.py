"""Every write to organisations, units, users and memberships, each one audited."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from weerbaar.audit.services import diff, record, snapshot
from weerbaar.core.models import Membership, Organisation, OrganisationKind, Unit, User
from weerbaar.core.permissions import GEMEENTE_ROLES, RIEC_ROLES

UNIT_FIELDS = ("name", "parent", "description", "is_active")
MEMBERSHIP_FIELDS = ("roles", "unit", "is_active")
ORGANISATION_FIELDS = (
    "name",
    "cbs_code",
    "inhabitants",
    "size_class",
    "riec",
    "benchmark_opt_in",
    "two_factor_roles",
    "is_active",
)


class StaleVersion(ValidationError):
    """Someone else saved the object after this form was opened."""


def check_version(current: int, submitted: int | None) -> None:
    if submitted is not None and submitted != current:
        raise StaleVersion(
            _(
                "Iemand anders heeft dit intussen gewijzigd. Uw invoer is niet opgeslagen maar staat nog "
                "in het formulier; bekijk de nieuwe stand en sla daarna opnieuw op."
            ),
            code="stale",
        )


def validate_roles(*, organisation: Organisation, roles: Iterable[str]) -> list[str]:
    roles = sorted(set(roles))
    if not roles:
        raise ValidationError({"roles": _("Kies ten minste één rol.")})
    allowed = GEMEENTE_ROLES if organisation.kind == OrganisationKind.GEMEENTE else RIEC_ROLES
    wrong = [role for role in roles if role not in allowed]
    if wrong:
        raise ValidationError(
            {
                "roles": _("Deze rol(len) passen niet bij dit soort organisatie: %(roles)s.")
                % {"roles": ", ".join(wrong)}
            }
        )
    return roles


@transaction.atomic
def organisation_create(*, actor: User | None, kind: str, name: str, **fields: Any) -> Organisation:
    organisation = Organisation(kind=kind, name=name, **fields)
    organisation.full_clean()
    organisation.save()
    record(
        action="organisation.create",
        actor=actor,
        organisation=organisation,
        obj=organisation,
        changes=diff({}, snapshot(organisation, ("kind", *ORGANISATION_FIELDS))),
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor: User, organisation: Organisation, version: int | None = None, **fields: Any
) -> Organisation:
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    check_version(locked.version, version)
    before = snapshot(locked, ORGANISATION_FIELDS)
    for field, value in fields.items():
        if field not in ORGANISATION_FIELDS:
            raise ValueError(f"{field} cannot be changed here")
        setattr(locked, field, value)
    locked.full_clean()
    changes = diff(before, snapshot(locked, ORGANISATION_FIELDS))
    if changes:
        locked.version += 1
        locked.save()
        record(action="organisation.update", actor=actor, organisation=locked, obj=locked, changes=changes)
    return locked


def _validate_parent(unit: Unit, parent: Unit | None) -> None:
    if parent is None:
        return
    if parent.organisation_id != unit.organisation_id:
        raise ValidationError({"parent": _("Deze afdeling hoort bij een andere organisatie.")})
    ancestor: Unit | None = parent
    while ancestor is not None:
        if unit.pk is not None and ancestor.pk == unit.pk:
            raise ValidationError({"parent": _("Een afdeling kan niet onder zichzelf of een eigen onderdeel vallen.")})
        ancestor = ancestor.parent


@transaction.atomic
def unit_create(
    *, actor: User | None, organisation: Organisation, name: str, parent: Unit | None = None, description: str = ""
) -> Unit:
    unit = Unit(organisation=organisation, name=name.strip(), parent=parent, description=description)
    _validate_parent(unit, parent)
    unit.full_clean()
    unit.save()
    record(
        action="unit.create",
        actor=actor,
        organisation=organisation,
        obj=unit,
        changes=diff({}, snapshot(unit, UNIT_FIELDS)),
    )
    return unit


@transaction.atomic
def unit_update(*, actor: User, unit: Unit, version: int | None = None, **fields: Any) -> Unit:
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    check_version(locked.version, version)
    before = snapshot(locked, UNIT_FIELDS)
    for field, value in fields.items():
        if field not in UNIT_FIELDS:
            raise ValueError(f"{field} cannot be changed here")
        setattr(locked, field, value.strip() if field == "name" else value)
    _validate_parent(locked, locked.parent)
    locked.full_clean()
    changes = diff(before, snapshot(locked, UNIT_FIELDS))
    if changes:
        locked.version += 1
        locked.save()
        record(action="unit.update", actor=actor, organisation=locked.organisation, obj=locked, changes=changes)
    return locked


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
