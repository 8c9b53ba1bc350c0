"""Functies as a sheet: one row per position, keyed by name and afdeling."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weerbaar.core.models import Organisation, User
from weerbaar.register import services
from weerbaar.register.models import MAX_RENEWAL_YEARS, Position, RiskArea, ScreeningLevel
from weerbaar.register.transfer.common import (
    CREATE,
    STATUS_CHOICES,
    UNCHANGED,
    UPDATE,
    ImportPlan,
    Kind,
    RowError,
    RowErrors,
    RowPlan,
    UnitLookup,
    duplicate_check,
    gather,
    join_list,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_status,
    row_issue,
    split_list,
    status_text,
    text_of,
    validation_messages,
)
from weerbaar.spreadsheets import Column, Table

COLUMNS = (
    Column("name", "Naam", required=True, aliases=("Functie", "Naam van de functie")),
    Column("unit", "Afdeling", aliases=("Afdeling of team",)),
    Column("fte", "Fte", aliases=("Aantal fte",)),
    Column("screening_level", "Screening", aliases=("Vereiste screening",)),
    Column("risk_areas", "Risicogebieden"),
    Column("renewal_years", "Herhalen na (jaren)", aliases=("Herhalen na",)),
    Column("last_screening_on", "Laatste screening", aliases=("Laatste screeningsronde",)),
    Column("status", "Status"),
)
HEADERS = {column.key: column.header for column in COLUMNS} | {"is_active": "Status"}
FIELDS = ("name", "unit", "fte", "screening_level", "risk_areas", "renewal_years", "last_screening_on")


def _level_label(value: str) -> str:
    return str(dict(ScreeningLevel.choices)[value])


def _area_labels(areas: Iterable[str]) -> str:
    labels = dict(RiskArea.choices)
    return join_list(str(labels[area]) for area in areas if area in labels)


def instructions() -> list[str]:
    return [
        _("Eén regel per functie. Alleen de kolom Naam is verplicht."),
        _("Een functie wordt herkend aan haar naam en afdeling: staat die combinatie er al, dan wordt zij bijgewerkt."),
        _(
            "Afdeling: de naam van een bestaande afdeling; bij twee afdelingen met dezelfde naam "
            "het pad, zoals “Publiekszaken › Burgerzaken”."
        ),
        _("Fte: een getal met hooguit één cijfer achter de komma, bijvoorbeeld 2,5. Leeg is 1,0."),
        _("Screening: kies uit de lijst. Leeg is “Geen screening”."),
        _("Risicogebieden: alleen bij een VOG NP, gescheiden door een puntkomma, bijvoorbeeld “Informatie; Geld”."),
        _("Herhalen na (jaren): 1 tot en met 10; leeg als er geen screening nodig is."),
        _("Laatste screening: een datum als 31-12-2025. Leeg als er nog nooit gescreend is."),
        _("Status: Actief of Gearchiveerd. Leeg is Actief. Verwijderen kan niet: archiveer een functie."),
        _("Formules worden niet overgenomen: typ waarden altijd zelf."),
    ]


def choices() -> dict[str, Sequence[str]]:
    return {
        "unit": UnitLookup().choices(),
        "screening_level": [str(label) for _value, label in ScreeningLevel.choices],
        "status": list(STATUS_CHOICES),
    }


def export_rows(positions: Iterable[Position] | None = None) -> Iterable[Sequence[object]]:
    units = UnitLookup()
    rows = positions if positions is not None else Position.objects.select_related("unit").order_by("name", "pk")
    for position in rows:
        yield (
            position.name,
            units.text(position.unit),
            text_of(position.fte),
            _level_label(position.screening_level),
            _area_labels(position.risk_areas),
            position.renewal_years,
            position.last_screening_on,
            status_text(position.is_active),
        )


def _values(row: dict[str, str], units: UnitLookup) -> dict[str, Any]:
    def name() -> str:
        text = " ".join(row.get("name", "").split())
        if not text:
            raise RowError(HEADERS["name"], _("Vul de naam van de functie in."))
        return text

    def areas() -> list[str]:
        chosen = [
            parse_choice(text, HEADERS["risk_areas"], RiskArea.choices)
            for text in split_list(row.get("risk_areas", ""))
        ]
        return sorted(set(chosen), key=RiskArea.values.index)

    return gather(
        {
            "name": name,
            "unit": lambda: units.find(row.get("unit", ""), HEADERS["unit"]),
            "fte": lambda: parse_decimal(row.get("fte", ""), HEADERS["fte"], maximum=Decimal("999")) or Decimal("1.0"),
            "screening_level": lambda: parse_choice(
                row.get("screening_level", ""), HEADERS["screening_level"], ScreeningLevel.choices, default="geen"
            ),
            "risk_areas": areas,
            "renewal_years": lambda: parse_int(
                row.get("renewal_years", ""), HEADERS["renewal_years"], minimum=1, maximum=MAX_RENEWAL_YEARS
            ),
            "last_screening_on": lambda: parse_date(row.get("last_screening_on", ""), HEADERS["last_screening_on"]),
        }
    )


def _current(position: Position) -> dict[str, Any]:
    return {field: getattr(position, field) for field in FIELDS}


def _display(field: str, value: Any, units: UnitLookup) -> str:
    if field == "unit":
        return units.text(value)
    if field == "screening_level":
        return _level_label(value)
    if field == "risk_areas":
        return _area_labels(value)
    return text_of(value)


def plan(table: Table) -> ImportPlan:
    """The dry run: three queries (units, members for the tree, positions), whatever the row count."""
    result = ImportPlan(kind="functies")
    units = UnitLookup()
    existing = {
        (position.name.casefold(), position.unit_id): position
        for position in Position.objects.select_related("unit").order_by("pk")
    }
    seen: dict[Any, int] = {}
    for row in table.rows:
        try:
            values = _values(row.values, units)
            active = parse_status(row.values.get("status", ""), HEADERS["status"])
            key = (values["name"].casefold(), values["unit"].pk if values["unit"] else None)
            duplicate_check(seen, key, row, HEADERS["name"])
            candidate = Position(**values)
            candidate.clean_fields(exclude=["organisation", "uuid", "unit"])
            candidate.clean()
        except (RowError, RowErrors) as error:
            row_issue(result, row, error)
            continue
        except ValidationError as error:
            for column, message in validation_messages(error, HEADERS):
                row_issue(result, row, RowError(column, message))
            continue
        target = existing.get(key)
        if target is None:
            changes = [
                (HEADERS[f], "", _display(f, values[f], units)) for f in FIELDS if values[f] not in (None, [], "")
            ]
            result.rows.append(
                RowPlan(row.number, CREATE, values["name"], changes, values=values, status=None if active else False)
            )
            continue
        before = _current(target)
        changed = {f: values[f] for f in FIELDS if values[f] != before[f]}
        changes = [(HEADERS[f], _display(f, before[f], units), _display(f, values[f], units)) for f in changed]
        status = None if active == target.is_active else active
        if status is not None:
            changes.append((HEADERS["status"], status_text(target.is_active), status_text(active)))
        action = UPDATE if changes else UNCHANGED
        result.rows.append(RowPlan(row.number, action, values["name"], changes, target, changed, status))
    return result


def apply_row(row: RowPlan, *, actor: User, organisation: Organisation, created: dict[str, Any]) -> None:
    if row.action == CREATE:
        position = services.position_create(actor=actor, organisation=organisation, **row.values)
    else:
        position = row.target
        if row.values:
            position = services.position_update(actor=actor, position=position, version=position.version, **row.values)
    if row.status is False:
        services.position_archive(actor=actor, position=position, version=position.version)
    elif row.status is True:
        services.position_reactivate(actor=actor, position=position, version=position.version)


KIND = Kind(
    key="functies",
    label=gettext_lazy("functies"),
    import_title=gettext_lazy("Functies importeren"),
    columns=COLUMNS,
    instructions=instructions,
    choices=choices,
    export_rows=export_rows,
    plan=plan,
    apply_row=apply_row,
    headers=HEADERS,
)
