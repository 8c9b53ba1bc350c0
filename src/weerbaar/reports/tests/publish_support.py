"""Helpers for the publishing tests (not collected: no test_ prefix).

``fake_renderer`` stands in for WeasyPrint where a test is about publishing, not about the report's
content: each call gives a different small PDF, so two publications are told apart.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

from django.db import connection
from django.utils import timezone

from weerbaar.audit.models import AuditChainHead, AuditEvent, chain_for
from weerbaar.audit.services import compute_hash
from weerbaar.core.models import Membership, Organisation
from weerbaar.core.tenancy import tenant_scope
from weerbaar.reports.models import PublishedReport
from weerbaar.reports.rendering import RenderedReport
from weerbaar.reports.services import report_publish

_counter = itertools.count(1)


def fake_render(organisation: Organisation, *, version: str, today: dt.date) -> RenderedReport:
    number = next(_counter)
    return RenderedReport(
        title=f"Managementrapportage {organisation.name} {today.year}",
        version=version,
        reference_date=today,
        scan=None,
        model_version="test-1.0",
        data_hash=hashlib.sha256(f"{organisation.uuid}:{version}:{today}".encode()).hexdigest(),
        html=f"<!doctype html><title>Rapportage {number}</title>",
        pdf=f"%PDF-1.7\n% rapportage {number}\n%%EOF\n".encode(),
        page_count=3,
    )


@contextmanager
def fake_renderer() -> Iterator[mock.MagicMock]:
    with mock.patch("weerbaar.reports.services.render_report", side_effect=fake_render) as patched:
        yield patched


def publish(member: Membership, version: str = "volledig", note: str = "") -> PublishedReport:
    """Publish with the fake renderer, as the coordinator ``member``."""
    with tenant_scope(member.organisation), fake_renderer():
        return report_publish(actor=member.user, member=member, version=version, note=note, today=timezone.localdate())


def make_reports(organisation: Organisation, member: Membership, count: int, start: int = 0) -> None:
    """``count`` archived reports written directly (list and query-count tests need rows, not renders)."""
    with tenant_scope(organisation):
        for number in range(start, start + count):
            pdf = f"%PDF-1.7\n% {number}\n".encode()
            PublishedReport.objects.create(
                organisation=organisation,
                version="volledig" if number % 2 else "samenvatting",
                title=f"Rapportage {number:03d}",
                reference_date=timezone.localdate(),
                model_version="test-1.0",
                data_hash="a" * 64,
                audit_head_hash="b" * 64,
                audit_head_sequence=number,
                pdf=pdf,
                pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                page_count=2,
                html="<html></html>",
                published_by=member,
                published_at=timezone.now() - dt.timedelta(minutes=1000 - number),
            )


def raw_sql(sql: str, params: list[Any]) -> None:
    """Tamper directly in the database, as someone with database access would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_auditevent_append_only")


def rewrite_trail(organisation: Organisation, sequence: int, actor_label: str) -> None:
    """Forge row ``sequence`` and recompute every later hash and the head: the chain verifies again."""
    chain = chain_for(organisation.uuid)
    events = list(AuditEvent.all_chains.filter(chain=chain, sequence__gte=sequence).order_by("sequence"))
    previous = events[0].prev_hash
    for event in events:
        if event.sequence == sequence:
            event.actor_label = actor_label
        event.prev_hash = previous
        event.hash = compute_hash(event)
        raw_sql(
            "UPDATE audit_auditevent SET actor_label = %s, prev_hash = %s, hash = %s WHERE id = %s",
            [event.actor_label, event.prev_hash, event.hash, event.pk],
        )
        previous = event.hash
    head = AuditChainHead.objects.get(chain=chain)
    head.hash = previous
    head.save()
