"""Every write of keeping attention alive; each audited."""

from weerbaar.attention.services.activities import (
    activity_archive,
    activity_create,
    activity_log,
    activity_reactivate,
    activity_update,
    check_owner,
)
from weerbaar.attention.services.communication import (
    communication_item_create,
    communication_item_mark_done,
    communication_item_update,
)

__all__ = [
    "activity_archive",
    "activity_create",
    "activity_log",
    "activity_reactivate",
    "activity_update",
    "check_owner",
    "communication_item_create",
    "communication_item_mark_done",
    "communication_item_update",
]
