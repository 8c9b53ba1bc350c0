"""Positions (functies) and the external context profile, each change audited."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from weerbaar.audit.services import diff, record, snapshot
from weerbaar.catalogue.models import Circumstance, CircumstanceKind
from weerbaar.core.models import Organisation, Unit, User
from weerbaar.core.services.common import check_version, lock_organisation
from weerbaar.register.models import ContextItem, Position, RiskArea

POSITION_FIELDS = (
    "name",
    "unit",
    "fte",
    "screening_level",
    "risk_areas",
    "renewal_years",
    "last_screening_on",
    "is_active",
)
EDITABLE_POSITION_FIELDS = frozenset(POSITION_FIELDS) - {"is_active"}
CONTEXT_FIELDS = ("applies", "severity", "note")


def _normalise(position: Position) -> None:
    position.name = (position.name or "").strip()
    if isinstance(position.risk_areas, list):
        # Store the areas in the profile's own order, so an unchanged choice is never a change.
        order = {value: index for index, value in enumerate(RiskArea.values)}
        position.risk_areas = sorted(position.risk_areas, key=lambda area: order.get(area, len(order)))


def _check_unit(position: Position) -> None:
    unit = position.unit
    if unit is not None and unit.organisation_id != position.organisation_id:
        raise ValidationError({"unit": _("Deze afdeling hoort bij een andere organisatie.")})


@transaction.atomic
def position_create(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    unit: Unit | None = None,
    fte: Decimal = Decimal("1.0"),
    screening_level: str,
    risk_areas: list[str] | None = None,
    renewal_years: int | None = None,
    last_screening_on: Any = None,
) -> Position:
    position = Position(
        organisation=organisation,
        name=name,
        unit=unit,
        fte=fte,
        screening_level=screening_level,
        risk_areas=list(risk_areas or []),
        renewal_years=renewal_years,
        last_screening_on=last_screening_on,
    )
    _normalise(position)
    _check_unit(position)
    position.full_clean()
    position.save()
    record(
        action="position.create",
        actor=actor,
        organisation=organisation,
        obj=position,
        changes=diff({}, snapshot(position, POSITION_FIELDS)),
    )
    return position


def _position_change(
    *, actor: User | None, position: Position, version: int | None, action: str, fields: dict[str, Any]
) -> Position:
    lock_organisation(position.organisation_id)
    locked = Position.objects.select_for_update().get(pk=position.pk)
    check_version(locked.version, version)
    before = snapshot(locked, POSITION_FIELDS)
    for field, value in fields.items():
        setattr(locked, field, value)
    _normalise(locked)
    _check_unit(locked)
    locked.full_clean()
    changes = diff(before, snapshot(locked, POSITION_FIELDS))
    if changes:
        locked.version += 1
        locked.save()
        record(action=action, actor=actor, organisation=locked.organisation, obj=locked, changes=changes)
    return locked


@transaction.atomic
def position_update(*, actor: User | None, position: Position, version: int | None = None, **fields: Any) -> Position:
    unknown = set(fields) - EDITABLE_POSITION_FIELDS
    if unknown:
        raise ValueError(f"{sorted(unknown)} cannot be changed here")
    return _position_change(actor=actor, position=position, version=version, action="position.update", fields=fields)


@transaction.atomic
def position_archive(*, actor: User | None, position: Position, version: int | None = None) -> Position:
    """Positions are archived, never deleted: processes and the audit trail keep pointing at them."""
    return _position_change(
        actor=actor, position=position, version=version, action="position.archive", fields={"is_active": False}
    )


@transaction.atomic
def position_reactivate(*, actor: User | None, position: Position, version: int | None = None) -> Position:
    return _position_change(
        actor=actor, position=position, version=version, action="position.reactivate", fields={"is_active": True}
    )


@transaction.atomic
def context_update(
    *,
    actor: User | None,
    organisation: Organisation,
    circumstance: Circumstance,
    applies: bool,
    severity: str = "",
    note: str = "",
    version: int | None = None,
) -> ContextItem:
    """Record whether an external circumstance applies; the first save creates the item (version 1).

    ``version`` is the version the user saw: 0 when there was no item yet.
    """
    if circumstance.kind != CircumstanceKind.EXTERNAL or (
        circumstance.organisation_id is not None and circumstance.organisation_id != organisation.pk
    ):
        raise ValidationError(_("Kies een externe omstandigheid uit de catalogus."))
    lock_organisation(organisation.pk)
    item = ContextItem.objects.select_for_update().filter(circumstance=circumstance).first()
    if item is None:
        check_version(0, version)
        item = ContextItem(organisation=organisation, circumstance=circumstance)
        before: dict[str, Any] = {}
    else:
        check_version(item.version, version)
        before = snapshot(item, CONTEXT_FIELDS)
    item.applies = applies
    item.severity = severity if applies else ""
    item.note = (note or "").strip()
    if item.pk is None and not item.applies and not item.note:
        return item  # nothing to record: "does not apply" is what an absent item already means
    item.full_clean()
    changes = diff(before, snapshot(item, CONTEXT_FIELDS))
    if changes:
        if item.pk is not None:
            item.version += 1
        item.save()
        record(action="context.update", actor=actor, organisation=organisation, obj=item, changes=changes)
    return item
