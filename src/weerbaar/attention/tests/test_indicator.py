"""The attention indicator's rules: when an activity counts as on time, and the three figures' statuses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from weerbaar.attention.selectors.indicator import (
    Outcome,
    Status,
    activities_on_time,
    attention_indicator,
    occurrences,
    scan_status,
    share_status,
)
from weerbaar.attention.tests.support import backdate, log, make_activity
from weerbaar.core.tenancy import tenant_scope
from weerbaar.plan.tests.support import ORGANISATION_MEASURE, implement, plan
from weerbaar.scans.models import Scan, ScanState
from weerbaar.testing.world import World

D = dt.date
TODAY = D(2026, 6, 15)


def outcomes(starts_on: dt.date, cadence: int, done: list[dt.date], today: dt.date = TODAY) -> list[tuple[str, str]]:
    return [(each.due_on.isoformat(), each.outcome) for each in occurrences(starts_on, cadence, done, today)]


def test_an_activity_done_on_or_before_its_due_date_is_on_time_and_the_next_one_falls_due_a_cadence_later() -> None:
    judged = occurrences(D(2025, 7, 1), 6, [D(2025, 7, 1), D(2025, 12, 20)], TODAY)
    assert [(each.due_on, each.outcome, each.judged_on) for each in judged] == [
        (D(2025, 7, 1), Outcome.ON_TIME, D(2025, 7, 1)),
        (D(2026, 1, 1), Outcome.ON_TIME, D(2025, 12, 20)),  # early counts; next due 20 June 2026
    ]


def test_an_activity_done_after_its_due_date_is_late_and_the_schedule_restarts_from_that_day() -> None:
    assert outcomes(D(2025, 9, 1), 12, [D(2025, 10, 15)]) == [("2025-09-01", Outcome.LATE)]
    # The next one is due on 15 October 2026: not judged yet.


def test_an_open_occurrence_past_its_due_date_counts_as_overdue_and_is_judged_today() -> None:
    judged = occurrences(D(2026, 6, 1), 12, [], TODAY)
    assert [(each.outcome, each.judged_on) for each in judged] == [(Outcome.OVERDUE, TODAY)]


def test_due_today_and_not_done_yet_is_not_judged() -> None:
    assert occurrences(TODAY, 12, [], TODAY) == []


def test_every_whole_cadence_that_passes_without_execution_is_one_more_missed_occurrence() -> None:
    # A monthly activity left alone since 1 March: March, April and May missed, June open and overdue.
    assert outcomes(D(2026, 3, 1), 1, []) == [
        ("2026-03-01", Outcome.MISSED),
        ("2026-04-01", Outcome.MISSED),
        ("2026-05-01", Outcome.MISSED),
        ("2026-06-01", Outcome.OVERDUE),
    ]
    # Done on 20 April: March missed, the April occurrence closed late; next due 20 May, overdue.
    assert outcomes(D(2026, 3, 1), 1, [D(2026, 4, 20)]) == [
        ("2026-03-01", Outcome.MISSED),
        ("2026-04-01", Outcome.LATE),
        ("2026-05-20", Outcome.OVERDUE),
    ]


def test_month_end_due_dates_do_not_drift() -> None:
    # 31 January + n months: 28 February, 31 March, 30 April — counted from the start each time.
    dues = [each.due_on for each in occurrences(D(2026, 1, 31), 1, [], D(2026, 5, 15))]
    assert dues == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30)]


def test_executions_in_the_future_are_ignored_and_duplicates_count_once() -> None:
    assert outcomes(D(2026, 1, 1), 12, [D(2026, 1, 1), D(2026, 1, 1), D(2027, 1, 1)]) == [
        ("2026-01-01", Outcome.ON_TIME)
    ]


@pytest.mark.parametrize(
    ("share", "status"),
    [
        (None, Status.UNKNOWN),
        (1.0, Status.GOOD),
        (0.8, Status.GOOD),
        (0.79, Status.ATTENTION),
        (0.5, Status.ATTENTION),
        (0.49, Status.BEHIND),
    ],
)
def test_share_thresholds(share: float | None, status: str) -> None:
    assert share_status(share) == status


@pytest.mark.parametrize(
    ("days", "status"),
    [
        (None, Status.ATTENTION),
        (0, Status.GOOD),
        (365, Status.GOOD),
        (366, Status.ATTENTION),
        (548, Status.ATTENTION),
        (549, Status.BEHIND),
    ],
)
def test_scan_age_thresholds(days: int | None, status: str) -> None:
    assert scan_status(days) == status


@pytest.mark.django_db
def test_the_indicator_counts_the_last_twelve_months_of_active_activities_only(world: World) -> None:
    today = timezone.localdate()
    on_time = backdate(
        make_activity(world.a, "Intranetpagina bijwerken", cadence_months=6), today - dt.timedelta(days=200)
    )
    log(world.a, on_time, today - dt.timedelta(days=200))
    log(world.a, on_time, today - dt.timedelta(days=30))
    neglected = backdate(make_activity(world.a, "Weerbaarheidsfestival"), today - dt.timedelta(days=10))
    archived = backdate(make_activity(world.a, "Oude campagne"), today - dt.timedelta(days=100))
    with tenant_scope(world.a.organisation):
        from weerbaar.attention.services import activity_archive

        activity_archive(actor=None, member=world.a.members["coordinator"], activity=archived, version=archived.version)
        result = activities_on_time(today)
    assert (result.judged, result.on_time, result.late, result.missed) == (3, 2, 0, 1)
    assert result.behind == [neglected.name]
    assert result.share == pytest.approx(2 / 3)


@pytest.mark.django_db
def test_the_indicator_explains_each_figure_in_words_with_a_status(world: World) -> None:
    today = timezone.localdate()
    implement(world.a, plan(world.a, None, ORGANISATION_MEASURE, reaches_all_units=True))
    with tenant_scope(world.a.organisation):
        Scan.objects.create(
            organisation=world.a.organisation,
            name="Scan 2025",
            period_start=today - dt.timedelta(days=500),
            period_end=today - dt.timedelta(days=400),
            deadline=today - dt.timedelta(days=420),
            state=ScanState.CLOSED,
            closed_at=timezone.now() - dt.timedelta(days=400),
        )
        indicator = attention_indicator(today)
    activities, measures, scan = indicator.figures
    assert (activities.status, activities.value) == (Status.UNKNOWN, "–")
    assert "nog geen activiteit" in activities.explanation
    assert (measures.status, measures.value) == (Status.GOOD, "100 %")
    assert "1 van 1 geïmplementeerde maatregel is levend" in measures.explanation
    assert indicator.days_since_scan == 400
    assert (scan.status, scan.value) == (Status.ATTENTION, "400 dagen")
    assert str(scan.status_label) == "aandacht nodig"
