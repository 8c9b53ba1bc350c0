"""Units (afdelingen en teams): the tree, archived instead of deleted."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from weerbaar.audit.services import diff, record, snapshot
from weerbaar.core.models import Organisation, Unit, User
from weerbaar.core.services.common import check_version, lock_organisation

UNIT_FIELDS = ("name", "parent", "description", "is_active")


def _validate_unit(unit: Unit) -> None:
    """The tree rules: no cycles, one name per level, nothing active under an archived unit.

    Runs under the organisation lock and reads the parent afresh: the form's copy may be stale.
    """
    parent = Unit.cross_tenant_objects.filter(pk=unit.parent_id).first() if unit.parent_id else None
    if parent is not None:
        if parent.organisation_id != unit.organisation_id:
            raise ValidationError({"parent": _("Deze afdeling hoort bij een andere organisatie.")})
        ancestor: Unit | None = parent
        while ancestor is not None:
            if unit.pk is not None and ancestor.pk == unit.pk:
                raise ValidationError(
                    {"parent": _("Een afdeling kan niet onder zichzelf of onder een eigen onderdeel vallen.")}
                )
            ancestor = ancestor.parent
        if unit.is_active and not parent.is_active:
            raise ValidationError(
                {
                    "parent": _("“%(name)s” is gearchiveerd. Kies een actieve afdeling of heractiveer die eerst.")
                    % {"name": parent.name}
                }
            )
    siblings = Unit.cross_tenant_objects.filter(organisation_id=unit.organisation_id, parent=parent)
    if unit.name and siblings.filter(name__iexact=unit.name).exclude(pk=unit.pk).exists():
        raise ValidationError(
            {
                "name": _("Op deze plek in de boom bestaat al een afdeling of team met de naam “%(name)s”.")
                % {"name": unit.name}
            }
        )
    if not unit.is_active and unit.pk is not None:
        active_children = list(
            Unit.cross_tenant_objects.filter(parent=unit, is_active=True)
            .order_by("name")
            .values_list("name", flat=True)
        )
        if active_children:
            raise ValidationError(
                _(
                    "“%(name)s” heeft nog actieve onderdelen: %(children)s. Archiveer of verplaats die eerst, "
                    "dan kunt u “%(name)s” archiveren."
                )
                % {"name": unit.name, "children": ", ".join(active_children)},
                code="active_children",
            )


@transaction.atomic
def unit_create(
    *, actor: User | None, organisation: Organisation, name: str, parent: Unit | None = None, description: str = ""
) -> Unit:
    lock_organisation(organisation.pk)
    unit = Unit(organisation=organisation, name=name.strip(), parent=parent, description=description.strip())
    _validate_unit(unit)
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


def _unit_change(*, actor: User, unit: Unit, version: int | None, action: str, fields: dict[str, Any]) -> Unit:
    lock_organisation(unit.organisation_id)
    locked = Unit.objects.select_for_update().get(pk=unit.pk)
    check_version(locked.version, version)
    before = snapshot(locked, UNIT_FIELDS)
    for field, value in fields.items():
        if field not in UNIT_FIELDS:
            raise ValueError(f"{field} cannot be changed here")
        setattr(locked, field, value.strip() if isinstance(value, str) else value)
    _validate_unit(locked)
    locked.full_clean()
    changes = diff(before, snapshot(locked, UNIT_FIELDS))
    if changes:
        locked.version += 1
        locked.save()
        record(action=action, actor=actor, organisation=locked.organisation, obj=locked, changes=changes)
    return locked


@transaction.atomic
def unit_update(*, actor: User, unit: Unit, version: int | None = None, **fields: Any) -> Unit:
    return _unit_change(actor=actor, unit=unit, version=version, action="unit.update", fields=fields)


@transaction.atomic
def unit_archive(*, actor: User, unit: Unit, version: int | None = None) -> Unit:
    """Units are archived, never deleted: processes, scans and the audit trail keep pointing at them."""
    return _unit_change(actor=actor, unit=unit, version=version, action="unit.archive", fields={"is_active": False})


@transaction.atomic
def unit_reactivate(*, actor: User, unit: Unit, version: int | None = None) -> Unit:
    return _unit_change(actor=actor, unit=unit, version=version, action="unit.reactivate", fields={"is_active": True})
