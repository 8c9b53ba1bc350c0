"""Read an uploaded .xlsx or .csv file into plain rows of text, refusing anything hostile.

The format is decided by the content, never by the name: an .xlsx is a zip archive with
``[Content_Types].xml`` and ``xl/workbook.xml``; everything else must be text (CSV). The name
must then agree with the content, so a renamed PNG, a macro workbook called ``.xlsx`` or a CSV
called ``.xlsx`` is refused with a Dutch message that names the file.

Checks before openpyxl sees a byte (openpyxl itself parses XML through defusedxml):

* size: empty files and files over ``max_bytes`` are refused;
* legacy and protected files: an OLE2 compound file (``D0CF11E0``) is either an old ``.xls``
  or a password-protected workbook (it holds an ``EncryptedPackage`` stream);
* zip bombs: the archive's declared sizes are checked first — more than ``MAX_ZIP_MEMBERS``
  members, more than ``MAX_UNCOMPRESSED_BYTES`` in total, or a member over
  ``RATIO_CHECK_FROM_BYTES`` that is more than ``MAX_COMPRESSION_RATIO`` times smaller packed.
  Python's zipfile stops at the declared size and fails the CRC check if a member lies about
  it, so the declared sizes are a real bound;
* macros: a ``macroEnabled`` content type, a ``vbaProject.bin`` part or Excel 4 macro sheets.

Reading then goes row by row (openpyxl read-only mode, CSV reader), so a sheet with a million
rows is refused as soon as row ``max_rows + 1`` is seen, without reading the rest.

What the caller gets (`Table`):

* the header row is the first row with any text; headers match `Column.header` or one of its
  ``aliases`` case-insensitively, with spaces trimmed and collapsed. Unknown headers are
  ignored and listed on ``Table.ignored_headers``; ``Table.columns_present`` holds the keys
  that were found (so an importer can leave a field alone when its column is absent);
* rows whose known columns are all empty are skipped and not counted;
* ``RowData.number`` is the row number the user sees in Excel (header in row 1 → first data
  row 2); for CSV it counts records, as Excel shows them;
* every value is text: stripped, CRLF and CR turned into LF, NUL removed. Whole numbers lose
  their ``.0``; other numbers use the Dutch decimal comma (``2,5``) — the same text a user
  would type, so importers parse one notation; dates become ``YYYY-MM-DD`` (with ``HH:MM`` when
  there is a time); booleans ``ja``/``nee``;
* formulas are never evaluated: a cell that holds one keeps the formula text in ``values``
  and its key is listed in ``RowData.formulas``; `Table.formula_errors` words the message;
* the formula guard written by `weerbaar.spreadsheets.writing` is undone: one leading
  apostrophe is removed when what follows (after any further apostrophes and whitespace)
  starts with ``=``, ``+``, ``-`` or ``@``, or with a tab or CR. Export → import is lossless;
* a cell longer than ``MAX_CELL_LENGTH`` characters, a missing required column, a column that
  appears twice, and — in CSV only — a row with values beyond the header are refused as
  `SpreadsheetError`. Cells in an .xlsx without a header are ignored (side notes).

Every refusal is a `SpreadsheetError` whose ``message`` is Dutch and can be shown as-is and
whose ``code`` says what kind it is (for tests and logs): ``empty``, ``too_large``,
``not_a_spreadsheet``, ``extension_mismatch``, ``legacy_xls``, ``encrypted``, ``macros``,
``xlsb``, ``ods``, ``zip_bomb``, ``too_complex``, ``unreadable``, ``encoding``, ``no_sheet``,
``no_header``, ``no_known_columns``, ``missing_column``, ``duplicate_column``, ``cell_too_long``,
``too_many_rows``, ``inconsistent``.

Beyond the agreed API: ``SpreadsheetError.code``; ``RowData.formulas``; ``Table.ignored_headers``,
``Table.columns_present``, ``Table.columns`` and ``Table.formula_errors()``; ``upload`` may be
anything with ``read(size)`` (a Django ``UploadedFile``), rewound first when it can seek; file
names ending in ``.txt`` are accepted for CSV content (Excel's "Unicode-tekst" export, UTF-16
with tabs, is understood too).

Where the code lives: this module holds `read_table` and the .xlsx reading; the checks before
openpyxl sees a byte are in `_safety`, CSV reading in `_csv`, and the result types, text rules
and header matching in `_table`. Their public names stay importable from here.
"""

from __future__ import annotations

import datetime
import io
import math
import re
import warnings
from collections.abc import Generator, Sequence
from decimal import Decimal
from typing import IO

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from ._csv import _read_csv

# The limits and signatures were defined here before the split; kept importable from here.
from ._safety import CSV_EXTENSIONS as CSV_EXTENSIONS
from ._safety import IMAGE_SIGNATURES as IMAGE_SIGNATURES
from ._safety import MAX_COMPRESSION_RATIO as MAX_COMPRESSION_RATIO
from ._safety import MAX_UNCOMPRESSED_BYTES as MAX_UNCOMPRESSED_BYTES
from ._safety import MAX_ZIP_MEMBERS as MAX_ZIP_MEMBERS
from ._safety import OLE2_SIGNATURE as OLE2_SIGNATURE
from ._safety import OTHER_BINARY_SIGNATURES as OTHER_BINARY_SIGNATURES
from ._safety import PDF_SIGNATURE as PDF_SIGNATURE
from ._safety import RATIO_CHECK_FROM_BYTES as RATIO_CHECK_FROM_BYTES
from ._safety import XLSX_EXTENSIONS as XLSX_EXTENSIONS
from ._safety import ZIP_SIGNATURES as ZIP_SIGNATURES
from ._safety import (
    BinaryReadable,
    _check_extension,
    _detect_format,
    _display_name,
    _extension,
    _read_bytes,
    _unreadable,
)
from ._table import (
    CHOICES_SHEET,
    INSTRUCTIONS_SHEET,
    MAX_CELL_LENGTH,
    Cell,
    Column,
    FileFormat,
    RowData,
    SpreadsheetError,
    Table,
    _build_table,
    _check_columns_config,
    _finish_text,
    clean_text,
    hides_formula,
    is_guarded,
    starts_like_formula,
    unguard,
)

_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")

# --- entry point ---------------------------------------------------------------------------


def read_table(
    upload: IO[bytes] | BinaryReadable | bytes,
    *,
    filename: str,
    columns: Sequence[Column],
    sheet: str | None = None,
    max_rows: int = 5000,
    max_bytes: int = 5 * 1024 * 1024,
) -> Table:
    """Read the rows of an uploaded .xlsx or .csv; raise `SpreadsheetError` for anything else."""
    name = _display_name(filename)
    extension = _extension(name)
    data = _read_bytes(upload, max_bytes=max_bytes, name=name)
    file_format = _detect_format(data, name=name, extension=extension)
    _check_extension(file_format, name=name, extension=extension)
    _check_columns_config(columns)
    if file_format == "xlsx":
        return _read_xlsx(data, name=name, columns=columns, sheet=sheet, max_rows=max_rows)
    return _read_csv(data, name=name, columns=columns, max_rows=max_rows)


# --- xlsx ----------------------------------------------------------------------------------


def _read_xlsx(data: bytes, *, name: str, columns: Sequence[Column], sheet: str | None, max_rows: int) -> Table:
    with warnings.catch_warnings():
        # openpyxl warns about every extension it drops (data validation, conditional formats…).
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        except SpreadsheetError:
            raise
        except Exception as exc:  # openpyxl raises anything from KeyError to XML errors on broken files
            raise _unreadable(name, exc) from None
        try:
            worksheet = _pick_sheet(workbook, sheet, name=name)
            worksheet.reset_dimensions()  # the stored dimension is untrusted: it could hide or pad rows

            def rows(first_row: int, width: int | None) -> Generator[list[Cell]]:
                # The stubs type iter_rows for the full Worksheet only; ReadOnlyWorksheet borrows it.
                for cells in worksheet.iter_rows(min_row=first_row, max_col=width):  # type: ignore[misc]
                    yield [_xlsx_cell(cell) for cell in cells]

            return _build_table(
                rows,
                columns=columns,
                max_rows=max_rows,
                sheet=worksheet.title,
                file_format="xlsx",
                strict_width=False,
            )
        except SpreadsheetError:
            raise
        except Exception as exc:
            raise _unreadable(name, exc) from None
        finally:
            workbook.close()


def _pick_sheet(workbook: Workbook, sheet: str | None, *, name: str) -> ReadOnlyWorksheet:
    worksheets = [worksheet for worksheet in workbook.worksheets if isinstance(worksheet, ReadOnlyWorksheet)]
    if sheet:
        for worksheet in worksheets:
            if worksheet.title.casefold() == sheet.casefold():
                return worksheet
    skipped = {INSTRUCTIONS_SHEET.casefold(), CHOICES_SHEET.casefold()}
    for worksheet in worksheets:
        if worksheet.title.casefold() not in skipped and worksheet.sheet_state == "visible":
            return worksheet
    raise SpreadsheetError(
        _("Het bestand '%(name)s' bevat geen werkblad met gegevens.") % {"name": name}, code="no_sheet"
    )


def _xlsx_cell(cell: object) -> Cell:
    value = getattr(cell, "value", None)
    if value is None:
        return "", False
    if getattr(cell, "data_type", None) == "f":
        text = value if isinstance(value, str) else str(getattr(value, "text", "") or value)
        if not text.startswith("="):
            text = "=" + text
        return clean_text(text).strip(), True
    if isinstance(value, str):
        # OOXML escapes control characters as _xHHHH_ (Excel writes a CR as _x000D_).
        return _finish_text(_OOXML_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), value)), False
    return format_value(value), False


def format_value(value: object) -> str:
    """Text for a typed cell value, as the reader reports it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return _format_number(value)
    if isinstance(value, datetime.datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.isoformat(timespec="minutes" if value.second == 0 else "seconds")
    return clean_text(str(value)).strip()


def _format_number(value: float | Decimal) -> str:
    if not math.isfinite(value):
        return str(value)
    if value == int(value) and -(10**15) < value < 10**15:
        return str(int(value))
    # Excel keeps 15 significant digits; more would show binary noise (0,30000000000000004).
    text = f"{value:.15g}" if isinstance(value, float) else format(value.normalize(), "f")
    return text.replace(".", ",")


__all__ = [
    "CHOICES_SHEET",
    "INSTRUCTIONS_SHEET",
    "MAX_CELL_LENGTH",
    "Column",
    "FileFormat",
    "RowData",
    "SpreadsheetError",
    "Table",
    "clean_text",
    "format_value",
    "hides_formula",
    "is_guarded",
    "read_table",
    "starts_like_formula",
    "unguard",
]
