"""Reads of the catalogue for the pages and the API.

The *effective* catalogue of an organisation is the national catalogue in which the
organisation's own versions replace the national entries they are based on, plus its own entries;
archived own entries and national entries a release removed are left out. Everything starts from
the ``objects`` manager, which never returns another organisation's rows.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from weerbaar.catalogue.models import (
    CIRCUMSTANCE_GROUPS,
    RELEASE_KINDS,
    CatalogueEntry,
    CatalogueRelease,
    Characteristic,
    Circumstance,
    CircumstanceGroup,
    CircumstanceKind,
    Measure,
    MeasureEffect,
    MeasureGroup,
    ProcessCategory,
    ReferenceProcess,
)
from weerbaar.core.models import Organisation

EntryT = TypeVar("EntryT", bound=CatalogueEntry)

ORIGIN_NATIONAL = "landelijk"
ORIGIN_OWN = "eigen"


def characteristic_list() -> QuerySet[Characteristic]:
    """The catalogue home page and /api/v1/kenmerken: the active characteristics in K1..K8 order."""
    return Characteristic.objects.filter(is_active=True).order_by("position", "key")


def category_list() -> QuerySet[ProcessCategory]:
    return ProcessCategory.objects.filter(is_active=True).order_by("position", "key")


def effective(model: type[EntryT], *, organisation: Organisation) -> QuerySet[EntryT]:
    """Active national entries not replaced by an own version, plus the organisation's active own entries."""
    replaced = model.objects.filter(organisation=organisation, is_active=True, based_on__isnull=False).values(
        "based_on_id"
    )
    return (
        model.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation))
        .filter(is_active=True)
        .exclude(pk__in=replaced)
    )


def _with_characteristics(queryset: QuerySet[Any]) -> QuerySet[Any]:
    # List pages and API lists show each entry's characteristics: one query for all of them.
    return queryset.prefetch_related(
        Prefetch("characteristics", queryset=Characteristic.objects.order_by("position", "key"))
    )


@dataclass(frozen=True)
class ProcessFilter:
    query: str = ""
    category: str = ""
    characteristic: str = ""
    origin: str = ""


def reference_process_list(*, organisation: Organisation, filters: ProcessFilter | None = None) -> QuerySet[Any]:
    """The reference-process list page and /api/v1/referentieprocessen, with category and characteristics."""
    filters = filters or ProcessFilter()
    processes = effective(ReferenceProcess, organisation=organisation).select_related("category", "based_on")
    if filters.query:
        processes = processes.filter(
            Q(name__icontains=filters.query)
            | Q(description__icontains=filters.query)
            | Q(typical_unit__icontains=filters.query)
        )
    if filters.category:
        processes = processes.filter(category__key=filters.category)
    if filters.characteristic:
        # Keys are unique, so the join matches at most one row per process: no duplicates.
        processes = processes.filter(characteristics__key=filters.characteristic)
    if filters.origin == ORIGIN_NATIONAL:
        processes = processes.filter(organisation__isnull=True)
    elif filters.origin == ORIGIN_OWN:
        processes = processes.filter(organisation__isnull=False)
    return _with_characteristics(processes).order_by("name", "pk")


def circumstance_list(*, organisation: Organisation) -> QuerySet[Any]:
    """The circumstance list page (grouped extern/intern) and /api/v1/omstandigheden."""
    circumstances = effective(Circumstance, organisation=organisation).select_related("based_on")
    return _with_characteristics(circumstances).order_by("kind", "group", "name", "pk")


def measure_list(*, organisation: Organisation) -> QuerySet[Any]:
    """The measure list page (grouped by the six groups) and /api/v1/maatregelen, with their effects."""
    measures = effective(Measure, organisation=organisation).select_related("based_on")
    return measures.prefetch_related(
        Prefetch(
            "effects",
            queryset=MeasureEffect.objects.select_related("characteristic").order_by(
                "-strength", "characteristic__position"
            ),
        )
    ).order_by("group", "name", "pk")


@dataclass
class Group:
    key: str
    label: str
    entries: list[Any] = field(default_factory=list)


def group_circumstances(circumstances: QuerySet[Any]) -> list[tuple[str, list[Group]]]:
    """[(kind label, [groups with entries])] in the order of the study: extern before intern."""
    groups = {value: Group(value, str(label)) for value, label in CircumstanceGroup.choices}
    for circumstance in circumstances:
        groups[circumstance.group].entries.append(circumstance)
    kinds = []
    for kind, label in CircumstanceKind.choices:
        kinds.append((str(label), [groups[group] for group in CIRCUMSTANCE_GROUPS[kind]]))
    return kinds


def group_measures(measures: QuerySet[Any]) -> list[Group]:
    groups = {value: Group(value, str(label)) for value, label in MeasureGroup.choices}
    for measure in measures:
        groups[measure.group].entries.append(measure)
    return list(groups.values())


# --- one entry -------------------------------------------------------------------------------


def get_entry(model: type[EntryT], ref: str) -> EntryT:
    """A national entry by key, or an own entry of the bound organisation by uuid; otherwise 404.

    Also inactive ones: a scan of last year may point at an entry that is archived or removed now.
    """
    queryset = model.objects.select_related("based_on")
    try:
        key = uuid.UUID(ref)
    except ValueError:
        entry = queryset.filter(organisation__isnull=True, key=ref).first()
    else:
        entry = queryset.filter(organisation__isnull=False, uuid=key).first()
    if entry is None:
        raise Http404
    return entry  # type: ignore[no-any-return]


def get_national(model: type[EntryT], key: str) -> EntryT:
    entry = model.national_objects.filter(key=key).first()
    if entry is None:
        raise Http404
    return entry  # type: ignore[no-any-return]


def get_own(model: type[EntryT], ref: str) -> EntryT:
    """An own entry of the bound organisation (to edit or archive); a national key or foreign uuid is a 404."""
    try:
        key = uuid.UUID(ref)
    except ValueError as exc:
        raise Http404 from exc
    entry = model.objects.filter(organisation__isnull=False, uuid=key).select_related("based_on").first()
    if entry is None:
        raise Http404
    return entry  # type: ignore[no-any-return]


def own_version_of(model: type[EntryT], national: EntryT, *, organisation: Organisation) -> EntryT | None:
    """The organisation's active own version of a national entry, if it has one."""
    return model.objects.filter(organisation=organisation, based_on=national, is_active=True).first()  # type: ignore[no-any-return]


# --- releases --------------------------------------------------------------------------------

KIND_MODELS: dict[str, type[CatalogueEntry]] = {
    "reference_processes": ReferenceProcess,
    "circumstances": Circumstance,
    "measures": Measure,
}


@dataclass
class ReleaseItem:
    key: str
    name: str
    fields: dict[str, Any] = field(default_factory=dict)
    #: The uuid of this organisation's own version of the entry, when it has one.
    own_version: str | None = None


@dataclass
class ReleaseKind:
    kind: str
    added: list[ReleaseItem]
    changed: list[ReleaseItem]
    removed: list[ReleaseItem]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


@dataclass
class ReleaseView:
    release: CatalogueRelease
    kinds: list[ReleaseKind]

    @property
    def own_version_count(self) -> int:
        return sum(1 for kind in self.kinds for item in kind.changed + kind.removed if item.own_version)


def release_list(*, organisation: Organisation) -> list[ReleaseView]:
    """The "what changed" page: every release, marking entries this organisation has its own version of.

    One query for the releases and one per entry kind for the own versions, whatever their number.
    """
    releases = list(CatalogueRelease.objects.order_by("-released", "-loaded_at", "-pk"))
    own: dict[str, dict[str, str]] = {}
    for kind, model in KIND_MODELS.items():
        rows = model.objects.filter(organisation=organisation, is_active=True, based_on__isnull=False).values_list(
            "based_on__key", "uuid"
        )
        own[kind] = {key: str(uuid_) for key, uuid_ in rows}
    views = []
    for release in releases:
        kinds = []
        for kind in RELEASE_KINDS:
            data = (release.changes or {}).get(kind, {})

            def items(change: str, kind: str = kind, data: dict[str, Any] = data) -> list[ReleaseItem]:
                return [
                    ReleaseItem(
                        key=item.get("key", ""),
                        name=item.get("name", ""),
                        fields=item.get("fields", {}),
                        own_version=own.get(kind, {}).get(item.get("key", "")),
                    )
                    for item in data.get(change, [])
                ]

            kinds.append(ReleaseKind(kind, items("added"), items("changed"), items("removed")))
        views.append(ReleaseView(release, kinds))
    return views


def latest_release() -> CatalogueRelease | None:
    return CatalogueRelease.objects.order_by("-released", "-loaded_at", "-pk").first()
