"""Daily: invitations that never went out, and one reminder per rater shortly before a scan's deadline.

A system command, so it finds the organisations with an open scan across tenants, then works
inside each organisation's own scope. Safe to run more often: a rater gets at most one
invitation and one reminder per scan (``RaterNotice``), so a second run sends nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.audit.services import record
from weerbaar.core.models import Membership, Organisation
from weerbaar.core.tenancy import tenant_scope
from weerbaar.scans import services
from weerbaar.scans.models import RaterNotice, ReminderKind, Scan, ScanState

ACTOR_LABEL = "systeem (scan_reminders)"


@dataclass
class Tally:
    scans: int = 0
    invitations: int = 0
    reminders: int = 0


def _unnotified(scan: Scan, kind: str, *, open_only: bool) -> int:
    """Raters of ``scan`` who have not had a notice of ``kind`` yet (what a real run would send)."""
    raters = Membership.objects.filter(ratings__scan_process__scan=scan, is_active=True)
    if open_only:
        raters = raters.filter(ratings__submitted_at__isnull=True)
    notified = RaterNotice.objects.filter(scan=scan, kind=kind).values("rater_id")
    return int(raters.exclude(pk__in=notified).distinct().count())


def _due(scan: Scan, today: dt.date, days: int) -> bool:
    return today <= scan.deadline <= today + dt.timedelta(days=days)


def _run(organisation: Organisation, *, days: int, dry_run: bool, today: dt.date) -> Tally:
    tally = Tally()
    for scan in Scan.objects.filter(state=ScanState.OPEN).select_related("organisation").order_by("deadline", "pk"):
        tally.scans += 1
        due = _due(scan, today, days)
        if dry_run:
            tally.invitations += _unnotified(scan, ReminderKind.INVITATION, open_only=False)
            tally.reminders += _unnotified(scan, ReminderKind.REMINDER, open_only=True) if due else 0
            continue
        tally.invitations += services.schedule_invitations(scan)
        if due:
            tally.reminders += services.send_reminders(scan)
    if not dry_run:
        record(
            action="scan.reminders",
            actor=None,
            actor_label=ACTOR_LABEL,
            organisation=organisation,
            object_type="scans.scan",
            object_label=_("Herinneringen bij open scans"),
            changes={
                "open_scans": [None, tally.scans],
                "invitations": [None, tally.invitations],
                "reminders": [None, tally.reminders],
                "days": [None, days],
            },
        )
    return tally


def _summary(organisation: Organisation, tally: Tally, *, dry_run: bool) -> str:
    scans = ngettext("%(count)d open scan", "%(count)d open scans", tally.scans) % {"count": tally.scans}
    invitations = ngettext("%(count)d uitnodiging", "%(count)d uitnodigingen", tally.invitations) % {
        "count": tally.invitations
    }
    reminders = ngettext("%(count)d herinnering", "%(count)d herinneringen", tally.reminders) % {
        "count": tally.reminders
    }
    if dry_run:
        return _("%(organisation)s (proefdraai): %(scans)s; zou %(invitations)s en %(reminders)s versturen.") % {
            "organisation": organisation.name,
            "scans": scans,
            "invitations": invitations,
            "reminders": reminders,
        }
    return _("%(organisation)s: %(scans)s; %(invitations)s en %(reminders)s verstuurd.") % {
        "organisation": organisation.name,
        "scans": scans,
        "invitations": invitations,
        "reminders": reminders,
    }


class Command(BaseCommand):
    help = (
        "Stuurt beoordelaars van open scans de uitnodigingen die nog niet zijn verstuurd, en één herinnering "
        "wanneer de uiterste datum binnen --days dagen valt en zij nog niet alles hebben ingeleverd. "
        "Dagelijks te draaien; een tweede run op dezelfde dag verstuurt niets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=3,
            help="Herinner wanneer de uiterste datum binnen zoveel dagen valt (vandaag meegeteld). Standaard 3.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Toon alleen wat er verstuurd zou worden; verstuur en registreer niets.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days: int = options["days"]
        dry_run: bool = options["dry_run"]
        if not 0 <= days <= 365:
            raise CommandError("--days moet tussen 0 en 365 liggen.")
        today = timezone.localdate()
        # Cross-tenant by necessity (a system command): only to learn which organisations to visit.
        with_open = Scan.cross_tenant_objects.filter(state=ScanState.OPEN).values("organisation_id")
        organisations = Organisation.objects.filter(pk__in=with_open, is_active=True).order_by("name", "pk")
        failed = []
        for organisation in organisations:
            try:
                with tenant_scope(organisation), transaction.atomic():
                    tally = _run(organisation, days=days, dry_run=dry_run, today=today)
            except Exception as exc:  # one organisation's trouble must not stop the others
                failed.append(organisation.name)
                self.stderr.write(f"{organisation.name}: mislukt ({type(exc).__name__}: {exc})")
                continue
            self.stdout.write(_summary(organisation, tally, dry_run=dry_run))
        if not organisations:
            self.stdout.write("Geen open scans.")
        if failed:
            raise CommandError(f"Herinneringen mislukt voor {len(failed)} organisatie(s): {', '.join(failed)}.")
