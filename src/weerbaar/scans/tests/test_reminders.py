"""`manage.py scan_reminders`: missed invitations and one reminder before the deadline, per organisation."""

from __future__ import annotations

import datetime as dt
import smtplib
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import events
from weerbaar.scans import services
from weerbaar.scans.models import RaterNotice, ReminderKind, Scan
from weerbaar.scans.tests.support import make_scan, rate, ratings_of, scan_processes
from weerbaar.testing.world import Tenant, World

pytestmark = pytest.mark.django_db


def _open(tenant: Tenant, *, days: int, **fields: Any) -> Scan:
    with tenant_scope(tenant.organisation):
        scan = make_scan(tenant, deadline=timezone.localdate() + dt.timedelta(days=days), **fields)
        return services.scan_open(actor=None, scan=scan, version=scan.version)


def _run(capture: Any, *args: str) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("scan_reminders", *args, stdout=out)
    return out.getvalue()


def _notices(tenant: Tenant, kind: str) -> int:
    with tenant_scope(tenant.organisation):
        return int(RaterNotice.objects.filter(kind=kind).count())


def test_a_reminder_goes_once_to_raters_with_open_ratings_and_carries_only_a_link(
    world: World, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://weerbaar.aadorp.example/"
    scan = _open(world.a, days=2)
    with tenant_scope(world.a.organisation):
        for scan_process in scan_processes(scan):
            coordinator = next(r for r in ratings_of(scan_process) if r.rater.roles == ["coordinator"])
            rate(coordinator, note="Geheime toelichting")
    # The invitations were claimed when the scan opened (their mails are not part of this test).
    output = _run(django_capture_on_commit_callbacks)
    assert output.strip() == "Gemeente Aadorp: 1 open scan; 0 uitnodigingen en 1 herinnering verstuurd."
    [message] = mail.outbox
    assert message.to == [world.a.user("proceseigenaar").email]
    assert "https://weerbaar.aadorp.example/beoordelen" in message.body
    assert "2 beoordelingen open" in message.body
    for secret in ("Evenementenvergunning", "Subsidies", "Geheime toelichting", "belang"):
        assert secret not in message.body and secret not in message.subject
    [event] = events(world.a.organisation, "scan.reminders")
    assert event.changes["reminders"] == [None, 1] and event.actor_label == "systeem (scan_reminders)"
    # Idempotent: the second run (the same day, or tomorrow) sends nothing.
    output = _run(django_capture_on_commit_callbacks)
    assert "0 uitnodigingen en 0 herinneringen verstuurd" in output
    assert len(mail.outbox) == 1
    assert len(events(world.a.organisation, "scan.reminders")) == 2


def test_no_reminder_while_the_deadline_is_further_away_than_days(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _open(world.a, days=10)
    _run(django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert _run(django_capture_on_commit_callbacks, "--days", "10").strip().endswith("2 herinneringen verstuurd.")
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        world.a.user(role).email for role in ("coordinator", "proceseigenaar")
    )


def test_invitations_that_failed_are_sent_by_the_next_run(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    failing = mock.patch("weerbaar.scans.services.notices.send_mail", side_effect=smtplib.SMTPException("weg"))
    with failing, django_capture_on_commit_callbacks(execute=True):
        _open(world.a, days=10)
    # The failed mails released their claim, so the run retries them.
    assert _notices(world.a, ReminderKind.INVITATION) == 0
    output = _run(django_capture_on_commit_callbacks)
    assert "2 uitnodigingen en 0 herinneringen verstuurd" in output
    assert len(mail.outbox) == 2 and _notices(world.a, ReminderKind.INVITATION) == 2
    assert "vraagt u om 2 processen te beoordelen" in mail.outbox[0].body


def test_a_dry_run_sends_and_records_nothing_and_every_organisation_gets_its_own_line(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    _open(world.a, days=1)
    _open(world.b, days=30)
    with tenant_scope(world.a.organisation):
        RaterNotice.objects.all().delete()  # as if the invitations never went out
    output = _run(django_capture_on_commit_callbacks, "--dry-run")
    lines = output.strip().splitlines()
    assert lines[0] == "Gemeente Aadorp (proefdraai): 1 open scan; zou 2 uitnodigingen en 2 herinneringen versturen."
    assert lines[1].endswith("(proefdraai): 1 open scan; zou 0 uitnodigingen en 0 herinneringen versturen.")
    assert mail.outbox == [] and _notices(world.a, ReminderKind.INVITATION) == 0
    assert events(world.a.organisation, "scan.reminders") == []
    output = _run(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 4
    assert events(world.b.organisation, "scan.reminders")[0].changes["reminders"] == [None, 0]


def test_without_open_scans_the_command_says_so(world: World, django_capture_on_commit_callbacks: Any) -> None:
    with tenant_scope(world.a.organisation):
        make_scan(world.a)
    assert _run(django_capture_on_commit_callbacks).strip() == "Geen open scans."
