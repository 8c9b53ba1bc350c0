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
    """Every rater's value for one item (a characteristic or an impact dimension), sorted.

    Built by :func:`agreement`, which sorts once; a recompute of 1,000 processes asks for 13
    of these per process, so every property is a lookup rather than another pass.
    """

    #: the values handed in, lowest first
    values: tuple[int, ...]

    @property
    def spread(self) -> int:
        return self.values[-1] - self.values[0] if self.values else 0

    @property
    def disagree(self) -> bool:
        return self.spread >= DISAGREEMENT_SPREAD

    @property
    def unanimous(self) -> bool:
        return self.spread == 0

    @property
    def proposal(self) -> int | None:
        """The median; between two middle values the higher one, because a process rated
        vulnerable by one of two raters deserves the benefit of the doubt."""
        return self.values[len(self.values) // 2] if self.values else None


def agreement(ratings: Sequence[Mapping[str, int]], key: str) -> Agreement:
    found = [value for rating in ratings if (value := rating.get(key)) is not None]
    found.sort()
    return Agreement(tuple(found))


def ticked_by_majority(ticks: Sequence[Iterable[str]]) -> list[str]:
    """Circumstances ticked by at least half of the raters (all of them for one or two raters: ≥ 1 of 2)."""
    counts: dict[str, int] = {}
    for each in ticks:
        for key in set(each):
            counts[key] = counts.get(key, 0) + 1
    needed = (len(ticks) + 1) // 2
    return sorted(key for key, count in counts.items() if count >= needed)
