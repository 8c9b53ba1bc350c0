"""Property checks that take any score function, so a test can show they reject trivial models."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise

from weerbaar.scoring import ProcessInput

ScoreFn = Callable[[ProcessInput], float]
TOLERANCE = 1e-9


def with_score(process: ProcessInput, levels: dict[str, int]) -> ProcessInput:
    """The same process with some characteristics set to other levels."""
    return replace(process, scores={**process.scores, **levels})


def along(f: ScoreFn, process: ProcessInput, key: str) -> list[float]:
    """The score at each level 0..4 of one characteristic, the rest unchanged."""
    return [f(with_score(process, {key: level})) for level in range(5)]


def is_monotone(f: ScoreFn, process: ProcessInput, key: str) -> bool:
    return all(b >= a - TOLERANCE for a, b in pairwise(along(f, process, key)))


def increases_strictly_somewhere(f: ScoreFn, process: ProcessInput, key: str) -> bool:
    return any(b > a + TOLERANCE for a, b in pairwise(along(f, process, key)))


def cross_differences(f: ScoreFn, process: ProcessInput, solo: str, other: str) -> list[float]:
    """f(solo up, other up) - f(solo up) - f(other up) + f(neither), over every pair of steps.

    Supermodular means all are >= 0: raising solo work adds more when the other is higher.
    """
    differences = []
    for solo_low in range(5):
        for solo_high in range(solo_low + 1, 5):
            for other_low in range(5):
                for other_high in range(other_low + 1, 5):
                    corners = [
                        f(with_score(process, {solo: s, other: o}))
                        for s, o in ((solo_high, other_high), (solo_low, other_high), (solo_high, other_low))
                    ]
                    neither = f(with_score(process, {solo: solo_low, other: other_low}))
                    differences.append(corners[0] - corners[1] - corners[2] + neither)
    return differences


def is_supermodular(f: ScoreFn, process: ProcessInput, solo: str, other: str) -> bool:
    """Never submodular, and somewhere strictly supermodular (an interaction, not a plain addend)."""
    differences = cross_differences(f, process, solo, other)
    return min(differences) >= -TOLERANCE and max(differences) > TOLERANCE
