"""The activity list and the organisation-wide checklist as Excel: same need-to-know, reach, audited, flat."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from weerbaar.attention import services
from weerbaar.attention.models import RecurringActivity
from weerbaar.attention.tests.support import backdate, days, log, make_activity, position
from weerbaar.attention.tests.test_queries import _activities, _plan_lines
from weerbaar.audit.models import AuditEvent
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import middleware_queries
from weerbaar.plan.models import add_months
from weerbaar.plan.tests.support import implement, plan
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

ACTIVITIES = reverse("attention:activity_export")
CHECKLIST = reverse("attention:checklist_export")

#: The audit event of an export: the chain head (locked, in a savepoint), the event, the head update.
AUDIT_QUERIES = 5
#: The activity export's own queries: the activities (with owners), their target units and
#: positions, the recent done-log with its units and positions; then the audit event.
ACTIVITY_EXPORT_BUDGET = 6 + AUDIT_QUERIES
#: The checklist export: the checklist's four queries, then the audit event.
CHECKLIST_EXPORT_BUDGET = 4 + AUDIT_QUERIES


def _sheet(response: Any) -> Worksheet:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "no-store" and ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert isinstance(sheet, Worksheet)
    return sheet


def _table(sheet: Worksheet) -> list[dict[str, Any]]:
    header_row = int(str(sheet.freeze_panes)[1:]) - 1
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=header_row)]
    return [dict(zip(map(str, rows[0]), row, strict=True)) for row in rows[1:]]


def _preamble(sheet: Worksheet) -> list[str]:
    header_row = int(str(sheet.freeze_panes)[1:]) - 1
    return [str(sheet.cell(row=n, column=1).value) for n in range(1, header_row - 1)]


def _events(world: World, object_type: str) -> list[AuditEvent]:
    with tenant_scope(world.a.organisation):
        return list(AuditEvent.objects.filter(action="attention.export", object_type=object_type))


# --- recurring activities ------------------------------------------------------------------------


def test_the_activity_export_shows_last_done_next_due_owner_and_reach(world: World) -> None:
    top, child = world.a.units
    inkoper = position(world.a, "Inkoper")
    reached = backdate(
        make_activity(
            world.a,
            "Normgesprek",
            target_units=[top, child],
            target_positions=[inkoper],
            description="=jaarlijks <b>gesprek</b>",
        ),
        days(-500),
    )
    log(world.a, reached, days(-400), units=[top])  # before this year's window: does not count
    log(world.a, reached, days(-20), units=[child], positions=[inkoper])
    backdate(make_activity(world.a, "Campagne", kind="campagne", owner=None), days(-3))
    sheet = _sheet(world.client_for("coordinator").get(ACTIVITIES))
    preamble = _preamble(sheet)
    assert preamble[0] == "Terugkerende activiteiten"
    assert preamble[1] == f"Organisatie: {world.a.organisation.name}"
    assert preamble[2].startswith(f"Geëxporteerd door {world.a.user('coordinator').full_name} op ")
    assert preamble[-1].startswith("Vertrouwelijk")
    rows = _table(sheet)
    assert [row["Activiteit"] for row in rows] == ["Campagne", "Normgesprek"]  # the most urgent first
    campaign, talk = rows
    assert campaign["Stand"] == "te laat" and campaign["Dagen te laat"] == 3 and campaign["Eigenaar"] is None
    assert campaign["Laatst gedaan"] is None and campaign["Bedoeld voor"] == "niet vastgelegd"
    assert talk["Eigenaar"] == world.a.user("proceseigenaar").full_name
    assert talk["Laatst gedaan"].date() == days(-20) and talk["Volgende keer"].date() == add_months(days(-20), 12)
    assert talk["Herhaling"] == "elke 12 maanden"
    assert talk["Bedoeld voor"] == f"{child.name}; {top.name}; Inkoper"
    assert talk["Bereikt"] == f"{child.name}; Inkoper"
    assert talk["Nog niet bereikt"] == top.name
    assert talk["Omschrijving"] == "=jaarlijks <b>gesprek</b>"
    assert talk["Bereik gemeten vanaf"] is not None
    [event] = _events(world, "attention.activities")
    assert event.actor_uuid == world.a.user("coordinator").uuid
    assert event.changes["regels"] == [None, 2] and event.changes["filters"] == [None, "actief"]


def test_an_owner_exports_only_their_own_activities_and_the_archive_is_separate(world: World) -> None:
    make_activity(world.a, "Van de medewerker", owner=world.a.members["medewerker"])
    make_activity(world.a, "Van een ander")
    archived = make_activity(world.a, "Oud", owner=world.a.members["medewerker"])
    with tenant_scope(world.a.organisation):
        activity = RecurringActivity.objects.get(pk=archived.pk)
        services.activity_archive(
            actor=None, member=world.a.members["coordinator"], activity=activity, version=activity.version
        )
    client = world.client_for("medewerker")
    sheet = _sheet(client.get(ACTIVITIES))
    assert _preamble(sheet)[0] == "Mijn activiteiten"
    assert [row["Activiteit"] for row in _table(sheet)] == ["Van de medewerker"]
    archive = _sheet(client.get(ACTIVITIES, {"archief": "1"}))
    assert [row["Activiteit"] for row in _table(archive)] == ["Oud"]
    assert [row["Stand"] for row in _table(archive)] == ["gearchiveerd"]
    assert world.client_for("lezer").get(ACTIVITIES).status_code == 403
    assert len(_events(world, "attention.activities")) == 2


def test_the_activity_list_links_to_the_export(world: World) -> None:
    make_activity(world.a, "Normgesprek")
    client = world.client_for("coordinator")
    assert f'href="{ACTIVITIES}"' in client.get(reverse("attention:activity_list")).content.decode()
    archive = client.get(reverse("attention:activity_list"), {"archief": "1"}).content.decode()
    assert ACTIVITIES not in archive  # nothing archived: no rows, no export link


# --- the checklist --------------------------------------------------------------------------------


def test_the_checklist_export_lists_every_measure_with_status_liveness_owner_and_reach(world: World) -> None:
    implemented = implement(
        world.a, plan(world.a, None, "bibob-subsidies", reaches_all_units=True, note="+SUM(1)"), days(-3)
    )
    plan(world.a, None, "bibob-vergunningen", units=[world.a.units[0]])
    sheet = _sheet(world.client_for("secretaris").get(CHECKLIST))
    preamble = _preamble(sheet)
    assert preamble[0] == "Organisatiebrede maatregelen" and preamble[-1].startswith("Vertrouwelijk")
    assert preamble[3].startswith("Voortgang: 1 van ")
    rows = _table(sheet)
    by_name = {row["Maatregel"]: row for row in rows}
    assert len(by_name) == len(rows)
    done = by_name[implemented.measure.name]
    assert done["Status"] == "geïmplementeerd" and done["Levendigheid"] == "levend" and done["Levendigheid (%)"] == 100
    assert done["Eigenaar"] == world.a.user("proceseigenaar").full_name
    assert (
        done["Bereik"] == "over alle organisatieonderdelen" and done["Toelichting of reden van afwijzen"] == "+SUM(1)"
    )
    assert done["Groep"] and done["Thema"] == "Bestuurlijk instrumentarium: de Wet Bibob"
    planned = next(row for row in rows if row["Status"] == "gepland")
    assert planned["Afdelingen en teams"] == world.a.units[0].name and planned["Bereik"].startswith("1 van ")
    assert sum(1 for row in rows if row["Status"] == "niet gestart") == len(rows) - 2
    [event] = _events(world, "attention.checklist")
    assert event.changes["regels"] == [None, len(rows)]
    assert world.client_for("proceseigenaar").get(CHECKLIST).status_code == 403


def test_the_checklist_links_to_the_export(world: World) -> None:
    assert f'href="{CHECKLIST}"' in world.client_for("coordinator").get(reverse("attention:checklist")).content.decode()


# --- query counts ---------------------------------------------------------------------------------


def _queries(client: Client, url: str) -> int:
    middleware_queries(client)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _compare(world: World, url: str, grow: Callable[[int, int], None], budget: int) -> None:
    client = world.client_for("coordinator")
    grow(0, 2)
    small = _queries(client, url)
    grow(2, 30)
    large = _queries(client, url)
    assert small == large, f"{url}: {small} queries for 2 rows, {large} for 30"
    assert large <= middleware_queries(client) + budget, f"{url}: {large} queries"


def test_the_activity_export_is_flat(world: World) -> None:
    inkoper = position(world.a, "Inkoper")
    activities = _activities(world)

    def grow(start: int, stop: int) -> None:
        activities(start, stop)
        with tenant_scope(world.a.organisation):
            for each in RecurringActivity.objects.filter(name__in=[f"Activiteit {n:02d}" for n in range(start, stop)]):
                each.target_positions.add(inkoper)
                log(world.a, each, days(-1), units=world.a.units, positions=[inkoper])

    _compare(world, ACTIVITIES, grow, ACTIVITY_EXPORT_BUDGET)


def test_the_checklist_export_is_flat(world: World) -> None:
    _compare(world, CHECKLIST, _plan_lines(world), CHECKLIST_EXPORT_BUDGET)
