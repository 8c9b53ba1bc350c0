"""The e-mail digests: weekly to each owner about their own work, monthly to the coordinator.

Never twice: before a digest goes out, its :class:`DigestLog` row (one per member, kind and period;
a unique constraint) is claimed and locked inside a transaction. A second run, even at the same
moment on another machine, waits for that lock and then finds the digest sent. A failed send
leaves ``sent_at`` empty, so the next run in the same period tries again. The mail is sent while
the row is locked, so the one gap left is a crash between the SMTP server accepting the mail and
the commit; then the next run sends it again, which is the better of the two possible failures.

A week without news for a member sends nothing but is recorded, so a later run that week stays quiet.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.attention.models import DigestKind, DigestLog, NotificationPreference
from weerbaar.attention.selectors.digest import OrganisationWork, organisation_work, weekly_digest
from weerbaar.audit.services import record
from weerbaar.core.models import Membership, Organisation
from weerbaar.core.permissions import Action

logger = logging.getLogger(__name__)

ACTOR_LABEL = "systeem (send_digests)"


class Outcome:
    SENT = "sent"
    EMPTY = "empty"
    DONE = "done"
    FAILED = "failed"


@dataclass
class Tally:
    kind: str
    period: str
    sent: int = 0
    empty: int = 0
    done: int = 0
    failed: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


def period_key(kind: str, today: dt.date) -> str:
    """ISO week ("2026-W48") for the weekly digest, calendar month ("2026-11") for the monthly one."""
    if kind == DigestKind.WEEKLY:
        year, week, _weekday = today.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{today.year}-{today.month:02d}"


def _site(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _claim(member: Membership, kind: str, period: str) -> DigestLog:
    """The member's row for this period, created if needed and locked until the transaction ends."""
    try:
        # Usually new (settled rows were left out before); a concurrent run's uncommitted row makes
        # this insert wait for that run, then fail on the unique constraint.
        with transaction.atomic():
            DigestLog.objects.create(
                organisation_id=member.organisation_id, membership=member, kind=kind, period=period
            )
    except IntegrityError:
        pass
    return DigestLog.objects.select_for_update().get(membership=member, kind=kind, period=period)


def deliver_once(
    member: Membership,
    kind: str,
    period: str,
    count: int,
    message: Callable[[], EmailMultiAlternatives],
    *,
    always: bool = False,
) -> str:
    """Send ``message()`` unless this member's digest of ``period`` was sent (or had no news) already.

    With ``count`` 0 nothing is sent (unless ``always``), but the period is recorded as settled.
    """
    with transaction.atomic():
        log = _claim(member, kind, period)
        if log.sent_at is not None:
            return Outcome.DONE
        send = bool(count) or always
        if send:
            try:
                message().send()
            except OSError:  # smtplib.SMTPException included
                # The claim stays with sent_at empty: the next run in this period tries again.
                logger.exception("Overzicht per e-mail niet verstuurd; de volgende run probeert het opnieuw.")
                return Outcome.FAILED
        log.sent_at = timezone.now()
        log.item_count = count
        log.save(update_fields=["sent_at", "item_count", "updated_at"])
        return Outcome.SENT if send else Outcome.EMPTY


def _mail(subject: str, template: str, context: dict[str, object], to: str) -> EmailMultiAlternatives:
    text = render_to_string(f"attention/email/{template}.txt", context)
    html = render_to_string(f"attention/email/{template}.html", context)
    message = EmailMultiAlternatives(" ".join(subject.split()), text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    return message


def _recipients(tally: Tally, action: str, wants: str) -> list[Membership]:
    """Active members whose roles allow ``action`` and who did not switch the digest off (three queries).

    Those whose digest of this period is settled already are counted in ``tally.done`` and left out,
    so a repeated run costs no transaction for them.
    """
    switched_off = set(NotificationPreference.objects.filter(**{wants: False}).values_list("membership_id", flat=True))
    settled = set(
        DigestLog.objects.filter(kind=tally.kind, period=tally.period, sent_at__isnull=False).values_list(
            "membership_id", flat=True
        )
    )
    wanted = [
        member
        for member in Membership.objects.filter(is_active=True).select_related("user").order_by("pk")
        if member.can(action) and member.user.email and member.pk not in switched_off
    ]
    recipients = [member for member in wanted if member.pk not in settled]
    tally.done = len(wanted) - len(recipients)
    return recipients


def _common(organisation: Organisation, member: Membership) -> dict[str, object]:
    return {
        "organisation": organisation.name,
        "full_name": member.user.full_name or member.user.email,
        "preferences_link": _site(reverse("attention:preferences")),
        "site": settings.SITE_URL.rstrip("/"),
    }


def send_weekly(organisation: Organisation, today: dt.date) -> Tally:
    """Each active owner with the weekly digest on gets their own overdue, soon-due and fading work."""
    kind = DigestKind.WEEKLY
    tally = Tally(kind, period_key(kind, today))
    recipients = _recipients(tally, Action.WORK_OWN, "weekly_digest")
    if not recipients:
        return tally
    with translation.override(settings.LANGUAGE_CODE):
        work = organisation_work(today)
        for member in recipients:
            digest = weekly_digest(work, member, with_acceptances=member.can(Action.RISK_ACCEPT))
            context = {
                **_common(organisation, member),
                "sections": [
                    (section.heading, [(item, _site(item.path)) for item in section.items])
                    for section in digest.sections
                ],
                "count": digest.count,
            }
            subject = ngettext(
                "Weerbaar: %(count)d punt in uw werk voor %(organisation)s",
                "Weerbaar: %(count)d punten in uw werk voor %(organisation)s",
                digest.count,
            ) % {"count": digest.count, "organisation": organisation.name}
            tally.add(
                deliver_once(
                    member,
                    kind,
                    tally.period,
                    digest.count,
                    partial(_mail, subject, "digest_weekly", context, member.user.email),
                )
            )
    return tally


def _monthly_context(organisation: Organisation, work: OrganisationWork) -> dict[str, object]:
    return {
        "month": dateformat.format(work.today, "F Y"),
        "overdue_lines": work.overdue_lines,
        "overdue_reviews": work.overdue_reviews,
        "not_alive": work.not_alive,
        "implemented": work.liveness.implemented,
        "alive": work.liveness.alive,
        "overdue_activities": work.overdue_activities,
        "expired_acceptances": len(work.acceptances),
        "days_since_scan": work.days_since_scan,
        "items": [(item, _site(item.path)) for item in work.urgent],
        "more": work.urgent_total - len(work.urgent),
        "due_link": _site(reverse("attention:due_list")),
    }


def send_monthly(organisation: Organisation, today: dt.date) -> Tally:
    """Each coordinator (``ATTENTION_MANAGE``) with the monthly digest on gets the organisation's picture."""
    kind = DigestKind.MONTHLY
    tally = Tally(kind, period_key(kind, today))
    recipients = _recipients(tally, Action.ATTENTION_MANAGE, "monthly_digest")
    if not recipients:
        return tally
    with translation.override(settings.LANGUAGE_CODE):
        work = organisation_work(today, monthly=True)
        summary = _monthly_context(organisation, work)
        count = work.urgent_total
        subject = _("Weerbaar: maandoverzicht %(month)s voor %(organisation)s") % {
            "month": summary["month"],
            "organisation": organisation.name,
        }
        for member in recipients:
            context = {**_common(organisation, member), **summary, "count": count}
            # The monthly picture is news even when all is well (and says how long ago the last scan was).
            tally.add(
                deliver_once(
                    member,
                    kind,
                    tally.period,
                    count,
                    partial(_mail, subject, "digest_monthly", context, member.user.email),
                    always=True,
                )
            )
    return tally


def record_run(organisation: Organisation, tally: Tally) -> None:
    record(
        action="attention.digests",
        actor=None,
        actor_label=ACTOR_LABEL,
        organisation=organisation,
        object_type="attention.digestlog",
        object_label=_("E-mailoverzichten %(period)s") % {"period": tally.period},
        changes={
            "kind": [None, tally.kind],
            "period": [None, tally.period],
            "sent": [None, tally.sent],
            "without_news": [None, tally.empty],
            "failed": [None, tally.failed],
        },
    )
