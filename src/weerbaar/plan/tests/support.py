"""Helpers for the action plan tests (not collected: no test_ prefix)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from weerbaar.catalogue.models import Measure
from weerbaar.core.tenancy import tenant_scope
from weerbaar.plan import services
from weerbaar.plan.models import MeasureStatus, PlannedMeasure
from weerbaar.register.models import Process
from weerbaar.register.tests.support import make_process
from weerbaar.scans.tests.results_support import scan_with_results
from weerbaar.testing.world import Tenant

#: A process measure of the national catalogue that weakens characteristics the demo levels score on.
PROCESS_MEASURE = "vier-ogen-beslissingen"
ORGANISATION_MEASURE = "normgesprek-teams"

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "bewijs.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def measure(key: str = PROCESS_MEASURE) -> Measure:
    return Measure.national_objects.get(key=key)


def scored_process(tenant: Tenant, name: str = "Subsidieverlening") -> Process:
    """A process of ``tenant`` with a result in a closed scan (through the real workflow)."""
    with tenant_scope(tenant.organisation):
        process = make_process(tenant, name=name)
        scan_with_results(tenant, [process], name=f"Scan {name}")
    return process


def plan(
    tenant: Tenant,
    process: Process | None,
    key: str = PROCESS_MEASURE,
    *,
    status: str = MeasureStatus.PLANNED,
    owner_role: str = "proceseigenaar",
    due_in_days: int = 30,
    **extra: object,
) -> PlannedMeasure:
    with tenant_scope(tenant.organisation):
        return services.planned_measure_create(
            actor=None,
            member=tenant.members["coordinator"],
            measure=measure(key),
            process=process,
            owner=tenant.members[owner_role],
            due_date=timezone.localdate() + dt.timedelta(days=due_in_days),
            status=status,
            **extra,  # type: ignore[arg-type]
        )


def implement(tenant: Tenant, planned: PlannedMeasure, on: dt.date | None = None) -> PlannedMeasure:
    with tenant_scope(tenant.organisation):
        planned = PlannedMeasure.objects.get(pk=planned.pk)
        return services.planned_measure_set_status(
            actor=None,
            member=tenant.members["coordinator"],
            planned=planned,
            version=planned.version,
            status=MeasureStatus.IMPLEMENTED,
            implemented_on=on or timezone.localdate(),
        )
