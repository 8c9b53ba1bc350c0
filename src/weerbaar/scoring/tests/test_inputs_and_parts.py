"""Bad input is refused with a clear message; the small parts (liveness, impact, classes) do what the doc says."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest
import yaml

from weerbaar.scoring import (
    DEFAULT_PARAMETERS,
    CircumstanceInput,
    ContextInput,
    ImpactInput,
    MeasureInput,
    Parameters,
    ProcessInput,
    liveness,
    score,
    score_many,
    whole_points,
)
from weerbaar.scoring.tests import strategies as sst

CATALOGUE = sst.__file__.rsplit("/scoring/", 1)[0] + "/catalogue/data/catalogue.yaml"
IMPACT = ImpactInput(money=1, personal_data=1, safety=1, trust=1, continuity=1)


def process(**changes: Any) -> ProcessInput:
    base = ProcessInput(scores=dict.fromkeys(sst.KEYS, 2), impact=IMPACT, today=sst.TODAY)
    return replace(base, **changes)


def measure(**changes: Any) -> MeasureInput:
    base = MeasureInput(key="m", effects={sst.SOLO: 2}, implemented=True, last_reviewed=sst.TODAY)
    return replace(base, **changes)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: process(scores={**dict.fromkeys(sst.KEYS, 2), sst.SOLO: 5}), "from 0 to 4"),
        (lambda: process(scores={**dict.fromkeys(sst.KEYS, 2), sst.SOLO: -1}), "from 0 to 4"),
        (lambda: process(scores={**dict.fromkeys(sst.KEYS, 2), sst.SOLO: 2.5}), "whole number"),
        (lambda: process(scores={**dict.fromkeys(sst.KEYS, 2), sst.SOLO: True}), "whole number"),
        (lambda: process(today=datetime(2026, 1, 1, 12)), "not a datetime"),
        (lambda: replace(IMPACT, trust=0), "impact.trust"),
        (lambda: replace(IMPACT, money=6), "impact.money"),
        (lambda: CircumstanceInput("x", ()), "non-empty"),
        (lambda: CircumstanceInput("x", (sst.SOLO, sst.SOLO)), "twice"),
        (lambda: ContextInput("x", "extreem", (sst.SOLO,)), "severity"),  # type: ignore[arg-type]
        (lambda: measure(effects={}), "at least one"),
        (lambda: measure(effects={sst.SOLO: 4}), "strength"),
        (lambda: measure(effectiveness="prima"), "effectiveness"),
        (lambda: measure(cadence_months=0), "cadence_months"),
        (lambda: measure(last_reviewed="2026-01-01"), "last_reviewed"),
        (lambda: process(circumstances=[CircumstanceInput("x", (sst.SOLO,))] * 2), "twice"),
    ],
)
def test_it_refuses_out_of_range_input_on_construction(build: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (process(scores=dict.fromkeys(sst.OTHERS, 2)), "missing \\['solistisch-werken'\\]"),
        (process(scores={**dict.fromkeys(sst.KEYS, 2), "onbekend": 1}), "unknown \\['onbekend'\\]"),
        (process(circumstances=[CircumstanceInput("x", ("onbekend",))]), "circumstance 'x'"),
        (process(context=[ContextInput("x", "hoog", ("onbekend",))]), "context 'x'"),
        (process(measures=[measure(effects={"onbekend": 1})]), "measure 'm'"),
        (process(measures=[measure(last_reviewed=sst.TODAY + timedelta(days=1))]), "after today"),
    ],
)
def test_it_refuses_input_that_does_not_fit_the_parameters(bad: ProcessInput, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        score(bad)


@pytest.mark.parametrize(
    "changes",
    [
        {"base_share": 0.6},
        {"weights": ()},
        {"weights": (("a", 1.0), ("a", 1.0))},
        {"weights": (("a", 0.0),)},
        {"weights": ((sst.SOLO, 1.0),)},
        {"power": 0.5},
        {"context_uplift": (("laag", 0.1),)},
        {"strength_reduction": ((1, 0.2), (2, 0.4), (3, 1.0))},
        {"effectiveness_factor": (("effectief", 1.5), ("deels", 0.5), ("niet", 0.0))},
        {"unreviewed_effectiveness": 2.0},
        {"fade_cadences": 0},
        {"likelihood_thresholds": (20.0, 20.0, 60.0, 80.0)},
        {"impact_escalation_level": 6},
    ],
)
def test_a_broken_parameter_table_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Parameters(**changes)


def test_the_default_table_names_the_catalogue_characteristics_in_catalogue_order() -> None:
    with open(CATALOGUE, encoding="utf-8") as handle:
        catalogue = yaml.safe_load(handle)
    by_code = sorted(catalogue["characteristics"], key=lambda c: c["code"])
    assert [c["key"] for c in by_code] == list(DEFAULT_PARAMETERS.characteristic_keys)
    assert DEFAULT_PARAMETERS.characteristic_keys[-1] == DEFAULT_PARAMETERS.solo_work_key == "solistisch-werken"
    strengths = {effect["strength"] for m in catalogue["measures"] for effect in m["effects"]}
    assert strengths <= dict(DEFAULT_PARAMETERS.strength_reduction).keys()


@pytest.mark.parametrize(
    ("age_days", "expected"),
    [
        (0, 1.0),
        (365, 1.0),  # within a 12-month cadence
        (round(12 * DEFAULT_PARAMETERS.days_per_month), 1.0),  # exactly due
        (round(24 * DEFAULT_PARAMETERS.days_per_month), 0.5),  # one cadence overdue: half
        (round(36 * DEFAULT_PARAMETERS.days_per_month), 0.0),  # two cadences overdue: gone
        (5000, 0.0),
    ],
)
def test_liveness_follows_the_documented_curve(age_days: int, expected: float) -> None:
    reviewed = measure(cadence_months=12, last_reviewed=sst.TODAY - timedelta(days=age_days))
    assert liveness(reviewed, sst.TODAY) == pytest.approx(expected, abs=0.002)


def test_a_measure_that_is_not_implemented_or_never_reviewed_has_no_effect() -> None:
    assert liveness(measure(implemented=False), sst.TODAY) == 0.0
    assert liveness(measure(last_reviewed=None), sst.TODAY) == 0.0
    plain = score(process())
    for dead in (measure(implemented=False), measure(last_reviewed=None), measure(effectiveness="niet")):
        result = score(process(measures=[dead]))
        assert result.vulnerability == plain.vulnerability
    states = score(process(measures=[measure(implemented=False, key="a"), measure(last_reviewed=None)]))
    assert [s.status for s in states.explanation.measures] == ["not_implemented", "never_reviewed"]


@pytest.mark.parametrize(
    ("values", "expected", "escalated"),
    [
        ((1, 1, 1, 1, 1), 1, False),
        ((3, 1, 1, 1, 1), 3, False),
        ((3, 3, 3, 3, 3), 3, False),  # many moderate harms are still moderate
        ((4, 1, 1, 1, 1), 4, False),
        ((4, 4, 1, 1, 1), 5, True),  # two serious harms at once: one class up
        ((5, 4, 1, 1, 1), 5, False),  # already at the top
    ],
)
def test_impact_is_the_worst_dimension_one_up_when_several_are_serious(
    values: tuple[int, ...], expected: int, escalated: bool
) -> None:
    money, personal_data, safety, trust, continuity = values
    impact = ImpactInput(money=money, personal_data=personal_data, safety=safety, trust=trust, continuity=continuity)
    result = score(process(impact=impact))
    assert result.impact == expected
    assert result.explanation.impact.escalated is escalated


def test_likelihood_classes_follow_the_thresholds() -> None:
    zero = dict.fromkeys(sst.KEYS, 0)
    assert score(process(scores=zero)).likelihood == 1
    assert score(process(scores=dict.fromkeys(sst.KEYS, 4))).likelihood == 5
    tuned = Parameters(likelihood_thresholds=(1.0, 2.0, 3.0, 4.0))
    assert score(process(scores={**zero, sst.SOLO: 1}), tuned).likelihood == 3  # 2.5 points


def test_score_many_scores_each_process_as_score_does() -> None:
    processes = [process(scores=dict.fromkeys(sst.KEYS, level)) for level in range(5)]
    assert score_many(processes) == [score(p) for p in processes]


@pytest.mark.parametrize(
    ("points", "total"),
    [((30.4, 25.4, 17.2), 73.0), ((0.5, 0.5, 0.5, 0.5), 2.0), ((10.6, -3.4, 2.2), 9.4), ((), 0.0)],
)
def test_whole_points_add_up_to_the_rounded_total(points: tuple[float, ...], total: float) -> None:
    rounded = whole_points(points, total)
    assert sum(rounded) == round(total)
    assert all(abs(r - p) < 1 for r, p in zip(rounded, points, strict=True))


def test_whole_points_refuses_parts_that_do_not_add_up() -> None:
    with pytest.raises(ValueError):
        whole_points([1.0, 1.0], 10.0)


def test_a_shared_context_profile_is_checked_against_each_parameter_table() -> None:
    context = (ContextInput("horeca", "hoog", ("belang-derden",)),)
    shared = [process(context=context, scores=dict.fromkeys(sst.KEYS, level)) for level in range(3)]
    assert [score(p).inherent_vulnerability for p in shared] == [
        score(replace(p, context=list(context))).inherent_vulnerability for p in shared
    ]
    other_table = Parameters(version="test", weights=(("a", 1.0),), solo_work_key="b")
    with pytest.raises(ValueError, match="context 'horeca'"):
        score(ProcessInput(scores={"a": 1, "b": 1}, impact=IMPACT, today=sst.TODAY, context=context), other_table)


def test_the_explanation_is_built_from_the_input_as_it_was_when_scored() -> None:
    circumstances = [CircumstanceInput("klein-team", (sst.SOLO,))]
    scores = dict.fromkeys(sst.KEYS, 2)
    result = score(process(scores=scores, circumstances=circumstances))
    circumstances.append(CircumstanceInput("later", (sst.SOLO,)))
    scores[sst.SOLO] = 4
    assert [c.key for c in result.explanation.contributions if c.kind == "circumstance"] == ["klein-team"]
    assert result.explanation.levels[-1].score == 2
    assert result.explanation.total() == pytest.approx(result.vulnerability, abs=1e-9)


def test_a_released_version_keeps_its_own_parameter_table() -> None:
    from weerbaar.scoring import DEFAULT_PARAMETERS, MODEL_VERSION, RELEASED, parameters_for

    assert RELEASED[MODEL_VERSION] is DEFAULT_PARAMETERS
    assert parameters_for(MODEL_VERSION) is DEFAULT_PARAMETERS
    assert parameters_for("1999.1") is DEFAULT_PARAMETERS
