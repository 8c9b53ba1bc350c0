"""Handing over what a departing member owns here: recurring activities and open communication moments.

Registered with ``core.services.ownership`` (``register_attention_ownership`` in the app's ``ready``),
so deactivating a member asks who takes their activities over, like their processes.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.attention.models import CommunicationItem, RecurringActivity
from weerbaar.audit.services import diff, record, snapshot
from weerbaar.core.models import Membership, User
from weerbaar.core.services.ownership import OwnershipProvider, check_new_owner, register_ownership


def activity_owner_transfer(*, actor: User | None, source: Membership, target: Membership) -> int:
    """Every activity (active or archived) owned by ``source`` goes to ``target``; each change audited.

    Archived ones too: a reactivated activity must never come back without an owner.
    """
    check_new_owner(source=source, target=target)
    moved = 0
    for activity in RecurringActivity.objects.select_for_update().filter(owner=source).order_by("pk"):
        before = snapshot(activity, ["owner_id"])
        activity.owner = target
        activity.version += 1
        activity.save(update_fields=["owner", "version", "updated_at"])
        record(
            action="attention.activity.update",
            actor=actor,
            organisation=activity.organisation,
            obj=activity,
            object_label=activity.name,
            changes=diff(before, snapshot(activity, ["owner_id"])),
            reason=_("Vorige eigenaar gedeactiveerd"),
        )
        moved += 1
    return moved


def communication_owner_transfer(*, actor: User | None, source: Membership, target: Membership) -> int:
    """Moments not done yet go to ``target``; done ones keep who did them."""
    check_new_owner(source=source, target=target)
    moved = 0
    for item in CommunicationItem.objects.select_for_update().filter(owner=source, done_on__isnull=True).order_by("pk"):
        before = snapshot(item, ["owner_id"])
        item.owner = target
        item.version += 1
        item.save(update_fields=["owner", "version", "updated_at"])
        record(
            action="attention.communication.update",
            actor=actor,
            organisation=item.organisation,
            obj=item,
            object_label=item.subject,
            changes=diff(before, snapshot(item, ["owner_id"])),
            reason=_("Vorige eigenaar gedeactiveerd"),
        )
        moved += 1
    return moved


ACTIVITIES = OwnershipProvider(
    key="attention.activities",
    describe=lambda count: (
        ngettext("%(count)d terugkerende activiteit", "%(count)d terugkerende activiteiten", count) % {"count": count}
    ),
    count=lambda membership: RecurringActivity.objects.filter(owner=membership).count(),
    transfer=activity_owner_transfer,
)
COMMUNICATION = OwnershipProvider(
    key="attention.communication",
    describe=lambda count: (
        ngettext("%(count)d communicatiemoment", "%(count)d communicatiemomenten", count) % {"count": count}
    ),
    count=lambda membership: CommunicationItem.objects.filter(owner=membership, done_on__isnull=True).count(),
    transfer=communication_owner_transfer,
)


def register_attention_ownership() -> None:
    register_ownership(ACTIVITIES)
    register_ownership(COMMUNICATION)
