"""What every kind shares: the plan of an import, row issues, and text ↔ value helpers."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from weerbaar.core.models import Unit
from weerbaar.spreadsheets import Column, RowData, Sheet, Table

LIST_SEPARATOR = ";"
_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")
ACTIVE = "Actief"
ARCHIVED = "Gearchiveerd"
STATUS_CHOICES = (ACTIVE, ARCHIVED)


class RowError(Exception):
    """A problem with one cell; collected, never shown as a traceback."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column
        self.message = message


class RowErrors(Exception):
    """Every problem found in one row, so the user fixes the row in one go."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


def gather(parsers: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run each cell's parser; raise ``RowErrors`` with all failures instead of stopping at the first."""
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    for key, parse in parsers.items():
        try:
            values[key] = parse()
        except RowError as error:
            errors.append(error)
    if errors:
        raise RowErrors(errors)
    return values


@dataclass(frozen=True)
class Issue:
    row: int
    column: str  # the column's header as in the file; "" for the whole row
    message: str


@dataclass
class RowPlan:
    number: int
    action: str  # CREATE, UPDATE or UNCHANGED
    label: str
    #: (header, old text, new text) for an update; (header, "", new text) for a new row.
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    target: Any = None  # the existing object for an update
    values: dict[str, Any] = field(default_factory=dict)
    status: bool | None = None  # True: reactivate, False: archive, None: leave as is


CREATE = "nieuw"
UPDATE = "wijzigen"
UNCHANGED = "ongewijzigd"


@dataclass
class ImportPlan:
    kind: str
    rows: list[RowPlan] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.issues

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def has_changes(self) -> bool:
        return any(row.action != UNCHANGED for row in self.rows)

    def digest(self) -> str:
        """What the preview showed, so a confirmation writes exactly that (or refuses)."""
        payload = [(row.number, row.action, row.label, row.changes) for row in self.rows]
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False, default=str).encode()).hexdigest()


@dataclass(frozen=True)
class Kind:
    """One importable and exportable list of the register."""

    key: str  # URL slug: processen, functies, afdelingen
    label: Any  # Dutch plural for headings (lazy)
    import_title: Any  # the import page's heading (lazy), e.g. "Processen importeren"
    columns: Sequence[Column]
    instructions: Callable[[], list[str]]
    choices: Callable[[], dict[str, Sequence[str]]]
    export_rows: Callable[..., Iterable[Sequence[object]]]
    plan: Callable[[Table], ImportPlan]
    #: Writes one planned row through the audited services (inside the caller's transaction).
    apply_row: Callable[..., None]
    #: model field -> column header, to place a service's error in the right column.
    headers: dict[str, str]

    def sheet(self, rows: Iterable[Sequence[object]], *, with_choices: bool = True) -> Sheet:
        return Sheet(
            title=str(self.label).capitalize(),
            columns=self.columns,
            rows=rows,
            choices=self.choices() if with_choices else {},
        )


# --- text → values ---------------------------------------------------------------------------------


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def join_list(items: Iterable[str]) -> str:
    return f"{LIST_SEPARATOR} ".join(items)


def parse_int(text: str, column: str, *, minimum: int, maximum: int) -> int | None:
    if not text:
        return None
    # Dutch thousands: "1.200" is twelve hundred; "12.5" is no whole number.
    cleaned = text.replace(".", "") if _THOUSANDS.match(text) else text
    try:
        value = int(cleaned)
    except ValueError:
        raise RowError(column, _("Vul een heel getal in, bijvoorbeeld 120.")) from None
    if not minimum <= value <= maximum:
        raise RowError(column, _("Vul een getal van %(min)s tot en met %(max)s in.") % {"min": minimum, "max": maximum})
    return value


def parse_decimal(text: str, column: str, *, maximum: Decimal, places: int = 1) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise RowError(column, _("Vul een getal in, bijvoorbeeld 2,5.")) from None
    if not value.is_finite() or value < 0 or value > maximum:
        raise RowError(column, _("Vul een getal van 0 tot en met %(max)s in.") % {"max": maximum})
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise RowError(column, _("Gebruik hooguit één cijfer achter de komma."))
    return value.quantize(Decimal(1).scaleb(-places))


def parse_date(text: str, column: str) -> dt.date | None:
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RowError(column, _("Vul een datum in als 31-12-2025 of 2025-12-31."))


def format_decimal(value: Decimal | None) -> str:
    return "" if value is None else str(value).replace(".", ",")


def parse_choice(text: str, column: str, choices: Iterable[tuple[str, Any]], *, default: str | None = None) -> str:
    """A value by its Dutch label (as in the drop-down) or its code; case and spacing do not matter."""
    if not text and default is not None:
        return default
    wanted = " ".join(text.split()).casefold()
    for value, label in choices:
        with translation.override("nl"):
            dutch = str(label).casefold()  # a Dutch file also reads in the English interface
        if wanted in (str(value).casefold(), str(label).casefold(), dutch):
            return str(value)
    labels = ", ".join(str(label) for _value, label in choices)
    raise RowError(column, _("Kies een waarde uit de lijst: %(labels)s.") % {"labels": labels})


def parse_status(text: str, column: str) -> bool:
    return parse_choice(text, column, [("1", ACTIVE), ("0", ARCHIVED)], default="1") == "1"


def status_text(active: bool) -> str:
    return ACTIVE if active else ARCHIVED


# --- units by name or path ----------------------------------------------------------------------


def _path_key(text: str) -> str:
    for separator in ("›", ">", "/"):
        text = text.replace(separator, "›")
    return "›".join(" ".join(part.split()).casefold() for part in text.split("›"))


class UnitLookup:
    """Units of the bound organisation by name (when unique) or by path ("Publiekszaken › Burgerzaken")."""

    def __init__(self) -> None:
        units = {unit.pk: unit for unit in Unit.objects.order_by("name", "pk")}  # one query

        def path(unit: Unit) -> str:
            names, seen = [unit.name], {unit.pk}
            while unit.parent_id is not None and unit.parent_id in units and unit.parent_id not in seen:
                unit = units[unit.parent_id]
                seen.add(unit.pk)
                names.append(unit.name)
            return " › ".join(reversed(names))

        self.path_of: dict[int, str] = {pk: path(unit) for pk, unit in units.items()}
        self.by_path: dict[str, Unit] = {_path_key(self.path_of[pk]): unit for pk, unit in units.items()}
        by_name: dict[str, list[Unit]] = {}
        for unit in units.values():
            by_name.setdefault(" ".join(unit.name.split()).casefold(), []).append(unit)
        self.by_name = by_name

    def find(self, text: str, column: str) -> Unit | None:
        if not text:
            return None
        unit = self.by_path.get(_path_key(text))
        if unit is not None:
            return unit
        matches = self.by_name.get(" ".join(text.split()).casefold(), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise RowError(
                column,
                _("Er zijn meer afdelingen met de naam “%(name)s”. Schrijf het pad, bijvoorbeeld “%(path)s”.")
                % {"name": text, "path": self.path_of[matches[0].pk]},
            )
        raise RowError(
            column,
            _("De afdeling “%(name)s” bestaat niet. Voeg haar eerst toe of kies een bestaande.") % {"name": text},
        )

    def text(self, unit: Unit | None) -> str:
        """How an export names a unit: its name when that is unique, else its path."""
        if unit is None:
            return ""
        if len(self.by_name.get(" ".join(unit.name.split()).casefold(), [])) == 1:
            return unit.name
        return self.path_of.get(unit.pk, unit.name)

    def choices(self) -> list[str]:
        return sorted({self.text(unit) for unit in self.by_path.values() if unit.is_active}, key=str.casefold)


def row_issue(plan: ImportPlan, row: RowData, error: RowError | RowErrors) -> None:
    for each in error.errors if isinstance(error, RowErrors) else [error]:
        plan.issues.append(Issue(row.number, each.column, each.message))


def validation_messages(error: ValidationError, headers: dict[str, str]) -> list[tuple[str, str]]:
    """A model or service ValidationError as (column header, message) pairs."""
    if not hasattr(error, "error_dict"):
        return [("", message) for message in error.messages]
    return [
        (headers.get(field_name, ""), message)
        for field_name, messages in error.message_dict.items()
        for message in messages
    ]


def duplicate_check(seen: dict[Any, int], key: Any, row: RowData, column: str) -> None:
    if key in seen:
        raise RowError(column, _("Staat ook in rij %(row)s. Elke regel moet uniek zijn.") % {"row": seen[key]})
    seen[key] = row.number


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return status_text(value)
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
