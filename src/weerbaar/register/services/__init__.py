"""Every write to the register, each one audited; split by subject, imported as one package.

Callers use ``from weerbaar.register import services`` or import the functions by name from here.
"""

from weerbaar.register.services.adoption import AdoptionRefused, AdoptSelection, processes_adopt
from weerbaar.register.services.positions import (
    CONTEXT_FIELDS,
    EDITABLE_POSITION_FIELDS,
    POSITION_FIELDS,
    context_update,
    position_archive,
    position_create,
    position_reactivate,
    position_update,
)
from weerbaar.register.services.processes import (
    EDITABLE_PROCESS_FIELDS,
    PROCESS_FIELDS,
    next_process_code,
    process_archive,
    process_create,
    process_owner_transfer,
    process_reactivate,
    process_update,
    register_process_ownership,
)

__all__ = [
    "CONTEXT_FIELDS",
    "EDITABLE_POSITION_FIELDS",
    "EDITABLE_PROCESS_FIELDS",
    "POSITION_FIELDS",
    "PROCESS_FIELDS",
    "AdoptSelection",
    "AdoptionRefused",
    "context_update",
    "next_process_code",
    "position_archive",
    "position_create",
    "position_reactivate",
    "position_update",
    "process_archive",
    "process_create",
    "process_owner_transfer",
    "process_reactivate",
    "process_update",
    "processes_adopt",
    "register_process_ownership",
]
