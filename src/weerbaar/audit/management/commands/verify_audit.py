from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from weerbaar.audit.services import record_full_check, verify_all


class Command(BaseCommand):
    help = (
        "Walk every audit chain and name the first broken row (edited, deleted or re-ordered). "
        "Run it nightly: pages that show the chain's state check only what was added since."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        reports = verify_all()
        for report in reports:
            record_full_check(report)
        broken = [report for report in reports if not report.ok]
        for report in reports:
            if report.ok:
                self.stdout.write(f"OK      {report.chain}: {report.length} regels")
            else:
                where = f"regel id={report.broken_event_id}" if report.broken_event_id else "einde van de keten"
                self.stdout.write(
                    f"GEBROKEN {report.chain}: {where}, volgnummer {report.broken_sequence}: {report.problem}"
                )
        if broken:
            raise CommandError(f"{len(broken)} van {len(reports)} ketens zijn gebroken.")
        self.stdout.write(self.style.SUCCESS(f"Alle {len(reports)} ketens zijn intact."))
