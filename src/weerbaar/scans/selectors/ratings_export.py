"""Reads for the export of one scan's ratings: the consensus per process and every handed-in rating.

Who may take it is the rule of the consensus pages (``SCAN_MANAGE``): those pages already show
every rater's scores and rationales by name, and the export is the same picture in a file. Raters'
scores stay hidden while a scan is open (independent rating), so only a scan in review or closed
has anything to export (`exportable`).

Three queries whatever the size of the scan: the active characteristics, the scan's processes
(with process, unit, category and who settled the consensus) and the handed-in ratings (with the
rater's name). The rows are put in order in Python, so no rating re-joins its process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import cached_property

from weerbaar.catalogue.models import Characteristic
from weerbaar.scans.models import Rating, Scan, ScanProcess
from weerbaar.scans.selectors.review import active_characteristics


def scan_for_export(scan_uuid: Any) -> Scan | None:
    """The scan by its public id, in the request's organisation (another organisation's is ``None``)."""
    return Scan.objects.filter(uuid=scan_uuid).first()


def exportable(scan: Scan) -> bool:
    """Ratings are shown (and exported) from the consensus phase on, never while raters are still at work."""
    return scan.in_review or scan.is_closed


@dataclass(frozen=True)
class RatingsExportData:
    characteristics: list[Characteristic]
    #: every process of the scan, in process code order
    scan_processes: list[ScanProcess]
    #: the handed-in ratings, grouped by process in the order of ``scan_processes``, then by rater
    ratings: list[Rating]

    def process_of(self, rating: Rating) -> ScanProcess:
        return self._by_id[rating.scan_process_id]

    @cached_property
    def _by_id(self) -> dict[int, ScanProcess]:
        return {scan_process.pk: scan_process for scan_process in self.scan_processes}

    def ratings_by_process(self) -> dict[int, list[Rating]]:
        grouped: dict[int, list[Rating]] = {scan_process.pk: [] for scan_process in self.scan_processes}
        for rating in self.ratings:
            grouped[rating.scan_process_id].append(rating)
        return grouped


def ratings_export_data(scan: Scan) -> RatingsExportData:
    """Everything the export writes, in three queries (see the module docstring)."""
    characteristics = active_characteristics()
    scan_processes = list(
        ScanProcess.objects.filter(scan=scan)
        .select_related("process__unit", "process__category", "consensus_by__user")
        .order_by("process__code", "process__name", "pk")
    )
    place = {scan_process.pk: number for number, scan_process in enumerate(scan_processes)}
    ratings = list(
        Rating.objects.filter(scan_process__scan=scan, submitted_at__isnull=False)
        .select_related("rater__user")
        .order_by("pk")
    )
    ratings.sort(key=lambda rating: (place.get(rating.scan_process_id, len(place)), rating.pk))
    # A rating always belongs to a process of its scan; keep the data consistent if one ever does not.
    ratings = [rating for rating in ratings if rating.scan_process_id in place]
    return RatingsExportData(characteristics=characteristics, scan_processes=scan_processes, ratings=ratings)
