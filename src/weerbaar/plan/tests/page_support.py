"""Helpers for the plan page tests (not collected: no test_ prefix)."""

from __future__ import annotations

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from weerbaar.audit.models import AuditEvent
from weerbaar.catalogue.models import Measure, MeasureScope
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, middleware_queries
from weerbaar.plan.models import PlannedMeasure
from weerbaar.register.models import Process
from weerbaar.testing.world import Tenant, World


def events(world: World, action: str) -> int:
    with tenant_scope(world.a.organisation):
        return AuditEvent.objects.filter(action=action).count()


def process_measure_keys() -> list[str]:
    """Every national measure for one process, in catalogue order."""
    return list(
        Measure.national_objects.filter(scope=MeasureScope.PROCESS, is_active=True)
        .order_by("position", "key")
        .values_list("key", flat=True)
    )


def proposals_url(process: Process) -> str:
    return reverse("plan:proposals", kwargs={"process_uuid": process.uuid})


def adopt_url(process: Process, measure: Measure) -> str:
    return reverse("plan:proposal_adopt", kwargs={"process_uuid": process.uuid}) + f"?maatregel={measure.uuid}"


def decline_url(process: Process, measure: Measure) -> str:
    return reverse("plan:proposal_decline", kwargs={"process_uuid": process.uuid}) + f"?maatregel={measure.uuid}"


def line_url(planned: PlannedMeasure, name: str = "measure_detail") -> str:
    return reverse(f"plan:{name}", kwargs={"planned_measure_uuid": planned.uuid})


def reload(tenant: Tenant, planned: PlannedMeasure) -> PlannedMeasure:
    with tenant_scope(tenant.organisation):
        return PlannedMeasure.objects.get(pk=planned.pk)


def queries(client: Client, url: str) -> tuple[int, str]:
    middleware_queries(client)  # takes any session write of the idle-timeout middleware
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), body(response)


def text(html: str) -> str:
    """The page as words, tags removed and spaces collapsed (for assertions on sentences)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
