"""Every write to an organisation's own catalogue entries, each one audited.

National entries change only through the loader (``loader.py``); these services refuse them. An
organisation adds entries of its own, or makes its own version of a national entry
(``based_on``), which it then sees instead of the national one; own entries are archived, never
deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from weerbaar.audit.services import diff, plain, record
from weerbaar.catalogue.models import (
    CIRCUMSTANCE_GROUPS,
    MAX_REVIEW_MONTHS,
    MIN_REVIEW_MONTHS,
    CatalogueEntry,
    Characteristic,
    Circumstance,
    EffectStrength,
    Measure,
    MeasureEffect,
    MeasureGroup,
    MeasureScope,
    ProcessCategory,
    ReferenceProcess,
)
from weerbaar.catalogue.selectors import effective
from weerbaar.core.models import Organisation, User
from weerbaar.core.services.common import check_version, lock_organisation

EntryT = TypeVar("EntryT", bound=CatalogueEntry)

#: What the audit trail records per kind (relations as keys, so the trail reads without joins).
AUDITED_FIELDS: dict[type[CatalogueEntry], tuple[str, ...]] = {
    ReferenceProcess: ("name", "description", "category", "typical_unit", "characteristics", "is_active"),
    Circumstance: ("name", "description", "kind", "group", "characteristics", "is_active"),
    Measure: ("name", "description", "group", "scope", "review_cadence_months", "effects", "is_active"),
}
AUDIT_NAMES = {ReferenceProcess: "reference_process", Circumstance: "circumstance", Measure: "measure"}
RELATIONS = frozenset({"characteristics", "effects"})


def _snapshot(entry: CatalogueEntry) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in AUDITED_FIELDS[type(entry)]:
        if name == "category":
            values[name] = entry.category.key if entry.category_id else None  # type: ignore[attr-defined]
        elif name == "characteristics":
            values[name] = sorted(c.key for c in entry.characteristics.all())  # type: ignore[attr-defined]
        elif name == "effects":
            values[name] = {
                effect.characteristic.key: effect.strength
                for effect in entry.effects.select_related("characteristic")  # type: ignore[attr-defined]
            }
        else:
            values[name] = plain(getattr(entry, name))
    return values


# --- shared rules ----------------------------------------------------------------------------


def _clean_text(value: str) -> str:
    # A NUL byte cannot be stored in PostgreSQL text and never belongs in a name or description.
    return value.replace("\x00", "").strip()


def _check_characteristics(characteristics: Iterable[Characteristic]) -> list[Characteristic]:
    result = list(dict.fromkeys(characteristics))
    if any(c.pk is None or not c.is_active for c in result):
        raise ValidationError({"characteristics": _("Kies alleen kenmerken uit de huidige catalogus.")})
    return result


def _check_name(entry: CatalogueEntry, organisation: Organisation) -> None:
    """Two entries with one name in the effective catalogue would be indistinguishable in lists and pickers."""
    if not entry.name:
        return
    model = type(entry)
    clash = (
        effective(model, organisation=organisation)
        .filter(name__iexact=entry.name)
        .exclude(pk=entry.pk)
        .exclude(pk=getattr(entry, "based_on_id", None))
    )
    if entry.is_active and clash.exists():
        raise ValidationError(
            {
                "name": _("Er staat al een item met de naam “%(name)s” in uw catalogus. Kies een andere naam.")
                % {"name": entry.name}
            }
        )


def _check_based_on(model: type[EntryT], based_on: EntryT | None, organisation: Organisation) -> None:
    if based_on is None:
        return
    if type(based_on) is not model or based_on.organisation_id is not None:
        raise ValueError("An own version is always based on a national entry of the same kind.")
    if not based_on.is_active:
        raise ValidationError(
            _("“%(name)s” staat niet meer in de landelijke catalogus; u kunt er geen eigen versie meer van maken.")
            % {"name": based_on.name}
        )
    if model.objects.filter(organisation=organisation, based_on=based_on, is_active=True).exists():
        raise ValidationError(
            _("Uw organisatie heeft al een eigen versie van “%(name)s”. Wijzig die in plaats van een nieuwe te maken.")
            % {"name": based_on.name},
            code="own_version_exists",
        )


def _assign(entry: CatalogueEntry, fields: Mapping[str, Any]) -> None:
    for name, value in fields.items():
        if name in RELATIONS:
            continue
        if name not in AUDITED_FIELDS[type(entry)] or name == "is_active":
            raise ValueError(f"{name} cannot be changed here")
        setattr(entry, name, _clean_text(value) if isinstance(value, str) else value)
    if isinstance(entry, Circumstance) and "group" in fields:
        entry.kind = next((kind for kind, groups in CIRCUMSTANCE_GROUPS.items() if entry.group in groups), "")


def _validate(entry: CatalogueEntry, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Rules beyond the model's own field validation; returns the cleaned relations."""
    relations: dict[str, Any] = {}
    if isinstance(entry, ReferenceProcess) and entry.category_id is not None:
        category = entry.category
        if category.pk is None or not category.is_active:
            raise ValidationError({"category": _("Kies een categorie uit de huidige catalogus.")})
    if isinstance(entry, Circumstance) and not entry.kind:
        raise ValidationError({"group": _("Kies een van de groepen uit de lijst.")})
    if isinstance(entry, Measure):
        if entry.group not in MeasureGroup.values:
            raise ValidationError({"group": _("Kies een van de groepen uit de lijst.")})
        if entry.scope not in MeasureScope.values:
            raise ValidationError({"scope": _("Kies of de maatregel per proces of voor de hele organisatie geldt.")})
        cadence = entry.review_cadence_months
        if not isinstance(cadence, int) or not MIN_REVIEW_MONTHS <= cadence <= MAX_REVIEW_MONTHS:
            raise ValidationError(
                {
                    "review_cadence_months": _("Kies een termijn van %(min)s tot en met %(max)s maanden.")
                    % {"min": MIN_REVIEW_MONTHS, "max": MAX_REVIEW_MONTHS}
                }
            )
    if "characteristics" in fields:
        relations["characteristics"] = _check_characteristics(fields["characteristics"])
    if "effects" in fields:
        effects = dict(fields["effects"])
        if not effects:
            raise ValidationError(
                {"effects": _("Kies ten minste één kenmerk dat deze maatregel verzwakt, met de sterkte.")}
            )
        _check_characteristics(effects)
        if any(strength not in EffectStrength.values for strength in effects.values()):
            raise ValidationError({"effects": _("De sterkte is beperkt, middel of sterk.")})
        relations["effects"] = effects
    return relations


def _save_relations(entry: CatalogueEntry, relations: Mapping[str, Any]) -> None:
    if "characteristics" in relations:
        entry.characteristics.set(relations["characteristics"])  # type: ignore[attr-defined]
    if "effects" in relations:
        MeasureEffect.objects.filter(measure_id=entry.pk).delete()
        MeasureEffect.objects.bulk_create(
            [
                MeasureEffect(measure_id=entry.pk, characteristic=characteristic, strength=strength)
                for characteristic, strength in relations["effects"].items()
            ]
        )


def _entry_create(
    model: type[EntryT],
    *,
    actor: User | None,
    organisation: Organisation,
    based_on: EntryT | None,
    fields: Mapping[str, Any],
) -> EntryT:
    # The name and own-version checks below must not interleave with another write of this organisation.
    lock_organisation(organisation.pk)
    _check_based_on(model, based_on, organisation)
    entry = model(
        organisation=organisation,
        based_on=based_on,
        key="",
        # An own version sorts where the national entry it replaces used to be.
        position=based_on.position if based_on is not None else 0,
    )
    _assign(entry, fields)
    relations = _validate(entry, fields)
    entry.full_clean(validate_constraints=False)
    _check_name(entry, organisation)
    entry.save()
    _save_relations(entry, relations)
    name = AUDIT_NAMES[model]
    record(
        action=f"catalogue.{name}.{'create_own_version' if based_on is not None else 'create'}",
        actor=actor,
        organisation=organisation,
        obj=entry,
        changes=diff({}, _snapshot(entry)),
        reason=f"eigen versie van {based_on.key}" if based_on is not None else "",
    )
    return entry


def _entry_change(
    entry: EntryT, *, actor: User | None, version: int | None, action: str, fields: Mapping[str, Any]
) -> EntryT:
    model = type(entry)
    if entry.organisation_id is None:
        raise ValueError("National entries change only through the catalogue loader.")
    lock_organisation(entry.organisation_id)
    locked = model.objects.select_for_update().get(pk=entry.pk)
    check_version(locked.version, version)
    before = _snapshot(locked)
    is_active = fields.get("is_active")
    _assign(locked, {name: value for name, value in fields.items() if name != "is_active"})
    if is_active is not None:
        locked.is_active = bool(is_active)
    relations = _validate(locked, fields)
    locked.full_clean(validate_constraints=False)
    _check_name(locked, locked.organisation)
    locked.save()
    _save_relations(locked, relations)
    changes = diff(before, _snapshot(locked))
    if changes:
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        record(
            action=f"catalogue.{AUDIT_NAMES[model]}.{action}",
            actor=actor,
            organisation=locked.organisation,
            obj=locked,
            changes=changes,
        )
    return locked


def _entry_archive(entry: EntryT, *, actor: User | None, version: int | None) -> EntryT:
    """Archived, never deleted: scans and registers keep pointing at the entry."""
    return _entry_change(entry, actor=actor, version=version, action="archive", fields={"is_active": False})


# --- reference processes ---------------------------------------------------------------------


@transaction.atomic
def reference_process_create(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    category: ProcessCategory,
    description: str = "",
    typical_unit: str = "",
    characteristics: Iterable[Characteristic] = (),
    based_on: ReferenceProcess | None = None,
) -> ReferenceProcess:
    """An own reference process, or (with ``based_on``) the organisation's own version of a national one."""
    return _entry_create(
        ReferenceProcess,
        actor=actor,
        organisation=organisation,
        based_on=based_on,
        fields={
            "name": name,
            "category": category,
            "description": description,
            "typical_unit": typical_unit,
            "characteristics": list(characteristics),
        },
    )


@transaction.atomic
def reference_process_update(
    *, actor: User | None, process: ReferenceProcess, version: int | None = None, **fields: Any
) -> ReferenceProcess:
    return _entry_change(process, actor=actor, version=version, action="update", fields=fields)


@transaction.atomic
def reference_process_archive(
    *, actor: User | None, process: ReferenceProcess, version: int | None = None
) -> ReferenceProcess:
    return _entry_archive(process, actor=actor, version=version)


# --- circumstances ---------------------------------------------------------------------------


@transaction.atomic
def circumstance_create(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    group: str,
    description: str = "",
    characteristics: Iterable[Characteristic] = (),
    based_on: Circumstance | None = None,
) -> Circumstance:
    """The kind (extern/intern) follows from the group."""
    return _entry_create(
        Circumstance,
        actor=actor,
        organisation=organisation,
        based_on=based_on,
        fields={"name": name, "group": group, "description": description, "characteristics": list(characteristics)},
    )


@transaction.atomic
def circumstance_update(
    *, actor: User | None, circumstance: Circumstance, version: int | None = None, **fields: Any
) -> Circumstance:
    return _entry_change(circumstance, actor=actor, version=version, action="update", fields=fields)


@transaction.atomic
def circumstance_archive(*, actor: User | None, circumstance: Circumstance, version: int | None = None) -> Circumstance:
    return _entry_archive(circumstance, actor=actor, version=version)


# --- measures --------------------------------------------------------------------------------


@transaction.atomic
def measure_create(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    group: str,
    scope: str,
    review_cadence_months: int,
    effects: Mapping[Characteristic, int],
    description: str = "",
    based_on: Measure | None = None,
) -> Measure:
    """``effects`` maps each characteristic the measure weakens to its strength (1 beperkt .. 3 sterk)."""
    return _entry_create(
        Measure,
        actor=actor,
        organisation=organisation,
        based_on=based_on,
        fields={
            "name": name,
            "group": group,
            "scope": scope,
            "review_cadence_months": review_cadence_months,
            "effects": dict(effects),
            "description": description,
        },
    )


@transaction.atomic
def measure_update(*, actor: User | None, measure: Measure, version: int | None = None, **fields: Any) -> Measure:
    return _entry_change(measure, actor=actor, version=version, action="update", fields=fields)


@transaction.atomic
def measure_archive(*, actor: User | None, measure: Measure, version: int | None = None) -> Measure:
    return _entry_archive(measure, actor=actor, version=version)
