from __future__ import annotations

import codecs
import datetime
import io
import re
import zipfile
from collections.abc import Sequence

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from weerbaar.spreadsheets import Column, SpreadsheetError, Table, read_table

from .support import PROCESS_COLUMNS, member, rezip, xlsx


def read(data: bytes, filename: str = "processen.xlsx", **kwargs: object) -> Table:
    return read_table(data, filename=filename, columns=PROCESS_COLUMNS, **kwargs)  # type: ignore[arg-type]


def refusal(data: bytes, filename: str = "processen.xlsx", **kwargs: object) -> SpreadsheetError:
    with pytest.raises(SpreadsheetError) as caught:
        read(data, filename, **kwargs)
    return caught.value


# --- headers -------------------------------------------------------------------------------


def test_headers_match_case_insensitively_trimmed_and_by_alias() -> None:
    table = read(xlsx([["  PROCESNAAM ", "code", "Omschrijving  van"], ["Inkoop", "P-1", "x"]]))

    assert table.rows[0].values == {"name": "Inkoop", "code": "P-1", "description": ""}
    assert table.columns_present == {"name", "code"}
    assert table.ignored_headers == ("Omschrijving  van",)


def test_inner_whitespace_in_a_header_is_collapsed() -> None:
    table = read(xlsx([["Naam", "Omschrijving\n"], ["Inkoop", "tekst"]]))

    assert table.rows[0].values["description"] == "tekst"


def test_unknown_columns_are_ignored_and_reported_once() -> None:
    table = read(xlsx([["Opmerking", "Naam", "Opmerking", "Eigenaar"], ["a", "Inkoop", "b", "c"]]))

    assert table.ignored_headers == ("Opmerking", "Eigenaar")
    assert table.rows[0].values["name"] == "Inkoop"


def test_a_missing_required_column_is_named() -> None:
    error = refusal(xlsx([["Code", "Omschrijving"], ["P-1", "x"]]))

    assert error.code == "missing_column"
    assert error.message == "De kolom 'Naam' ontbreekt. De kolomnamen moeten in rij 1 staan."


def test_all_missing_required_columns_are_listed() -> None:
    columns = [Column("name", "Naam", required=True), Column("code", "Code", required=True), Column("x", "Extra")]
    with pytest.raises(SpreadsheetError) as caught:
        read_table(xlsx([["Extra"], ["1"]]), filename="a.xlsx", columns=columns)

    assert caught.value.message.startswith("De kolommen 'Naam' en 'Code' ontbreken.")


def test_a_file_without_any_known_column_is_refused_with_what_we_expected() -> None:
    error = refusal(xlsx([["Boodschappen", "Prijs"], ["Melk", 1]]))

    assert error.code == "no_known_columns"
    assert "'Naam', 'Code' en 'Omschrijving'" in error.message


@pytest.mark.parametrize("headers", [["Naam", "Code", "naam"], ["Naam", "Procesnaam"]])
def test_a_column_that_appears_twice_is_refused(headers: list[str]) -> None:
    error = refusal(xlsx([headers, ["a"] * len(headers)]))

    assert error.code == "duplicate_column"
    assert error.message == "De kolom 'Naam' staat meer dan één keer in de kopregel (rij 1)."


def test_two_columns_claiming_the_same_header_is_a_programming_error() -> None:
    columns = [Column("name", "Naam"), Column("title", "Titel", aliases=("naam",))]

    with pytest.raises(ValueError, match="belongs to both"):
        read_table(xlsx([["Naam"], ["x"]]), filename="a.xlsx", columns=columns)


# --- rows ----------------------------------------------------------------------------------


def test_row_numbers_are_the_ones_excel_shows_and_empty_rows_are_skipped() -> None:
    rows: list[list[object]] = [
        [],
        [None, None],
        ["Naam", "Code"],
        ["Eerste", "P-1"],
        [None, None],
        ["   ", ""],
        ["Tweede", None],
    ]
    table = read(xlsx(rows))

    assert [(row.number, row.values["name"]) for row in table.rows] == [(4, "Eerste"), (7, "Tweede")]


def test_a_row_with_text_only_under_unknown_headers_is_skipped() -> None:
    table = read(xlsx([["Naam", "Notitie"], ["Inkoop", ""], ["", "los briefje"]]))

    assert [row.number for row in table.rows] == [2]


def test_text_is_stripped_line_ends_normalised_and_nul_removed() -> None:
    table = read(xlsx([["Naam", "Omschrijving"], ["  Inkoop\t", "regel 1\r\nregel 2\rregel 3"], ["a_x0000_b", "x"]]))

    assert table.rows[0].values == {"name": "Inkoop", "code": "", "description": "regel 1\nregel 2\nregel 3"}
    assert table.rows[1].values["name"] == "ab", "Excel's _x0000_ escape is decoded and the NUL dropped"


def test_excel_escapes_in_shared_strings_are_decoded() -> None:
    table = read(xlsx([["Naam"], ["regel_x000D_\nvolgende"], ["_x005F_x000D_ blijft staan"]]))

    assert [row.values["name"] for row in table.rows] == ["regel\nvolgende", "_x000D_ blijft staan"]


def test_typed_cells_become_sensible_text() -> None:
    rows: list[list[object]] = [
        ["Naam", "Code", "Omschrijving"],
        [42, 3.0, 2.5],
        [datetime.date(2026, 3, 1), datetime.datetime(2026, 3, 1, 14, 30), True],
        [False, 0.1 + 0.2, -1234567.125],
    ]
    table = read(xlsx(rows))

    assert [list(row.values.values()) for row in table.rows] == [
        ["42", "3", "2,5"],
        ["2026-03-01", "2026-03-01 14:30", "ja"],
        ["nee", "0,3", "-1234567,125"],
    ]


def test_a_cell_over_ten_thousand_characters_is_refused_with_row_and_column() -> None:
    assert read(xlsx([["Naam"], ["x" * 10_000]])).rows[0].values["name"] == "x" * 10_000

    error = refusal(xlsx([["Naam", "Omschrijving"], ["a", "b"], ["a", "x" * 10_001]]))

    assert error.code == "cell_too_long"
    assert error.message == "Rij 3, kolom 'Omschrijving': de tekst is langer dan 10.000 tekens."


def test_more_rows_than_allowed_is_refused_and_exactly_the_limit_is_fine() -> None:
    rows: list[Sequence[object]] = [["Naam"], *([f"Proces {n}"] for n in range(10)), [None], [None]]

    assert len(read(xlsx(rows), max_rows=10).rows) == 10
    error = refusal(xlsx(rows), max_rows=9)
    assert error.code == "too_many_rows"
    assert error.message == "Het bestand heeft meer dan 9 rijen; splits het in bestanden van hooguit 9 rijen."


def _sheet_with_broken_tail(data_rows: int) -> bytes:
    """A valid workbook whose sheet XML turns to rubbish after ``data_rows`` rows."""
    data = xlsx([["Naam"], *([f"Proces {n}"] for n in range(data_rows))])
    sheet = member(data, "xl/worksheets/sheet1.xml")
    broken = sheet.replace("</sheetData>", '<row r="99999"><c <<< kapot').split("</worksheet>")[0]
    return rezip(data, replace={"xl/worksheets/sheet1.xml": broken.encode()})


def test_rows_are_read_lazily_so_a_long_sheet_is_refused_without_reading_it_all() -> None:
    # Reading stops at row max_rows + 1; had it read on, it would have hit the broken tail.
    assert refusal(_sheet_with_broken_tail(50), max_rows=10).code == "too_many_rows"
    assert refusal(_sheet_with_broken_tail(50), max_rows=100).code == "unreadable"


def test_a_stray_cell_far_to_the_right_neither_widens_rows_nor_breaks_reading() -> None:
    def far_cell(workbook: Workbook, sheet: Worksheet) -> None:
        sheet["XFD3"] = "verdwaald"

    table = read(xlsx([["Naam"], ["Eerste"], ["Tweede"]], adjust=far_cell))

    assert [row.values["name"] for row in table.rows] == ["Eerste", "Tweede"]


def test_a_lying_dimension_does_not_hide_rows() -> None:
    data = xlsx([["Naam"], ["Eerste"], ["Tweede"], ["Derde"]])
    sheet = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:A2"', member(data, "xl/worksheets/sheet1.xml"))
    assert '<dimension ref="A1:A2"' in sheet

    table = read(rezip(data, replace={"xl/worksheets/sheet1.xml": sheet.encode()}))

    assert [row.values["name"] for row in table.rows] == ["Eerste", "Tweede", "Derde"]


# --- sheets --------------------------------------------------------------------------------


def _with_sheets(workbook: Workbook, sheet: Worksheet) -> None:
    workbook.move_sheet(workbook.create_sheet("Toelichting"), offset=-1)
    hidden = workbook.create_sheet("Verborgen", 1)
    hidden.append(["Naam"])
    hidden.append(["uit het verborgen blad"])
    hidden.sheet_state = "hidden"
    other = workbook.create_sheet("Posities")
    other.append(["Naam"])
    other.append(["uit Posities"])


def test_the_first_visible_sheet_that_is_not_the_instructions_is_read() -> None:
    table = read(xlsx([["Naam"], ["uit Processen"]], adjust=_with_sheets))

    assert table.sheet == "Processen"
    assert table.rows[0].values["name"] == "uit Processen"


def test_a_named_sheet_is_read_and_an_unknown_name_falls_back() -> None:
    data = xlsx([["Naam"], ["uit Processen"]], adjust=_with_sheets)

    assert read(data, sheet="posities").rows[0].values["name"] == "uit Posities"
    assert read(data, sheet="Bestaat niet").sheet == "Processen"


def test_a_workbook_with_only_the_instructions_sheet_is_refused() -> None:
    error = refusal(xlsx([["Uitleg"]], title="Toelichting"))

    assert error.code == "no_sheet"


# --- file types ----------------------------------------------------------------------------


def test_content_decides_and_a_mismatching_name_is_refused() -> None:
    workbook = xlsx([["Naam"], ["x"]])
    text = b"Naam\r\nx\r\n"

    assert read(workbook, "lijst.XLSX").file_format == "xlsx"
    assert read(text, "lijst.csv").file_format == "csv"
    for data, filename in ((workbook, "lijst.csv"), (text, "lijst.xlsx"), (workbook, "lijst"), (text, "lijst.png")):
        error = refusal(data, filename)
        assert error.code == "extension_mismatch", filename
        assert "geen Excel- of CSV-bestand" in error.message
        assert f"'{filename}'" in error.message


def test_names_that_promise_an_old_or_macro_workbook_get_that_advice() -> None:
    assert refusal(b"Naam\r\nx\r\n", "lijst.xls").code == "legacy_xls"
    assert refusal(xlsx([["Naam"], ["x"]]), "lijst.xlsm").code == "macros"


def test_only_the_last_part_of_a_browser_path_is_named() -> None:
    error = refusal(b"", "C:\\fakepath\\geheim\\lijst.xlsx")

    assert error.message == "Het bestand 'lijst.xlsx' is leeg."


def test_a_file_larger_than_the_limit_is_refused() -> None:
    error = refusal(b"Naam\r\n" + b"x\r\n" * 1000, "lijst.csv", max_bytes=1024)

    assert error.code == "too_large"
    assert error.message == "Het bestand 'lijst.csv' is groter dan 1 kB. Splits het in kleinere bestanden."
    assert "5 MB" in refusal(b"x" * (5 * 1024 * 1024 + 1), "lijst.csv").message


def test_a_whitespace_only_file_is_empty() -> None:
    assert refusal(b" \r\n\t ", "lijst.csv").code == "empty"


def _zip(members: dict[str, bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return output.getvalue()


def test_other_zip_files_are_named_for_what_they_are() -> None:
    ods = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})
    xlsb = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x00"})
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"})
    plain = _zip({"notes.txt": b"hallo"})

    assert refusal(ods, "lijst.ods").code == "ods"
    assert refusal(xlsb, "lijst.xlsx").code == "xlsb"
    assert "ander soort Office-document" in refusal(docx, "lijst.xlsx").message
    assert refusal(plain, "lijst.xlsx").code == "not_a_spreadsheet"


def test_a_damaged_zip_is_unreadable_not_a_crash() -> None:
    truncated = xlsx([["Naam"], ["x"]])[:-200]

    assert refusal(truncated).code == "unreadable"
    assert refusal(b"PK\x03\x04" + b"\x00" * 100).code == "unreadable"


def test_a_small_member_that_unpacks_far_too_well_is_refused_before_the_total_limit() -> None:
    data = rezip(xlsx([["Naam"], ["x"]]), add={"xl/media/leeg.bin": b"\x00" * (3 * 1024 * 1024)})

    assert refusal(data).code == "zip_bomb"


def test_an_archive_with_too_many_parts_is_refused() -> None:
    data = rezip(xlsx([["Naam"], ["x"]]), add={f"xl/extra/{n}.xml": b"<x/>" for n in range(1000)})

    assert refusal(data).code == "too_complex"


# --- csv -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"Naam;Code\r\nInkoop;P-1\r\n",
        b"Naam,Code\nInkoop,P-1\n",
        b"Naam\tCode\nInkoop\tP-1",
        codecs.BOM_UTF8 + b"Naam;Code\r\nInkoop;P-1\r\n",
        b"sep=,\r\nNaam,Code\r\nInkoop,P-1\r\n",
        codecs.BOM_UTF16_LE + "Naam\tCode\r\nInkoop\tP-1\r\n".encode("utf-16-le"),
    ],
    ids=["semicolon", "comma", "tab", "utf8-bom", "sep-line", "utf16-unicode-text"],
)
def test_csv_delimiters_and_encodings_that_excel_writes_are_understood(content: bytes) -> None:
    table = read(content, "lijst.csv")

    assert [(row.number, row.values["name"], row.values["code"]) for row in table.rows] == [(2, "Inkoop", "P-1")]


def test_a_quoted_csv_value_keeps_its_separator_and_line_break_and_rows_count_records() -> None:
    content = b'Naam;Omschrijving\r\n"Inkoop; groot";"regel 1\r\nregel 2"\r\n\r\nTweede;x\r\n'

    table = read(content, "lijst.csv")

    assert [(row.number, row.values["name"], row.values["description"]) for row in table.rows] == [
        (2, "Inkoop; groot", "regel 1\nregel 2"),
        (4, "Tweede", "x"),
    ]


def test_a_csv_with_broken_quotes_is_refused() -> None:
    error = refusal(b'Naam;Code\r\nInkoop;P-1\r\n"Kapot"x;P-2\r\n', "lijst.csv")

    assert error.code == "inconsistent"
    assert error.message.startswith("Rij 3 kan niet worden gelezen")


def test_a_csv_with_nul_bytes_is_binary() -> None:
    assert refusal(b"Naam;Code\r\nIn\x00koop;P-1\r\n", "lijst.csv").code == "not_a_spreadsheet"


def test_a_csv_with_bytes_that_no_encoding_accepts_is_refused() -> None:
    error = refusal(b"Naam;Code\r\nIn\x81koop;P-1\r\n", "lijst.csv")

    assert error.code == "encoding"
    assert "CSV UTF-8" in error.message


def test_a_csv_whose_first_header_looks_like_a_file_signature_is_still_text() -> None:
    table = read(b"MZ-nummer;BM-code;Naam\r\n1;2;Inkoop\r\n", "lijst.csv")

    assert table.rows[0].values["name"] == "Inkoop"
    assert table.ignored_headers == ("MZ-nummer", "BM-code")


def test_a_csv_sheet_is_named_after_the_file() -> None:
    assert read(b"Naam\r\nx\r\n", "mijn lijst.csv").sheet == "mijn lijst"


# --- upload objects ------------------------------------------------------------------------


def test_a_django_upload_is_read_even_after_someone_read_it_before() -> None:
    upload = SimpleUploadedFile("lijst.csv", b"Naam\r\nInkoop\r\n", content_type="text/csv")
    upload.read()

    table = read_table(upload, filename=upload.name or "", columns=PROCESS_COLUMNS)

    assert table.rows[0].values["name"] == "Inkoop"


def test_a_stream_is_read_only_up_to_the_limit() -> None:
    class Endless:
        requested: list[int] = []

        def read(self, size: int = -1, /) -> bytes:
            assert size > 0, "never read a stream without a limit"
            self.requested.append(size)
            return b"x" * size

    stream = Endless()
    with pytest.raises(SpreadsheetError) as caught:
        read_table(stream, filename="lijst.csv", columns=PROCESS_COLUMNS, max_bytes=4096)
    assert caught.value.code == "too_large"
    assert stream.requested == [4097]
