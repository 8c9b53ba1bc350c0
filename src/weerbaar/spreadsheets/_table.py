"""What a read returns, the text rules shared with the writer, and turning cells into a `Table`.

Everything here is plain data and text handling: `SpreadsheetError`, `Column`, `RowData`, `Table`
and the formula-guard rules (`starts_like_formula`, `hides_formula`, `is_guarded`, `unguard`,
`clean_text`), plus `_build_table`, which both the .xlsx and the CSV reader feed row by row.
The public names are re-exported by `weerbaar.spreadsheets.reading`; import them from there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

FileFormat = Literal["xlsx", "csv"]

# Sheets the writer adds around the data; the reader never takes them for data.
INSTRUCTIONS_SHEET = "Toelichting"
CHOICES_SHEET = "Keuzelijsten"

MAX_CELL_LENGTH = 10_000

# = + - @ start a formula in Excel and LibreOffice, also after leading whitespace (tab, CR…).
_FORMULA_START = re.compile(r"\s*[=+\-@]")
_HIDDEN_FORMULA_START = re.compile(r"[\s']*[=+\-@]")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class SpreadsheetError(ValueError):
    """A file we refuse; ``message`` is Dutch and meant for the user, ``code`` for programs."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RowData:
    number: int
    values: dict[str, str]
    formulas: frozenset[str] = frozenset()


@dataclass
class Table:
    rows: list[RowData]
    sheet: str
    file_format: FileFormat
    ignored_headers: tuple[str, ...] = ()
    columns_present: frozenset[str] = frozenset()
    columns: tuple[Column, ...] = ()

    def formula_errors(self) -> list[str]:
        """One Dutch message per cell that held a formula, in row order."""
        return [
            _("Rij %(row)s, kolom '%(column)s': formules worden niet overgenomen; typ de waarde zelf.")
            % {"row": row.number, "column": column.header}
            for row in self.rows
            for column in self.columns
            if column.key in row.formulas
        ]


# --- text rules shared with the writer -----------------------------------------------------


def starts_like_formula(text: str) -> bool:
    """Would Excel or LibreOffice take this text for a formula (or a DDE trick) when typed in?"""
    return _FORMULA_START.match(text) is not None


def hides_formula(text: str) -> bool:
    """Is there a formula start behind leading whitespace and apostrophes? Such text gets the guard."""
    return _HIDDEN_FORMULA_START.match(text) is not None


def is_guarded(text: str) -> bool:
    """Does this (stripped) text start with the writer's apostrophe guard?"""
    return text.startswith("'") and hides_formula(text[1:])


def unguard(text: str) -> str:
    """Undo the writer's guard on a stripped cell text; the result is stripped again."""
    return text[1:].strip() if is_guarded(text) else text


def clean_text(text: str) -> str:
    """Normalise line ends and drop control characters that have no place in a cell."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARACTERS.sub("", text)


def _finish_text(text: str) -> str:
    return unguard(clean_text(text).strip())


def _format_count(count: int) -> str:
    return f"{count:,}".replace(",", ".")


# --- building the table --------------------------------------------------------------------

Cell = tuple[str, bool]  # (text, held a formula)


def _normalise_header(text: str) -> str:
    return " ".join(text.split()).casefold()


def _check_columns_config(columns: Sequence[Column]) -> None:
    # A programming error, not a user's: two columns answering to the same header.
    seen: dict[str, str] = {}
    for column in columns:
        for header in (column.header, *column.aliases):
            normal = _normalise_header(str(header))
            if seen.setdefault(normal, column.key) != column.key:
                raise ValueError(f"Header {header!r} belongs to both {seen[normal]!r} and {column.key!r}")


def _build_table(
    rows: Callable[[int, int | None], Generator[list[Cell]]],
    *,
    columns: Sequence[Column],
    max_rows: int,
    sheet: str,
    file_format: FileFormat,
    strict_width: bool,
) -> Table:
    header_rows = rows(1, None)
    try:
        header_number, header = _find_header(header_rows, sheet=sheet)
    finally:
        header_rows.close()  # an xlsx row stream holds an open archive member
    by_header = {
        _normalise_header(str(name)): column for column in columns for name in (column.header, *column.aliases)
    }
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for position, (text, _formula) in enumerate(header):
        if not text:
            continue
        column = by_header.get(_normalise_header(text))
        if column is None:
            if text not in ignored:
                ignored.append(text)
            continue
        if column.key in positions:
            raise SpreadsheetError(
                _("De kolom '%(column)s' staat meer dan één keer in de kopregel (rij %(row)s).")
                % {"column": column.header, "row": header_number},
                code="duplicate_column",
            )
        positions[column.key] = position
    _check_missing(columns, positions, header_number)

    width = len(header)
    keys = [column.key for column in columns]
    headers = {column.key: str(column.header) for column in columns}
    result: list[RowData] = []
    # Only the header's width is read from here on: one stray cell in column XFD must not make
    # every row sixteen thousand cells wide.
    for offset, cells in enumerate(rows(header_number + 1, None if strict_width else width)):
        number = header_number + 1 + offset
        if strict_width and any(text for text, _formula in cells[width:]):
            raise SpreadsheetError(
                _(
                    "Rij %(row)s heeft meer waarden dan er kolommen in de kopregel staan. Controleer of het "
                    "scheidingsteken overal hetzelfde is."
                )
                % {"row": number},
                code="inconsistent",
            )
        values: dict[str, str] = {}
        formulas: set[str] = set()
        for key in keys:
            found = positions.get(key)
            text, formula = cells[found] if found is not None and found < len(cells) else ("", False)
            if len(text) > MAX_CELL_LENGTH:
                raise SpreadsheetError(
                    _("Rij %(row)s, kolom '%(column)s': de tekst is langer dan %(max)s tekens.")
                    % {"row": number, "column": headers[key], "max": _format_count(MAX_CELL_LENGTH)},
                    code="cell_too_long",
                )
            values[key] = text
            if formula:
                formulas.add(key)
        if not any(values.values()):
            continue
        if len(result) >= max_rows:
            raise SpreadsheetError(
                _("Het bestand heeft meer dan %(max)s rijen; splits het in bestanden van hooguit %(max)s rijen.")
                % {"max": _format_count(max_rows)},
                code="too_many_rows",
            )
        result.append(RowData(number=number, values=values, formulas=frozenset(formulas)))
    return Table(
        rows=result,
        sheet=sheet,
        file_format=file_format,
        ignored_headers=tuple(ignored),
        columns_present=frozenset(positions),
        columns=tuple(columns),
    )


def _find_header(rows: Iterator[list[Cell]], *, sheet: str) -> tuple[int, list[Cell]]:
    for number, cells in enumerate(rows, start=1):
        if any(text for text, _formula in cells):
            return number, cells
    raise SpreadsheetError(
        _("Het werkblad '%(sheet)s' is leeg. Zet de kolomnamen in de eerste rij en de gegevens daaronder.")
        % {"sheet": sheet},
        code="no_header",
    )


def _check_missing(columns: Sequence[Column], positions: dict[str, int], header_number: int) -> None:
    if not positions:
        raise SpreadsheetError(
            _(
                "In de kopregel (rij %(row)s) staat geen enkele kolom die we kennen. Verwacht: %(columns)s. "
                "Is dit het goede bestand?"
            )
            % {"row": header_number, "columns": _join_quoted([str(column.header) for column in columns])},
            code="no_known_columns",
        )
    missing = [str(column.header) for column in columns if column.required and column.key not in positions]
    if len(missing) == 1:
        raise SpreadsheetError(
            _("De kolom '%(column)s' ontbreekt. De kolomnamen moeten in rij %(row)s staan.")
            % {"column": missing[0], "row": header_number},
            code="missing_column",
        )
    if missing:
        raise SpreadsheetError(
            _("De kolommen %(columns)s ontbreken. De kolomnamen moeten in rij %(row)s staan.")
            % {"columns": _join_quoted(missing), "row": header_number},
            code="missing_column",
        )


def _join_quoted(names: Sequence[str]) -> str:
    quoted = [f"'{name}'" for name in names]
    if len(quoted) <= 1:
        return "".join(quoted)
    return _("%(first)s en %(last)s") % {"first": ", ".join(quoted[:-1]), "last": quoted[-1]}
