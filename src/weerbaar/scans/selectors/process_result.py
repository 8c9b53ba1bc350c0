"""Reads of one process's result page: its history across scans, the raters' spread, the names an
explanation needs. Need-to-know comes from ``selectors.results``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import F

from weerbaar.catalogue.models import Characteristic, Circumstance
from weerbaar.core.models import Membership
from weerbaar.register.models import Process
from weerbaar.scans.agreement import agreement
from weerbaar.scans.models import IMPACT_DIMENSIONS, Rating, ScanProcess
from weerbaar.scans.selectors.results import (
    Change,
    RiskClass,
    compare,
    risk_class,
    visible_processes,
    visible_results,
    whole,
)

# --- the process result page ----------------------------------------------------------------------


def process_for_results(membership: Membership, process_uuid: Any) -> Process | None:
    """The process, if this member may see its results: another's process is "not found" to a proceseigenaar."""
    return (
        visible_processes(membership)
        .select_related("category", "unit", "owner__user")
        .filter(uuid=process_uuid)
        .first()
    )


@dataclass(frozen=True)
class HistoryEntry:
    result: ScanProcess
    vulnerability: int
    risk: RiskClass
    provisional: bool
    change: Change


def process_history(membership: Membership, process: Process) -> list[HistoryEntry]:
    """Every visible result of the process, newest first, each compared with the one before. One query."""
    results = list(
        visible_results(membership)
        .filter(process=process)
        .select_related("scan")
        .order_by(F("scan__closed_at").desc(nulls_first=True), "-scan__period_end", "-pk")
    )
    entries = []
    for index, result in enumerate(results):
        assert result.vulnerability is not None and result.likelihood is not None and result.impact is not None
        earlier = next((each for each in results[index + 1 :] if each.scan.is_closed), None)
        entries.append(
            HistoryEntry(
                result=result,
                vulnerability=whole(result.vulnerability),
                risk=risk_class(result.likelihood, result.impact),
                provisional=not result.scan.is_closed,
                change=compare(
                    result.vulnerability,
                    earlier.vulnerability if earlier else None,
                    earlier.scan.name if earlier else "",
                ),
            )
        )
    return entries


def result_card(membership: Membership, process: Process) -> HistoryEntry | None:
    """The register's process page: the latest closed result with its change. One query."""
    return next((entry for entry in process_history(membership, process) if not entry.provisional), None)


def chosen_entry(history: Sequence[HistoryEntry], scan_uuid: str | None) -> HistoryEntry | None:
    """The result the page explains: the chosen scan's, else the latest closed one, else a provisional one."""
    if scan_uuid:
        for entry in history:
            if str(entry.result.scan.uuid) == scan_uuid:
                return entry
    return next((entry for entry in history if not entry.provisional), history[0] if history else None)


@dataclass(frozen=True)
class RaterValue:
    rater: str
    value: int | None


@dataclass(frozen=True)
class Spread:
    key: str
    label: str
    consensus: int | None
    #: raters differed by 2 or more on this item
    disagree: bool
    # The range, the count and the per-rater values only for those who see all results: with two
    # raters, a proceseigenaar who rated the process could work out the colleague's score from them.
    low: int | None = None
    high: int | None = None
    raters: int = 0
    values: tuple[RaterValue, ...] = ()


def rater_spread(
    result: ScanProcess, characteristics: Sequence[Characteristic], *, with_raters: bool
) -> tuple[list[Spread], list[Spread], int]:
    """Spread of the submitted ratings per characteristic and per impact dimension. One query.

    ``with_raters`` adds the range, the count and each rater's own value; without it (a
    proceseigenaar) only whether the raters differed by 2 or more.
    """
    ratings = Rating.objects.filter(scan_process=result, submitted_at__isnull=False).order_by("pk")
    if with_raters:
        ratings = ratings.select_related("rater__user")
    rated = list(ratings)

    def build(key: str, label: str, consensus: int | None, values_of: str) -> Spread:
        found = agreement([getattr(rating, values_of) for rating in rated], key)
        if not with_raters:
            return Spread(key=key, label=label, consensus=consensus, disagree=found.disagree)
        return Spread(
            key=key,
            label=label,
            consensus=consensus,
            disagree=found.disagree,
            low=min(found.values) if found.values else None,
            high=max(found.values) if found.values else None,
            raters=len(found.values),
            values=tuple(RaterValue(_rater_name(rating), getattr(rating, values_of).get(key)) for rating in rated),
        )

    characteristic_spread = [
        build(each.key, f"{each.code} {each.name}", result.consensus_scores.get(each.key), "scores")
        for each in characteristics
    ]
    impact_spread = [
        build(key, str(label), result.consensus_impact.get(key), "impact") for key, label in IMPACT_DIMENSIONS
    ]
    return characteristic_spread, impact_spread, len(rated)


def _rater_name(rating: Rating) -> str:
    user = rating.rater.user
    return str(user.full_name or user.email)


def characteristics_by_key() -> dict[str, Characteristic]:
    """Active characteristics in catalogue order (names for the explanation). One query."""
    return {each.key: each for each in Characteristic.objects.filter(is_active=True).order_by("position", "key")}


def circumstance_names(keys: Iterable[str]) -> dict[str, str]:
    """Names of the circumstances an explanation names by uuid (archived ones too). One query, or none."""
    wanted = set()
    for key in keys:
        try:
            wanted.add(UUID(key))
        except ValueError:
            continue
    if not wanted:
        return {}
    return {str(uuid): name for uuid, name in Circumstance.objects.filter(uuid__in=wanted).values_list("uuid", "name")}
