"""The action plan as Excel: the current filters, who exported it, confidential, safe cells, audited."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from weerbaar.audit.models import AuditEvent
from weerbaar.core.tenancy import tenant_scope
from weerbaar.plan.models import PlannedMeasure
from weerbaar.plan.tests import test_plan_list
from weerbaar.plan.tests.test_plan_list import shift
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

EXPORT = "/actieplan/exporteren"
plan_world = test_plan_list.plan_world  # the shared fixture: a line in every state
HEADER_ROW = 7  # five preamble lines, an empty row, then the header


def _sheet(response: Any) -> Worksheet:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "no-store"
    assert 'filename="weerbaar-actieplan-gemeente-aadorp-' in response["Content-Disposition"]
    sheet: Worksheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return sheet


def _rows(sheet: Worksheet) -> list[dict[str, Any]]:
    header = [str(cell.value) for cell in sheet[HEADER_ROW]]
    return [
        dict(zip(header, (cell.value for cell in row), strict=True)) for row in sheet.iter_rows(min_row=HEADER_ROW + 1)
    ]


def test_the_export_is_confidential_names_who_took_it_and_is_audited(world: World, plan_world: dict[str, Any]) -> None:
    shift(world.a, plan_world["overdue"], note='=HYPERLINK("http://example.com","klik")')
    sheet = _sheet(world.client_for("secretaris").get(EXPORT))
    preamble = [str(sheet.cell(row=number, column=1).value) for number in range(1, 6)]
    assert preamble[0] == "Actieplan weerbaarheid"
    assert preamble[1] == f"Organisatie: {world.a.organisation.name}"
    assert preamble[2].startswith(f"Geëxporteerd door {world.a.user('secretaris').full_name} op ")
    assert preamble[3] == "Filters: geen"
    assert preamble[4].startswith("Vertrouwelijk")
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.auto_filter.ref.startswith(f"A{HEADER_ROW}:")
    rows = _rows(sheet)
    assert len(rows) == 7  # rejected lines are left out, as on the page
    by_name = {row["Maatregel"]: row for row in rows}
    overdue = by_name[plan_world["overdue"].measure.name]
    assert overdue["Te laat"] == "ja, 5 dagen" and overdue["Levendigheid"] == "nog niet geïmplementeerd"
    assert by_name[plan_world["wide"].measure.name]["Proces"] == "Hele organisatie"
    assert by_name[plan_world["lapsed"].measure.name]["Levendigheid"] == "niet meer levend"
    assert by_name[plan_world["lapsed"].measure.name]["Levendigheid (%)"] == 0
    assert by_name[plan_world["fading"].measure.name]["Levendigheid"] == "verwatert"
    assert by_name[plan_world["alive"].measure.name]["Levendigheid (%)"] == 100
    note_column = [cell.value for cell in sheet[HEADER_ROW]].index("Toelichting") + 1
    note = next(
        sheet.cell(row=row, column=note_column)
        for row in range(HEADER_ROW + 1, sheet.max_row + 1)
        if sheet.cell(row=row, column=note_column).value
    )
    assert note.value == '=HYPERLINK("http://example.com","klik")'
    assert note.data_type == "s" and note.quotePrefix  # shown as text, never run as a formula
    assert CANARY not in str([[cell.value for cell in row] for row in sheet.iter_rows()])
    with tenant_scope(world.a.organisation):
        event = AuditEvent.objects.filter(action="plan.export").get()
    assert event.actor_uuid == world.a.user("secretaris").uuid
    assert event.changes["regels"] == [None, 7] and event.changes["filters"] == [None, ""]


def test_the_export_follows_the_filters_of_the_page(world: World, plan_world: dict[str, Any]) -> None:
    sheet = _sheet(world.client_for("coordinator").get(EXPORT, {"aandacht": "niet_levend", "reikwijdte": "proces"}))
    names = {row["Maatregel"] for row in _rows(sheet)}
    assert names == {plan_world["fading"].measure.name, plan_world["lapsed"].measure.name}
    filters = str(sheet.cell(row=4, column=1).value)
    assert "Aandacht nodig: Alleen niet meer levend" in filters and "Voor: Alleen maatregelen per proces" in filters
    with tenant_scope(world.a.organisation):
        event = AuditEvent.objects.filter(action="plan.export").get()
        assert PlannedMeasure.objects.count() == 8
    assert event.changes["regels"] == [None, 2]
    assert "Aandacht nodig" in event.changes["filters"][1]


@pytest.mark.parametrize("role", ["lezer", "medewerker", "proceseigenaar"])
def test_who_may_not_see_the_plan_cannot_export_it(world: World, role: str) -> None:
    assert world.client_for(role).get(EXPORT).status_code == 403
    assert not AuditEvent.all_chains.filter(action="plan.export").exists()
