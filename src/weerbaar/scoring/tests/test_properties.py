"""Property tests of the scoring model (the list in issue 5, and issue 6 for liveness)."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from weerbaar.scoring import (
    DEFAULT_PARAMETERS,
    MODEL_VERSION,
    CircumstanceInput,
    ContextInput,
    ImpactInput,
    MeasureInput,
    Parameters,
    ProcessInput,
    score,
)
from weerbaar.scoring.inputs import Severity
from weerbaar.scoring.tests import strategies as sst
from weerbaar.scoring.tests.checks import (
    cross_differences,
    increases_strictly_somewhere,
    is_monotone,
    is_supermodular,
    with_score,
)

EXAMPLES = settings(max_examples=60, deadline=None)
TOL = 1e-9


def residual(process: ProcessInput) -> float:
    return score(process).vulnerability


def inherent(process: ProcessInput) -> float:
    return score(process).inherent_vulnerability


@EXAMPLES
@given(sst.processes())
def test_it_stays_within_its_bounds(process: ProcessInput) -> None:
    result = score(process)
    assert 0.0 <= result.vulnerability <= result.inherent_vulnerability <= 100.0
    assert 1 <= result.likelihood <= result.inherent_likelihood <= 5
    assert 1 <= result.impact <= 5
    assert result.cell == (result.likelihood, result.impact)
    assert result.inherent_cell == (result.inherent_likelihood, result.impact)
    for level in result.explanation.levels:
        assert 0.0 <= level.residual_level <= level.inherent_level <= 4.0


@EXAMPLES
@given(sst.processes(), st.sampled_from(sst.KEYS))
def test_it_never_drops_when_a_characteristic_goes_up(process: ProcessInput, key: str) -> None:
    assert is_monotone(residual, process, key)
    assert is_monotone(inherent, process, key)


@EXAMPLES
@given(sst.processes(with_measures=False), st.sampled_from(sst.KEYS))
def test_each_characteristic_raises_the_score_somewhere_in_its_range(process: ProcessInput, key: str) -> None:
    # Without circumstances nothing is capped, so every step counts, not just one.
    plain = replace(process, circumstances=(), context=())
    values = [inherent(with_score(plain, {key: level})) for level in range(5)]
    assert all(b > a for a, b in pairwise(values))
    assert increases_strictly_somewhere(inherent, process, key)


@EXAMPLES
@given(sst.processes(), sst.targets, sst.targets, st.sampled_from(["laag", "middel", "hoog"]))
def test_circumstances_and_context_never_lower_the_score(
    process: ProcessInput, targets: tuple[str, ...], context_targets: tuple[str, ...], severity: Severity
) -> None:
    before = score(process)
    circumstance = CircumstanceInput("nieuw-intern", targets)
    item = ContextInput("nieuw-extern", severity, context_targets)
    for bigger in (
        replace(process, circumstances=[*process.circumstances, circumstance]),
        replace(process, context=[*process.context, item]),
    ):
        after = score(bigger)
        assert after.inherent_vulnerability >= before.inherent_vulnerability - TOL
        assert after.vulnerability >= before.vulnerability - TOL


@EXAMPLES
@given(sst.processes(), st.sampled_from(["laag", "middel", "hoog"]))
def test_a_more_severe_context_never_lowers_the_score(process: ProcessInput, severity: Severity) -> None:
    order = {"laag": 0, "middel": 1, "hoog": 2}
    raised = [replace(c, severity=max(c.severity, severity, key=order.__getitem__)) for c in process.context]
    assert score(replace(process, context=raised)).vulnerability >= score(process).vulnerability - TOL


@EXAMPLES
@given(sst.processes(), st.sampled_from(sst.OTHERS))
def test_solo_work_is_supermodular_with_every_other_characteristic(process: ProcessInput, other: str) -> None:
    assert is_supermodular(inherent, replace(process, circumstances=(), context=(), measures=()), sst.SOLO, other)
    # With circumstances and measures in play it may be flat in places, but never submodular.
    assert min(cross_differences(residual, process, sst.SOLO, other)) >= -TOL


def test_solo_work_alone_scores_low_and_with_a_big_third_party_interest_high() -> None:
    zero = ProcessInput(scores=dict.fromkeys(sst.KEYS, 0), impact=sst_impact(), today=sst.TODAY)
    solo_alone = score(with_score(zero, {sst.SOLO: 4}))
    interest_alone = score(with_score(zero, {"belang-derden": 4}))
    cocktail = score(with_score(zero, {sst.SOLO: 4, "belang-derden": 4}))
    assert solo_alone.likelihood == 1
    assert cocktail.likelihood >= 3
    # More than the two apart: the interaction term.
    assert cocktail.vulnerability > solo_alone.vulnerability + interest_alone.vulnerability + 10


@EXAMPLES
@given(sst.processes())
def test_the_explanation_adds_up_to_the_score(process: ProcessInput) -> None:
    result = score(process)
    explanation = result.explanation
    assert math.isclose(explanation.total(), result.vulnerability, abs_tol=TOL)
    assert math.isclose(explanation.inherent_total(), result.inherent_vulnerability, abs_tol=TOL)
    kinds = {c.kind: 0 for c in explanation.contributions}
    assert set(kinds) <= {"characteristic", "interaction", "circumstance", "context", "measure"}
    for contribution in explanation.contributions:
        if contribution.kind == "measure":
            assert contribution.points <= TOL
        else:
            assert contribution.points >= -TOL
    keys = [(c.kind, c.key) for c in explanation.contributions]
    assert len(keys) == len(set(keys))
    assert [c.key for c in explanation.contributions if c.kind == "characteristic"] == list(sst.KEYS)


@EXAMPLES
@given(sst.processes(), sst.measure)
def test_adding_a_measure_never_raises_the_score(process: ProcessInput, measure: MeasureInput) -> None:
    others = [m for m in process.measures if m.key != measure.key]
    before = score(replace(process, measures=others))
    after = score(replace(process, measures=[*others, measure]))
    assert after.vulnerability <= before.vulnerability + TOL
    assert after.inherent_vulnerability == before.inherent_vulnerability


@EXAMPLES
@given(sst.processes(), st.data())
def test_strengthening_a_measure_never_raises_the_score(process: ProcessInput, data: st.DataObject) -> None:
    if not process.measures:
        return
    position = data.draw(st.integers(0, len(process.measures) - 1))
    weak = process.measures[position]
    factor = {None: 0.5, "niet": 0.0, "deels": 0.5, "effectief": 1.0}
    at_least_as_effective = [e for e in factor if factor[e] >= factor[weak.effectiveness]]
    strong = replace(
        weak,
        effects={key: min(3, strength + data.draw(st.integers(0, 1))) for key, strength in weak.effects.items()},
        implemented=weak.implemented or data.draw(st.booleans()),
        effectiveness=data.draw(st.sampled_from(at_least_as_effective)),
        last_reviewed=data.draw(st.dates(min_value=weak.last_reviewed or sst.TODAY, max_value=sst.TODAY))
        if weak.last_reviewed
        else data.draw(st.one_of(st.none(), st.dates(max_value=sst.TODAY))),
    )
    measures = list(process.measures)
    measures[position] = strong
    assert residual(replace(process, measures=measures)) <= residual(process) + TOL


@EXAMPLES
@given(sst.processes(), st.sampled_from(sst.KEYS), st.integers(1, 3))
def test_a_live_measure_on_a_present_characteristic_strictly_lowers_the_score(
    process: ProcessInput, key: str, strength: int
) -> None:
    before = score(process)
    level = next(level for level in before.explanation.levels if level.key == key)
    if level.residual_level == 0:
        return
    after = score(replace(process, measures=[*process.measures, sst.live_measure("nieuw", key, strength)]))
    assert after.vulnerability < before.vulnerability


@EXAMPLES
@given(sst.processes())
def test_all_zero_gives_the_minimum(process: ProcessInput) -> None:
    zero = score(replace(process, scores=dict.fromkeys(sst.KEYS, 0)))
    assert zero.vulnerability == zero.inherent_vulnerability == 0.0
    assert zero.likelihood == 1
    assert score(process).vulnerability >= zero.vulnerability


@EXAMPLES
@given(sst.processes())
def test_it_is_deterministic_and_the_same_version_gives_the_same_result(process: ProcessInput) -> None:
    first = score(process)
    again = score(process)
    fresh_table = score(process, Parameters())
    assert first.model_version == MODEL_VERSION == fresh_table.model_version
    assert first == again == fresh_table
    assert first.explanation == again.explanation == fresh_table.explanation


def test_other_parameters_change_the_result() -> None:
    # So the equality above is not vacuous: the table does steer the outcome.
    process = ProcessInput(scores=dict.fromkeys(sst.KEYS, 2), impact=sst_impact(), today=sst.TODAY)
    tuned = Parameters(version="test", base_share=0.5, solo_share=0.1, interaction_share=0.4)
    assert score(process, tuned) != score(process, DEFAULT_PARAMETERS)


# --- Liveness (issue 6): measures fade when nobody reviews them ---


@EXAMPLES
@given(sst.processes(), st.integers(0, 3000))
def test_fading_never_lowers_the_score(process: ProcessInput, days_later: int) -> None:
    later = replace(process, today=process.today + timedelta(days=days_later))
    assert residual(later) >= residual(process) - TOL


@EXAMPLES
@given(sst.processes(), st.integers(0, 3000))
def test_a_fresh_review_restores_the_effect(process: ProcessInput, days_later: int) -> None:
    today = process.today + timedelta(days=days_later)
    reviewed_then = replace(process, measures=[replace(m, last_reviewed=process.today) for m in process.measures])
    reviewed_now = replace(
        reviewed_then, today=today, measures=[replace(m, last_reviewed=today) for m in process.measures]
    )
    assert score(reviewed_now) == score(reviewed_then)
    assert residual(reviewed_now) <= residual(replace(reviewed_then, today=today)) + TOL


@EXAMPLES
@given(sst.processes())
def test_after_the_stated_missed_cadences_residual_is_back_at_inherent(process: ProcessInput) -> None:
    n = DEFAULT_PARAMETERS.fade_cadences
    months = max((m.cadence_months for m in process.measures), default=12)
    today = process.today + timedelta(days=math.ceil((n + 1) * months * DEFAULT_PARAMETERS.days_per_month) + 1)
    result = score(replace(process, today=today))
    assert result.vulnerability == result.inherent_vulnerability
    assert all(state.liveness == 0.0 for state in result.explanation.measures)
    # ... and just before that moment, a live effective measure still counts for something.
    alive = replace(process, measures=[*process.measures, sst.live_measure("nieuw", sst.SOLO)])
    if alive.scores[sst.SOLO] > 0:
        days = math.floor((n + 1) * 12 * DEFAULT_PARAMETERS.days_per_month) - 1
        almost = replace(alive, today=sst.TODAY + timedelta(days=days))
        assert score(almost).vulnerability < score(almost).inherent_vulnerability


def sst_impact() -> ImpactInput:
    return ImpactInput(money=3, personal_data=3, safety=3, trust=3, continuity=3)
