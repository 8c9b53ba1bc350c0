"""Weerbaar's scoring model: pure Python (no Django), versioned, explainable. See ``docs/scoring.md``."""

from weerbaar.scoring.inputs import CircumstanceInput, ContextInput, ImpactInput, MeasureInput, ProcessInput
from weerbaar.scoring.model import liveness, score, score_many
from weerbaar.scoring.parameters import DEFAULT_PARAMETERS, MODEL_VERSION, RELEASED, Parameters, parameters_for
from weerbaar.scoring.results import (
    CharacteristicLevel,
    Contribution,
    Explanation,
    ImpactDetail,
    MeasureState,
    Result,
    whole_points,
)

__all__ = [
    "DEFAULT_PARAMETERS",
    "MODEL_VERSION",
    "RELEASED",
    "CharacteristicLevel",
    "CircumstanceInput",
    "ContextInput",
    "Contribution",
    "Explanation",
    "ImpactDetail",
    "ImpactInput",
    "MeasureInput",
    "MeasureState",
    "Parameters",
    "ProcessInput",
    "Result",
    "liveness",
    "parameters_for",
    "score",
    "score_many",
    "whole_points",
]
