"""Recurring activities: create, change, log an execution, archive and reactivate; each audited.

The coordinator (``ATTENTION_MANAGE``) manages activities; an owner (``WORK_OWN``) logs the
executions of their own activity. Activities are archived, never deleted: the done-log and the
audit trail keep pointing at them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.attention.models import ActivityKind, ActivityLog, RecurringActivity
from weerbaar.attention.selectors.activities import may_log
from weerbaar.audit.services import diff, record, save_if_changed, snapshot
from weerbaar.core.models import Membership, Organisation, Unit, User
from weerbaar.core.permissions import Action
from weerbaar.core.services.common import check_version
from weerbaar.register.models import Position, ScreeningLevel

ACTIVITY_FIELDS = ("kind", "name", "description", "cadence_months", "owner_id", "starts_on", "is_active")
#: Dates further away than this are typing errors, not plans.
MAX_YEARS = 5
MAX_PARTICIPANTS = 100_000


def check_owner(owner: Membership | None, organisation: Organisation) -> None:
    if owner is None:
        return
    if owner.organisation_id != organisation.pk or not owner.is_active:
        raise ValidationError({"owner": _("Kies als eigenaar een actief lid van deze organisatie.")})
    if not owner.can(Action.WORK_OWN):
        raise ValidationError(
            {
                "owner": _("%(name)s heeft geen rol waarmee iemand eigenaar van een activiteit kan zijn.")
                % {"name": str(owner.user)}
            }
        )


def _require_manage(member: Membership) -> None:
    if not member.can(Action.ATTENTION_MANAGE):
        raise PermissionDenied(_("Alleen de coördinator beheert de terugkerende activiteiten."))


def _check_kind(kind: str) -> None:
    if kind not in ActivityKind.values:
        raise ValidationError({"kind": _("Kies een soort activiteit uit de lijst.")})


def _check_cadence(months: int) -> None:
    if not isinstance(months, int) or not 1 <= months <= 60:
        raise ValidationError({"cadence_months": _("Kies een herhaling van 1 tot en met 60 maanden.")})


def _check_starts_on(starts_on: dt.date, *, new: bool, previous: dt.date | None = None) -> None:
    today = timezone.localdate()
    # An existing activity may keep a first date that has passed; a new or changed date may not lie in the past.
    if starts_on < today and (new or starts_on != previous):
        raise ValidationError({"starts_on": _("Deze datum is al voorbij. Kies een datum vanaf vandaag.")})
    if starts_on.year > today.year + MAX_YEARS:
        raise ValidationError({"starts_on": _("Kies een datum binnen vijf jaar.")})


def _check_units(units: Iterable[Unit], organisation: Organisation, field: str) -> list[Unit]:
    chosen = list({unit.pk: unit for unit in units}.values())
    if any(unit.organisation_id != organisation.pk for unit in chosen):
        raise ValidationError({field: _("Kies afdelingen en teams van deze organisatie.")})
    return chosen


def _check_positions(positions: Iterable[Position], organisation: Organisation, field: str) -> list[Position]:
    chosen = list({position.pk: position for position in positions}.values())
    if any(position.organisation_id != organisation.pk for position in chosen):
        raise ValidationError({field: _("Kies functies uit het register van deze organisatie.")})
    if any(position.screening_level == ScreeningLevel.NONE for position in chosen):
        raise ValidationError({field: _("Kies kwetsbare functies: functies waarvoor screening nodig is.")})
    return chosen


def _clean_text(value: str | None) -> str:
    return (value or "").strip()


def _audit_fields(activity: RecurringActivity) -> dict[str, Any]:
    return {
        **snapshot(activity, ACTIVITY_FIELDS),
        "target_units": sorted(str(unit.uuid) for unit in activity.target_units.all()),
        "target_positions": sorted(str(position.uuid) for position in activity.target_positions.all()),
    }


def _label(activity: RecurringActivity) -> str:
    return activity.name


@transaction.atomic
def activity_create(
    *,
    actor: User | None,
    member: Membership,
    kind: str,
    name: str,
    starts_on: dt.date,
    cadence_months: int = 12,
    description: str = "",
    owner: Membership | None = None,
    target_units: Iterable[Unit] = (),
    target_positions: Iterable[Position] = (),
) -> RecurringActivity:
    _require_manage(member)
    organisation = member.organisation
    _check_kind(kind)
    _check_cadence(cadence_months)
    _check_starts_on(starts_on, new=True)
    check_owner(owner, organisation)
    units = _check_units(target_units, organisation, "target_units")
    positions = _check_positions(target_positions, organisation, "target_positions")
    activity = RecurringActivity(
        organisation=organisation,
        kind=kind,
        name=_clean_text(name),
        description=_clean_text(description),
        cadence_months=cadence_months,
        owner=owner,
        starts_on=starts_on,
    )
    activity.full_clean(exclude=["organisation", "owner", "target_units", "target_positions"])
    activity.save()
    activity.target_units.set(units)
    activity.target_positions.set(positions)
    record(
        action="attention.activity.create",
        actor=actor,
        organisation=organisation,
        obj=activity,
        object_label=_label(activity),
        changes=diff({}, _audit_fields(activity)),
    )
    return activity


def _locked(activity: RecurringActivity, version: int | None) -> RecurringActivity:
    locked = RecurringActivity.objects.select_for_update().get(pk=activity.pk)
    check_version(locked.version, version)
    return locked


def _save(locked: RecurringActivity, before: dict[str, Any], *, actor: User | None, action: str) -> RecurringActivity:
    save_if_changed(
        locked, diff(before, _audit_fields(locked)), action=action, actor=actor, object_label=_label(locked)
    )
    return locked


@transaction.atomic
def activity_update(
    *,
    actor: User | None,
    member: Membership,
    activity: RecurringActivity,
    version: int | None,
    kind: str,
    name: str,
    starts_on: dt.date,
    cadence_months: int,
    description: str = "",
    owner: Membership | None = None,
    target_units: Iterable[Unit] = (),
    target_positions: Iterable[Position] = (),
) -> RecurringActivity:
    _require_manage(member)
    locked = _locked(activity, version)
    before = _audit_fields(locked)
    _check_kind(kind)
    _check_cadence(cadence_months)
    _check_starts_on(starts_on, new=False, previous=locked.starts_on)
    check_owner(owner, locked.organisation)
    units = _check_units(target_units, locked.organisation, "target_units")
    positions = _check_positions(target_positions, locked.organisation, "target_positions")
    locked.kind = kind
    locked.name = _clean_text(name)
    locked.description = _clean_text(description)
    locked.cadence_months = cadence_months
    locked.owner = owner
    locked.starts_on = starts_on
    locked.full_clean(exclude=["organisation", "owner", "target_units", "target_positions"])
    locked.target_units.set(units)
    locked.target_positions.set(positions)
    return _save(locked, before, actor=actor, action="attention.activity.update")


@transaction.atomic
def activity_log(
    *,
    actor: User | None,
    member: Membership,
    activity: RecurringActivity,
    done_on: dt.date,
    note: str = "",
    participants: int | None = None,
    units: Iterable[Unit] = (),
    positions: Iterable[Position] = (),
) -> ActivityLog:
    """Record that the activity happened ("Uitgevoerd"). Logging adds to the log and changes no
    field someone else may be editing, so it carries no version."""
    locked = RecurringActivity.objects.select_for_update().get(pk=activity.pk)
    if not may_log(member, locked):
        raise PermissionDenied(_("Alleen de coördinator of de eigenaar van deze activiteit legt een uitvoering vast."))
    if not locked.is_active:
        raise ValidationError(_("Deze activiteit is gearchiveerd. Maak haar eerst weer actief."), code="state")
    today = timezone.localdate()
    if done_on > today:
        raise ValidationError(
            {"done_on": _("Deze datum ligt in de toekomst. Vul de datum in waarop de activiteit plaatsvond.")}
        )
    if done_on.year < today.year - MAX_YEARS:
        raise ValidationError({"done_on": _("Kies een datum in de afgelopen vijf jaar.")})
    if participants is not None and not 0 <= participants <= MAX_PARTICIPANTS:
        raise ValidationError({"participants": _("Vul een aantal deelnemers in van 0 tot en met 100.000.")})
    chosen_units = _check_units(units, locked.organisation, "units")
    chosen_positions = _check_positions(positions, locked.organisation, "positions")
    entry = ActivityLog(
        organisation=locked.organisation,
        activity=locked,
        done_on=done_on,
        note=_clean_text(note),
        participants=participants,
        recorded_by=member,
    )
    entry.full_clean(exclude=["organisation", "activity", "recorded_by", "units", "positions"])
    entry.save()
    entry.units.set(chosen_units)
    entry.positions.set(chosen_positions)
    previous = locked.last_done_on
    if previous is None or done_on > previous:
        locked.last_done_on = done_on
        locked.save(update_fields=["last_done_on", "updated_at"])
    record(
        action="attention.activity.log",
        actor=actor,
        organisation=locked.organisation,
        obj=locked,
        object_label=_label(locked),
        changes={
            "done_on": [None, done_on.isoformat()],
            "participants": [None, participants],
            "units": [None, sorted(str(unit.uuid) for unit in chosen_units)],
            "positions": [None, sorted(str(position.uuid) for position in chosen_positions)],
            "last_done_on": [
                previous.isoformat() if previous else None,
                locked.last_done_on.isoformat() if locked.last_done_on else None,
            ],
        },
    )
    return entry


def _set_active(
    *, actor: User | None, member: Membership, activity: RecurringActivity, version: int | None, active: bool
) -> RecurringActivity:
    _require_manage(member)
    locked = _locked(activity, version)
    before = _audit_fields(locked)
    locked.is_active = active
    return _save(
        locked, before, actor=actor, action="attention.activity.reactivate" if active else "attention.activity.archive"
    )


@transaction.atomic
def activity_archive(
    *, actor: User | None, member: Membership, activity: RecurringActivity, version: int | None
) -> RecurringActivity:
    """An activity that stops is archived: it leaves the due list and the indicator, its log stays."""
    return _set_active(actor=actor, member=member, activity=activity, version=version, active=False)


@transaction.atomic
def activity_reactivate(
    *, actor: User | None, member: Membership, activity: RecurringActivity, version: int | None
) -> RecurringActivity:
    return _set_active(actor=actor, member=member, activity=activity, version=version, active=True)
