"""One scan's consensus and ratings as Excel: the coordinator's picture, confidential, safe cells, audited, flat."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from weerbaar.audit.models import AuditEvent
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import middleware_queries
from weerbaar.scans.models import Rating, Scan
from weerbaar.scans.tests.support import LEVELS, ratings_of, scan_processes
from weerbaar.scans.tests.test_review_views import DISPUTED, close, review_url, scan_in_review
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

#: The export's own queries: the scan, the characteristics, the scan's processes (with process,
#: unit and who settled), the handed-in ratings (with raters); then the audit event (the chain
#: head, locked in a savepoint, the event, the head update: five).
EXPORT_BUDGET = 4 + 5
HEADER_ROW = 8  # six preamble lines, an empty row, the header


def export_url(scan: Scan) -> str:
    return reverse("scans:ratings_export", kwargs={"scan_uuid": scan.uuid})


def _rows(sheet: Worksheet) -> list[list[Any]]:
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=HEADER_ROW)]


def _as_dicts(sheet: Worksheet) -> list[dict[str, Any]]:
    header, *rows = _rows(sheet)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _events(world: World) -> list[AuditEvent]:
    with tenant_scope(world.a.organisation):
        return list(AuditEvent.objects.filter(action="results.export_ratings"))


def test_the_coordinator_exports_consensus_ratings_and_differences(world: World) -> None:
    scan = scan_in_review(world.a, [[{}, {"scores": DISPUTED}], [{}, None]])
    first = sorted(scan_processes(scan), key=lambda sp: sp.process.code)[0]
    with tenant_scope(world.a.organisation):
        rating = Rating.objects.get(pk=ratings_of(first)[0].pk)
        rating.rationales = {"belang-derden": "<b>Veel</b> =aanvragen\nvan derden"}
        rating.note = "@algemeen"
        rating.save()
    response = world.client_for("coordinator").get(export_url(scan))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "no-store" and "weerbaar-beoordelingen-" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Consensus", "Per beoordelaar", "Verschillen"]
    consensus, raters, differences = workbook.worksheets
    preamble = [str(consensus.cell(row=n, column=1).value) for n in range(1, 7)]
    assert preamble[0] == "Beoordelingen en consensus van een scan"
    assert preamble[1] == f"Organisatie: {world.a.organisation.name}"
    assert preamble[2] == "Scan: Scan 2026 (consensusfase, nog niet afgesloten)"
    assert preamble[3].startswith(f"Geëxporteerd door {world.a.user('coordinator').full_name} op ")
    assert preamble[5].startswith("Vertrouwelijk")
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == f"A{HEADER_ROW + 1}" and sheet.auto_filter.ref.startswith(f"A{HEADER_ROW}:")

    settled = _as_dicts(consensus)
    assert [row["Proces"] for row in settled] == ["Proces 00", "Proces 01"]
    assert {row["Consensus"] for row in settled} == {"nog niet vastgesteld"}

    per_rater = _as_dicts(raters)
    assert [(row["Proces"], row["Beoordelaar"]) for row in per_rater] == [
        ("Proces 00", world.a.user("proceseigenaar").full_name),
        ("Proces 00", world.a.user("coordinator").full_name),
        ("Proces 01", world.a.user("proceseigenaar").full_name),
    ]  # the rating not handed in is left out
    k1 = next(key for key in per_rater[0] if str(key).startswith("K1 ") and key.endswith("(0-4)"))
    assert [row[k1] for row in per_rater] == [LEVELS["belang-derden"], 1, LEVELS["belang-derden"]]
    assert per_rater[0]["K1 toelichting"] == "<b>Veel</b> =aanvragen\nvan derden"
    assert per_rater[0]["Algemene toelichting"] == "@algemeen"
    note = raters.cell(row=HEADER_ROW + 1, column=list(per_rater[0]).index("Algemene toelichting") + 1)
    assert note.data_type == "s" and note.quotePrefix  # shown as text, never run as a formula
    assert per_rater[0]["Ingeleverd op"] is not None

    found = _as_dicts(differences)
    assert len(found) == 1 and found[0]["Proces"] == "Proces 00" and found[0]["Spreiding"] == 2
    assert (found[0]["Laagste score"], found[0]["Hoogste score"]) == (1, 3)

    [event] = _events(world)
    assert event.actor_uuid == world.a.user("coordinator").uuid
    assert event.changes["processen"] == [None, 2] and event.changes["beoordelingen"] == [None, 3]
    assert event.changes["scan"] == [None, "Scan 2026"] and event.changes["verschillen"] == [None, 1]


def test_a_closed_scan_exports_the_score_and_risk_class(world: World) -> None:
    scan = close(world.a, scan_in_review(world.a, [[{}, {}]]))
    workbook = load_workbook(io.BytesIO(world.client_for("coordinator").get(export_url(scan)).content))
    [row] = _as_dicts(workbook["Consensus"])
    assert row["Consensus"] == "vastgesteld" and row["Toelichting bij de consensus"] == "Besproken in het overleg."
    assert isinstance(row["Kwetsbaarheid (0-100)"], int) and row["Risicoklasse"] in {
        "laag",
        "middel",
        "hoog",
        "zeer hoog",
    }
    assert row["Kans (1-5)"] and row["Impact (1-5)"]
    assert "(afgesloten)" in str(workbook["Consensus"].cell(row=3, column=1).value)


def test_an_open_scan_exports_nothing_and_says_why(world: World) -> None:
    scan = scan_in_review(world.a, [[{}, {}]], start_review=False)
    client = world.client_for("coordinator")
    response = client.get(export_url(scan))
    assert response.status_code == 302 and response["Location"] == review_url(scan)
    page = client.get(review_url(scan)).content.decode()
    assert "pas te exporteren vanaf de consensusfase" in page
    assert not _events(world)


def test_only_who_settles_the_consensus_may_export_and_another_organisations_scan_is_a_404(world: World) -> None:
    scan = scan_in_review(world.a, [[{}, {}]])
    for role in ("secretaris", "proceseigenaar", "lezer", "medewerker"):
        assert world.client_for(role).get(export_url(scan)).status_code == 403, role
    other = scan_in_review(world.b, [[{}, {}]])
    assert world.client_for("coordinator").get(export_url(other)).status_code == 404
    assert not _events(world)


def test_the_review_page_links_to_the_export(world: World) -> None:
    scan = scan_in_review(world.a, [[{}, {}]])
    page = world.client_for("coordinator").get(review_url(scan)).content.decode()
    assert export_url(scan) in page


def _queries(client: Client, scan: Scan) -> int:
    middleware_queries(client)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(export_url(scan))
    assert response.status_code == 200
    return len(captured)


def test_the_export_needs_the_same_queries_for_2_and_20_processes(world: World) -> None:
    client = world.client_for("coordinator")
    small = _queries(client, scan_in_review(world.a, [[{}, {"scores": DISPUTED}]] * 2))
    large_scan = scan_in_review(
        world.a,
        [[{}, {"scores": DISPUTED}, {}]] * 20,
        extra_roles=("coordinator", "secretaris"),
        name="Groot",
    )
    large = _queries(client, large_scan)
    assert small == large
    assert large <= middleware_queries(client) + EXPORT_BUDGET
