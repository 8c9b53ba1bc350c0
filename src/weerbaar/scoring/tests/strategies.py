"""Hypothesis strategies for the scoring model's inputs."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from weerbaar.scoring import (
    DEFAULT_PARAMETERS,
    CircumstanceInput,
    ContextInput,
    ImpactInput,
    MeasureInput,
    ProcessInput,
)

KEYS = DEFAULT_PARAMETERS.characteristic_keys
SOLO = DEFAULT_PARAMETERS.solo_work_key
OTHERS = tuple(key for key in KEYS if key != SOLO)
TODAY = date(2026, 11, 23)

levels = st.integers(min_value=0, max_value=4)
scores = st.fixed_dictionaries(dict.fromkeys(KEYS, levels))
targets = st.lists(st.sampled_from(KEYS), min_size=1, max_size=4, unique=True).map(tuple)

circumstance = st.builds(
    CircumstanceInput, key=st.sampled_from([f"intern-{i}" for i in range(8)]), characteristics=targets
)
context_item = st.builds(
    ContextInput,
    key=st.sampled_from([f"extern-{i}" for i in range(8)]),
    severity=st.sampled_from(["laag", "middel", "hoog"]),
    characteristics=targets,
)
impact = st.builds(
    ImpactInput,
    money=st.integers(1, 5),
    personal_data=st.integers(1, 5),
    safety=st.integers(1, 5),
    trust=st.integers(1, 5),
    continuity=st.integers(1, 5),
)
measure = st.builds(
    MeasureInput,
    key=st.sampled_from([f"maatregel-{i}" for i in range(10)]),
    effects=st.dictionaries(st.sampled_from(KEYS), st.integers(1, 3), min_size=1, max_size=4),
    effectiveness=st.sampled_from([None, "effectief", "deels", "niet"]),
    implemented=st.booleans(),
    last_reviewed=st.one_of(st.none(), st.dates(min_value=TODAY - timedelta(days=6 * 365), max_value=TODAY)),
    cadence_months=st.sampled_from([3, 6, 12, 24, 48]),
)


@st.composite
def processes(draw: st.DrawFn, *, with_measures: bool = True) -> ProcessInput:
    return ProcessInput(
        scores=draw(scores),
        impact=draw(impact),
        today=TODAY,
        circumstances=tuple(draw(st.lists(circumstance, max_size=4, unique_by=lambda c: c.key))),
        context=tuple(draw(st.lists(context_item, max_size=4, unique_by=lambda c: c.key))),
        measures=tuple(draw(st.lists(measure, max_size=5, unique_by=lambda m: m.key))) if with_measures else (),
    )


def live_measure(key: str, characteristic: str, strength: int = 2) -> MeasureInput:
    """Implemented, judged effective, reviewed today: as alive as a measure gets."""
    return MeasureInput(
        key=key,
        effects={characteristic: strength},
        effectiveness="effectief",
        implemented=True,
        last_reviewed=TODAY,
        cadence_months=12,
    )
