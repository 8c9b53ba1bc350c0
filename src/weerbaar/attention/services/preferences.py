"""A member's e-mail preferences: which digests they want. No row means the defaults (both on).

Only digests the member's roles offer can be switched: the weekly digest of own work (``WORK_OWN``)
and the monthly one for the coordinator (``ATTENTION_MANAGE``). Scan invitations and reminders are
not optional: a scan cannot be completed without the raters.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from weerbaar.attention.models import NotificationPreference
from weerbaar.audit.services import diff, record, snapshot
from weerbaar.core.models import Membership, User
from weerbaar.core.permissions import Action
from weerbaar.core.services.common import check_version

FIELDS = ("weekly_digest", "monthly_digest")


def offers_weekly(member: Membership) -> bool:
    return member.can(Action.WORK_OWN)


def offers_monthly(member: Membership) -> bool:
    return member.can(Action.ATTENTION_MANAGE)


def preference_for(member: Membership) -> NotificationPreference:
    """The stored preference, or an unsaved one with the defaults (version 1)."""
    stored = NotificationPreference.objects.filter(membership=member).first()
    return stored or NotificationPreference(organisation_id=member.organisation_id, membership=member)


def _locked(member: Membership) -> NotificationPreference:
    stored = NotificationPreference.objects.select_for_update().filter(membership=member).first()
    if stored is not None:
        return stored
    try:
        # Created on the first save; two first saves at once meet at the one-per-member constraint.
        with transaction.atomic():
            NotificationPreference.objects.create(organisation_id=member.organisation_id, membership=member)
    except IntegrityError:
        pass
    return NotificationPreference.objects.select_for_update().get(membership=member)


@transaction.atomic
def notification_preference_update(
    *,
    actor: User | None,
    member: Membership,
    version: int | None,
    weekly_digest: bool | None = None,
    monthly_digest: bool | None = None,
) -> NotificationPreference:
    """Switch digests on or off; ``None`` (or a digest the member's roles do not offer) leaves it as it is."""
    preference = _locked(member)
    check_version(preference.version, version)
    before = snapshot(preference, FIELDS)
    if weekly_digest is not None and offers_weekly(member):
        preference.weekly_digest = bool(weekly_digest)
    if monthly_digest is not None and offers_monthly(member):
        preference.monthly_digest = bool(monthly_digest)
    changes = diff(before, snapshot(preference, FIELDS))
    if changes:
        preference.version += 1
        preference.save()
        record(
            action="attention.preference.update",
            actor=actor,
            organisation=member.organisation,
            obj=preference,
            object_label=_("E-mailvoorkeuren van %(name)s") % {"name": member.user.full_name or member.user.email},
            changes=changes,
        )
    return preference
