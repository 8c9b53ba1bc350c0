"""Import (preview, confirm) and export of processes, positions and units, with hostile files."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from weerbaar.audit.models import AuditEvent
from weerbaar.core.models import Unit
from weerbaar.core.tenancy import tenant_scope
from weerbaar.core.tests.beheer_support import body
from weerbaar.register.models import ImportBatch, Position, Process
from weerbaar.register.tests.support import first_category, internal_circumstances, make_position, make_process
from weerbaar.register.transfer import positions as position_kind
from weerbaar.spreadsheets import Sheet, write_csv, write_xlsx
from weerbaar.testing.naughty import NAUGHTY_STRINGS
from weerbaar.testing.world import CANARY, World

pytestmark = pytest.mark.django_db

HOSTILE = Path(__file__).resolve().parents[2] / "spreadsheets" / "tests" / "files"
POSITION_IMPORT = reverse("register:position_import")
POSITION_CONFIRM = reverse("register:position_import_confirm")
PROCESS_IMPORT = reverse("register:process_import")
PROCESS_CONFIRM = reverse("register:process_import_confirm")
UNIT_IMPORT = reverse("register:unit_import")
UNIT_CONFIRM = reverse("register:unit_import_confirm")


def _xlsx(columns: Any, rows: Sequence[Sequence[object]]) -> bytes:
    return write_xlsx([Sheet(title="Blad", columns=columns, rows=rows)])


def _upload(client: Client, url: str, content: bytes, name: str = "import.xlsx") -> Any:
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def _batch_of(response: Any) -> str:
    page = body(response)
    marker = 'name="batch" value="'
    assert marker in page, page[:3000]
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def _events(world: World, action: str) -> list[AuditEvent]:
    with tenant_scope(world.a.organisation):
        return list(AuditEvent.objects.filter(action=action))


def _positions(world: World) -> list[Position]:
    with tenant_scope(world.a.organisation):
        return list(Position.objects.order_by("name"))


def _position_rows(world: World, *, bad: bool) -> list[tuple[object, ...]]:
    unit = world.a.units[1].name
    rows: list[tuple[object, ...]] = [
        ("Vergunningverlener", unit, "2,5", "VOG NP (justitiële gegevens)", "Informatie; Geld", 5, "2024-03-01", ""),
        ("Handhaver", unit, "4", "VOG P (met politiegegevens)", "", 3, "01-02-2023", "Actief"),
        ("Baliemedewerker", "", "", "", "", "", "", ""),
    ]
    if bad:
        rows[0] = (*rows[0][:4], "", *rows[0][5:])  # VOG NP without risk areas
        rows[1] = (*rows[1][:2], "veel", *rows[1][3:])  # fte is no number
    return rows


# --- positions: the journey in requests ------------------------------------------------------


def test_a_file_with_bad_rows_shows_every_error_and_writes_nothing(world: World) -> None:
    client = world.client_for("coordinator")
    content = _xlsx(position_kind.COLUMNS, _position_rows(world, bad=True))
    response = _upload(client, POSITION_IMPORT, content, "functies.xlsx")
    page = body(response)
    assert response.status_code == 200
    assert "Er is niets opgeslagen." in page
    assert "Kies bij een VOG NP ten minste één risicogebied." in page
    assert "Vul een getal in, bijvoorbeeld 2,5." in page
    assert "<td>2</td>" in page and "<td>3</td>" in page  # Excel's row numbers
    assert 'name="batch"' not in page  # nothing to confirm
    assert _positions(world) == []
    with tenant_scope(world.a.organisation):
        assert ImportBatch.objects.count() == 0


def test_a_fixed_file_is_previewed_then_written_on_confirm_and_audited(world: World) -> None:
    client = world.client_for("coordinator")
    content = _xlsx(position_kind.COLUMNS, _position_rows(world, bad=False))
    preview = _upload(client, POSITION_IMPORT, content, "functies.xlsx")
    page = body(preview)
    assert "Voorbeeld: dit verandert er" in page and "Vergunningverlener" in page
    assert _positions(world) == []  # a preview writes nothing
    response = client.post(POSITION_CONFIRM, {"batch": _batch_of(preview)})
    assert response.status_code == 302
    names = {position.name: position for position in _positions(world)}
    assert set(names) == {"Vergunningverlener", "Handhaver", "Baliemedewerker"}
    assert names["Vergunningverlener"].risk_areas == ["informatie", "geld"]
    assert str(names["Vergunningverlener"].fte) == "2.5"
    assert str(names["Handhaver"].last_screening_on) == "2023-02-01"
    assert len(_events(world, "position.create")) == 3
    [event] = _events(world, "register.import")
    assert event.changes["nieuw"] == [None, 3]
    with tenant_scope(world.a.organisation):
        assert ImportBatch.objects.count() == 0  # used up


def test_export_then_import_changes_nothing_in_both_formats(world: World) -> None:
    client = world.client_for("coordinator")
    with tenant_scope(world.a.organisation):
        make_position(world.a, name='=HYPERLINK("http://evil")')
        make_position(world.a, name="Medewerker", screening_level="geen", risk_areas=[], renewal_years=None)
    for file_format in ("xlsx", "csv"):
        exported = client.get(reverse("register:position_export"), {"formaat": file_format})
        assert exported.status_code == 200
        assert "attachment" in exported["Content-Disposition"]
        page = body(_upload(client, POSITION_IMPORT, exported.content, f"export.{file_format}"))
        assert "er verandert niets" in page, page[:4000]
    assert _events(world, "position.update") == []
    assert len(_events(world, "register.export")) == 2


def test_the_confirmation_refuses_when_the_register_changed_after_the_preview(world: World) -> None:
    client = world.client_for("coordinator")
    with tenant_scope(world.a.organisation):
        position = make_position(world.a, name="Handhaver", unit=world.a.units[1])
    rows = [("Handhaver", world.a.units[1].name, "3", "VOG NP (justitiële gegevens)", "Geld", 4, "", "")]
    preview = _upload(client, POSITION_IMPORT, _xlsx(position_kind.COLUMNS, rows))
    from weerbaar.register.services import position_update

    with tenant_scope(world.a.organisation):
        position_update(actor=None, position=position, version=1, fte=7)
    page = body(client.post(POSITION_CONFIRM, {"batch": _batch_of(preview)}))
    assert "Iemand heeft het register gewijzigd" in page
    with tenant_scope(world.a.organisation):
        assert Position.objects.get().fte == 7


def test_another_users_or_organisations_batch_cannot_be_confirmed(world: World) -> None:
    preview = _upload(
        world.client_for("coordinator"), POSITION_IMPORT, _xlsx(position_kind.COLUMNS, _position_rows(world, bad=False))
    )
    batch = _batch_of(preview)
    response = world.client_for("beheerder").post(POSITION_CONFIRM, {"batch": batch})
    assert response.status_code == 302 and _positions(world) == []
    world.client_for("coordinator", tenant=world.b).post(POSITION_CONFIRM, {"batch": batch})
    assert _positions(world) == []
    with tenant_scope(world.b.organisation):
        assert Position.objects.count() == 0


# --- hostile files ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        ("renamed-png.xlsx", "geen Excel- of CSV-bestand"),
        ("renamed-pdf.csv", "geen Excel- of CSV-bestand"),
        ("macros.xlsm", "macro"),
        ("macros-renamed.xlsx", "macro"),
        ("zipbomb.xlsx", ""),
        ("old-format.xls", ""),
        ("empty.xlsx", "leeg"),
        ("many-rows.xlsx", "5.000"),
        ("many-rows.csv", "5.000"),
        ("encrypted.xlsx", ""),
        ("entities.xlsx", ""),
    ],
)
def test_hostile_files_are_refused_with_a_dutch_message(world: World, filename: str, message: str) -> None:
    client = world.client_for("coordinator")
    response = _upload(client, POSITION_IMPORT, (HOSTILE / filename).read_bytes(), filename)
    page = body(response)
    assert response.status_code == 200
    assert 'class="field-error"' in page
    assert message in page
    assert _positions(world) == []


def test_formula_cells_are_reported_per_cell_and_never_imported(world: World) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Naam", "Fte"])
    sheet.append(["=1+1", "=SUM(1,2)"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = body(_upload(world.client_for("coordinator"), POSITION_IMPORT, buffer.getvalue()))
    assert "Formules worden niet overgenomen" in page
    assert _positions(world) == []


def test_a_csv_from_dutch_excel_in_windows_1252_is_read(world: World) -> None:
    content = "Naam;Afdeling;Screening\r\nMedewerker Burgerzaken;;Geen screening\r\nCoördinator;;\r\n".encode("cp1252")
    page = body(_upload(world.client_for("coordinator"), POSITION_IMPORT, content, "functies.csv"))
    assert "Coördinator" in page and "Voorbeeld: dit verandert er" in page


def test_hostile_cell_text_is_escaped_in_the_preview_and_kept_exactly(world: World) -> None:
    client = world.client_for("coordinator")
    names = [text for text in NAUGHTY_STRINGS if text.strip() and len(text) < 200 and "\x00" not in text][:12]
    rows = [(name, "", "", "", "", "", "", "") for name in names]
    preview = _upload(client, POSITION_IMPORT, write_csv(Sheet("Functies", position_kind.COLUMNS, rows)), "f.csv")
    page = body(preview)
    assert "<script>alert('weerbaar')</script>" not in page
    client.post(POSITION_CONFIRM, {"batch": _batch_of(preview)})
    stored = {position.name for position in _positions(world)}
    assert "<script>alert('weerbaar')</script>" in stored
    assert "=cmd|' /C calc'!A0" in stored


def test_importing_needs_edit_rights_and_units_need_the_beheerder(world: World) -> None:
    content = _xlsx(position_kind.COLUMNS, _position_rows(world, bad=False))
    for role in ("lezer", "secretaris", "proceseigenaar"):
        assert _upload(world.client_for(role), POSITION_IMPORT, content).status_code == 403
    assert world.client_for("coordinator").get(UNIT_IMPORT).status_code == 403
    assert world.client_for("beheerder").get(UNIT_IMPORT).status_code == 200
    assert world.client_for("lezer").get(reverse("register:position_export")).status_code == 200
    assert world.client_for("medewerker").get(reverse("register:position_export")).status_code == 403


def test_the_template_has_instructions_and_drop_downs_but_no_register_data(world: World) -> None:
    with tenant_scope(world.a.organisation):
        make_position(world.a, name=f"Geheim {CANARY}")
    response = world.client_for("coordinator").get(reverse("register:position_template"))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Toelichting"
    data = workbook["Functies"]
    assert [cell.value for cell in data[1]][:2] == ["Naam", "Afdeling"]
    assert data.data_validations.dataValidation  # drop-down lists
    assert CANARY.encode() not in response.content


# --- processes --------------------------------------------------------------------------------------


def test_processes_are_imported_with_links_and_updated_by_code(world: World) -> None:
    client = world.client_for("coordinator")
    with tenant_scope(world.a.organisation):
        make_position(world.a, name="Vergunningverlener")
    circumstance = internal_circumstances()[0]
    from weerbaar.register.transfer import processes as process_kind

    rows = [
        (
            "",
            "Evenementenvergunning",
            "Grote en kleine evenementen",
            first_category().name,
            world.a.units[1].name,
            world.a.user("proceseigenaar").email,
            "Vergunningverlener",
            "",
            circumstance.name,
            "1.200",
            "Omgevingsdienst",
            "Omgevingsdienst Zuidwaard",
            "",
        ),
    ]
    preview = _upload(client, PROCESS_IMPORT, _xlsx(process_kind.COLUMNS, rows))
    assert client.post(PROCESS_CONFIRM, {"batch": _batch_of(preview)}).status_code == 302
    with tenant_scope(world.a.organisation):
        process = Process.objects.get()
        assert [position.name for position in process.positions.all()] == ["Vergunningverlener"]
        assert list(process.circumstances.all()) == [circumstance]
    assert (process.code, process.yearly_volume, process.executor) == ("P-001", 1200, "omgevingsdienst")
    renamed = [("P-001", "Evenementenvergunningen", *rows[0][2:])]
    preview = _upload(client, PROCESS_IMPORT, _xlsx(process_kind.COLUMNS, renamed))
    assert "Evenementenvergunningen" in body(preview)
    client.post(PROCESS_CONFIRM, {"batch": _batch_of(preview)})
    with tenant_scope(world.a.organisation):
        assert Process.objects.get().name == "Evenementenvergunningen"


def test_process_export_round_trips_and_follows_the_list_filters(world: World) -> None:
    client = world.client_for("coordinator")
    with tenant_scope(world.a.organisation):
        position = make_position(world.a)
        make_process(world.a, positions=[position], circumstances=internal_circumstances()[:2])
        make_process(
            world.a, name="+Inkoop -groot", owner=None, unit=None, executor="andere_partner", executor_name="@GR"
        )
    exported = client.get(reverse("register:process_export"), {"formaat": "xlsx"})
    page = body(_upload(client, PROCESS_IMPORT, exported.content))
    assert "er verandert niets" in page, page[:4000]
    exported = client.get(reverse("register:process_export"), {"formaat": "csv", "q": "inkoop"})
    text = exported.content.decode("utf-8-sig")
    assert "'+Inkoop -groot" in text and "Evenementenvergunning" not in text
    page = body(_upload(client, PROCESS_IMPORT, exported.content, "processen.csv"))
    assert "er verandert niets" in page


def test_unknown_codes_people_and_names_are_explained(world: World) -> None:
    from weerbaar.register.transfer import processes as process_kind

    rows = [
        ("P-999", "Bestaat niet", "", first_category().name, "", "", "", "", "", "", "", "", ""),
        (
            "",
            "Nieuw",
            "",
            "Geen categorie",
            "Onbekende afdeling",
            "niemand@example.org",
            "Spookfunctie",
            "",
            "",
            "",
            "",
            "",
            "",
        ),
        ("", "Nieuw", "", first_category().name, "", "", "", "", "", "", "", "", ""),
    ]
    page = body(_upload(world.client_for("coordinator"), PROCESS_IMPORT, _xlsx(process_kind.COLUMNS, rows)))
    assert "Code P-999 bestaat niet in het register" in page
    assert "Kies een categorie uit de lijst" in page
    assert "bestaat niet" in page and "niemand@example.org" in page
    assert "Staat ook in rij 3" in page
    assert Process.cross_tenant_objects.count() == 0


# --- units ------------------------------------------------------------------------------------------


def test_units_import_with_parents_from_the_same_file(world: World) -> None:
    from weerbaar.register.transfer import units as unit_kind

    client = world.client_for("beheerder")
    rows = [("Veiligheid", "", "", ""), ("Team Ondermijning", "Veiligheid", "Integrale aanpak", "")]
    preview = _upload(client, UNIT_IMPORT, _xlsx(unit_kind.COLUMNS, rows))
    assert client.post(UNIT_CONFIRM, {"batch": _batch_of(preview)}).status_code == 302
    with tenant_scope(world.a.organisation):
        child = Unit.objects.get(name="Team Ondermijning")
        assert child.parent is not None and child.parent.name == "Veiligheid"
    exported = client.get(reverse("register:unit_export"), {"formaat": "xlsx"})
    assert "er verandert niets" in body(_upload(client, UNIT_IMPORT, exported.content))
