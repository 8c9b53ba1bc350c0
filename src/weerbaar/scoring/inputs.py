"""What the scoring model takes: plain frozen dataclasses, checked on construction."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal

from weerbaar.scoring.parameters import EFFECTIVENESS, MAX_IMPACT, MAX_LEVEL, MIN_IMPACT, SEVERITIES

Severity = Literal["laag", "middel", "hoog"]
Effectiveness = Literal["effectief", "deels", "niet"]


def _check_int(name: str, value: object, low: int, high: int) -> None:
    # bool is an int subclass; True as a score is a bug upstream, not a 1.
    if type(value) is not int or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {value!r}")


def _check_date(name: str, value: object) -> None:
    # A datetime is a date subclass, but subtracting one from a date fails later and less clearly.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValueError(f"{name} must be a date (not a datetime), got {value!r}")


def _check_targets(owner: str, characteristics: tuple[str, ...]) -> None:
    if not isinstance(characteristics, tuple) or not characteristics:
        raise ValueError(f"{owner} must point at a non-empty tuple of characteristic keys")
    if len(set(characteristics)) != len(characteristics):
        raise ValueError(f"{owner} names a characteristic twice: {characteristics!r}")


@dataclass(frozen=True, slots=True)
class CircumstanceInput:
    """An internal circumstance ticked for the process, with the characteristics it makes worse."""

    key: str
    characteristics: tuple[str, ...]

    def __post_init__(self) -> None:
        _check_targets(f"circumstance {self.key!r}", self.characteristics)


@dataclass(frozen=True, slots=True)
class ContextInput:
    """An item of the organisation's external context profile, with its severity."""

    key: str
    severity: Severity
    characteristics: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"context {self.key!r}: severity must be one of {SEVERITIES}, got {self.severity!r}")
        _check_targets(f"context {self.key!r}", self.characteristics)


@dataclass(frozen=True, slots=True, kw_only=True)
class ImpactInput:
    """Harm if the process is compromised, 1..5 on each of five dimensions."""

    money: int
    personal_data: int
    safety: int
    trust: int
    continuity: int

    def __post_init__(self) -> None:
        for name in ("money", "personal_data", "safety", "trust", "continuity"):
            _check_int(f"impact.{name}", getattr(self, name), MIN_IMPACT, MAX_IMPACT)

    def values(self) -> tuple[int, int, int, int, int]:
        return (self.money, self.personal_data, self.safety, self.trust, self.continuity)


@dataclass(frozen=True, slots=True, kw_only=True)
class MeasureInput:
    """A measure in the plan: which characteristics it weakens (strength 1..3) and how alive it is."""

    key: str
    effects: Mapping[str, int]
    effectiveness: Effectiveness | None = None
    implemented: bool = False
    last_reviewed: date | None = None
    cadence_months: int = 12

    def __post_init__(self) -> None:
        if not self.effects:
            raise ValueError(f"measure {self.key!r} must weaken at least one characteristic")
        for characteristic, strength in self.effects.items():
            _check_int(f"measure {self.key!r} strength on {characteristic!r}", strength, 1, 3)
        if self.effectiveness is not None and self.effectiveness not in EFFECTIVENESS:
            raise ValueError(
                f"measure {self.key!r}: effectiveness must be one of {EFFECTIVENESS} or None, "
                f"got {self.effectiveness!r}"
            )
        if type(self.implemented) is not bool:
            raise ValueError(f"measure {self.key!r}: implemented must be True or False")
        if self.last_reviewed is not None:
            _check_date(f"measure {self.key!r} last_reviewed", self.last_reviewed)
        _check_int(f"measure {self.key!r} cadence_months", self.cadence_months, 1, 600)


@dataclass(frozen=True, slots=True, kw_only=True)
class ProcessInput:
    """Everything the model needs about one process on one day."""

    scores: Mapping[str, int]
    impact: ImpactInput
    today: date
    circumstances: Sequence[CircumstanceInput] = ()
    context: Sequence[ContextInput] = ()
    measures: Sequence[MeasureInput] = ()

    def __post_init__(self) -> None:
        _check_date("today", self.today)
        for key, value in self.scores.items():
            _check_int(f"score for {key!r}", value, 0, MAX_LEVEL)
        for name in ("circumstances", "context", "measures"):
            keys = [item.key for item in getattr(self, name)]
            if len(set(keys)) != len(keys):
                raise ValueError(f"{name} lists the same key twice")
