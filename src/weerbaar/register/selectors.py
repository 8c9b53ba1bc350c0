"""Reads of the register: positions with their next screening date, and the external context profile.

The next screening date is derived, never stored: last screening round + renewal cycle. A position
that needs screening but was never screened is due now (and counts as late). Status and due date
are computed in Python over the filtered rows, so the status filter and the sort by due date cost
no extra queries; a gemeente has hundreds of positions, not millions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.catalogue.models import CIRCUMSTANCE_GROUPS, Circumstance, CircumstanceGroup, CircumstanceKind
from weerbaar.catalogue.selectors import effective
from weerbaar.core.models import Organisation
from weerbaar.register.models import ContextItem, Position, ScreeningLevel

#: A screening due within this many days is "binnenkort".
DUE_SOON_DAYS = 90


class ScreeningStatus:
    OK = "ok"
    SOON = "binnenkort"
    LATE = "te_laat"
    NOT_NEEDED = "niet_nodig"

    choices: tuple[tuple[str, Any], ...] = (
        (OK, _("Op orde")),
        (SOON, _("Binnenkort nodig")),
        (LATE, _("Te laat")),
        (NOT_NEEDED, _("Geen screening nodig")),
    )
    labels: dict[str, Any] = dict(choices)


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` plus whole years; 29 February becomes 28 February in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class PositionRow:
    position: Position
    due_on: dt.date | None
    status: str
    never_screened: bool

    @property
    def status_label(self) -> Any:
        return ScreeningStatus.labels[self.status]


def screening_row(position: Position, *, today: dt.date | None = None) -> PositionRow:
    today = today or timezone.localdate()
    if position.screening_level == ScreeningLevel.NONE or not position.renewal_years:
        return PositionRow(position, None, ScreeningStatus.NOT_NEEDED, never_screened=False)
    if position.last_screening_on is None:
        return PositionRow(position, today, ScreeningStatus.LATE, never_screened=True)
    due_on = add_years(position.last_screening_on, position.renewal_years)
    if due_on < today:
        status = ScreeningStatus.LATE
    elif due_on <= today + dt.timedelta(days=DUE_SOON_DAYS):
        status = ScreeningStatus.SOON
    else:
        status = ScreeningStatus.OK
    return PositionRow(position, due_on, status, never_screened=False)


SORTS: dict[str, Any] = {
    "naam": _("Naam (A-Z)"),
    "-naam": _("Naam (Z-A)"),
    "afdeling": _("Afdeling"),
    "screening": _("Eerstvolgende screening"),
    "-fte": _("Meeste fte"),
}

ARCHIVE_CHOICES: dict[str, Any] = {
    "actief": _("Alleen actieve functies"),
    "gearchiveerd": _("Alleen gearchiveerde functies"),
    "alle": _("Actief en gearchiveerd"),
}


@dataclass(frozen=True)
class PositionFilter:
    query: str = ""
    unit: Any = None  # a Unit, or None for all
    level: str = ""
    status: str = ""
    archive: str = "actief"
    sort: str = "naam"


def _sort_key(sort: str, today: dt.date) -> Any:
    far = dt.date.max
    keys: dict[str, Any] = {
        "naam": lambda row: (row.position.name.casefold(), row.position.pk),
        "-naam": lambda row: (row.position.name.casefold(), row.position.pk),
        "afdeling": lambda row: (
            row.position.unit is None,
            row.position.unit.name.casefold() if row.position.unit else "",
            row.position.name.casefold(),
        ),
        "screening": lambda row: (row.due_on or far, row.position.name.casefold()),
        "-fte": lambda row: (-row.position.fte, row.position.name.casefold()),
    }
    return keys.get(sort, keys["naam"])


def position_rows(*, filters: PositionFilter | None = None, today: dt.date | None = None) -> list[PositionRow]:
    """The position list page: one query for the positions and their units, whatever the count."""
    filters = filters or PositionFilter()
    today = today or timezone.localdate()
    positions = Position.objects.select_related("unit")
    if filters.archive == "actief":
        positions = positions.filter(is_active=True)
    elif filters.archive == "gearchiveerd":
        positions = positions.filter(is_active=False)
    if filters.query:
        positions = positions.filter(Q(name__icontains=filters.query) | Q(unit__name__icontains=filters.query))
    if filters.unit is not None:
        positions = positions.filter(unit=filters.unit)
    if filters.level:
        positions = positions.filter(screening_level=filters.level)
    rows = [screening_row(position, today=today) for position in positions]
    if filters.status:
        rows = [row for row in rows if row.status == filters.status]
    rows.sort(key=_sort_key(filters.sort, today), reverse=filters.sort == "-naam")
    return rows


def screening_due(*, today: dt.date | None = None) -> list[PositionRow]:
    """Active positions whose screening is late or due within 90 days, the most urgent first."""
    today = today or timezone.localdate()
    positions = (
        Position.objects.select_related("unit").filter(is_active=True).exclude(screening_level=ScreeningLevel.NONE)
    )
    rows = [screening_row(position, today=today) for position in positions]
    due = [row for row in rows if row.status in (ScreeningStatus.LATE, ScreeningStatus.SOON)]
    due.sort(key=lambda row: (row.due_on or dt.date.max, row.position.name.casefold(), row.position.pk))
    return due


# --- external context ---------------------------------------------------------------------------


@dataclass
class ContextEntry:
    circumstance: Circumstance
    item: ContextItem | None
    form: Any = None


@dataclass
class ContextGroup:
    key: str
    label: Any
    entries: list[ContextEntry] = field(default_factory=list)


def external_circumstances(*, organisation: Organisation) -> list[Circumstance]:
    return list(
        effective(Circumstance, organisation=organisation)
        .filter(kind=CircumstanceKind.EXTERNAL)
        .order_by("group", "position", "name", "pk")
    )


def context_groups(*, organisation: Organisation) -> list[ContextGroup]:
    """The context page: every effective external circumstance, grouped, with the organisation's item.

    Two queries: the circumstances and the items.
    """
    items = {item.circumstance_id: item for item in ContextItem.objects.all()}
    labels = dict(CircumstanceGroup.choices)
    groups = {key: ContextGroup(key, labels[key]) for key in CIRCUMSTANCE_GROUPS[CircumstanceKind.EXTERNAL]}
    for circumstance in external_circumstances(organisation=organisation):
        if circumstance.group in groups:
            groups[circumstance.group].entries.append(ContextEntry(circumstance, items.get(circumstance.pk)))
    return list(groups.values())


def applying_context() -> list[ContextItem]:
    """The home page card: the circumstances that apply, most severe first. One query."""
    order = {"hoog": 0, "middel": 1, "laag": 2}
    items = list(ContextItem.objects.filter(applies=True, circumstance__is_active=True).select_related("circumstance"))
    items.sort(key=lambda item: (order.get(item.severity, 3), item.circumstance.name.casefold()))
    return items


def iter_entries(groups: Iterable[ContextGroup]) -> Iterable[ContextEntry]:
    for group in groups:
        yield from group.entries


def context_item(circumstance: Circumstance) -> ContextItem | None:
    return ContextItem.objects.filter(circumstance=circumstance).first()
