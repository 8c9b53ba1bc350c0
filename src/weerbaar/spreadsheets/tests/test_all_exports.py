"""Every Excel export of the app, fed hostile text: each opens with a bold, frozen, filtered header,
holds no formula, gives every text back literally (an over-long one cut with "…") and is audited once.

The exports are found by their URL (every route ending in "/exporteren"); a new export that is not
listed in `CASES` fails `test_every_export_url_is_covered`, so it gets these checks too.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from weerbaar.attention.models import RecurringActivity
from weerbaar.attention.tests.support import backdate, days, make_activity
from weerbaar.audit.models import AuditEvent
from weerbaar.catalogue.models import Measure, MeasureScope
from weerbaar.core.models import Unit
from weerbaar.core.tenancy import tenant_scope
from weerbaar.plan.models import PlannedMeasure
from weerbaar.plan.tests.support import plan
from weerbaar.register.models import Process
from weerbaar.register.tests.support import make_position, make_process
from weerbaar.scans import services as scan_services
from weerbaar.scans.models import Rating
from weerbaar.scans.tests.results_support import scan_with_results
from weerbaar.scans.tests.support import make_scan, rate, ratings_of, reload, scan_processes
from weerbaar.spreadsheets.writing import EXCEL_MAX_CELL_LENGTH
from weerbaar.testing.urlwalk import iter_routes
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db

#: Short hostile texts: HTML, the classic DDE payload, and each formula start.
NAUGHTY = (
    "<script>alert('weerbaar')</script>",
    "=cmd|' /C calc'!A0",
    "+SUM(1+1)",
    "-2+3",
    "@SUM(1+1)",
)
#: Longer than an Excel cell holds: exports cut it to the limit, ending in "…".
LONG = "Lange toelichting " + "x" * 40_000
LONG_IN_EXCEL = LONG[: EXCEL_MAX_CELL_LENGTH - 1] + "…"
ORGANISATION_NAME = "<b>Gemeente</b> =1+1"


def _write(model: type[Any], pk: int, organisation: Any, **values: Any) -> None:
    """Store text the forms would refuse (too long): straight on the row, as a migration or an import could."""
    with tenant_scope(organisation):
        row = model.objects.get(pk=pk)
        for name, value in values.items():
            setattr(row, name, value)
        row.save()


# --- what each export is fed ----------------------------------------------------------------------
# Each returns whether the over-long text went in too (only text fields, not names, can hold it).


def _processes(world: World) -> list[Process]:
    with tenant_scope(world.a.organisation):
        return [make_process(world.a, name=text) for text in NAUGHTY]


def _register_processes(world: World) -> bool:
    processes = _processes(world)
    _write(Process, processes[0].pk, world.a.organisation, description=LONG)
    return True


def _register_positions(world: World) -> bool:
    with tenant_scope(world.a.organisation):
        for text in NAUGHTY:
            make_position(world.a, text)
    return False


def _register_units(world: World) -> bool:
    with tenant_scope(world.a.organisation):
        units = [Unit.objects.create(organisation=world.a.organisation, name=text) for text in NAUGHTY]
    _write(Unit, units[0].pk, world.a.organisation, description=LONG)
    return True


def _priority_list(world: World) -> bool:
    with tenant_scope(world.a.organisation):
        scan_with_results(world.a, _processes(world))
    return False


def _scan_ratings(world: World) -> bool:
    with tenant_scope(world.a.organisation):
        scan = make_scan(world.a, processes=_processes(world))
        scan = scan_services.scan_open(actor=None, scan=scan, version=scan.version)
        for scan_process in scan_processes(scan):
            for rating in ratings_of(scan_process):
                rate(rating)
        scan_services.scan_start_review(actor=None, scan=reload(scan), version=reload(scan).version)
        first = ratings_of(scan_processes(scan)[0])[0]
    _write(Rating, first.pk, world.a.organisation, rationales={"belang-derden": LONG}, note=NAUGHTY[1])
    world.extra["scan"] = scan
    return True


def _action_plan(world: World) -> bool:
    lines = [plan(world.a, process) for process in _processes(world)]
    _write(PlannedMeasure, lines[0].pk, world.a.organisation, note=LONG)
    return True


def _activities(world: World, *, overdue: bool = False) -> list[RecurringActivity]:
    activities = [make_activity(world.a, text) for text in NAUGHTY]
    if overdue:
        activities = [backdate(activity, days(-3)) for activity in activities]
    return activities


def _due_list(world: World) -> bool:
    _activities(world, overdue=True)
    return False


def _activity_list(world: World) -> bool:
    activities = _activities(world)
    _write(RecurringActivity, activities[0].pk, world.a.organisation, description=LONG)
    return True


def _checklist(world: World) -> bool:
    with tenant_scope(world.a.organisation):
        keys = list(
            Measure.national_objects.filter(scope=MeasureScope.ORGANISATION, is_active=True)
            .order_by("position", "key")
            .values_list("key", flat=True)[: len(NAUGHTY) + 1]
        )
    for key, text in zip(keys, NAUGHTY, strict=False):
        plan(world.a, None, key, note=text, reaches_all_units=True)
    long_line = plan(world.a, None, keys[-1], reaches_all_units=True)
    _write(PlannedMeasure, long_line.pk, world.a.organisation, note=LONG)
    return True


@dataclass(frozen=True)
class Case:
    name: str  # the URL name
    role: str
    setup: Callable[[World], bool]
    audit_action: str
    audit_object_type: str = ""
    kwargs: Callable[[World], dict[str, Any]] = lambda world: {}


CASES = (
    Case("register:process_export", "coordinator", _register_processes, "register.export"),
    Case("register:position_export", "coordinator", _register_positions, "register.export"),
    Case("register:unit_export", "beheerder", _register_units, "register.export"),
    Case("scans:results_export", "coordinator", _priority_list, "results.export"),
    Case(
        "scans:ratings_export",
        "coordinator",
        _scan_ratings,
        "results.export_ratings",
        kwargs=lambda world: {"scan_uuid": world.extra["scan"].uuid},
    ),
    Case("plan:plan_export", "coordinator", _action_plan, "plan.export"),
    Case("attention:due_export", "coordinator", _due_list, "attention.export", "attention.due_list"),
    Case("attention:activity_export", "coordinator", _activity_list, "attention.export", "attention.activities"),
    Case("attention:checklist_export", "coordinator", _checklist, "attention.export", "attention.checklist"),
)


def test_every_export_url_is_covered() -> None:
    exports = {route.name for route in iter_routes() if route.pattern.endswith("/exporteren") and not route.is_api}
    assert exports == {case.name for case in CASES}


# --- the checks -------------------------------------------------------------------------------------


def _check_table(sheet: Worksheet) -> None:
    """A bold header row, frozen below it, and the autofilter over the header and every row."""
    assert sheet.freeze_panes is not None, f"{sheet.title}: no frozen panes"
    column, row = sheet.freeze_panes[0], int(sheet.freeze_panes[1:])
    assert column == "A" and row >= 2, f"{sheet.title}: frozen at {sheet.freeze_panes}"
    header_row = row - 1
    headers = [cell for cell in sheet[header_row] if cell.value not in (None, "")]
    assert headers and len(headers) == sheet.max_column, f"{sheet.title}: header row {header_row} is incomplete"
    assert all(cell.font.b for cell in headers), f"{sheet.title}: header not bold"
    last = get_column_letter(sheet.max_column)
    assert sheet.auto_filter.ref == f"A{header_row}:{last}{max(sheet.max_row, header_row)}", sheet.title


def _cells(workbook: Any) -> list[Any]:
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_export_is_a_safe_table_and_audited_once(world: World, case: Case) -> None:
    organisation = world.a.organisation
    organisation.name = ORGANISATION_NAME
    organisation.save()
    with_long = case.setup(world)
    client = world.client_for(case.role)
    with tenant_scope(organisation):
        before = set(AuditEvent.objects.values_list("pk", flat=True))

    response = client.get(reverse(case.name, kwargs=case.kwargs(world)))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Disposition"].startswith('attachment; filename="weerbaar-')
    workbook = load_workbook(io.BytesIO(response.content))
    data_sheets = [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"]
    assert data_sheets
    for sheet in data_sheets:
        assert isinstance(sheet, Worksheet)
        _check_table(sheet)
    cells = _cells(workbook)
    formulas = [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert not formulas, f"formula cells: {formulas}"
    texts = {cell.value for cell in cells if isinstance(cell.value, str)}
    for text in NAUGHTY:
        assert text in texts, f"{text!r} did not come back as text"
    for cell in cells:
        if cell.value in NAUGHTY and cell.value[0] in "=+-@":
            assert cell.data_type == "s" and cell.quotePrefix, f"{cell.coordinate}: {cell.value!r} not kept as text"
    if with_long:
        assert LONG_IN_EXCEL in texts, "the over-long text was not cut to Excel's limit with '…'"
    assert all(len(text) <= EXCEL_MAX_CELL_LENGTH for text in texts)
    assert ORGANISATION_NAME in str(workbook.properties.title)
    preamble = data_sheets[0].cell(row=1, column=1)
    if data_sheets[0].freeze_panes != "A2":  # an export with a title block names the organisation in it
        assert preamble.font.b
        assert f"Organisatie: {ORGANISATION_NAME}" in texts

    with tenant_scope(organisation):
        new = list(AuditEvent.objects.exclude(pk__in=before))
    assert [event.action for event in new] == [case.audit_action]
    if case.audit_object_type:
        assert new[0].object_type == case.audit_object_type
    assert new[0].actor_uuid == world.a.user(case.role).uuid
