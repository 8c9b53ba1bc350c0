"""What the scoring model returns: data only; the UI turns it into Dutch sentences.

Plain (not frozen) slotted dataclasses: frozen ones cost three times as much to build, and a scan
recompute builds about twenty per process. Treat them as values; nothing in the model mutates them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

# characteristic: the level a rater gave, through the base index (solo work: its own small term)
# interaction: the solo-work "cocktail" term, solo work x the other characteristics
# circumstance / context: how much internal circumstances / external context raised the score
# measure: how much an implemented, live measure lowered it (points <= 0)
ContributionKind = Literal["characteristic", "interaction", "circumstance", "context", "measure"]
MeasureStatus = Literal["not_implemented", "never_reviewed", "alive", "fading", "lapsed"]


@dataclass(slots=True)
class Contribution:
    kind: ContributionKind
    key: str
    points: float


@dataclass(slots=True)
class CharacteristicLevel:
    """A characteristic's score as rated, raised by circumstances and context, lowered by measures (0..4)."""

    key: str
    score: int
    inherent_level: float
    residual_level: float


@dataclass(slots=True)
class MeasureState:
    key: str
    status: MeasureStatus
    liveness: float
    effectiveness_factor: float


@dataclass(slots=True)
class ImpactDetail:
    highest: int
    dimensions_at_escalation_level: int
    escalated: bool


@dataclass(slots=True)
class Explanation:
    """Contributions add up to the residual vulnerability; without the measures, to the inherent one."""

    contributions: list[Contribution]
    levels: list[CharacteristicLevel]
    measures: list[MeasureState]
    impact: ImpactDetail

    def total(self) -> float:
        return math.fsum(c.points for c in self.contributions)

    def inherent_total(self) -> float:
        return math.fsum(c.points for c in self.contributions if c.kind != "measure")


@dataclass(slots=True)
class Result:
    model_version: str
    inherent_vulnerability: float  # 0..100: the rated levels raised by circumstances and context
    vulnerability: float  # 0..100, residual: after the measures, as alive as they are today
    inherent_likelihood: int  # 1..5
    likelihood: int  # 1..5
    impact: int  # 1..5
    inherent_cell: tuple[int, int]  # (likelihood, impact) on the 5x5 matrix
    cell: tuple[int, int]
    # What the model worked out, to build the explanation on first use; not part of equality.
    _evaluation: Any = field(default=None, repr=False, compare=False)
    _explanation: Explanation | None = field(default=None, repr=False, compare=False)

    @property
    def explanation(self) -> Explanation:
        if self._explanation is None:
            from weerbaar.scoring.model import _explain  # model imports this module

            self._explanation = _explain(self._evaluation)
        return self._explanation


def whole_points(points: Sequence[float], total: float) -> tuple[int, ...]:
    """Round each part to a whole number so that the rounded parts add up to the rounded total.

    Largest remainder: floor every part, then give the missing points to the parts that lost the most.
    For a UI that shows "72 = 30 + 25 + 17" without an off-by-one.
    """
    floors = [math.floor(p) for p in points]
    missing = round(total) - sum(floors)
    if not 0 <= missing <= len(floors):
        raise ValueError("the parts do not add up to the total")
    by_remainder = sorted(range(len(floors)), key=lambda i: (floors[i] - points[i], i))
    for i in by_remainder[:missing]:
        floors[i] += 1
    return tuple(floors)
