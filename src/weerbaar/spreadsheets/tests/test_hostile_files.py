"""Every crafted file in tests/files is refused with a Dutch message a civil servant can act on."""

from __future__ import annotations

import io
import logging
import zipfile

import openpyxl.xml
import pytest

from weerbaar.spreadsheets import SpreadsheetError, read_table
from weerbaar.spreadsheets import reading as reading_module

from .make_hostile_files import BOMB_BYTES, MANY_ROWS, RECIPES
from .support import FILES, PROCESS_COLUMNS, fixture, xlsx

REFUSED = [
    ("renamed-png.xlsx", "not_a_spreadsheet", "is geen Excel- of CSV-bestand. Het lijkt een afbeelding."),
    ("renamed-pdf.csv", "not_a_spreadsheet", "is geen Excel- of CSV-bestand. Het lijkt een PDF-document."),
    ("macros.xlsm", "macros", "bevat macro's"),
    ("macros-renamed.xlsx", "macros", "sla het in Excel op als gewone Excel-werkmap (.xlsx)"),
    ("zipbomb.xlsx", "zip_bomb", "pakt uit tot veel meer gegevens"),
    ("entities.xlsx", "unreadable", "kan niet worden gelezen"),
    ("old-format.xls", "legacy_xls", "oude Excel-formaat (.xls)"),
    ("encrypted.xlsx", "encrypted", "beveiligd met een wachtwoord"),
    ("empty.xlsx", "empty", "is leeg"),
    ("empty-sheet.xlsx", "no_header", "Het werkblad 'Processen' is leeg"),
    ("many-rows.csv", "too_many_rows", "Het bestand heeft meer dan 5.000 rijen; splits het"),
    ("many-rows.xlsx", "too_many_rows", "Het bestand heeft meer dan 5.000 rijen; splits het"),
    ("inconsistent.csv", "inconsistent", "Rij 3 heeft meer waarden dan er kolommen"),
    ("binary-noise.csv", "not_a_spreadsheet", "tekens die niet in een tekstbestand horen"),
]
ACCEPTED = ["formulas.xlsx", "cp1252.csv"]


@pytest.mark.parametrize(("name", "code", "phrase"), REFUSED, ids=[name for name, _, _ in REFUSED])
def test_it_refuses_the_hostile_file_with_a_dutch_message(name: str, code: str, phrase: str) -> None:
    with pytest.raises(SpreadsheetError) as caught:
        read_table(fixture(name), filename=name, columns=PROCESS_COLUMNS)

    assert caught.value.code == code
    assert phrase in caught.value.message
    assert str(caught.value) == caught.value.message
    if code not in {"too_many_rows", "no_header", "inconsistent"}:
        assert f"'{name}'" in caught.value.message, "the message names the file"


def test_the_committed_files_are_the_scripts_recipes_and_each_one_is_tested() -> None:
    on_disk = {path.name for path in FILES.iterdir()}

    assert on_disk == set(RECIPES)
    assert on_disk == {name for name, _, _ in REFUSED} | set(ACCEPTED)
    assert all(path.stat().st_size < 1024 * 1024 for path in FILES.iterdir())


def test_the_zip_bomb_is_small_on_disk_but_huge_inside() -> None:
    archive = zipfile.ZipFile(FILES / "zipbomb.xlsx")
    declared = sum(info.file_size for info in archive.infolist())

    assert (FILES / "zipbomb.xlsx").stat().st_size < 400 * 1024
    assert declared > BOMB_BYTES


def test_the_zip_bomb_is_refused_before_openpyxl_opens_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def must_not_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was handed the zip bomb")

    monkeypatch.setattr(reading_module.openpyxl, "load_workbook", must_not_run)

    with pytest.raises(SpreadsheetError) as caught:
        read_table(fixture("zipbomb.xlsx"), filename="zipbomb.xlsx", columns=PROCESS_COLUMNS)
    assert caught.value.code == "zip_bomb"


def test_the_macro_files_really_carry_a_vba_project() -> None:
    archive = zipfile.ZipFile(FILES / "macros-renamed.xlsx")

    assert "xl/vbaProject.bin" in archive.namelist()
    assert b"macroEnabled" in archive.read("[Content_Types].xml")
    assert archive.read("xl/vbaProject.bin").startswith(bytes.fromhex("D0CF11E0A1B11AE1"))


def test_a_macro_part_alone_is_enough_to_refuse() -> None:
    plain = xlsx([["Naam"], ["Proces"]])
    with_vba = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain)) as source, zipfile.ZipFile(with_vba, "w") as target:
        for name in source.namelist():
            target.writestr(name, source.read(name))
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0")

    with pytest.raises(SpreadsheetError) as caught:
        read_table(with_vba.getvalue(), filename="gewoon.xlsx", columns=PROCESS_COLUMNS)
    assert caught.value.code == "macros"


def test_entity_expansion_is_stopped_by_defusedxml(caplog: pytest.LogCaptureFixture) -> None:
    assert openpyxl.xml.DEFUSEDXML is True

    with caplog.at_level(logging.INFO, logger="weerbaar.spreadsheets.reading"), pytest.raises(SpreadsheetError):
        read_table(fixture("entities.xlsx"), filename="entities.xlsx", columns=PROCESS_COLUMNS)

    assert "EntitiesForbidden" in caplog.text


def test_the_many_rows_files_are_valid_and_read_in_full_when_the_limit_allows() -> None:
    for name in ("many-rows.csv", "many-rows.xlsx"):
        table = read_table(fixture(name), filename=name, columns=PROCESS_COLUMNS, max_rows=MANY_ROWS)

        assert len(table.rows) == MANY_ROWS
        assert table.rows[-1].number == MANY_ROWS + 1
        assert table.rows[-1].values["name"] == f"Proces {MANY_ROWS}"


def test_the_windows_1252_csv_from_dutch_excel_is_accepted_with_its_accents() -> None:
    table = read_table(fixture("cp1252.csv"), filename="cp1252.csv", columns=PROCESS_COLUMNS)

    assert table.file_format == "csv"
    assert [row.values for row in table.rows] == [
        {"name": "Café-vergunning", "code": "P-1", "description": "Exploitatie van cafés – ‘horeca’"},
        {"name": "Coördinatie evenementen", "code": "P-2", "description": "Kosten € 1.250,50"},
    ]


def test_formula_cells_are_flagged_and_never_evaluated() -> None:
    table = read_table(fixture("formulas.xlsx"), filename="formulas.xlsx", columns=PROCESS_COLUMNS)

    by_number = {row.number: row for row in table.rows}
    assert by_number[2].formulas == frozenset()
    assert by_number[3].formulas == {"name", "description"}
    assert by_number[3].values["name"] == "=1+1", "the formula text, not its result"
    assert by_number[3].values["description"].startswith("=HYPERLINK(")
    assert by_number[4].formulas == {"code", "description"}
    assert by_number[4].values["description"] == "=SUM(1,2)"
    # Text typed with a leading apostrophe in Excel is a string, not a formula.
    assert by_number[5].values["name"] == "=tekst die geen formule is"
    assert by_number[5].formulas == frozenset()
    assert table.formula_errors() == [
        "Rij 3, kolom 'Naam': formules worden niet overgenomen; typ de waarde zelf.",
        "Rij 3, kolom 'Omschrijving': formules worden niet overgenomen; typ de waarde zelf.",
        "Rij 4, kolom 'Code': formules worden niet overgenomen; typ de waarde zelf.",
        "Rij 4, kolom 'Omschrijving': formules worden niet overgenomen; typ de waarde zelf.",
    ]
