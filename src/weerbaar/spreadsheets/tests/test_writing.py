from __future__ import annotations

import datetime
import io
import re
import zipfile
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from weerbaar.spreadsheets import (
    Column,
    Sheet,
    SpreadsheetError,
    neutralise,
    read_table,
    write_csv,
    write_xlsx,
)
from weerbaar.spreadsheets.reading import clean_text
from weerbaar.testing.naughty import NAUGHTY_STRINGS

from .support import member

COLUMNS = (
    Column("name", "Naam", required=True),
    Column("number", "Aantal"),
    Column("date", "Datum"),
    Column("note", "Opmerking"),
)
EXTRA_STRINGS = [
    "Ĳsselmonde, Coördinatie, café, € 12,50",
    "emoji 🚓🏛️ en ‘aanhalingstekens’",
    "'=al een apostrof",
    "''=twee apostroffen",
    "   '+met spaties ervoor",
    "' gewone apostrof",
    "'; DROP",
    "\u00a0=harde spatie",
    "_x000D_ letterlijk",
    "regel 1\nregel 2",
    "=",
    "'",
    "-",
    "\t",
]
ROUND_TRIP_STRINGS = [*NAUGHTY_STRINGS, *EXTRA_STRINGS]


def expected(value: str) -> str:
    """What the reader returns for a text: stripped, line ends normalised, control characters gone."""
    return clean_text(value).strip()


def naughty_rows() -> list[tuple[object, ...]]:
    return [
        (f"rij {number}", number, datetime.date(2026, 1, 1) + datetime.timedelta(days=number), text)
        for number, text in enumerate(ROUND_TRIP_STRINGS)
    ]


# --- neutralise ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=SUM(1+1)", "'=SUM(1+1)"),
        ("+31 6 12345678", "'+31 6 12345678"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r\n=1+1", "'\r\n=1+1"),
        ("  =1", "'  =1"),
        ("'=1", "''=1"),
        ("Burgerzaken", "Burgerzaken"),
        ("e-mail", "e-mail"),
        ("'gewoon'", "'gewoon'"),
        ("", ""),
        ("nul\x00teken", "nulteken"),
        (None, None),
        (-5, -5),
        (2.5, 2.5),
        (Decimal("2.5"), 2.5),
        (Decimal("3.00"), 3),
        (10**16, "10000000000000000"),
        (True, "ja"),
        (False, "nee"),
        (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1)),
        (float("nan"), "nan"),
    ],
)
def test_neutralise_guards_text_that_could_become_a_formula_and_keeps_numbers(value: object, safe: object) -> None:
    assert neutralise(value) == safe
    assert type(neutralise(value)) is type(safe)


def test_neutralise_shows_aware_datetimes_in_amsterdam_time() -> None:
    moment = datetime.datetime(2026, 7, 1, 10, 0, tzinfo=datetime.UTC)

    assert neutralise(moment) == datetime.datetime(2026, 7, 1, 12, 0)
    assert neutralise(moment.astimezone(ZoneInfo("Asia/Tokyo"))) == datetime.datetime(2026, 7, 1, 12, 0)


# --- formulas never survive export ---------------------------------------------------------


def test_exported_xlsx_holds_no_formula_only_string_cells_shown_literally() -> None:
    rows = [(text, 1, None, text) for text in NAUGHTY_STRINGS if text.strip()]
    data = write_xlsx([Sheet(title="Processen", columns=COLUMNS, rows=rows)])
    sheet_xml = member(data, "xl/worksheets/sheet1.xml")

    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    workbook = load_workbook(io.BytesIO(data))
    cells = [cell for row in workbook["Processen"].iter_rows(min_row=2) for cell in row if isinstance(cell.value, str)]
    risky = [cell for cell in cells if re.match(r"\s*[=+\-@]", str(cell.value))]
    assert len(risky) >= 10, "the naughty strings include formula look-alikes, in two columns"
    assert all(cell.data_type == "s" for cell in cells)
    assert all(cell.quotePrefix for cell in risky)
    assert not any(cell.quotePrefix for cell in cells if cell not in risky)
    assert "=cmd|' /C calc'!A0" in [cell.value for cell in risky], "the text itself is kept, not altered"


def test_exported_csv_cells_that_could_be_formulas_start_with_an_apostrophe() -> None:
    rows = [(text, None, None, None) for text in ["=1+1", "+1", "-1", "@x", "\t=1", "gewoon"]]
    data = write_csv(Sheet(title="Processen", columns=COLUMNS, rows=rows))

    assert data.startswith(b"\xef\xbb\xbf")
    lines = data[3:].decode().split("\r\n")
    assert lines[0] == "Naam;Aantal;Datum;Opmerking"
    assert [line.split(";")[0] for line in lines[1:-1]] == ["'=1+1", "'+1", "'-1", "'@x", "'\t=1", "gewoon"]
    assert lines[-1] == "", "every line ends with CRLF"


# --- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("writer", ["xlsx", "csv"])
def test_naughty_strings_numbers_and_dates_survive_export_then_import(writer: str) -> None:
    rows = naughty_rows()
    sheet = Sheet(title="Processen", columns=COLUMNS, rows=rows)
    data = write_xlsx([sheet]) if writer == "xlsx" else write_csv(sheet)

    table = read_table(data, filename=f"export.{writer}", columns=COLUMNS)

    assert len(table.rows) == len(rows)
    for row, (name, number, date, text) in zip(table.rows, rows, strict=True):
        assert row.values == {
            "name": name,
            "number": str(number),
            "date": date.isoformat(),  # type: ignore[attr-defined]
            "note": expected(str(text)),
        }, repr(text)[:60]
        assert row.formulas == frozenset()


def test_the_nul_string_loses_its_nul_and_the_longest_string_is_exactly_allowed() -> None:
    assert "\u0000nul" in NAUGHTY_STRINGS and "x" * 10_000 in NAUGHTY_STRINGS
    rows = [("a", 1, None, "\u0000nul"), ("b", 2, None, "x" * 10_000)]

    for data, filename in (
        (write_xlsx([Sheet("P", COLUMNS, rows)]), "a.xlsx"),
        (write_csv(Sheet("P", COLUMNS, rows)), "a.csv"),
    ):
        notes = [row.values["note"] for row in read_table(data, filename=filename, columns=COLUMNS).rows]
        assert notes == ["nul", "x" * 10_000]


@pytest.mark.parametrize("writer", ["xlsx", "csv"])
def test_text_over_the_reader_limit_is_written_but_refused_clearly_on_import(writer: str) -> None:
    sheet = Sheet(title="Processen", columns=COLUMNS, rows=[("a", 1, None, "y" * 10_001)])
    data = write_xlsx([sheet]) if writer == "xlsx" else write_csv(sheet)

    with pytest.raises(SpreadsheetError) as caught:
        read_table(data, filename=f"export.{writer}", columns=COLUMNS)
    assert caught.value.message == "Rij 2, kolom 'Opmerking': de tekst is langer dan 10.000 tekens."


@pytest.mark.parametrize("writer", ["xlsx", "csv"])
def test_numbers_keep_dutch_notation_whichever_format(writer: str) -> None:
    rows = [("a", 2.5, datetime.datetime(2026, 3, 1, 9, 15), Decimal("1.25")), ("b", -3, None, 10**16)]
    sheet = Sheet(title="Processen", columns=COLUMNS, rows=rows)
    data = write_xlsx([sheet]) if writer == "xlsx" else write_csv(sheet)

    table = read_table(data, filename=f"export.{writer}", columns=COLUMNS)

    assert [list(row.values.values()) for row in table.rows] == [
        ["a", "2,5", "2026-03-01 09:15", "1,25"],
        ["b", "-3", "", "10000000000000000"],
    ]


def test_an_empty_template_reads_back_as_no_rows() -> None:
    data = write_xlsx([Sheet(title="Processen", columns=COLUMNS, rows=[])], instructions=["Vul de lijst in."])

    table = read_table(data, filename="sjabloon.xlsx", columns=COLUMNS)

    assert table.rows == []
    assert table.sheet == "Processen"
    assert table.columns_present == {"name", "number", "date", "note"}


# --- workbook layout -----------------------------------------------------------------------


def test_the_workbook_is_laid_out_for_people() -> None:
    rows = [("Vergunningverlening horeca en evenementen", 1, datetime.date(2026, 1, 5), "Laag")]
    sheet = Sheet(title="Processen", columns=COLUMNS, rows=rows, widths={"note": 33})
    data = write_xlsx([sheet], instructions=["Eerste regel.", "Tweede regel."], title="Processen van de gemeente")

    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Toelichting", "Processen"]
    instructions = workbook["Toelichting"]
    assert [cell.value for cell in instructions["A"]] == [
        "Processen van de gemeente",
        None,
        "Eerste regel.",
        "Tweede regel.",
    ]
    assert instructions["A3"].alignment.wrap_text
    data_sheet = workbook["Processen"]
    assert all(cell.font.bold for cell in data_sheet[1])
    assert data_sheet.freeze_panes == "A2"
    assert data_sheet.auto_filter.ref == "A1:D2"
    widths = {letter: data_sheet.column_dimensions[letter].width for letter in "ABCD"}
    assert widths["A"] == len(rows[0][0]) + 2
    assert widths["B"] == 10
    assert widths["D"] == 33
    assert data_sheet["C2"].is_date


def test_document_properties_carry_no_personal_data() -> None:
    data = write_xlsx([Sheet(title="Processen", columns=COLUMNS, rows=[])], title="Export")

    core = member(data, "docProps/core.xml")
    assert "<dc:creator>Weerbaar</dc:creator>" in core
    assert "<dc:title>Export</dc:title>" in core
    assert "lastModifiedBy" not in core


def test_choices_become_drop_downs_for_data_and_template_rows() -> None:
    long_list = [f"Afdeling {number:03d} met een lange naam" for number in range(40)]
    sheet = Sheet(
        title="Posities",
        columns=COLUMNS,
        rows=[("a", 1, None, "Laag")],
        choices={"note": ["Laag", "Midden", "Hoog"], "name": [*long_list, "=HYPERLINK(1)"]},
    )

    workbook = load_workbook(io.BytesIO(write_xlsx([sheet])))

    validations = {str(dv.sqref): dv for dv in workbook["Posities"].data_validations.dataValidation}
    assert set(validations) == {"D2:D5001", "A2:A5001"}
    assert validations["D2:D5001"].formula1 == '"Laag,Midden,Hoog"'
    assert validations["A2:A5001"].formula1 == "'Keuzelijsten'!$A$1:$A$41"
    assert validations["D2:D5001"].showErrorMessage
    assert validations["D2:D5001"].error == "Kies een waarde uit de lijst."
    lists = workbook["Keuzelijsten"]
    assert lists.sheet_state == "hidden"
    assert [cell.value for cell in lists["A"]] == [*long_list, "'=HYPERLINK(1)"]
    assert all(cell.data_type == "s" for cell in lists["A"])


def test_an_exported_workbook_with_choices_reads_back_from_its_data_sheet() -> None:
    sheet = Sheet(title="Posities", columns=COLUMNS, rows=[("a", 1, None, "x")], choices={"note": ["x" * 300]})

    table = read_table(write_xlsx([sheet], instructions=["Uitleg"]), filename="p.xlsx", columns=COLUMNS)

    assert table.sheet == "Posities"
    assert [row.values["name"] for row in table.rows] == ["a"]


def test_sheet_titles_are_made_valid_and_unique() -> None:
    sheets = [
        Sheet(title="Processen: [alle]/2026?", columns=COLUMNS, rows=[]),
        Sheet(title="Processen: [alle]/2026?", columns=COLUMNS, rows=[]),
        Sheet(title="Toelichting", columns=COLUMNS, rows=[]),
        Sheet(title="x" * 40, columns=COLUMNS, rows=[]),
    ]

    workbook = load_workbook(io.BytesIO(write_xlsx(sheets)))

    assert workbook.sheetnames == [
        "Processen- -alle--2026-",
        "Processen- -alle--2026- (2)",
        "Toelichting (2)",
        "x" * 31,
    ]


def test_programming_errors_are_loud() -> None:
    with pytest.raises(ValueError, match="Row 2 has 1 values for 4 columns"):
        write_xlsx([Sheet(title="P", columns=COLUMNS, rows=[("a",)])])
    with pytest.raises(ValueError, match="Row 2 has 1 values for 4 columns"):
        write_csv(Sheet(title="P", columns=COLUMNS, rows=[("a",)]))
    with pytest.raises(ValueError, match="unknown columns"):
        write_xlsx([Sheet(title="P", columns=COLUMNS, rows=[], choices={"colour": ["rood"]})])


def test_text_beyond_excels_cell_limit_is_cut_with_an_ellipsis() -> None:
    data = write_xlsx([Sheet(title="P", columns=COLUMNS, rows=[("a", 1, None, "z" * 40_000)])])

    value = load_workbook(io.BytesIO(data))["P"]["D2"].value
    assert isinstance(value, str)
    assert len(value) == 32_767
    assert value.endswith("z…")


def test_rows_may_be_a_generator() -> None:
    rows = ((f"Proces {number}", number, None, None) for number in range(3))

    data = write_xlsx([Sheet(title="P", columns=COLUMNS, rows=rows)])

    assert len(read_table(data, filename="p.xlsx", columns=COLUMNS).rows) == 3
    assert zipfile.is_zipfile(io.BytesIO(data))
