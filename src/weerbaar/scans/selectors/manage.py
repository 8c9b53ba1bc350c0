"""Reads for the scan management pages: the scan list, a scan's progress, the process picker, the raters.

Every function costs a fixed number of queries, however many scans, processes or raters there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from weerbaar.core import selectors as core_selectors
from weerbaar.core.models import Membership, Unit
from weerbaar.register.models import Process
from weerbaar.scans.models import Rating, Scan, ScanProcess, ScanState

# --- the scan list ------------------------------------------------------------------------------


def scan_list() -> QuerySet[Scan]:
    """All scans of the organisation, newest first, each with its counts (one query per page).

    ``distinct`` counts: the join runs scan → processes → ratings, so a process appears once per rating.
    """
    return Scan.objects.annotate(
        process_count=Count("scan_processes", distinct=True),
        settled_count=Count("scan_processes", filter=Q(scan_processes__consensus_at__isnull=False), distinct=True),
        rating_count=Count("scan_processes__ratings", distinct=True),
        submitted_count=Count(
            "scan_processes__ratings", filter=Q(scan_processes__ratings__submitted_at__isnull=False), distinct=True
        ),
    ).order_by("-period_end", "-created_at", "-pk")


def scan_detail(scan_uuid: Any) -> Scan | None:
    # The scan page names who created it and the scan it starts from.
    return Scan.objects.select_related("created_by__user", "previous_scan").filter(uuid=scan_uuid).first()


def closed_scans() -> list[Scan]:
    """The scans a new round can start from: closed ones, the most recently closed first. One query."""
    return list(
        Scan.objects.filter(state=ScanState.CLOSED).order_by(F("closed_at").desc(nulls_last=True), "-period_end", "-pk")
    )


# --- progress -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RaterProgress:
    member: Membership
    assigned: int
    submitted: int

    @property
    def is_done(self) -> bool:
        return self.submitted >= self.assigned

    @property
    def open(self) -> int:
        return self.assigned - self.submitted


@dataclass(frozen=True)
class ScanProgress:
    processes: int
    settled: int
    #: Processes with fewer raters than the scan needs (two, or one when a single rater is allowed).
    short: int
    raters: list[RaterProgress]

    @property
    def ratings(self) -> int:
        return sum(each.assigned for each in self.raters)

    @property
    def submitted(self) -> int:
        return sum(each.submitted for each in self.raters)

    @property
    def unsubmitted(self) -> int:
        return self.ratings - self.submitted

    @property
    def unsettled(self) -> int:
        return self.processes - self.settled

    @property
    def not_finished(self) -> list[RaterProgress]:
        return [each for each in self.raters if not each.is_done]


def scan_progress(scan: Scan) -> ScanProgress:
    """The scan page's progress: counts per process and per rater, never anybody's scores. Two queries."""
    per_process = list(
        ScanProcess.objects.filter(scan=scan)
        .annotate(raters=Count("ratings"))
        .order_by()
        .values_list("raters", "consensus_at")
    )
    needed = scan.needed_raters
    # filter() before annotate(): the counts use the same join, so only this scan's ratings count.
    members = (
        Membership.objects.filter(ratings__scan_process__scan=scan)
        .annotate(
            assigned=Count("ratings"),
            submitted=Count("ratings", filter=Q(ratings__submitted_at__isnull=False)),
        )
        .select_related("user")
        .order_by(Lower("user__full_name"), "user__email", "pk")
    )
    return ScanProgress(
        processes=len(per_process),
        settled=sum(1 for _raters, settled_at in per_process if settled_at is not None),
        short=sum(1 for raters, _settled_at in per_process if raters < needed),
        raters=[RaterProgress(member=m, assigned=m.assigned, submitted=m.submitted) for m in members],
    )


# --- the process picker (scope of a scan) -------------------------------------------------------


@dataclass
class PickerGroup:
    """One unit in the picker (or "no unit"), with its own processes; ``depth`` indents sub-units."""

    unit: Unit | None
    label: str
    depth: int
    processes: list[Process] = field(default_factory=list)
    #: Processes of this unit and every unit below it: what ticking the unit selects.
    subtree_count: int = 0

    @property
    def key(self) -> str:
        return str(self.unit.uuid) if self.unit is not None else ""

    @property
    def indent(self) -> int:
        return min(self.depth, 3)


@dataclass
class ProcessPicker:
    groups: list[PickerGroup]
    processes: dict[str, Process]
    #: unit uuid → the uuids of the processes in that unit and its sub-units.
    unit_processes: dict[str, list[str]]
    active: list[Process]

    @property
    def units(self) -> list[PickerGroup]:
        return [group for group in self.groups if group.unit is not None and group.subtree_count]


def process_picker(*, keep: Iterable[int] = ()) -> ProcessPicker:
    """Active processes grouped by unit in tree order (scan create and scope). Three queries.

    ``keep``: process ids already in the scan stay choosable even when archived since, so saving
    the scope never drops them silently. Owners are joined: the scan service gives each its owner.
    """
    nodes = core_selectors.flatten(core_selectors.unit_tree())
    keep_ids = list(keep)
    processes = list(
        Process.objects.filter(Q(is_active=True) | Q(pk__in=keep_ids))
        .select_related("unit", "owner__user")
        .order_by(Lower("name"), "code", "pk")
    )
    by_unit: dict[int | None, list[Process]] = {}
    for process in processes:
        by_unit.setdefault(process.unit_id, []).append(process)
    groups = [PickerGroup(unit=node.unit, label=node.path, depth=node.depth) for node in nodes]
    index = {group.unit.pk: group for group in groups if group.unit is not None}
    parent_of = {node.unit.pk: node.unit.parent_id for node in nodes}
    unit_processes: dict[str, list[str]] = {}
    for group in groups:
        assert group.unit is not None
        group.processes = by_unit.get(group.unit.pk, [])
    # Each process counts for its own unit and every unit above it.
    for unit_id, own in by_unit.items():
        current = unit_id
        while current is not None and current in index:
            group = index[current]
            group.subtree_count += len(own)
            unit_processes.setdefault(group.key, []).extend(str(each.uuid) for each in own)
            current = parent_of.get(current)
    kept = [group for group in groups if group.subtree_count]
    loose = by_unit.get(None, [])
    if loose:
        kept.append(PickerGroup(unit=None, label="", depth=0, processes=loose, subtree_count=len(loose)))
    return ProcessPicker(
        groups=kept,
        processes={str(each.uuid): each for each in processes},
        unit_processes=unit_processes,
        active=[each for each in processes if each.is_active],
    )


# --- raters per process -------------------------------------------------------------------------


@dataclass
class RaterRow:
    scan_process: ScanProcess
    ratings: list[Rating]
    short: bool

    @property
    def process(self) -> Process:
        return self.scan_process.process


def rater_rows(scan: Scan) -> list[RaterRow]:
    """Each process in the scan with its raters; too few raters first (the raters page). Two queries."""
    needed = scan.needed_raters
    scan_processes = (
        ScanProcess.objects.filter(scan=scan)
        .select_related("process__unit", "process__owner__user")
        .prefetch_related(
            Prefetch(
                "ratings",
                queryset=Rating.objects.select_related("rater__user").order_by(
                    Lower("rater__user__full_name"), "rater__pk"
                ),
            )
        )
        .order_by(Lower("process__name"), "process__code", "pk")
    )
    rows = []
    for scan_process in scan_processes:
        ratings = list(scan_process.ratings.all())
        rows.append(RaterRow(scan_process=scan_process, ratings=ratings, short=len(ratings) < needed))
    rows.sort(key=lambda row: not row.short)  # stable: by name within each part
    return rows


def common_extra_raters(scan: Scan) -> list[int]:
    """Members who rate every process of the scan that they do not own: the scope form's default. One query."""
    rows = Rating.objects.filter(scan_process__scan=scan).values_list(
        "scan_process_id", "rater_id", "scan_process__process__owner_id"
    )
    raters: dict[int, set[int]] = {}
    owners: dict[int, int | None] = {}
    for scan_process_id, rater_id, owner_id in rows:
        raters.setdefault(scan_process_id, set()).add(rater_id)
        owners[scan_process_id] = owner_id
    candidates = {rater for each in raters.values() for rater in each}
    return sorted(
        member
        for member in candidates
        if any(owners[sp] != member for sp in raters)
        and all(member in raters[sp] or owners[sp] == member for sp in raters)
    )


def scan_process_ids(scan: Scan) -> list[int]:
    """The register ids of the processes in the scan (the scope page ticks them)."""
    return list(ScanProcess.objects.filter(scan=scan).values_list("process_id", flat=True))
