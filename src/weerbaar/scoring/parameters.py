"""The one table of numbers behind the scoring model (documented in ``docs/scoring.md``)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

MODEL_VERSION = "2026.1"

SOLO_WORK_KEY = "solistisch-werken"

# The seven characteristics that solo work amplifies (K1..K7 of the catalogue, in its order).
OTHER_CHARACTERISTICS: tuple[str, ...] = (
    "belang-derden",
    "samenwerking-partners",
    "opdrachten-aannemers",
    "klantcontact",
    "geldstromen",
    "gevoelige-gegevens",
    "kritieke-dienstverlening",
)

SEVERITIES: tuple[str, ...] = ("laag", "middel", "hoog")
EFFECTIVENESS: tuple[str, ...] = ("effectief", "deels", "niet")

MAX_LEVEL = 4
MIN_IMPACT = 1
MAX_IMPACT = 5


@dataclass(frozen=True, slots=True, kw_only=True)
class Parameters:
    """Every number the model uses. Tuples of pairs (not dicts) keep the table hashable."""

    version: str = MODEL_VERSION
    # Characteristic key -> weight in the base index. All equal: the seeds do not rank them.
    weights: tuple[tuple[str, float], ...] = tuple((key, 1.0) for key in OTHER_CHARACTERISTICS)
    solo_work_key: str = SOLO_WORK_KEY
    # Exponent of the power mean that forms the base index: > 1 lets the worst characteristic dominate.
    power: float = 3.0
    # Shares of the 0..100 scale: base index alone, solo work alone, solo work x base index.
    base_share: float = 0.55
    solo_share: float = 0.10
    interaction_share: float = 0.35
    # Relative raise of the level of each characteristic an internal circumstance points at.
    circumstance_uplift: float = 0.25
    # Relative raise per external context item, by its severity.
    context_uplift: tuple[tuple[str, float], ...] = (("laag", 0.10), ("middel", 0.20), ("hoog", 0.30))
    # Ceiling on the combined relative raise of one characteristic.
    uplift_cap: float = 0.5
    # Share of a characteristic's level a measure removes, by the strength of its effect (1..3).
    strength_reduction: tuple[tuple[int, float], ...] = ((1, 0.15), (2, 0.30), (3, 0.45))
    # Multiplier by the measure's last effectiveness review.
    effectiveness_factor: tuple[tuple[str, float], ...] = (("effectief", 1.0), ("deels", 0.5), ("niet", 0.0))
    # Multiplier while an implemented measure has no effectiveness review yet.
    unreviewed_effectiveness: float = 0.5
    # A measure's effect fades linearly to nothing over this many cadences after its review fell due.
    fade_cadences: int = 2
    # Average Gregorian month, to turn days since the last review into months.
    days_per_month: float = 365.2425 / 12
    # Vulnerability at or above each threshold moves the likelihood class up one (1..5).
    likelihood_thresholds: tuple[float, float, float, float] = (20.0, 40.0, 60.0, 80.0)
    # Impact goes one class up (max 5) when at least `impact_escalation_count` dimensions reach this level.
    impact_escalation_level: int = 4
    impact_escalation_count: int = 2

    def __post_init__(self) -> None:
        keys = [key for key, _ in self.weights]
        if not keys or len(set(keys)) != len(keys):
            raise ValueError("weights must name each characteristic once")
        if self.solo_work_key in keys:
            raise ValueError("the solo work characteristic must not also have a base weight")
        if any(not (weight > 0 and math.isfinite(weight)) for _, weight in self.weights):
            raise ValueError("every weight must be a positive finite number")
        if not self.power >= 1:
            raise ValueError("power must be at least 1")
        shares = (self.base_share, self.solo_share, self.interaction_share)
        if any(not share > 0 for share in shares) or not math.isclose(sum(shares), 1.0, abs_tol=1e-12):
            raise ValueError("base_share, solo_share and interaction_share must be positive and add up to 1")
        if not (self.circumstance_uplift >= 0 and self.uplift_cap >= 0):
            raise ValueError("uplifts must not be negative")
        if dict(self.context_uplift).keys() != set(SEVERITIES) or any(v < 0 for _, v in self.context_uplift):
            raise ValueError(f"context_uplift must give a non-negative raise for each of {SEVERITIES}")
        strengths = dict(self.strength_reduction)
        if strengths.keys() != {1, 2, 3} or any(not 0 <= v < 1 for v in strengths.values()):
            raise ValueError("strength_reduction must give a share in [0, 1) for strengths 1, 2 and 3")
        factors = dict(self.effectiveness_factor)
        if factors.keys() != set(EFFECTIVENESS) or any(not 0 <= v <= 1 for v in factors.values()):
            raise ValueError(f"effectiveness_factor must give a factor in [0, 1] for each of {EFFECTIVENESS}")
        if not 0 <= self.unreviewed_effectiveness <= 1:
            raise ValueError("unreviewed_effectiveness must be in [0, 1]")
        if self.fade_cadences < 1:
            raise ValueError("fade_cadences must be at least 1")
        if not self.days_per_month > 0:
            raise ValueError("days_per_month must be positive")
        thresholds = self.likelihood_thresholds
        if len(thresholds) != 4 or any(not a < b for a, b in pairwise(thresholds)):
            raise ValueError("likelihood_thresholds must be four strictly increasing numbers")
        if not MIN_IMPACT <= self.impact_escalation_level <= MAX_IMPACT or self.impact_escalation_count < 1:
            raise ValueError("impact escalation needs a level in 1..5 and a count of at least 1")

    @property
    def characteristic_keys(self) -> tuple[str, ...]:
        """All characteristic keys a process must be scored on: the weighted ones, then solo work."""
        return (*(key for key, _ in self.weights), self.solo_work_key)


DEFAULT_PARAMETERS = Parameters()

#: Every released version's parameter table. A stored result names its version; its explanation
#: must use that version's numbers (thresholds, escalation), not today's. Add, never replace.
RELEASED: dict[str, Parameters] = {DEFAULT_PARAMETERS.version: DEFAULT_PARAMETERS}


def parameters_for(version: str) -> Parameters:
    """The parameter table of a released model version; the current one for an unknown version."""
    return RELEASED.get(version, DEFAULT_PARAMETERS)
