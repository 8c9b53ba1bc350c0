"""The functioneel beheerder's dashboard: users, access reviews due and the audit chain.

At most seven queries whatever the number of members or audit events: the active members with whether they
have two-factor authentication (1), the open invitations (1), the access reviews due (1), and the
audit chain check (at most 4: the last full check, the head, its anchor event and the events since).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from weerbaar.audit.services import ChainReport, chain_status
from weerbaar.core.models import Invitation, Membership, Organisation
from weerbaar.core.selectors import access_reviews_due_count
from weerbaar.dashboards.selectors.common import URGENT, AttentionItem, prioritised


@dataclass(frozen=True)
class UserFigures:
    active: int
    #: Active members in a role that must use two-factor authentication, without a confirmed device.
    without_two_factor: int
    open_invitations: int
    expired_invitations: int


@dataclass(frozen=True)
class BeheerDashboard:
    users: UserFigures
    reviews_due: int
    chain: ChainReport
    checked_at: dt.datetime
    attention: list[AttentionItem]

    @property
    def chain_text(self) -> str:
        if self.chain.ok:
            return ngettext(
                "intact (%(count)s gebeurtenis)", "intact (%(count)s gebeurtenissen)", self.chain.length
            ) % {"count": self.chain.length}
        where = (
            _("bij volgnummer %(sequence)s: ") % {"sequence": self.chain.broken_sequence}
            if self.chain.broken_sequence is not None
            else ""
        )
        return _("verbroken — %(where)s%(problem)s") % {"where": where, "problem": self.chain.problem}


def user_figures(organisation: Organisation) -> UserFigures:
    """Two queries: the active members with their roles and 2FA, and the invitations."""
    mandatory = set(organisation.two_factor_roles or [])
    members = (
        Membership.objects.filter(is_active=True)
        .annotate(two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)))
        .values_list("roles", "two_factor")
    )
    active = without = 0
    for roles, two_factor in members:
        active += 1
        without += bool(mandatory.intersection(roles or [])) and not two_factor
    now = timezone.now()
    invitations = Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).aggregate(
        open=Count("pk", filter=Q(expires_at__gt=now)), expired=Count("pk", filter=Q(expires_at__lte=now))
    )
    return UserFigures(
        active=active,
        without_two_factor=without,
        open_invitations=invitations["open"] or 0,
        expired_invitations=invitations["expired"] or 0,
    )


def beheer_dashboard(organisation: Organisation) -> BeheerDashboard:
    users = user_figures(organisation)
    reviews_due = access_reviews_due_count()
    chain = chain_status(organisation)
    items: list[AttentionItem] = []
    if not chain.ok:
        items.append(
            AttentionItem(
                _("De audittrail is niet meer sluitend: %(problem)s.") % {"problem": chain.problem},
                reverse("audit:event_list"),
                URGENT,
            )
        )
    if reviews_due:
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)s toegangscontrole is nu nodig.", "%(count)s toegangscontroles zijn nu nodig.", reviews_due
                )
                % {"count": reviews_due},
                reverse("core:access_review"),
            )
        )
    if users.without_two_factor:
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)s gebruiker moet tweestapsverificatie gebruiken maar heeft die nog niet ingesteld.",
                    "%(count)s gebruikers moeten tweestapsverificatie gebruiken maar hebben die nog niet ingesteld.",
                    users.without_two_factor,
                )
                % {"count": users.without_two_factor},
                reverse("core:user_list"),
            )
        )
    if users.expired_invitations:
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)s uitnodiging is verlopen zonder dat iemand haar aannam.",
                    "%(count)s uitnodigingen zijn verlopen zonder dat iemand ze aannam.",
                    users.expired_invitations,
                )
                % {"count": users.expired_invitations},
                reverse("core:user_list") + "#invitations-heading",
                2,
            )
        )
    return BeheerDashboard(
        users=users, reviews_due=reviews_due, chain=chain, checked_at=timezone.now(), attention=prioritised(items)
    )
