"""Writes to the register: processes, positions and the external context profile, each change audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.audit.services import diff, record, snapshot
from weerbaar.catalogue.models import Circumstance, CircumstanceKind, ProcessCategory, ReferenceProcess
from weerbaar.core.models import Membership, Organisation, Unit, User
from weerbaar.core.services.common import check_version, lock_organisation
from weerbaar.core.services.ownership import OwnershipProvider, check_new_owner, register_ownership
from weerbaar.register.adoption import adopted_for, adopted_processes, effective_reference_ids
from weerbaar.register.models import ContextItem, Executor, Position, Process, RiskArea

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


# --- processes ------------------------------------------------------------------------------------

PROCESS_FIELDS = (
    "code",
    "name",
    "description",
    "category",
    "unit",
    "owner",
    "positions",
    "reference_process",
    "circumstances",
    "yearly_volume",
    "executor",
    "executor_name",
    "is_active",
)
EDITABLE_PROCESS_FIELDS = frozenset(PROCESS_FIELDS) - {"code", "is_active"}
_RELATION_FIELDS = ("positions", "circumstances")


def _process_snapshot(process: Process, relations: dict[str, list[Any]]) -> dict[str, Any]:
    data = snapshot(process, [field for field in PROCESS_FIELDS if field not in _RELATION_FIELDS])
    for field in _RELATION_FIELDS:
        data[field] = sorted(str(each.uuid) for each in relations[field])
    return data


def next_process_code(organisation: Organisation) -> str:
    """P-001, P-002, …: one past the highest number in use. Call with the organisation locked.

    Numbers are compared as numbers (P-0013 and P-014 may both exist), so every code is read;
    an import asks once and counts on from there.
    """
    highest = 0
    for code in Process.objects.filter(organisation=organisation, code__startswith="P-").values_list("code", flat=True):
        number = code.removeprefix("P-")
        if number.isdigit():
            highest = max(highest, int(number))
    return f"P-{highest + 1:03d}"


def _check_process(process: Process, relations: dict[str, list[Any]], *, changed: Iterable[str]) -> None:
    """Everything a process points at must belong to (or be visible to) its own organisation."""
    organisation_id = process.organisation_id
    errors: dict[str, str] = {}
    if process.unit is not None and process.unit.organisation_id != organisation_id:
        errors["unit"] = _("Deze afdeling hoort bij een andere organisatie.")
    owner = process.owner
    if owner is not None:
        if owner.organisation_id != organisation_id:
            errors["owner"] = _("Kies een eigenaar uit deze organisatie.")
        elif not owner.is_active and "owner" in changed:
            # An archived process may keep a departed owner until it is edited; a new choice must be active.
            errors["owner"] = _("Deze collega is niet meer actief. Kies een actieve eigenaar.")
    if not isinstance(process.category, ProcessCategory) or not process.category.is_active:
        errors["category"] = _("Kies een categorie uit de lijst.")
    reference = process.reference_process
    if reference is not None and reference.organisation_id not in (None, organisation_id):
        errors["reference_process"] = _("Kies een referentieproces uit de catalogus.")
    if any(position.organisation_id != organisation_id for position in relations["positions"]):
        errors["positions"] = _("Kies functies van deze organisatie.")
    if any(
        circumstance.kind != CircumstanceKind.INTERNAL or circumstance.organisation_id not in (None, organisation_id)
        for circumstance in relations["circumstances"]
    ):
        errors["circumstances"] = _("Kies interne omstandigheden uit de catalogus.")
    clash = (
        Process.objects.filter(organisation_id=organisation_id)
        .annotate(lower_name=Lower("name"))
        .filter(lower_name=process.name.lower())
        .exclude(pk=process.pk)
        .first()
    )
    if clash is not None and clash.name.casefold() == process.name.casefold():
        errors["name"] = (
            _("Er is al een proces met deze naam (%(code)s).")
            if clash.is_active
            else _(
                "Er is al een gearchiveerd proces met deze naam (%(code)s). "
                "Zet dat weer actief of kies een andere naam."
            )
        ) % {"code": clash.code}
    if errors:
        raise ValidationError(errors)


def _normalise_process(process: Process) -> None:
    process.name = " ".join((process.name or "").split())
    process.description = (process.description or "").strip()
    process.executor_name = " ".join((process.executor_name or "").split())
    if process.executor == Executor.OWN:
        process.executor_name = ""


#: Foreign keys the services check themselves (organisation and visibility), with the objects in hand;
#: Django's own check would cost a query per key per save.
_CHECKED_KEYS = ["organisation", "category", "unit", "owner", "reference_process"]


def _save_relations(process: Process, relations: dict[str, list[Any]], *, new: bool = False) -> None:
    if new:
        # A new process has no links yet: write them in one insert each.
        for field, target in (("positions", "position"), ("circumstances", "circumstance")):
            through = getattr(Process, field).through
            through.objects.bulk_create(
                through(process_id=process.pk, **{f"{target}_id": each.pk})
                for each in {e.pk: e for e in relations[field]}.values()
            )
        return
    process.positions.set(relations["positions"])
    process.circumstances.set(relations["circumstances"])


@transaction.atomic
def process_create(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    category: ProcessCategory,
    unit: Unit | None = None,
    owner: Membership | None = None,
    description: str = "",
    positions: list[Position] | None = None,
    reference_process: ReferenceProcess | None = None,
    circumstances: list[Circumstance] | None = None,
    yearly_volume: int | None = None,
    executor: str = Executor.OWN,
    executor_name: str = "",
    code: str = "",
) -> Process:
    """A new process in the register; ``code`` is assigned (P-001, …) unless the caller brings one."""
    lock_organisation(organisation.pk)
    process = Process(
        organisation=organisation,
        code=code.strip() or next_process_code(organisation),
        name=name,
        description=description,
        category=category,
        unit=unit,
        owner=owner,
        reference_process=reference_process,
        yearly_volume=yearly_volume,
        executor=executor,
        executor_name=executor_name,
    )
    relations: dict[str, list[Any]] = {"positions": list(positions or []), "circumstances": list(circumstances or [])}
    _normalise_process(process)
    _check_process(process, relations, changed=PROCESS_FIELDS)
    process.full_clean(exclude=_CHECKED_KEYS, validate_unique=False, validate_constraints=False)
    if Process.objects.filter(code=process.code).exists():
        raise ValidationError({"code": _("Deze code is al in gebruik.")})
    process.save()
    _save_relations(process, relations, new=True)
    record(
        action="process.create",
        actor=actor,
        organisation=organisation,
        obj=process,
        changes=diff({}, _process_snapshot(process, relations)),
    )
    return process


def _current_relations(process: Process) -> dict[str, list[Any]]:
    return {"positions": list(process.positions.all()), "circumstances": list(process.circumstances.all())}


def _process_change(
    *, actor: User | None, process: Process, version: int | None, action: str, fields: dict[str, Any]
) -> Process:
    lock_organisation(process.organisation_id)
    locked = Process.objects.select_for_update().get(pk=process.pk)
    check_version(locked.version, version)
    relations = _current_relations(locked)
    before = _process_snapshot(locked, relations)
    for field, value in fields.items():
        if field in _RELATION_FIELDS:
            relations[field] = list(value)
        else:
            setattr(locked, field, value)
    _normalise_process(locked)
    _check_process(locked, relations, changed=fields)
    locked.full_clean(exclude=_CHECKED_KEYS, validate_unique=False, validate_constraints=False)
    changes = diff(before, _process_snapshot(locked, relations))
    if changes:
        locked.version += 1
        locked.save()
        _save_relations(locked, relations)
        record(action=action, actor=actor, organisation=locked.organisation, obj=locked, changes=changes)
    return locked


@transaction.atomic
def process_update(*, actor: User | None, process: Process, version: int | None = None, **fields: Any) -> Process:
    unknown = set(fields) - EDITABLE_PROCESS_FIELDS
    if unknown:
        raise ValueError(f"{sorted(unknown)} cannot be changed here")
    return _process_change(actor=actor, process=process, version=version, action="process.update", fields=fields)


@transaction.atomic
def process_archive(*, actor: User | None, process: Process, version: int | None = None) -> Process:
    """Archived, never deleted: scans and the audit trail keep pointing at the process."""
    if not Process.objects.filter(pk=process.pk, is_active=True).exists():
        raise ValidationError(_("Dit proces is al gearchiveerd."), code="unchanged")
    return _process_change(
        actor=actor, process=process, version=version, action="process.archive", fields={"is_active": False}
    )


@transaction.atomic
def process_reactivate(*, actor: User | None, process: Process, version: int | None = None) -> Process:
    if Process.objects.filter(pk=process.pk, is_active=True).exists():
        raise ValidationError(_("Dit proces is al actief."), code="unchanged")
    return _process_change(
        actor=actor, process=process, version=version, action="process.reactivate", fields={"is_active": True}
    )


def process_owner_transfer(*, actor: User | None, source: Membership, target: Membership) -> int:
    """Every process (active or archived) owned by ``source`` goes to ``target``; each change audited."""
    check_new_owner(source=source, target=target)
    moved = 0
    for process in Process.objects.select_for_update().filter(owner=source).order_by("pk"):
        before = snapshot(process, ["owner"])
        process.owner = target
        process.version += 1
        process.save(update_fields=["owner", "version", "updated_at"])
        record(
            action="process.update",
            actor=actor,
            organisation=process.organisation,
            obj=process,
            changes=diff(before, snapshot(process, ["owner"])),
            reason=_("Vorige eigenaar gedeactiveerd"),
        )
        moved += 1
    return moved


def register_process_ownership() -> None:
    register_ownership(
        OwnershipProvider(
            key="processes",
            describe=lambda count: ngettext("%(count)d proces", "%(count)d processen", count) % {"count": count},
            # Archived processes count too: a reactivated process must never come back without an owner.
            count=lambda membership: Process.objects.filter(owner=membership).count(),
            transfer=process_owner_transfer,
        )
    )


# --- adopting processes from the catalogue --------------------------------------------------------


@dataclass(frozen=True)
class AdoptSelection:
    """One ticked row of "overnemen uit de catalogus": the reference, the name to use, and the owner."""

    reference_process: ReferenceProcess
    name: str
    owner: Membership | None = None


class AdoptionRefused(ValidationError):
    """Nothing was adopted. ``rows``: per reference process uuid, the messages per field; ``general``: the rest."""

    def __init__(self, *, rows: dict[str, dict[str, list[str]]], general: list[str] | None = None) -> None:
        self.rows = rows
        self.general = list(general or [])
        every = [message for fields in rows.values() for messages in fields.values() for message in messages]
        super().__init__([*self.general, *every])


@transaction.atomic
def processes_adopt(
    *, actor: User | None, organisation: Organisation, unit: Unit | None, selections: list[AdoptSelection]
) -> list[Process]:
    """Add reference processes of the catalogue to the register in one go: all of them, or none.

    Each becomes a process through ``process_create`` (so each gets its code and its own audit
    event) with the reference's category and description. Every row is checked before anything is
    kept, so the user sees all problems at once; any problem rolls the whole submission back.
    """
    if not selections:
        raise AdoptionRefused(rows={}, general=[_("Vink ten minste één proces aan.")])
    if unit is not None and (unit.organisation_id != organisation.pk or not unit.is_active):
        raise AdoptionRefused(rows={}, general=[_("Kies een actieve afdeling van deze organisatie.")])
    lock_organisation(organisation.pk)
    errors: dict[str, dict[str, list[str]]] = {}

    def refuse(selection: AdoptSelection, field: str, message: str) -> None:
        errors.setdefault(str(selection.reference_process.uuid), {}).setdefault(field, []).append(message)

    known = effective_reference_ids(
        organisation=organisation, reference_ids=[each.reference_process.pk for each in selections]
    )
    adopted = adopted_processes()
    keys = [" ".join((each.name or "").split()).casefold() for each in selections]
    chosen: set[int] = set()
    for selection, key in zip(selections, keys, strict=True):
        reference = selection.reference_process
        existing = adopted_for(reference, adopted)
        if reference.pk not in known:
            refuse(selection, "reference_process", _("Dit referentieproces staat niet in uw catalogus."))
        elif reference.pk in chosen:
            refuse(selection, "reference_process", _("Dit referentieproces is twee keer gekozen."))
        elif existing is not None:
            message = _("Dit proces staat al in het register (%(code)s).") % {"code": existing.code}
            refuse(selection, "reference_process", message)
        chosen.add(reference.pk)
        if not key:
            refuse(selection, "name", _("Vul een naam in."))
        elif keys.count(key) > 1:
            # Checked here: process_create would name a process of this very submission as the clash.
            refuse(
                selection,
                "name",
                _("Deze naam staat bij meer dan één aangevinkt proces. Kies per proces een eigen naam."),
            )
    created: list[Process] = []
    for selection in selections:
        if str(selection.reference_process.uuid) in errors:
            continue
        reference = selection.reference_process
        try:
            created.append(
                process_create(
                    actor=actor,
                    organisation=organisation,
                    name=selection.name,
                    category=reference.category,
                    unit=unit,
                    owner=selection.owner,
                    description=reference.description,
                    reference_process=reference,
                )
            )
        except ValidationError as error:
            found = error.message_dict if hasattr(error, "error_dict") else {"name": error.messages}
            for field, messages in found.items():
                for message in messages:
                    refuse(selection, field, message)
    if errors:
        raise AdoptionRefused(rows=errors)
    return created
