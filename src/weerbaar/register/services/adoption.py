"""Adopting processes from the catalogue: all ticked rows, or none."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from weerbaar.catalogue.models import ReferenceProcess
from weerbaar.core.models import Membership, Organisation, Unit, User
from weerbaar.core.services.common import lock_organisation
from weerbaar.register.adoption import adopted_for, adopted_processes, effective_reference_ids
from weerbaar.register.models import Process
from weerbaar.register.services.processes import process_create

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
