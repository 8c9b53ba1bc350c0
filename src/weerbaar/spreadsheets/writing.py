"""Write tables as .xlsx or .csv that open safely in Excel and read back unchanged.

Formula injection. Text that a spreadsheet program could take for a formula — its first
character after whitespace is ``=``, ``+``, ``-`` or ``@`` — is defused differently per format:

* .xlsx: the text is stored as a string cell (never ``<f>``) with the ``quotePrefix`` style, so
  Excel shows it literally and keeps it text when someone edits the cell. No character is added.
* .csv: a CSV has no cell types, so `neutralise` puts one apostrophe in front (``'=SUM(1)``).

The reader removes exactly one leading apostrophe when a formula start follows it (after any
further apostrophes and whitespace). Text that already looks like that — ``'=x`` typed by a
user — therefore gets one extra apostrophe in both formats, so export → import is lossless for
every text (compared after the reader's stripping and line-end normalisation).

Other conversions: booleans become ``ja``/``nee``; whole numbers of 16 digits and more become
text (Excel would round them); ``Decimal`` becomes a number; timezone-aware datetimes are shown
in Europe/Amsterdam; control characters that XML cannot hold are dropped; OOXML escapes
(``_x000D_``) in user text are themselves escaped so Excel shows them literally. A text longer
than Excel's cell limit (32,767 characters) is cut off with "…" in an .xlsx. CSV numbers use the
Dutch decimal comma, dates ISO ``YYYY-MM-DD``: that is what Dutch Excel opens as numbers and dates.

`Sheet.choices` adds a drop-down (list data validation) to a column, for the data rows and for
at least `TEMPLATE_ROWS` rows so a template offers it on new rows. Short lists are written
inline; longer ones (or values with commas or quotes) go to a hidden "Keuzelijsten" sheet.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .reading import CHOICES_SHEET, INSTRUCTIONS_SHEET, Column, format_value, hides_formula, starts_like_formula

Value = str | int | float | datetime.date | None

TEMPLATE_ROWS = 5000
EXCEL_MAX_CELL_LENGTH = 32_767
MAX_INLINE_LIST_LENGTH = 255  # Excel's limit for a list typed into the validation itself
MIN_WIDTH, MAX_WIDTH = 10, 60
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

_ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_OOXML_ESCAPE_LOOKALIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence[object]]
    choices: Mapping[str, Sequence[str]] = field(default_factory=dict)
    widths: Mapping[str, float] | None = None
    #: Lines above the table (a report's title, who exported it, "Vertrouwelijk"); the first is bold.
    #: The header row follows after one empty row; freezing and the autofilter start there.
    preamble: Sequence[str] = ()


def neutralise(value: object) -> Value:
    """A value that is safe in any spreadsheet cell: text that could start a formula gets a "'" guard.

    Numbers, dates and ``None`` are kept as they are (typed cells cannot be formulas).
    """
    plain = _plain(value)
    if isinstance(plain, str) and hides_formula(plain):
        return "'" + plain
    return plain


def _plain(value: object) -> Value:
    if value is None:
        return None
    if isinstance(value, bool):
        return format_value(value)
    if isinstance(value, int):
        return value if -(10**15) < value < 10**15 else str(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        return _plain(int(value)) if value == value.to_integral_value() else float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(AMSTERDAM).replace(tzinfo=None)
        return value
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, datetime.time):
        return format_value(value)
    return _ILLEGAL_CHARACTERS.sub("", str(value))


# --- xlsx ----------------------------------------------------------------------------------


def write_xlsx(sheets: Sequence[Sheet], *, instructions: Sequence[str] | None = None, title: str = "") -> bytes:
    """An .xlsx workbook: optional "Toelichting" sheet first, then one sheet per `Sheet`."""
    workbook = Workbook()
    default = workbook.active
    if default is not None:
        workbook.remove(default)
    used_titles = {INSTRUCTIONS_SHEET.casefold(), CHOICES_SHEET.casefold()}
    if instructions:
        _write_instructions(workbook.create_sheet(INSTRUCTIONS_SHEET), instructions, title)
    lists: list[Sequence[str]] = []
    for sheet in sheets:
        worksheet = workbook.create_sheet(_sheet_title(sheet.title, used_titles))
        _write_data_sheet(worksheet, sheet, lists)
    if lists:
        _write_lists(workbook.create_sheet(CHOICES_SHEET), lists)
    if not workbook.worksheets:
        workbook.create_sheet(_("Blad1"))
    _set_properties(workbook, title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str, used: set[str]) -> str:
    base = _SHEET_TITLE_FORBIDDEN.sub("-", _ILLEGAL_CHARACTERS.sub("", str(title))).strip().strip("'")[:31]
    base = base or _("Gegevens")
    candidate, counter = base, 2
    while candidate.casefold() in used:
        suffix = f" ({counter})"
        candidate, counter = base[: 31 - len(suffix)] + suffix, counter + 1
    used.add(candidate.casefold())
    return candidate


def _write_instructions(worksheet: Worksheet, instructions: Sequence[str], title: str) -> None:
    worksheet.column_dimensions["A"].width = 100
    wrap = Alignment(wrap_text=True, vertical="top")
    lines: list[str] = [title, ""] if title else []
    lines.extend(instructions)
    for number, line in enumerate(lines, start=1):
        cell = worksheet.cell(row=number, column=1)
        _set_text(cell, str(line))
        cell.alignment = wrap
        if title and number == 1:
            cell.font = Font(bold=True, size=14)


def _write_data_sheet(worksheet: Worksheet, sheet: Sheet, lists: list[Sequence[str]]) -> None:
    columns = list(sheet.columns)
    keys = [column.key for column in columns]
    unknown = set(sheet.choices) - set(keys)
    if unknown:
        raise ValueError(f"Choices for unknown columns: {sorted(unknown)}")
    bold = Font(bold=True)
    for number, line in enumerate(sheet.preamble, start=1):
        cell = worksheet.cell(row=number, column=1)
        _set_text(cell, str(line))
        if number == 1:
            cell.font = bold
    header_row = len(sheet.preamble) + 2 if sheet.preamble else 1
    longest = [len(str(column.header)) for column in columns]
    for number, column in enumerate(columns, start=1):
        cell = worksheet.cell(row=header_row, column=number)
        _set_text(cell, str(column.header))
        cell.font = bold
    last_row = header_row
    for row_number, row in enumerate(sheet.rows, start=header_row + 1):
        if len(row) != len(columns):
            raise ValueError(f"Row {row_number} has {len(row)} values for {len(columns)} columns")
        for number, value in enumerate(row, start=1):
            cell = worksheet.cell(row=row_number, column=number)
            plain = _plain(value)
            if isinstance(plain, str):
                _set_text(cell, plain)
                first_line = plain.split("\n", 1)[0]
                longest[number - 1] = max(longest[number - 1], len(first_line))
            else:
                cell.value = plain
                longest[number - 1] = max(longest[number - 1], len(format_value(plain)))
        last_row = row_number
    if not columns:
        return
    last_letter = get_column_letter(len(columns))
    worksheet.freeze_panes = f"A{header_row + 1}"
    worksheet.auto_filter.ref = f"A{header_row}:{last_letter}{last_row}"
    for number, column in enumerate(columns, start=1):
        width = (sheet.widths or {}).get(column.key)
        if width is None:
            width = min(max(longest[number - 1] + 2, MIN_WIDTH), MAX_WIDTH)
        worksheet.column_dimensions[get_column_letter(number)].width = width
    validation_end = max(last_row, TEMPLATE_ROWS + 1)
    for key, values in sheet.choices.items():
        letter = get_column_letter(keys.index(key) + 1)
        validation = DataValidation(
            type="list",
            formula1=_list_formula(values, lists),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Ongeldige waarde"),
            error=_("Kies een waarde uit de lijst."),
        )
        validation.add(f"{letter}{header_row + 1}:{letter}{validation_end}")
        worksheet.add_data_validation(validation)


def _list_formula(values: Sequence[str], lists: list[Sequence[str]]) -> str:
    # Excel may treat a picked value as typed in, so list values carry the CSV guard too.
    safe = [str(neutralise(value) or "") for value in values]
    inline = ",".join(safe)
    if safe and len(inline) + 2 <= MAX_INLINE_LIST_LENGTH and not any("," in v or '"' in v for v in safe):
        return f'"{inline}"'
    lists.append(safe)
    letter = get_column_letter(len(lists))
    return f"{quote_sheetname(CHOICES_SHEET)}!${letter}$1:${letter}${max(len(safe), 1)}"


def _write_lists(worksheet: Worksheet, lists: list[Sequence[str]]) -> None:
    worksheet.sheet_state = "hidden"
    for number, values in enumerate(lists, start=1):
        for row_number, value in enumerate(values, start=1):
            # Already neutralised: a picked value lands in the cell as this text, guard and all.
            _set_text(worksheet.cell(row=row_number, column=number), value, guard=False)


def _set_text(cell: Cell | MergedCell, text: str, *, guard: bool = True) -> None:
    text = _OOXML_ESCAPE_LOOKALIKE.sub(r"_x005F_\1", _ILLEGAL_CHARACTERS.sub("", text))
    if len(text) > EXCEL_MAX_CELL_LENGTH:
        text = text[: EXCEL_MAX_CELL_LENGTH - 1] + "…"
    if guard and hides_formula(text) and not starts_like_formula(text):
        text = "'" + text  # the reader would take the user's own apostrophe for our guard
    cell.value = text
    cell.data_type = "s"  # openpyxl turns text starting with "=" into a formula; a string cell never is
    if starts_like_formula(text):
        cell.quotePrefix = True  # Excel shows it literally and keeps it text when edited


def _set_properties(workbook: Workbook, title: str) -> None:
    # No names of people in the file: the export is about the organisation, not who clicked.
    now = datetime.datetime.now(tz=datetime.UTC).replace(tzinfo=None)
    properties = workbook.properties
    properties.creator = "Weerbaar"
    properties.lastModifiedBy = None
    properties.title = title or None
    properties.created = now
    properties.modified = now


# --- csv -----------------------------------------------------------------------------------


def write_csv(sheet: Sheet) -> bytes:
    """UTF-8 with BOM, ';' between values and CRLF line ends: what Dutch Excel opens correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    columns = list(sheet.columns)
    writer.writerow([_csv_text(column.header) for column in columns])
    for row_number, row in enumerate(sheet.rows, start=2):
        if len(row) != len(columns):
            raise ValueError(f"Row {row_number} has {len(row)} values for {len(columns)} columns")
        writer.writerow([_csv_text(value) for value in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _csv_text(value: object) -> str:
    safe = neutralise(value)
    if safe is None:
        return ""
    if isinstance(safe, float):
        return format_value(safe)
    if isinstance(safe, datetime.datetime):
        return format_value(safe)
    if isinstance(safe, datetime.date):
        return safe.isoformat()
    return str(safe)


__all__ = ["TEMPLATE_ROWS", "Sheet", "neutralise", "write_csv", "write_xlsx"]
