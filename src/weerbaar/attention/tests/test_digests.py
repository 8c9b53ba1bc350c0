"""`manage.py send_digests`: each owner's own work weekly, the coordinator's picture monthly, never twice."""

from __future__ import annotations

import datetime as dt
import smtplib
import threading
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from weerbaar.attention.models import DigestKind, DigestLog, NotificationPreference, RecurringActivity
from weerbaar.attention.services import digests
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import events
from weerbaar.plan.models import PlannedMeasure, add_months
from weerbaar.plan.tests.support import ORGANISATION_MEASURE, implement, measure, plan, scored_process
from weerbaar.plan.tests.test_acceptance import accept
from weerbaar.register.tests.support import make_process
from weerbaar.testing.world import CANARY, Tenant, World

pytestmark = pytest.mark.django_db

SITE = "https://weerbaar.aadorp.example"
OTHER_MEASURE = "functieroulatie"


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = SITE + "/"


def run(*args: str) -> str:
    out = StringIO()
    call_command("send_digests", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def weekly(day: dt.date, *extra: str) -> str:
    return run("--weekly", "--today", day.isoformat(), *extra)


def to(tenant: Tenant, role: str) -> list[Any]:
    return [message for message in mail.outbox if message.to == [tenant.user(role).email]]


def html_of(message: Any) -> str:
    [(content, kind)] = message.alternatives
    assert kind == "text/html"
    return str(content)


def activity(tenant: Tenant, role: str, name: str, starts_on: dt.date) -> RecurringActivity:
    with tenant_scope(tenant.organisation):
        return RecurringActivity.objects.create(
            organisation=tenant.organisation,
            kind="normgesprek",
            name=name,
            cadence_months=12,
            owner=tenant.members[role],
            starts_on=starts_on,
        )


def test_the_weekly_digest_names_the_owners_fading_measure_with_a_link_but_no_score(world: World) -> None:
    process = scored_process(world.a)
    planned = implement(world.a, plan(world.a, process))
    name = measure().name
    # Time moves on: the review fell due two months ago, nobody reviewed it.
    later = add_months(timezone.localdate(), planned.review_cadence_months + 2)
    output = weekly(later)
    assert "1 verstuurd" in output
    [message] = to(world.a, "proceseigenaar")
    link = f"{SITE}{reverse('plan:measure_detail', kwargs={'planned_measure_uuid': planned.uuid})}"
    assert name in message.body and "verliest zijn effect" in message.body and link in message.body
    assert f'href="{link}"' in html_of(message) and name in html_of(message)
    assert "Werkt niet meer (volledig)" in message.body
    assert "1 punt in uw werk" in message.subject
    for secret in ("Subsidieverlening", "kwetsbaarheid", "Kwetsbaarheid", "score"):
        assert secret not in message.body and secret not in message.subject
    assert f"{SITE}/mijn-meldingen" in message.body
    [event] = events(world.a.organisation, "attention.digests")
    assert event.changes["sent"] == [None, 1] and event.actor_label == "systeem (send_digests)"


def test_overdue_soon_due_and_activities_are_grouped(world: World) -> None:
    today = timezone.localdate()
    process = scored_process(world.a)
    plan(world.a, process, due_in_days=3)
    plan(world.a, process, OTHER_MEASURE, due_in_days=15)
    act = activity(world.a, "proceseigenaar", "Normgesprek Burgerzaken", today + dt.timedelta(days=12))
    weekly(today + dt.timedelta(days=5))
    [message] = to(world.a, "proceseigenaar")
    overdue, soon = message.body.split("Binnen twee weken")
    assert "Te laat" in overdue and measure().name in overdue and "had op" in overdue
    assert measure(OTHER_MEASURE).name in soon and "moet op" in soon
    assert "Normgesprek Burgerzaken" in soon and "aan de beurt" in soon
    assert f"{SITE}{reverse('attention:activity_detail', kwargs={'activity_uuid': act.uuid})}" in message.body
    assert "3 punten" in message.subject


def test_nobody_gets_someone_elses_items_or_another_organisations(world: World) -> None:
    today = timezone.localdate()
    process = scored_process(world.a)
    plan(world.a, process, due_in_days=3)
    plan(world.a, process, OTHER_MEASURE, owner_role="coordinator", due_in_days=3)
    activity(world.a, "medewerker", "Intranetpagina bijwerken", today)
    activity(world.b, "proceseigenaar", f"Activiteit van {CANARY}", today)
    weekly(today)
    [own] = to(world.a, "proceseigenaar")
    [coordinator] = to(world.a, "coordinator")
    [employee] = to(world.a, "medewerker")
    assert measure().name in own.body and measure(OTHER_MEASURE).name not in own.body
    assert measure(OTHER_MEASURE).name in coordinator.body and measure().name not in coordinator.body
    assert "Intranetpagina" in employee.body and measure().name not in employee.body
    assert "Intranetpagina" not in own.body + coordinator.body
    a_mails = [m for m in mail.outbox if m.to[0].endswith("aadorp.example")]
    assert all(CANARY not in m.body + html_of(m) + m.subject for m in a_mails)
    assert [m.to for m in mail.outbox if CANARY in m.body] == [[world.b.user("proceseigenaar").email]]


def test_nothing_to_report_sends_nothing_but_settles_the_week(world: World) -> None:
    today = timezone.localdate()
    output = weekly(today)
    assert mail.outbox == [] and "0 verstuurd" in output
    with tenant_scope(world.a.organisation):
        log = DigestLog.objects.get(membership=world.a.members["proceseigenaar"], kind=DigestKind.WEEKLY)
    assert log.sent_at is not None and log.item_count == 0 and log.period == digests.period_key("wekelijks", today)
    # Work that turns up later in the same week waits for next week's digest.
    plan(world.a, scored_process(world.a), due_in_days=3)
    weekly(today)
    assert mail.outbox == []
    weekly(today + dt.timedelta(days=7))
    assert len(to(world.a, "proceseigenaar")) == 1


def test_a_second_run_in_the_same_week_sends_nothing(world: World) -> None:
    today = timezone.localdate()
    plan(world.a, scored_process(world.a), due_in_days=3)
    weekly(today)
    assert len(mail.outbox) == 1
    monday = today - dt.timedelta(days=today.weekday())
    output = weekly(monday + dt.timedelta(days=6))  # the Sunday of the same ISO week
    assert len(mail.outbox) == 1
    assert (
        "Gemeente Aadorp: weekoverzicht" in output and "0 verstuurd, 0 zonder nieuws, 5 al eerder afgehandeld" in output
    )


def test_a_failed_send_is_retried_by_the_next_run(world: World) -> None:
    today = timezone.localdate()
    plan(world.a, scored_process(world.a), due_in_days=3)
    failing = mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=smtplib.SMTPException("server weg")
    )
    with failing, pytest.raises(CommandError, match="1 e-mail"):
        weekly(today)
    assert mail.outbox == []
    with tenant_scope(world.a.organisation):
        claim = DigestLog.objects.get(membership=world.a.members["proceseigenaar"])
    assert claim.sent_at is None
    output = weekly(today)
    assert "1 verstuurd" in output and len(to(world.a, "proceseigenaar")) == 1
    claim.refresh_from_db()
    assert claim.sent_at is not None and claim.item_count == 1


def test_a_member_who_switched_the_digest_off_gets_nothing(world: World) -> None:
    plan(world.a, scored_process(world.a), due_in_days=3)
    with tenant_scope(world.a.organisation):
        NotificationPreference.objects.create(
            organisation=world.a.organisation, membership=world.a.members["proceseigenaar"], weekly_digest=False
        )
    weekly(timezone.localdate())
    assert to(world.a, "proceseigenaar") == []
    with tenant_scope(world.a.organisation):
        assert not DigestLog.objects.filter(membership=world.a.members["proceseigenaar"]).exists()


def test_the_secretaris_is_reminded_of_expired_acceptances_others_are_not(world: World) -> None:
    today = timezone.localdate()
    process = scored_process(world.a)
    accept(world.a, process, expires_on=today + dt.timedelta(days=3))
    weekly(today + dt.timedelta(days=10))
    [message] = to(world.a, "secretaris")
    assert f"Risicoacceptatie van proces {process.code}" in message.body and "verlopen op" in message.body
    assert f"{SITE}/maatregelen/acceptatie/{process.uuid}" in message.body
    assert "Verlopen risicoacceptaties" in message.body
    assert to(world.a, "proceseigenaar") == [] and to(world.a, "coordinator") == []


def test_the_monthly_digest_goes_only_to_the_coordinator_and_names_the_measures(world: World) -> None:
    today = timezone.localdate()
    process = scored_process(world.a)
    planned = implement(world.a, plan(world.a, process))
    plan(world.a, process, OTHER_MEASURE, due_in_days=1)
    activity(world.a, "medewerker", "Weerbaarheidsfestival", today - dt.timedelta(days=1))
    later = add_months(today, planned.review_cadence_months + 1)
    output = run("--monthly", "--today", later.isoformat())
    assert "maandoverzicht" in output
    [message] = [m for m in mail.outbox if m.to[0].endswith("aadorp.example")]
    assert message.to == [world.a.user("coordinator").email]
    assert [m.to for m in mail.outbox if m is not message] == [[world.b.user("coordinator").email]]
    assert "maandoverzicht" in message.subject
    body = message.body
    assert "Maatregelen te laat: 1" in body and "Activiteiten te laat: 1" in body
    assert "Maatregelen die niet meer (volledig) werken: 1 van 1 geïmplementeerd" in body
    assert measure().name in body and measure(OTHER_MEASURE).name in body and "Weerbaarheidsfestival" in body
    assert "eigenaar: Aadorp proceseigenaar" in body and "dagen geleden" in body
    assert "Subsidieverlening" not in body and "kwetsbaarheid" not in body
    # The weekly run does not send the monthly digest, and a second monthly run nothing.
    run("--monthly", "--today", later.isoformat())
    run("--weekly", "--today", later.isoformat())
    assert len([m for m in mail.outbox if "maandoverzicht" in m.subject]) == 2


def test_the_monthly_digest_is_sent_even_when_all_is_well(world: World) -> None:
    run("--monthly", "--organisation", str(world.a.organisation.uuid))
    [message] = mail.outbox
    assert message.to == [world.a.user("coordinator").email]
    assert "nog geen scan afgesloten" in message.body and "Er is niets te laat" in message.body


def test_the_options_are_checked_and_one_organisation_can_be_chosen(world: World) -> None:
    with pytest.raises(CommandError, match="--today"):
        run("--today", "morgen")
    with pytest.raises(CommandError, match="--organisation"):
        run("--organisation", "geen-uuid")
    activity(world.a, "medewerker", "Normgesprek A", timezone.localdate())
    activity(world.b, "medewerker", "Normgesprek B", timezone.localdate())
    output = run("--weekly", "--organisation", str(world.b.organisation.uuid))
    assert "Aadorp" not in output
    assert [m.to for m in mail.outbox] == [[world.b.user("medewerker").email]]


def _weekly_queries(tenant: Tenant, today: dt.date) -> int:
    with tenant_scope(tenant.organisation), CaptureQueriesContext(connection) as captured:
        tally = digests.send_weekly(tenant.organisation, today)
    assert tally.sent + tally.empty == 5  # every owner role of gemeente A, each through its claim
    return len(captured)


def test_the_weekly_run_costs_the_same_for_few_and_many_items(world: World) -> None:
    today = timezone.localdate()
    owners = ["proceseigenaar", "coordinator", "medewerker"]
    with tenant_scope(world.a.organisation):
        processes = [make_process(world.a, name=f"Proces {number:02d}") for number in range(12)]
    for number, process in enumerate(processes[:2]):
        plan(world.a, process, due_in_days=3, owner_role=owners[number % 3])
    for number in range(2):
        activity(world.a, owners[number % 3], f"Activiteit {number}", today - dt.timedelta(days=number))
    few = _weekly_queries(world.a, today)
    for number, process in enumerate(processes[2:], start=2):
        planned = plan(world.a, process, due_in_days=3, owner_role=owners[number % 3])
        if number % 2:
            implement(world.a, planned, on=today - dt.timedelta(days=500))
    for number in range(2, 30):
        activity(world.a, owners[number % 3], f"Activiteit {number}", today - dt.timedelta(days=number))
    many = _weekly_queries(world.a, today + dt.timedelta(days=7))
    assert few == many
    # Seven fixed reads (switched off, settled, members, plan lines twice, activities, acceptances) and
    # seven statements per recipient's claim (in this test's transaction: two savepoints, insert,
    # release, lock, update, release; in production BEGIN/COMMIT are not counted here).
    assert many == 7 + 5 * 7, many


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_send_once(world: World, expected_vendor: str | None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL; SQLite serialises writers anyway.")
    member = world.a.members["proceseigenaar"]
    period = digests.period_key(DigestKind.WEEKLY, timezone.localdate())
    claimed, release = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}

    def slow_message() -> Any:
        claimed.set()
        release.wait(10)
        return digests.EmailMultiAlternatives("Onderwerp", "Tekst", "a@example.org", [member.user.email])

    def first() -> None:
        try:
            with tenant_scope(world.a.organisation):
                outcomes["first"] = digests.deliver_once(member, DigestKind.WEEKLY, period, 1, slow_message)
        finally:
            connection.close()

    def second() -> None:
        try:
            with tenant_scope(world.a.organisation):
                outcomes["second"] = digests.deliver_once(
                    member, DigestKind.WEEKLY, period, 1, lambda: pytest.fail("sent twice")
                )
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert claimed.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(0.5)
    assert two.is_alive(), "the second run must wait for the first one's claim"
    release.set()
    one.join(10)
    two.join(10)
    assert outcomes == {"first": digests.Outcome.SENT, "second": digests.Outcome.DONE}
    assert len(mail.outbox) == 1


def test_a_plan_line_without_an_owner_is_in_nobodys_weekly_digest_but_in_the_monthly_one(world: World) -> None:
    process = scored_process(world.a)
    planned = plan(world.a, process, due_in_days=1)
    with tenant_scope(world.a.organisation):
        line = PlannedMeasure.objects.get(pk=planned.pk)
        from weerbaar.plan import services

        services.planned_measure_update(
            actor=None,
            member=world.a.members["coordinator"],
            planned=line,
            version=line.version,
            owner=None,
            due_date=line.due_date,
            note="",
            review_cadence_months=12,
        )
    later = timezone.localdate() + dt.timedelta(days=3)
    weekly(later)
    assert mail.outbox == []
    run("--monthly", "--today", later.isoformat(), "--organisation", str(world.a.organisation.uuid))
    [message] = mail.outbox
    assert measure().name in message.body and "nog geen eigenaar" in message.body


def test_an_organisation_wide_measure_says_so(world: World) -> None:
    plan(world.a, None, ORGANISATION_MEASURE, due_in_days=2)
    weekly(timezone.localdate())
    [message] = to(world.a, "proceseigenaar")
    assert f"{measure(ORGANISATION_MEASURE).name} (hele organisatie)" in message.body
