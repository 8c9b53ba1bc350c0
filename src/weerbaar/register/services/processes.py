"""The process register: create, change, archive, hand over to a new owner; each change audited."""

from __future__ import annotations

from collections.abc import Iterable
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
from weerbaar.register.models import Executor, Position, Process

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
