"""The scoring model: ``score(process)`` -> ``Result``. Pure Python; ``docs/scoring.md`` explains each step."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from weerbaar.scoring.inputs import ImpactInput, MeasureInput, ProcessInput
from weerbaar.scoring.parameters import DEFAULT_PARAMETERS, MAX_IMPACT, MAX_LEVEL, Parameters
from weerbaar.scoring.results import (
    CharacteristicLevel,
    Contribution,
    Explanation,
    ImpactDetail,
    MeasureState,
    MeasureStatus,
    Result,
)


@dataclass(frozen=True, slots=True)
class _Prepared:
    """Parameters turned into the shapes the hot loop wants, once per parameter table."""

    keys: tuple[str, ...]  # weighted characteristics, then solo work last
    index: dict[str, int]
    weights: tuple[float, ...]
    total_weight: float
    power: float
    context_uplift: dict[str, float]
    strength_reduction: dict[int, float]
    effectiveness_factor: dict[str, float]


_PREPARED: dict[int, tuple[Parameters, _Prepared]] = {}


def _prepare(params: Parameters) -> _Prepared:
    # Keyed on identity: hashing the whole parameter table on every call costs more than scoring.
    entry = _PREPARED.get(id(params))
    if entry is not None and entry[0] is params:
        return entry[1]
    prepared = _prepare_uncached(params)
    if len(_PREPARED) > 16:
        _PREPARED.clear()
    _PREPARED[id(params)] = (params, prepared)
    return prepared


def _prepare_uncached(params: Parameters) -> _Prepared:
    keys = params.characteristic_keys
    weights = tuple(weight for _, weight in params.weights)
    return _Prepared(
        keys=keys,
        index={key: i for i, key in enumerate(keys)},
        weights=weights,
        total_weight=math.fsum(weights),
        power=params.power,
        context_uplift=dict(params.context_uplift),
        strength_reduction=dict(params.strength_reduction),
        effectiveness_factor=dict(params.effectiveness_factor),
    )


def liveness(measure: MeasureInput, today: date, params: Parameters = DEFAULT_PARAMETERS) -> float:
    """1.0 while the last review is within the cadence, then linearly down to 0.0 over
    ``params.fade_cadences`` further cadences. Not implemented or never reviewed: 0.0."""
    if not measure.implemented or measure.last_reviewed is None:
        return 0.0
    days = (today - measure.last_reviewed).days
    if days < 0:
        raise ValueError(f"measure {measure.key!r} was reviewed after today ({measure.last_reviewed} > {today})")
    overdue = days / params.days_per_month - measure.cadence_months
    if overdue <= 0:
        return 1.0
    return max(0.0, 1.0 - overdue / (measure.cadence_months * params.fade_cadences))


def _measure_status(measure: MeasureInput, alive: float) -> MeasureStatus:
    if not measure.implemented:
        return "not_implemented"
    if measure.last_reviewed is None:
        return "never_reviewed"
    if alive >= 1.0:
        return "alive"
    return "fading" if alive > 0.0 else "lapsed"


def _impact(impact: ImpactInput, params: Parameters) -> ImpactDetail:
    values = impact.values()
    highest = max(values)
    at_level = sum(1 for v in values if v >= params.impact_escalation_level)
    escalated = at_level >= params.impact_escalation_count and highest < MAX_IMPACT
    return ImpactDetail(highest=highest, dimensions_at_escalation_level=at_level, escalated=escalated)


def _likelihood(vulnerability: float, params: Parameters) -> int:
    return 1 + sum(1 for threshold in params.likelihood_thresholds if vulnerability >= threshold)


def _vulnerability(levels: Sequence[float], prep: _Prepared, params: Parameters) -> tuple[float, float, list[float]]:
    """Vulnerability 0..100 from levels 0..4 (solo work last); also the base index and each weighted term."""
    power = prep.power
    terms = [w * (level / MAX_LEVEL) ** power for w, level in zip(prep.weights, levels, strict=False)]
    base = (math.fsum(terms) / prep.total_weight) ** (1.0 / power)
    solo = levels[-1] / MAX_LEVEL
    value = 100.0 * (params.base_share * base + params.solo_share * solo + params.interaction_share * solo * base)
    return value, base, terms


def _slopes(levels: Sequence[float], base: float, prep: _Prepared, params: Parameters) -> list[float]:
    """d vulnerability / d level for each characteristic: how many points one level is worth here."""
    solo = levels[-1] / MAX_LEVEL
    power = prep.power
    outer = 100.0 * (params.base_share + params.interaction_share * solo)
    slopes = []
    for w, level in zip(prep.weights, levels, strict=False):
        if power == 1.0:
            slopes.append(outer * w / (MAX_LEVEL * prep.total_weight))
        elif base > 0.0:
            inner = base ** (1.0 - power) * w * (level / MAX_LEVEL) ** (power - 1.0)
            slopes.append(outer * inner / (MAX_LEVEL * prep.total_weight))
        else:
            slopes.append(0.0)
    slopes.append(100.0 * (params.solo_share + params.interaction_share * base) / MAX_LEVEL)
    return slopes


def _split(total: float, weights: Sequence[float]) -> list[float]:
    """Share ``total`` out in proportion to ``weights`` (equally if they are all zero)."""
    weight_sum = math.fsum(weights)
    if weight_sum > 0.0:
        return [total * w / weight_sum for w in weights]
    return [total / len(weights)] * len(weights) if weights else []


def _raise_levels(levels: Sequence[float], uplift: Sequence[float], cap: float) -> list[float]:
    return [min(float(MAX_LEVEL), level * (1.0 + min(cap, u))) for level, u in zip(levels, uplift, strict=True)]


def _uplift_contributions(
    kind: Literal["circumstance", "context"],
    items: Sequence[tuple[str, tuple[str, ...], float]],
    raw: Sequence[float],
    before: Sequence[float],
    after: Sequence[float],
    gained: float,
    slopes: Sequence[float],
    index: dict[str, int],
) -> list[Contribution]:
    """Share the points a step gained over its items: each item's part of every level it raised,
    valued at what a level is worth there."""
    weights = []
    for _, targets, uplift in items:
        weight = 0.0
        for key in targets:
            i = index[key]
            if raw[i] > 0.0:
                weight += (after[i] - before[i]) * uplift / raw[i] * slopes[i]
        weights.append(weight)
    return [Contribution(kind, key, points) for (key, _, _), points in zip(items, _split(gained, weights), strict=True)]


def _check_keys(process: ProcessInput, prep: _Prepared) -> None:
    if process.scores.keys() != prep.index.keys():
        missing = sorted(prep.index.keys() - process.scores.keys())
        unknown = sorted(process.scores.keys() - prep.index.keys())
        raise ValueError(f"scores must cover exactly the characteristics; missing {missing}, unknown {unknown}")
    for owner, targets in (
        *((f"circumstance {c.key!r}", c.characteristics) for c in process.circumstances),
        *((f"context {c.key!r}", c.characteristics) for c in process.context),
        *((f"measure {m.key!r}", tuple(m.effects)) for m in process.measures),
    ):
        for key in targets:
            if key not in prep.index:
                raise ValueError(f"{owner} points at unknown characteristic {key!r}")


def score(process: ProcessInput, params: Parameters = DEFAULT_PARAMETERS) -> Result:
    """Score one process. Raises ValueError on input the model cannot score."""
    prep = _prepare(params)
    _check_keys(process, prep)
    index = prep.index
    n = len(prep.keys)
    cap = params.uplift_cap

    rated = [float(process.scores[key]) for key in prep.keys]
    value_rated, base_rated, terms_rated = _vulnerability(rated, prep, params)

    # Step 1: the rated levels, split into the characteristics, solo work alone, and the cocktail.
    solo = rated[-1] / MAX_LEVEL
    term_sum = math.fsum(terms_rated)
    base_part = 100.0 * params.base_share * base_rated
    contributions = [
        Contribution("characteristic", key, base_part * term / term_sum if term_sum > 0.0 else 0.0)
        for key, term in zip(prep.keys, terms_rated, strict=False)
    ]
    contributions.append(Contribution("characteristic", params.solo_work_key, 100.0 * params.solo_share * solo))
    contributions.append(
        Contribution("interaction", params.solo_work_key, 100.0 * params.interaction_share * solo * base_rated)
    )

    # Steps 2 and 3: internal circumstances, then external context, raise the levels they point at.
    internal = [0.0] * n
    for circumstance in process.circumstances:
        for key in circumstance.characteristics:
            internal[index[key]] += params.circumstance_uplift
    external = [0.0] * n
    for item in process.context:
        for key in item.characteristics:
            external[index[key]] += prep.context_uplift[item.severity]
    after_internal = _raise_levels(rated, internal, cap)
    inherent = _raise_levels(rated, [a + b for a, b in zip(internal, external, strict=True)], cap)
    value_internal, base_internal, _ = _vulnerability(after_internal, prep, params)
    value_inherent, base_inherent, _ = _vulnerability(inherent, prep, params)

    contributions.extend(
        _uplift_contributions(
            "circumstance",
            [(c.key, c.characteristics, params.circumstance_uplift) for c in process.circumstances],
            internal,
            rated,
            after_internal,
            value_internal - value_rated,
            _slopes(after_internal, base_internal, prep, params) if process.circumstances else [],
            index,
        )
    )
    contributions.extend(
        _uplift_contributions(
            "context",
            [(c.key, c.characteristics, prep.context_uplift[c.severity]) for c in process.context],
            external,
            after_internal,
            inherent,
            value_inherent - value_internal,
            _slopes(inherent, base_inherent, prep, params) if process.context else [],
            index,
        )
    )

    # Step 4: implemented measures lower the levels they weaken, by strength x effectiveness x liveness.
    residual = list(inherent)
    states = []
    cuts: list[tuple[int, dict[int, float]]] = []  # measure position -> {characteristic: -ln(1 - share)}
    for position, measure in enumerate(process.measures):
        alive = liveness(measure, process.today, params)
        if measure.effectiveness is None:
            effect = params.unreviewed_effectiveness
        else:
            effect = prep.effectiveness_factor[measure.effectiveness]
        states.append(MeasureState(measure.key, _measure_status(measure, alive), alive, effect))
        if not measure.implemented:
            continue
        cut = {}
        for key, strength in measure.effects.items():
            share = prep.strength_reduction[strength] * effect * alive
            if share > 0.0:
                i = index[key]
                residual[i] *= 1.0 - share
                cut[i] = -math.log1p(-share)
        cuts.append((position, cut))
    if cuts:
        value_residual, base_residual, _ = _vulnerability(residual, prep, params)
        slopes = _slopes(residual, base_residual, prep, params)
        log_totals = [0.0] * n
        for _, cut in cuts:
            for i, log_cut in cut.items():
                log_totals[i] += log_cut
        weights = [
            math.fsum((inherent[i] - residual[i]) * log_cut / log_totals[i] * slopes[i] for i, log_cut in cut.items())
            for _, cut in cuts
        ]
        contributions.extend(
            Contribution("measure", process.measures[position].key, points)
            for (position, _), points in zip(cuts, _split(value_residual - value_inherent, weights), strict=True)
        )
    else:
        value_residual = value_inherent

    impact_detail = _impact(process.impact, params)
    impact = min(MAX_IMPACT, impact_detail.highest + (1 if impact_detail.escalated else 0))
    inherent_likelihood = _likelihood(value_inherent, params)
    likelihood = _likelihood(value_residual, params)
    levels = tuple(
        CharacteristicLevel(key, process.scores[key], inherent[i], residual[i]) for i, key in enumerate(prep.keys)
    )
    return Result(
        model_version=params.version,
        inherent_vulnerability=value_inherent,
        vulnerability=value_residual,
        inherent_likelihood=inherent_likelihood,
        likelihood=likelihood,
        impact=impact,
        inherent_cell=(inherent_likelihood, impact),
        cell=(likelihood, impact),
        explanation=Explanation(tuple(contributions), levels, tuple(states), impact_detail),
    )


def score_many(processes: Iterable[ProcessInput], params: Parameters = DEFAULT_PARAMETERS) -> list[Result]:
    """Score many processes with one parameter table (a scan's recompute, a what-if ranking)."""
    return [score(process, params) for process in processes]
