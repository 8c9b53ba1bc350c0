"""Organisations: creating one, and the beheerder's settings."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from weerbaar.audit.services import diff, record, snapshot
from weerbaar.core.models import Organisation, OrganisationKind, SizeClass, User
from weerbaar.core.services.common import check_version, roles_for_kind

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
    _validate_organisation(locked)
    locked.full_clean()
    changes = diff(before, snapshot(locked, ORGANISATION_FIELDS))
    if changes:
        locked.version += 1
        locked.save()
        record(action="organisation.update", actor=actor, organisation=locked, obj=locked, changes=changes)
    return locked


def _validate_organisation(organisation: Organisation) -> None:
    errors: dict[str, str] = {}
    if organisation.riec is not None and organisation.riec.kind != OrganisationKind.RIEC:
        errors["riec"] = _("Kies een RIEC-regio uit de lijst.")
    if organisation.kind == OrganisationKind.GEMEENTE:
        # The regional comparison groups gemeenten by RIEC; without one there is nothing to join.
        if organisation.benchmark_opt_in and organisation.riec is None:
            errors["benchmark_opt_in"] = _("Kies eerst de RIEC-regio; pas dan kunt u meedoen aan de vergelijking.")
        # Benchmarks compare like with like: the size class must match the number of inhabitants.
        if organisation.inhabitants is not None and organisation.size_class:
            expected = SizeClass.for_inhabitants(organisation.inhabitants)
            if organisation.size_class != expected:
                errors["size_class"] = _("Bij %(count)s inwoners hoort de grootteklasse “%(label)s”.") % {
                    "count": f"{organisation.inhabitants:,}".replace(",", "."),
                    "label": expected.label,
                }
    else:
        organisation.benchmark_opt_in = False
    roles = organisation.two_factor_roles
    if not isinstance(roles, list) or any(role not in roles_for_kind(organisation.kind) for role in roles):
        errors["two_factor_roles"] = _("Kies alleen rollen die in deze organisatie bestaan.")
    else:
        organisation.two_factor_roles = sorted(set(roles))
    if errors:
        raise ValidationError(errors)
