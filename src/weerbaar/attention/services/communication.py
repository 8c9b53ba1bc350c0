"""The communication plan: plan a moment, change it, mark it done; each audited.

Only the coordinator (``ATTENTION_MANAGE``) edits the plan. A new moment lies today or later,
unless it is recorded as already done (then it may be in the past: the plan also documents what
happened). "Gedaan op" is never in the future.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.attention.models import CommunicationChannel, CommunicationItem
from weerbaar.attention.services.activities import MAX_YEARS, check_owner
from weerbaar.audit.services import diff, record, save_if_changed, snapshot
from weerbaar.core.models import Membership, User
from weerbaar.core.permissions import Action
from weerbaar.core.services.common import check_version

ITEM_FIELDS = ("planned_on", "subject", "audience", "channel", "owner_id", "done_on", "note")


def _require_manage(member: Membership) -> None:
    if not member.can(Action.ATTENTION_MANAGE):
        raise PermissionDenied(_("Alleen de coördinator wijzigt het communicatieplan."))


def _check_dates(planned_on: dt.date, done_on: dt.date | None, *, new: bool, previous: dt.date | None = None) -> None:
    today = timezone.localdate()
    if done_on is not None and done_on > today:
        raise ValidationError({"done_on": _("Deze datum ligt in de toekomst. Vul de datum in waarop het gebeurde.")})
    # A moment that already happened may be recorded afterwards; a plan for the future starts today.
    if planned_on < today and done_on is None and (new or planned_on != previous):
        raise ValidationError(
            {
                "planned_on": _(
                    "Deze datum is al voorbij. Kies een datum vanaf vandaag, of vul ook ‘gedaan op’ in als het "
                    "al gebeurd is."
                )
            }
        )
    if abs(planned_on.year - today.year) > MAX_YEARS:
        raise ValidationError({"planned_on": _("Kies een datum binnen vijf jaar van nu.")})
    if done_on is not None and today.year - done_on.year > MAX_YEARS:
        raise ValidationError({"done_on": _("Kies een datum in de afgelopen vijf jaar.")})


def _check_channel(channel: str) -> None:
    if channel not in CommunicationChannel.values:
        raise ValidationError({"channel": _("Kies een kanaal uit de lijst.")})


def _label(item: CommunicationItem) -> str:
    return f"{item.subject} ({item.planned_on.isoformat()})"


@transaction.atomic
def communication_item_create(
    *,
    actor: User | None,
    member: Membership,
    planned_on: dt.date,
    subject: str,
    audience: str,
    channel: str,
    owner: Membership | None = None,
    done_on: dt.date | None = None,
    note: str = "",
) -> CommunicationItem:
    _require_manage(member)
    organisation = member.organisation
    _check_dates(planned_on, done_on, new=True)
    _check_channel(channel)
    check_owner(owner, organisation)
    item = CommunicationItem(
        organisation=organisation,
        planned_on=planned_on,
        subject=(subject or "").strip(),
        audience=(audience or "").strip(),
        channel=channel,
        owner=owner,
        done_on=done_on,
        note=(note or "").strip(),
    )
    item.full_clean(exclude=["organisation", "owner"])
    item.save()
    record(
        action="attention.communication.create",
        actor=actor,
        organisation=organisation,
        obj=item,
        object_label=_label(item),
        changes=diff({}, snapshot(item, ITEM_FIELDS)),
    )
    return item


def _save(locked: CommunicationItem, before: dict[str, Any], *, actor: User | None, action: str) -> CommunicationItem:
    changes = diff(before, snapshot(locked, ITEM_FIELDS))
    save_if_changed(locked, changes, action=action, actor=actor, object_label=_label(locked))
    return locked


@transaction.atomic
def communication_item_update(
    *,
    actor: User | None,
    member: Membership,
    item: CommunicationItem,
    version: int | None,
    planned_on: dt.date,
    subject: str,
    audience: str,
    channel: str,
    owner: Membership | None = None,
    done_on: dt.date | None = None,
    note: str = "",
) -> CommunicationItem:
    _require_manage(member)
    locked = CommunicationItem.objects.select_for_update().get(pk=item.pk)
    check_version(locked.version, version)
    before = snapshot(locked, ITEM_FIELDS)
    _check_dates(planned_on, done_on, new=False, previous=locked.planned_on)
    _check_channel(channel)
    check_owner(owner, locked.organisation)
    locked.planned_on = planned_on
    locked.subject = (subject or "").strip()
    locked.audience = (audience or "").strip()
    locked.channel = channel
    locked.owner = owner
    locked.done_on = done_on
    locked.note = (note or "").strip()
    locked.full_clean(exclude=["organisation", "owner"])
    return _save(locked, before, actor=actor, action="attention.communication.update")


@transaction.atomic
def communication_item_mark_done(
    *,
    actor: User | None,
    member: Membership,
    item: CommunicationItem,
    version: int | None,
    done_on: dt.date | None = None,
) -> CommunicationItem:
    """The "Gedaan" button: done today (or on the given day, not in the future)."""
    _require_manage(member)
    locked = CommunicationItem.objects.select_for_update().get(pk=item.pk)
    check_version(locked.version, version)
    if locked.done_on is not None:
        raise ValidationError(
            _("Dit communicatiemoment staat al als gedaan op %(date)s.") % {"date": locked.done_on.strftime("%d-%m-%Y")}
        )
    before = snapshot(locked, ITEM_FIELDS)
    today = timezone.localdate()
    done_on = done_on or today
    if done_on > today:
        raise ValidationError({"done_on": _("Deze datum ligt in de toekomst. Vul de datum in waarop het gebeurde.")})
    locked.done_on = done_on
    return _save(locked, before, actor=actor, action="attention.communication.done")
