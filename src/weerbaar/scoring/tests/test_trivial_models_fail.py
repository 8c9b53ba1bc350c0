"""The property checks must reject a constant and a purely additive model, and accept the real one."""

from __future__ import annotations

from weerbaar.scoring import ImpactInput, ProcessInput, score
from weerbaar.scoring.tests import strategies as sst
from weerbaar.scoring.tests.checks import increases_strictly_somewhere, is_monotone, is_supermodular

BASE = ProcessInput(
    scores=dict.fromkeys(sst.KEYS, 1),
    impact=ImpactInput(money=3, personal_data=3, safety=3, trust=3, continuity=3),
    today=sst.TODAY,
)


def constant(process: ProcessInput) -> float:
    return 50.0


def additive(process: ProcessInput) -> float:
    return 100.0 * sum(process.scores.values()) / (4 * len(process.scores))


def real(process: ProcessInput) -> float:
    return score(process).vulnerability


def test_a_constant_model_fails_the_strict_increase_check() -> None:
    assert is_monotone(constant, BASE, "belang-derden")  # monotone, trivially ...
    assert not any(increases_strictly_somewhere(constant, BASE, key) for key in sst.KEYS)  # ... but it never moves


def test_a_constant_model_fails_the_supermodularity_check() -> None:
    assert not any(is_supermodular(constant, BASE, sst.SOLO, other) for other in sst.OTHERS)


def test_an_additive_model_passes_monotonicity_but_fails_supermodularity() -> None:
    assert all(increases_strictly_somewhere(additive, BASE, key) for key in sst.KEYS)
    assert not any(is_supermodular(additive, BASE, sst.SOLO, other) for other in sst.OTHERS)


def test_the_real_model_passes_both_checks_on_the_same_process() -> None:
    assert all(increases_strictly_somewhere(real, BASE, key) for key in sst.KEYS)
    assert all(is_supermodular(real, BASE, sst.SOLO, other) for other in sst.OTHERS)
