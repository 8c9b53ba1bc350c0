"""Demo data: a published management report, in both versions, for each demo gemeente.

Called by ``core.demo.load_demo`` after the scans and plans are loaded, so the reports have
figures::

    from weerbaar.reports.demo import publish_demo_reports
    publish_demo_reports(large, coordinator_membership_of_large)
"""

from __future__ import annotations

from django.utils import timezone

from weerbaar.core.models import Membership, Organisation
from weerbaar.core.tenancy import tenant_scope
from weerbaar.reports.models import PublishedReport, ReportVersion
from weerbaar.reports.services import report_publish


def publish_demo_reports(organisation: Organisation, coordinator_membership: Membership) -> list[PublishedReport]:
    """Publish the full and the summary version as the coordinator would (both audited)."""
    notes = {
        ReportVersion.FULL.value: "Voor de collegevergadering; vertrouwelijk.",
        ReportVersion.SUMMARY.value: "Voor de informatiebrief aan de raad.",
    }
    with tenant_scope(organisation):
        return [
            report_publish(
                actor=coordinator_membership.user,
                member=coordinator_membership,
                version=version,
                note=notes[version],
                today=timezone.localdate(),
            )
            for version in (ReportVersion.FULL.value, ReportVersion.SUMMARY.value)
        ]
