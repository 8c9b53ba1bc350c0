"""The repeat scan's trend on the results page: a scan's results against the previous round.

The previous round is the scan's starting point (``Scan.previous_scan``) when the member can see
it, else the closed scan that was closed last before this one. The numbers cover only what the
member may see (need-to-know from ``selectors.results``) within the page's filters on unit,
category and owner; the heat map cell does not narrow them. Two queries, whatever the size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from weerbaar.core.models import Membership
from weerbaar.scans.models import Scan
from weerbaar.scans.selectors.results import (
    RISK_CLASSES,
    Change,
    ResultFilter,
    RiskClass,
    compare,
    risk_class,
    scan_results,
    whole,
)


@dataclass(frozen=True)
class ClassTrend:
    risk: RiskClass
    before: int
    now: int

    @property
    def difference(self) -> int:
        return self.now - self.before

    @property
    def difference_text(self) -> str:
        """ "+2", "−1" (a minus sign, not a hyphen) or "0"."""
        difference = self.difference
        return f"+{difference}" if difference > 0 else f"−{-difference}" if difference < 0 else "0"


@dataclass(frozen=True)
class Trend:
    previous: Scan
    processes_before: int
    processes_now: int
    average_before: float | None
    average_now: float | None
    classes: list[ClassTrend]
    #: Processes in both scans, by how their vulnerability moved (in whole points, as the list shows it).
    higher: int
    lower: int
    equal: int
    #: In this scan only, and in the previous scan only.
    new: int
    dropped: int

    @property
    def average_before_points(self) -> int | None:
        return None if self.average_before is None else whole(self.average_before)

    @property
    def average_now_points(self) -> int | None:
        return None if self.average_now is None else whole(self.average_now)

    @property
    def average_change(self) -> Change | None:
        if self.average_now is None or self.average_before is None:
            return None
        return compare(self.average_now, self.average_before, self.previous.name)


def previous_round(scan: Scan, scans: Sequence[Scan]) -> Scan | None:
    """The round ``scan`` is compared with, among the member's visible ``scans``; no query."""
    closed = [each for each in scans if each.is_closed and each.closed_at is not None and each.pk != scan.pk]
    if scan.previous_scan_id is not None:
        chosen = next((each for each in closed if each.pk == scan.previous_scan_id), None)
        if chosen is not None:
            return chosen
    if scan.closed_at is not None:
        closed = [each for each in closed if each.closed_at is not None and each.closed_at < scan.closed_at]
    return max(closed, key=lambda each: (each.closed_at, each.period_end, each.pk), default=None)


def _results(membership: Membership, scan: Scan, filters: ResultFilter) -> dict[int, tuple[float, int, int]]:
    # Results are visible only with all three values set (``visible_results``).
    rows = scan_results(membership, scan, filters).order_by()
    found: dict[int, tuple[float, int, int]] = {}
    for process_id, vulnerability, likelihood, impact in rows.values_list(
        "process_id", "vulnerability", "likelihood", "impact"
    ):
        assert vulnerability is not None and likelihood is not None and impact is not None
        found[process_id] = (vulnerability, likelihood, impact)
    return found


def _average(results: dict[int, tuple[float, int, int]]) -> float | None:
    if not results:
        return None
    return sum(vulnerability for vulnerability, _likelihood, _impact in results.values()) / len(results)


def scan_trend(
    membership: Membership, scan: Scan, scans: Sequence[Scan], filters: ResultFilter | None = None
) -> Trend | None:
    """The trend block: averages, risk classes then → now, and how many processes went up, down or
    stayed equal; ``None`` when there is no earlier closed round. Two queries."""
    previous = previous_round(scan, scans)
    if previous is None:
        return None
    filters = filters or ResultFilter()
    narrowed = ResultFilter(unit=filters.unit, category=filters.category, owner=filters.owner)
    now = _results(membership, scan, narrowed)
    before = _results(membership, previous, narrowed)
    classes_now = Counter(risk_class(likelihood, impact).key for _v, likelihood, impact in now.values())
    classes_before = Counter(risk_class(likelihood, impact).key for _v, likelihood, impact in before.values())
    moves = Counter(
        (whole(now[key][0]) > whole(before[key][0])) - (whole(now[key][0]) < whole(before[key][0]))
        for key in now.keys() & before.keys()
    )
    return Trend(
        previous=previous,
        processes_before=len(before),
        processes_now=len(now),
        average_before=_average(before),
        average_now=_average(now),
        classes=[
            ClassTrend(risk=each, before=classes_before[each.key], now=classes_now[each.key])
            for each in reversed(RISK_CLASSES)
        ],
        higher=moves[1],
        lower=moves[-1],
        equal=moves[0],
        new=len(now.keys() - before.keys()),
        dropped=len(before.keys() - now.keys()),
    )
