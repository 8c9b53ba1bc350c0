"""Reads of the register: processes, positions with their next screening date, and the external context.

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

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.catalogue.models import CIRCUMSTANCE_GROUPS, Circumstance, CircumstanceGroup, CircumstanceKind
from weerbaar.catalogue.selectors import effective
from weerbaar.core.models import Membership, Organisation
from weerbaar.register.models import ContextItem, ImportBatch, Position, Process, ScreeningLevel

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


# --- processes ------------------------------------------------------------------------------------

PROCESS_SORTS: dict[str, Any] = {
    "naam": _("Naam (A-Z)"),
    "-naam": _("Naam (Z-A)"),
    "code": _("Code"),
    "afdeling": _("Afdeling"),
    "categorie": _("Categorie"),
    "eigenaar": _("Eigenaar"),
    "-volume": _("Grootste aantal per jaar"),
}

_PROCESS_ORDER: dict[str, tuple[Any, ...]] = {
    "naam": (Lower("name"), "pk"),
    "-naam": (Lower("name").desc(), "-pk"),
    "code": ("code", "pk"),
    "afdeling": (F("unit__name").asc(nulls_last=True), Lower("name"), "pk"),
    "categorie": ("category__position", Lower("name"), "pk"),
    "eigenaar": (F("owner__user__full_name").asc(nulls_last=True), Lower("name"), "pk"),
    "-volume": (F("yearly_volume").desc(nulls_last=True), Lower("name"), "pk"),
}

PROCESS_ARCHIVE_CHOICES: dict[str, Any] = {
    "actief": _("Alleen actieve processen"),
    "gearchiveerd": _("Alleen gearchiveerde processen"),
    "alle": _("Actief en gearchiveerd"),
}

#: The owner filter's value for processes without an owner.
NO_OWNER = "geen"


@dataclass(frozen=True)
class ProcessListFilter:
    query: str = ""
    unit: Any = None  # a Unit, or None for all
    category: Any = None  # a ProcessCategory, or None
    owner: Any = None  # a Membership, NO_OWNER, or None for all
    archive: str = "actief"
    sort: str = "naam"


def process_list(*, filters: ProcessListFilter | None = None) -> QuerySet[Process]:
    """The process list page, export and API: one query per page whatever the register's size.

    Category, unit, owner (with user) and reference process are joined, so no row costs an extra query.
    """
    filters = filters or ProcessListFilter()
    processes = Process.objects.select_related("category", "unit", "owner__user", "reference_process")
    if filters.archive == "actief":
        processes = processes.filter(is_active=True)
    elif filters.archive == "gearchiveerd":
        processes = processes.filter(is_active=False)
    if filters.query:
        processes = processes.filter(
            Q(name__icontains=filters.query)
            | Q(code__iexact=filters.query)
            | Q(description__icontains=filters.query)
            | Q(unit__name__icontains=filters.query)
        )
    if filters.unit is not None:
        processes = processes.filter(unit=filters.unit)
    if filters.category is not None:
        processes = processes.filter(category=filters.category)
    if filters.owner == NO_OWNER:
        processes = processes.filter(owner__isnull=True)
    elif filters.owner is not None:
        processes = processes.filter(owner=filters.owner)
    return processes.order_by(*_PROCESS_ORDER.get(filters.sort, _PROCESS_ORDER["naam"]))


def process_detail(process_uuid: Any) -> Process | None:
    """The process page: the process with everything it points at, in four queries."""
    return (
        Process.objects.select_related("category", "unit", "owner__user", "reference_process__category")
        .prefetch_related(
            Prefetch("positions", queryset=Position.objects.select_related("unit").order_by(Lower("name"), "pk")),
            Prefetch("circumstances", queryset=Circumstance.objects.order_by("group", "position", "name", "pk")),
        )
        .filter(uuid=process_uuid)
        .first()
    )


def internal_circumstances(*, organisation: Organisation) -> list[Circumstance]:
    """Internal circumstances a process can tick, in catalogue order (the process form)."""
    return list(
        effective(Circumstance, organisation=organisation)
        .filter(kind=CircumstanceKind.INTERNAL)
        .order_by("group", "position", "name", "pk")
    )


def owner_options() -> list[Membership]:
    """Active members who can own a process, by name (the owner choice in forms and filters)."""
    return list(
        Membership.objects.filter(is_active=True)
        .select_related("user")
        .order_by(Lower("user__full_name"), "user__email", "pk")
    )


def process_counts() -> dict[str, int]:
    """The home page card: active processes, and how many of them have no owner. One query."""
    totals = Process.objects.filter(is_active=True).aggregate(
        total=Count("pk"), without_owner=Count("pk", filter=Q(owner__isnull=True))
    )
    return {"total": totals["total"] or 0, "without_owner": totals["without_owner"] or 0}


def import_batch(batch_uuid: Any, *, kind: str, user: Any) -> ImportBatch | None:
    """The previewed import to confirm: only the person who previewed it, only for this kind."""
    if batch_uuid is None:
        return None
    return ImportBatch.objects.filter(uuid=batch_uuid, kind=kind, created_by=user).first()
