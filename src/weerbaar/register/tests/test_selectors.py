from __future__ import annotations

import datetime as dt

import pytest

from weerbaar.core.tenancy import tenant_scope
from weerbaar.register.models import Position
from weerbaar.register.selectors import ScreeningStatus, add_years, screening_due, screening_row
from weerbaar.register.tests.support import make_position
from weerbaar.testing.world import World

TODAY = dt.date(2026, 6, 15)


def _position(**fields: object) -> Position:
    values: dict[str, object] = {"name": "Functie", "screening_level": "vog_p", "renewal_years": 3}
    values.update(fields)
    return Position(**values)


def test_the_next_screening_is_the_last_round_plus_the_cycle() -> None:
    row = screening_row(_position(last_screening_on=dt.date(2025, 1, 10)), today=TODAY)
    assert row.due_on == dt.date(2028, 1, 10)
    assert row.status == ScreeningStatus.OK


def test_a_screening_due_within_ninety_days_is_soon() -> None:
    row = screening_row(_position(last_screening_on=dt.date(2023, 9, 13)), today=TODAY)
    assert row.due_on == dt.date(2026, 9, 13)
    assert row.status == ScreeningStatus.SOON
    assert screening_row(_position(last_screening_on=dt.date(2023, 9, 14)), today=TODAY).status == ScreeningStatus.OK


def test_a_screening_due_today_is_soon_and_yesterday_is_late() -> None:
    assert screening_row(_position(last_screening_on=dt.date(2023, 6, 15)), today=TODAY).status == "binnenkort"
    assert screening_row(_position(last_screening_on=dt.date(2023, 6, 14)), today=TODAY).status == "te_laat"


def test_never_screened_is_due_now_and_late() -> None:
    row = screening_row(_position(last_screening_on=None), today=TODAY)
    assert row.never_screened
    assert row.due_on == TODAY
    assert row.status == ScreeningStatus.LATE


def test_a_position_without_screening_is_never_due() -> None:
    row = screening_row(_position(screening_level="geen", renewal_years=None), today=TODAY)
    assert row.due_on is None
    assert row.status == ScreeningStatus.NOT_NEEDED


def test_a_leap_day_plus_years_falls_on_the_28th() -> None:
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)
    assert add_years(dt.date(2024, 2, 29), 4) == dt.date(2028, 2, 29)


@pytest.mark.django_db
def test_the_due_list_holds_late_and_soon_active_positions_most_urgent_first(world: World) -> None:
    today = dt.date.today()
    with tenant_scope(world.a.organisation):
        late = make_position(world.a, "Te laat", last_screening_on=add_years(today, -5) - dt.timedelta(days=30))
        never = make_position(world.a, "Nooit", last_screening_on=None)
        soon = make_position(world.a, "Bijna", last_screening_on=add_years(today, -5) + dt.timedelta(days=30))
        make_position(world.a, "Op orde", last_screening_on=today)
        make_position(world.a, "Geen", screening_level="geen", risk_areas=[], renewal_years=None)
        archived = make_position(world.a, "Weg", last_screening_on=None)
        from weerbaar.register.services import position_archive

        position_archive(actor=None, position=archived, version=1)
        rows = screening_due()
    assert [row.position.pk for row in rows] == [late.pk, never.pk, soon.pk]
