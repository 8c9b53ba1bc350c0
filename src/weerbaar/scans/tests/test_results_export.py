"""The priority list as Excel: who exported it, confidential, safe cells, same need-to-know, audited."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from weerbaar.audit.models import AuditEvent
from weerbaar.core.tenancy import tenant_scope
from weerbaar.register.tests.support import make_process
from weerbaar.scans.tests.results_support import scan_with_results
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

EXPORT = reverse("scans:results_export")


def _sheet(content: bytes) -> list[list[object]]:
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_export_names_who_took_it_is_confidential_safe_and_audited(world: World) -> None:
    with tenant_scope(world.a.organisation):
        own = make_process(world.a, name='=HYPERLINK("http://example.com","klik")')
        other = make_process(world.a, name="Bijzondere bijstand", owner=world.a.members["secretaris"])
        scan_with_results(world.a, [own, other])
    response = world.client_for("coordinator").get(EXPORT, {"afdeling": str(world.a.units[1].uuid)})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "no-store" and ".xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    preamble = [str(sheet.cell(row=n, column=1).value) for n in range(1, 7)]
    assert preamble[1] == f"Organisatie: {world.a.organisation.name}"
    assert preamble[2] == "Scan: Scan 2026"
    assert preamble[3].startswith(f"Geëxporteerd door {world.a.user('coordinator').full_name} op ")
    assert "Afdeling of team" in preamble[4]
    assert preamble[5].startswith("Vertrouwelijk")
    header_row = 8
    assert sheet.cell(row=header_row, column=3).value == "Proces"
    assert sheet.freeze_panes == f"A{header_row + 1}" and sheet.auto_filter.ref.startswith(f"A{header_row}:")
    names = [sheet.cell(row=n, column=3) for n in range(header_row + 1, sheet.max_row + 1)]
    assert {cell.value for cell in names} == {own.name, other.name}
    formula = next(cell for cell in names if cell.value == own.name)
    assert formula.data_type == "s" and formula.quotePrefix  # shown as text, never run as a formula
    with tenant_scope(world.a.organisation):
        event = AuditEvent.objects.filter(action="results.export").get()
    assert event.actor_uuid == world.a.user("coordinator").uuid
    assert event.changes["regels"] == [None, 2] and event.changes["scan"] == [None, "Scan 2026"]


def test_the_proceseigenaar_exports_only_own_processes(world: World) -> None:
    with tenant_scope(world.a.organisation):
        own = make_process(world.a, name="Eigen proces")
        other = make_process(world.a, name="Proces van een ander", owner=world.a.members["secretaris"])
        scan_with_results(world.a, [own, other])
    rows = _sheet(world.client_for("proceseigenaar").get(EXPORT).content)
    names = {row[2] for row in rows[8:]}
    assert names == {"Eigen proces"}
    assert world.client_for("lezer").get(EXPORT).status_code == 403
