"""Reading CSV content (already known not to be a zip, OLE2 or known binary file) into a `Table`.

Decoding (UTF-16 with BOM, UTF-8, Windows-1252), refusing control characters, picking the
delimiter (';', ',' or tab, or Excel's ``sep=`` line) and reading records strictly; the rows
then go through the same `_build_table` as an .xlsx sheet.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Generator, Sequence

from django.utils.translation import gettext as _

from ._safety import _not_a_spreadsheet
from ._table import _CONTROL_CHARACTERS, Cell, Column, SpreadsheetError, Table, _build_table, _finish_text

_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _read_csv(data: bytes, *, name: str, columns: Sequence[Column], max_rows: int) -> Table:
    text = _decode(data, name=name).rstrip("\x1a")  # DOS end-of-file marker
    if _CONTROL_CHARACTERS.search(text):
        raise _binary(name)
    delimiter, text = _delimiter(text)

    def rows(first_row: int, width: int | None) -> Generator[list[Cell]]:
        csv_rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        number = 0
        while True:
            try:
                record = next(csv_rows)
            except StopIteration:
                return
            except csv.Error:
                raise SpreadsheetError(
                    _("Rij %(row)s kan niet worden gelezen: de aanhalingstekens of de tekstlengte kloppen niet.")
                    % {"row": number + 1},
                    code="inconsistent",
                ) from None
            number += 1
            if number >= first_row:
                yield [(_finish_text(value), False) for value in record]

    stem = name.rsplit(".", 1)[0] if "." in name else name
    return _build_table(rows, columns=columns, max_rows=max_rows, sheet=stem, file_format="csv", strict_width=True)


def _decode(data: bytes, *, name: str) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode-tekst" export: UTF-16 with tabs.
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif _CONTROL_BYTES.search(data.rstrip(b"\x1a")):
        # NUL and other control bytes mean binary content; checked on the bytes so a random file
        # is called what it is, not a text in an unknown character set.
        raise _binary(name)
    else:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        try:
            # Dutch Excel saves "CSV (gescheiden door lijstscheidingsteken)" in Windows-1252.
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    raise SpreadsheetError(
        _(
            "De tekens in '%(name)s' kunnen niet worden gelezen. Sla het in Excel op als "
            "'CSV UTF-8 (door lijstscheidingsteken gescheiden)' en probeer het opnieuw."
        )
        % {"name": name},
        code="encoding",
    )


def _binary(name: str) -> SpreadsheetError:
    return _not_a_spreadsheet(name, _("Het bevat tekens die niet in een tekstbestand horen."))


def _delimiter(text: str) -> tuple[str, str]:
    """Pick ';', ',' or tab from the first line with text; honour Excel's 'sep=;' line."""
    first, _newline, rest = text.lstrip("\r\n").partition("\n")
    first = first.rstrip("\r")
    if first.lower().startswith("sep=") and len(first) == 5:
        return first[4], rest
    counts = {delimiter: first.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])  # ties keep the first: ';'
    return (best if counts[best] else ";"), text
