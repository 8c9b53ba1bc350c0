"""Weekly and monthly e-mail digests: each owner's own work, and the coordinator's picture of the organisation.

A system command: it visits every active gemeente (or one, with ``--organisation``) inside that
organisation's own scope. Safe to run again: a member gets at most one digest of a kind per week
or month (``DigestLog``), so a second run sends only what failed the first time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from weerbaar.attention.models import DigestKind
from weerbaar.attention.services.digests import Tally, record_run, send_monthly, send_weekly
from weerbaar.core.models import Organisation, OrganisationKind
from weerbaar.core.tenancy import tenant_scope

LABELS: dict[str, str] = {DigestKind.WEEKLY: "weekoverzicht", DigestKind.MONTHLY: "maandoverzicht"}


def _summary(organisation: Organisation, tally: Tally) -> str:
    return (
        f"{organisation.name}: {LABELS[tally.kind]} {tally.period}: {tally.sent} verstuurd, "
        f"{tally.empty} zonder nieuws, {tally.done} al eerder afgehandeld, {tally.failed} mislukt."
    )


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today moet een datum zijn als 2026-11-30, niet {value!r}.") from None


class Command(BaseCommand):
    help = (
        "Stuurt de e-mailoverzichten: --weekly aan iedere eigenaar over het eigen werk (alleen als er iets "
        "is), --monthly aan de coördinator over de hele organisatie. Zonder beide: allebei. Een tweede run "
        "in dezelfde week of maand verstuurt niets opnieuw, alleen wat eerder mislukte."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--weekly", action="store_true", help="Het weekoverzicht voor de eigenaren.")
        parser.add_argument("--monthly", action="store_true", help="Het maandoverzicht voor de coördinator.")
        parser.add_argument(
            "--today", help="Doe alsof het deze datum is (JJJJ-MM-DD), bijvoorbeeld om te testen. Standaard vandaag."
        )
        parser.add_argument("--organisation", help="Alleen deze organisatie (uuid).")

    def handle(self, *args: Any, **options: Any) -> None:
        kinds = [
            kind for kind, flag in ((DigestKind.WEEKLY, "weekly"), (DigestKind.MONTHLY, "monthly")) if options[flag]
        ]
        kinds = kinds or [DigestKind.WEEKLY, DigestKind.MONTHLY]
        today = _date(options["today"]) if options["today"] else timezone.localdate()
        organisations = Organisation.objects.filter(is_active=True, kind=OrganisationKind.GEMEENTE).order_by(
            "name", "pk"
        )
        if options["organisation"]:
            try:
                wanted = UUID(options["organisation"])
            except ValueError:
                raise CommandError(f"--organisation moet een uuid zijn, niet {options['organisation']!r}.") from None
            organisations = organisations.filter(uuid=wanted)
            if not organisations.exists():
                raise CommandError("Geen actieve gemeente met deze uuid.")
        failed: list[str] = []
        mails_failed = 0
        for organisation in organisations:
            for kind in kinds:
                try:
                    with tenant_scope(organisation):
                        tally = (
                            send_weekly(organisation, today)
                            if kind == DigestKind.WEEKLY
                            else send_monthly(organisation, today)
                        )
                        record_run(organisation, tally)
                except Exception as exc:  # one organisation's trouble must not stop the others
                    failed.append(organisation.name)
                    self.stderr.write(f"{organisation.name}: {LABELS[kind]} mislukt ({type(exc).__name__}: {exc})")
                    continue
                mails_failed += tally.failed
                self.stdout.write(_summary(organisation, tally))
        if failed:
            raise CommandError(
                f"Overzichten mislukt voor {len(failed)} organisatie(s): {', '.join(sorted(set(failed)))}."
            )
        if mails_failed:
            raise CommandError(
                f"{mails_failed} e-mail(s) niet verstuurd. Draai de opdracht later opnieuw: "
                "wat al verstuurd is, gaat niet nog eens."
            )
