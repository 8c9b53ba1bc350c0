"""How far raters agree, and the value a consensus starts from. Plain functions over plain data.

Used by the review page (spread, flags, proposals) and by the bulk acceptance service, so both
apply the same rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from weerbaar.scans.models import DISAGREEMENT_SPREAD


@dataclass(frozen=True, slots=True)
class Agreement:
    """Every rater's value for one item (a characteristic or an impact dimension)."""

    values: tuple[int, ...]

    @property
    def spread(self) -> int:
        return max(self.values) - min(self.values) if self.values else 0

    @property
    def disagree(self) -> bool:
        return self.spread >= DISAGREEMENT_SPREAD

    @property
    def unanimous(self) -> bool:
        return len(set(self.values)) <= 1

    @property
    def proposal(self) -> int | None:
        """The median; between two middle values the higher one, because a process rated
        vulnerable by one of two raters deserves the benefit of the doubt."""
        if not self.values:
            return None
        ordered = sorted(self.values)
        return ordered[len(ordered) // 2]


def agreement(ratings: Sequence[Mapping[str, int]], key: str) -> Agreement:
    return Agreement(tuple(rating[key] for rating in ratings if rating.get(key) is not None))


def ticked_by_majority(ticks: Sequence[Iterable[str]]) -> list[str]:
    """Circumstances ticked by at least half of the raters (all of them for one or two raters: ≥ 1 of 2)."""
    counts: dict[str, int] = {}
    for each in ticks:
        for key in set(each):
            counts[key] = counts.get(key, 0) + 1
    needed = (len(ticks) + 1) // 2
    return sorted(key for key, count in counts.items() if count >= needed)
