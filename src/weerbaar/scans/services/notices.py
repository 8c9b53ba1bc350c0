"""E-mails to raters: an invitation when a scan opens, a reminder before the deadline.

They carry a link, never a score or a process name: a mailbox is not need-to-know.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from weerbaar.core.models import Membership
from weerbaar.scans.models import RaterNotice, ReminderKind, Scan

logger = logging.getLogger(__name__)


def _link() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("scans:my_ratings")


def _send(scan: Scan, member: Membership, kind: str, open_count: int) -> bool:
    """Send once per (scan, rater, kind): the unique notice row is claimed before the mail goes out."""
    try:
        with transaction.atomic():
            notice = RaterNotice.objects.create(
                organisation_id=scan.organisation_id, scan=scan, rater=member, kind=kind
            )
    except IntegrityError:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "organisation": scan.organisation.name,
            "full_name": member.user.full_name,
            "deadline": scan.deadline,
            "open_count": open_count,
            "link": _link(),
            "kind": kind,
        }
        body = render_to_string("scans/email/rater_notice.txt", context)
        subject = (
            _("Weerbaar: u bent gevraagd processen te beoordelen")
            if kind == ReminderKind.INVITATION
            else _("Weerbaar: herinnering, beoordelen kan nog tot %(deadline)s")
            % {"deadline": scan.deadline.strftime("%d-%m-%Y")}
        )
    recipient = member.user.email
    transaction.on_commit(lambda: _deliver(notice.pk, " ".join(subject.split()), body, recipient))
    return True


def _deliver(notice_id: int, subject: str, body: str, recipient: str) -> None:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
    except OSError:  # smtplib.SMTPException included
        # Release the claim, so the daily `scan_reminders` run sends it again; the page itself still works.
        logger.exception("E-mail aan een beoordelaar is niet verstuurd; scan_reminders probeert het opnieuw.")
        # After the commit no organisation may be bound any more (a command's scope can have ended);
        # the row is known by its primary key, so the unscoped manager touches only this claim.
        RaterNotice.cross_tenant_objects.filter(pk=notice_id).delete()


def schedule_invitations(scan: Scan, only: Sequence[Membership] | None = None) -> int:
    """Invite every rater of ``scan`` (or just ``only``) who has not been invited yet."""
    from django.db.models import Count, Q

    raters = (
        Membership.objects.filter(ratings__scan_process__scan=scan, is_active=True)
        .annotate(open_count=Count("ratings", filter=Q(ratings__scan_process__scan=scan)))
        .select_related("user")
        .order_by("pk")
    )
    if only is not None:
        raters = raters.filter(pk__in=[member.pk for member in only])
    return sum(_send(scan, member, ReminderKind.INVITATION, member.open_count) for member in raters)


def send_reminders(scan: Scan) -> int:
    """Remind each rater who has not handed in every assigned rating; at most once per scan."""
    from django.db.models import Count, Q

    raters = (
        Membership.objects.filter(ratings__scan_process__scan=scan, ratings__submitted_at__isnull=True, is_active=True)
        .annotate(
            open_count=Count("ratings", filter=Q(ratings__scan_process__scan=scan, ratings__submitted_at__isnull=True))
        )
        .select_related("user")
        .order_by("pk")
    )
    return sum(_send(scan, member, ReminderKind.REMINDER, member.open_count) for member in raters)
