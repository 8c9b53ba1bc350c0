"""Afdelingen en teams as a sheet: keyed by name and parent; parents may come earlier in the same file."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weerbaar.core import services as core_services
from weerbaar.core.models import Organisation, Unit, User
from weerbaar.core.selectors import flatten, unit_tree
from weerbaar.register.transfer.common import (
    CREATE,
    STATUS_CHOICES,
    UNCHANGED,
    UPDATE,
    ImportPlan,
    Kind,
    RowError,
    RowPlan,
    UnitLookup,
    duplicate_check,
    parse_status,
    row_issue,
    status_text,
)
from weerbaar.spreadsheets import Column, Table

COLUMNS = (
    Column("name", "Naam", required=True, aliases=("Afdeling", "Afdeling of team")),
    Column("parent", "Valt onder", aliases=("Bovenliggende afdeling",)),
    Column("description", "Omschrijving"),
    Column("status", "Status"),
)
HEADERS = {column.key: column.header for column in COLUMNS} | {"is_active": "Status"}


def instructions() -> list[str]:
    return [
        _("Eén regel per afdeling of team. Alleen de kolom Naam is verplicht."),
        _(
            "Valt onder: de afdeling waar deze onder valt (leeg voor het hoogste niveau). "
            "Die mag ook eerder in dit bestand staan."
        ),
        _("Een afdeling wordt herkend aan haar naam en de afdeling waar zij onder valt."),
        _("Status: Actief of Gearchiveerd. Leeg is Actief. Verwijderen kan niet: archiveer een afdeling."),
        _("Formules worden niet overgenomen: typ waarden altijd zelf."),
    ]


def choices() -> dict[str, Sequence[str]]:
    return {"parent": UnitLookup().choices(), "status": list(STATUS_CHOICES)}


def export_rows() -> Iterable[Sequence[object]]:
    # Tree order: a parent always comes before its children, so the file imports in one pass.
    lookup = UnitLookup()
    for node in flatten(unit_tree()):
        unit = node.unit
        yield (unit.name, lookup.text(unit.parent), unit.description, status_text(unit.is_active))


def _key(name: str, parent: Any) -> tuple[str, Any]:
    return (" ".join(name.split()).casefold(), parent)


def plan(table: Table) -> ImportPlan:
    result = ImportPlan(kind="afdelingen")
    lookup = UnitLookup()
    existing = {_key(unit.name, unit.parent_id): unit for unit in lookup.by_path.values()}
    #: Rows that create a unit, by name, so later rows can name them as parent.
    planned: dict[str, int] = {}
    seen: dict[Any, int] = {}
    for row in table.rows:
        values = row.values
        try:
            name = " ".join(values.get("name", "").split())
            if not name:
                raise RowError(HEADERS["name"], _("Vul de naam van de afdeling in."))
            if len(name) > 200:
                raise RowError(HEADERS["name"], _("Gebruik hooguit 200 tekens."))
            parent_text = values.get("parent", "")
            parent: Any = None
            if parent_text:
                new_parent = planned.get(" ".join(parent_text.split()).casefold())
                try:
                    parent = lookup.find(parent_text, HEADERS["parent"])
                except RowError:
                    if new_parent is None:
                        raise
                    parent = f"rij-{new_parent}"
            parent_key = parent.pk if isinstance(parent, Unit) else parent
            key = _key(name, parent_key)
            duplicate_check(seen, key, row, HEADERS["name"])
            active = parse_status(values.get("status", ""), HEADERS["status"])
            description = values.get("description", "").strip()
        except RowError as error:
            row_issue(result, row, error)
            continue
        target = existing.get(key)
        if target is None:
            planned.setdefault(name.casefold(), row.number)
            changes = [(HEADERS["name"], "", name)]
            if parent_text:
                changes.append((HEADERS["parent"], "", parent_text))
            if description:
                changes.append((HEADERS["description"], "", description))
            row_values = {"name": name, "parent": parent, "description": description}
            result.rows.append(
                RowPlan(row.number, CREATE, name, changes, values=row_values, status=None if active else False)
            )
            continue
        changed: dict[str, Any] = {}
        changes = []
        if name != target.name:
            changed["name"] = name
            changes.append((HEADERS["name"], target.name, name))
        if description != target.description:
            changed["description"] = description
            changes.append((HEADERS["description"], target.description, description))
        status = None if active == target.is_active else active
        if status is not None:
            changes.append((HEADERS["is_active"], status_text(target.is_active), status_text(active)))
        result.rows.append(
            RowPlan(row.number, UPDATE if changes else UNCHANGED, name, changes, target, changed, status)
        )
    return result


def apply_row(row: RowPlan, *, actor: User, organisation: Organisation, created: dict[str, Any]) -> None:
    """``created`` collects the units made by earlier rows, for rows that name them as parent."""
    if row.action == CREATE:
        values = dict(row.values)
        if isinstance(values["parent"], str):  # a unit created by an earlier row of this file
            values["parent"] = created[values["parent"]]
        unit = core_services.unit_create(actor=actor, organisation=organisation, **values)
        created[f"rij-{row.number}"] = unit
    else:
        unit = row.target
        if row.values:
            unit = core_services.unit_update(actor=actor, unit=unit, version=unit.version, **row.values)
    if row.status is False:
        core_services.unit_archive(actor=actor, unit=unit, version=unit.version)
    elif row.status is True:
        core_services.unit_reactivate(actor=actor, unit=unit, version=unit.version)


KIND = Kind(
    key="afdelingen",
    label=gettext_lazy("afdelingen en teams"),
    import_title=gettext_lazy("Afdelingen en teams importeren"),
    columns=COLUMNS,
    instructions=instructions,
    choices=choices,
    export_rows=export_rows,
    plan=plan,
    apply_row=apply_row,
    headers=HEADERS,
)
