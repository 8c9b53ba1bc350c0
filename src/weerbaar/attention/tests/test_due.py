"""The due list: every source, the screening rule, filters, the overview's top five, and the Excel export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from weerbaar.attention.selectors.due import DueFilter, RowKind, due_rows, screening_due
from weerbaar.attention.tests.support import backdate, days, make_activity, make_item, past_item, position, today
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body, events
from weerbaar.plan.models import PlannedMeasure, RiskAcceptance
from weerbaar.plan.tests.support import ORGANISATION_MEASURE, plan
from weerbaar.register.selectors import add_years
from weerbaar.register.tests.support import make_process
from weerbaar.testing.naughty import submit_naughty
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

DUE = reverse("attention:due_list")
EXPORT = reverse("attention:due_export")
OVERVIEW = reverse("attention:overview")


def _overdue_line(world: World, key: str = ORGANISATION_MEASURE, days_late: int = 5) -> PlannedMeasure:
    planned = plan(world.a, None, key, reaches_all_units=True, owner_role="coordinator")
    with tenant_scope(world.a.organisation):
        planned = PlannedMeasure.objects.get(pk=planned.pk)
        planned.due_date = days(-days_late)
        planned.save()
    return planned


def _expired_acceptance(world: World) -> RiskAcceptance:
    with tenant_scope(world.a.organisation):
        process = make_process(world.a, "Subsidieverlening")
        return RiskAcceptance.objects.create(
            organisation=world.a.organisation,
            process=process,
            reason="Klein risico",
            accepted_on=days(-400),
            expires_on=days(-10),
            accepted_by=world.a.members["secretaris"],
        )


def _everything(world: World) -> None:
    _overdue_line(world)
    backdate(make_activity(world.a, "Normgesprek Publiekszaken"), days(-3))
    past_item(world.a, "Nieuwsbrief melden", days(-8))
    position(world.a, "Medewerker vergunningen", last_screening_on=None)
    _expired_acceptance(world)


def test_screening_is_due_when_never_done_or_within_sixty_days(world: World) -> None:
    now = today()
    never = position(world.a, "Nooit gescreend", last_screening_on=None)
    five_years_ago = add_years(now, -5)
    soon = position(world.a, "Bijna", last_screening_on=five_years_ago + dt.timedelta(days=59))
    position(world.a, "Nog even niet", last_screening_on=five_years_ago + dt.timedelta(days=61))
    late = position(world.a, "Te laat", last_screening_on=add_years(now, -6))
    position(world.a, "Geen screening", screening_level="geen", risk_areas=[], renewal_years=None)
    with tenant_scope(world.a.organisation):
        rows = screening_due(now)
    assert [(row.position.name, row.never_screened) for row in rows] == [
        (late.name, False),
        (never.name, True),
        (soon.name, False),
    ]
    assert rows[1].due_on == now


def test_the_due_list_joins_every_source_sorted_by_date_with_who_when_and_how_late(world: World) -> None:
    _everything(world)
    make_item(world.a, "Bijeenkomst volgende week", planned_on=days(7))
    with tenant_scope(world.a.organisation):
        rows = due_rows(today())
    assert [row.kind for row in rows] == [
        RowKind.ACCEPTANCE,  # expired 10 days ago: due the day after, 9 days late
        RowKind.COMMUNICATION,
        RowKind.MEASURE,
        RowKind.ACTIVITY,
        RowKind.SCREENING,  # never screened: due today
        RowKind.COMMUNICATION,
    ]
    assert [row.days_late for row in rows] == [9, 8, 5, 3, 0, 0]
    page = body(world.client_for("secretaris").get(DUE))
    assert "6 onderdelen, waarvan 4 te laat" in page
    assert "9 dagen te laat" in page and "over 7 dagen" in page and "vandaag" in page
    assert "nooit gescreend" in page and "Nieuwsbrief melden" in page and "niet gedaan" in page
    assert "Aadorp coordinator" in page  # who
    assert reverse("register:screening_due") in page  # the secretaris cannot edit positions
    assert "Exporteren naar Excel" in page


def test_the_due_list_filters_by_kind_owner_and_lateness(world: World) -> None:
    _everything(world)
    make_item(world.a, "Bijeenkomst volgende week", planned_on=days(7))
    client = world.client_for("coordinator")
    page = body(client.get(DUE, {"soort": "communicatie"}))
    assert "Nieuwsbrief melden" in page and "Bijeenkomst volgende week" in page and "Normgesprek" not in page
    page = body(client.get(DUE, {"eigenaar": str(world.a.members["proceseigenaar"].uuid)}))
    assert "Normgesprek Publiekszaken" in page and "Nieuwsbrief melden" not in page
    page = body(client.get(DUE, {"alleen_te_laat": "on"}))
    assert "Bijeenkomst volgende week" not in page and "Nieuwsbrief melden" in page
    with tenant_scope(world.a.organisation):
        assert [row.kind for row in due_rows(today(), DueFilter(kind=RowKind.SCREENING))] == [RowKind.SCREENING]
    page = body(client.get(DUE, {"soort": "<script>", "eigenaar": "x"}))
    assert "Een filter klopte niet" in page and "Nieuwsbrief melden" in page


def test_reviews_that_fell_due_are_listed_as_reviews(world: World) -> None:
    planned = plan(world.a, None, ORGANISATION_MEASURE, reaches_all_units=True)
    from weerbaar.plan.tests.support import implement

    implement(world.a, planned, on=timezone.localdate() - dt.timedelta(days=400))  # 12-month cadence
    with tenant_scope(world.a.organisation):
        rows = due_rows(today(), DueFilter(kind=RowKind.REVIEW))
    assert [row.kind for row in rows] == [RowKind.REVIEW]
    assert "effectiviteit herzien" in rows[0].detail


def test_the_overview_shows_the_indicator_and_the_five_longest_overdue_items(world: World) -> None:
    _everything(world)
    for number in range(4):
        past_item(world.a, f"Oud bericht {number}", days(-30 - number))
    page = body(world.client_for("coordinator").get(OVERVIEW))
    assert "Aandachtsindicator" in page
    assert "Activiteiten op tijd" in page and "Maatregelen levend" in page and "Dagen sinds de laatste scan" in page
    assert "Er is nog geen scan afgesloten." in page and "aandacht nodig" in page
    assert "De 5 onderdelen die het langst te laat zijn" in page
    assert "Oud bericht 3" in page and "Oud bericht 0" in page
    assert "Nieuwsbrief melden" not in page  # sixth: not in the top five
    assert "Normgesprek Publiekszaken" not in page


def test_the_export_has_the_same_rows_is_formula_safe_and_audited(world: World) -> None:
    _everything(world)
    past_item(world.a, '=HYPERLINK("http://x")', days(-2))
    client = world.client_for("secretaris")
    response = client.get(EXPORT, {"soort": "communicatie"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "weerbaar-te-doen-gemeente-aadorp" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(index for index, row in enumerate(values) if row[0] == "Soort")
    data = [row for row in values[header + 1 :] if any(row)]
    assert [row[1] for row in data] == ["Nieuwsbrief melden", '=HYPERLINK("http://x")']
    assert data[0][5] == 8 and data[0][6] == "8 dagen te laat"
    formula_cell = sheet.cell(row=header + 3, column=2)
    assert formula_cell.data_type == "s"  # stored as text, never as a formula
    assert any("Filters: Communicatieplan" in str(row[0]) for row in values[:header])
    (event,) = events(world.a.organisation, "attention.export")
    assert event.changes["regels"] == [None, 2]


def test_the_due_list_and_export_are_for_attention_viewers_only(world: World) -> None:
    for role in ("proceseigenaar", "medewerker", "lezer", "beheerder"):
        client = world.client_for(role)
        assert client.get(DUE).status_code == 403
        assert client.get(EXPORT).status_code == 403


def test_naughty_input_on_the_due_list_filters_and_the_export(world: World) -> None:
    _everything(world)
    client = world.client_for("coordinator")
    base = {"soort": "", "eigenaar": "", "alleen_te_laat": ""}
    fields = ["soort", "eigenaar", "alleen_te_laat", "pagina"]
    for response in submit_naughty(client, DUE, base_data=base, fields=fields, method="get"):
        assert response.status_code == 200
    for response in submit_naughty(client, EXPORT, base_data=base, fields=["soort", "eigenaar"], method="get"):
        assert response.status_code == 200
