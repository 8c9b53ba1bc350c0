"""The scoring model: ``score(process)`` -> ``Result``. Pure Python; ``docs/scoring.md`` explains each step."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from weerbaar.scoring.inputs import CircumstanceInput, ContextInput, ImpactInput, MeasureInput, ProcessInput
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

# The explanation costs more than the numbers, and a heat map of 1,000 processes needs only the
# numbers: ``score`` keeps what it worked out in an ``_Evaluation`` and ``Result.explanation`` is
# built from it on first use. Same input, same explanation, whenever it is built.


@dataclass(frozen=True, slots=True)
class _Prepared:
    """Parameters turned into the shapes the hot loop wants, once per parameter table."""

    keys: tuple[str, ...]  # weighted characteristics, then solo work last
    index: dict[str, int]
    key_set: frozenset[str]
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
        key_set=frozenset(keys),
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


def _impact_class(impact: ImpactInput, params: Parameters) -> int:
    values = impact.values()
    highest = max(values)
    level = params.impact_escalation_level
    if highest < MAX_IMPACT and sum(1 for v in values if v >= level) >= params.impact_escalation_count:
        return highest + 1
    return highest


def _likelihood(vulnerability: float, params: Parameters) -> int:
    return 1 + sum(1 for threshold in params.likelihood_thresholds if vulnerability >= threshold)


def _vulnerability(levels: Sequence[float], prep: _Prepared, params: Parameters) -> tuple[float, float]:
    """Vulnerability 0..100 from levels 0..4 (solo work last), and the base index 0..1 it rests on."""
    power = prep.power
    if power == 3.0:  # the default; a plain product is several times cheaper than ** in the hot loop
        total = sum(w * x * x * x for w, x in zip(prep.weights, [level / 4.0 for level in levels], strict=False))
    else:
        total = sum(w * (level / 4.0) ** power for w, level in zip(prep.weights, levels, strict=False))
    base = (total / prep.total_weight) ** (1.0 / power)
    solo = levels[-1] / 4.0
    value = 100.0 * (params.base_share * base + params.solo_share * solo + params.interaction_share * solo * base)
    return value, base


def _terms(levels: Sequence[float], prep: _Prepared) -> list[float]:
    """Each weighted characteristic's term in the power mean: its share of the base index."""
    return [w * (level / MAX_LEVEL) ** prep.power for w, level in zip(prep.weights, levels, strict=False)]


def _slopes(levels: Sequence[float], base: float, prep: _Prepared, params: Parameters) -> list[float]:
    """d vulnerability / d level for each characteristic: how many points one level is worth here."""
    solo = levels[-1] / MAX_LEVEL
    power = prep.power
    outer = 100.0 * (params.base_share + params.interaction_share * solo) / (MAX_LEVEL * prep.total_weight)
    if power == 1.0:
        slopes = [outer * w for w in prep.weights]
    elif base > 0.0:
        outer *= base ** (1.0 - power)
        slopes = [
            outer * w * (level / MAX_LEVEL) ** (power - 1.0) for w, level in zip(prep.weights, levels, strict=False)
        ]
    else:
        slopes = [0.0] * len(prep.weights)
    slopes.append(100.0 * (params.solo_share + params.interaction_share * base) / MAX_LEVEL)
    return slopes


def _split(total: float, weights: Sequence[float]) -> list[float]:
    """Share ``total`` out in proportion to ``weights`` (equally if they are all zero)."""
    weight_sum = sum(weights)
    if weight_sum > 0.0:
        return [total * w / weight_sum if w else 0.0 for w in weights]
    return [total / len(weights)] * len(weights) if weights else []


def _raise_levels(levels: Sequence[float], uplift: Sequence[float], cap: float) -> list[float]:
    raised = [level * (1.0 + (u if u < cap else cap)) for level, u in zip(levels, uplift, strict=True)]
    return [level if level < 4.0 else 4.0 for level in raised]


def _uplift(
    items: Sequence[CircumstanceInput | ContextInput], uplifts: Sequence[float], prep: _Prepared
) -> list[float]:
    total = [0.0] * len(prep.keys)
    index = prep.index
    for item, uplift in zip(items, uplifts, strict=True):
        for key in item.characteristics:
            total[index[key]] += uplift
    return total


_CONTEXT: dict[int, tuple[object, _Prepared, list[float]]] = {}


def _context_uplift(context: Sequence[ContextInput], prep: _Prepared) -> list[float]:
    """The raise per characteristic from the external context. Every process of an organisation
    shares one context profile, so a tuple (immutable, like its items) is worked out once."""
    entry = _CONTEXT.get(id(context))
    if entry is not None and entry[0] is context and entry[1] is prep:
        return entry[2]
    _check_targets("context", context, prep)
    if type(context) is not tuple:
        return _uplift(context, [prep.context_uplift[item.severity] for item in context], prep)
    uplift = _uplift(context, [prep.context_uplift[item.severity] for item in context], prep)
    if len(_CONTEXT) > 64:
        _CONTEXT.clear()
    _CONTEXT[id(context)] = (context, prep, uplift)
    return uplift


def _check_targets(kind: str, items: Sequence[CircumstanceInput | ContextInput], prep: _Prepared) -> None:
    for item in items:
        if not prep.key_set.issuperset(item.characteristics):
            unknown = sorted(set(item.characteristics) - prep.key_set)
            raise ValueError(f"{kind} {item.key!r} points at unknown characteristics {unknown}")


def _check_keys(process: ProcessInput, prep: _Prepared) -> None:
    if process.scores.keys() != prep.key_set:
        missing = sorted(prep.key_set - process.scores.keys())
        unknown = sorted(process.scores.keys() - prep.key_set)
        raise ValueError(f"scores must cover exactly the characteristics; missing {missing}, unknown {unknown}")
    _check_targets("circumstance", process.circumstances, prep)  # the context: in _context_uplift
    for measure in process.measures:
        if not prep.key_set.issuperset(measure.effects):
            unknown = sorted(set(measure.effects) - prep.key_set)
            raise ValueError(f"measure {measure.key!r} points at unknown characteristics {unknown}")


@dataclass(slots=True)
class _Evaluation:
    """Everything ``score`` worked out; enough to build the explanation later without redoing it."""

    process: ProcessInput
    params: Parameters
    circumstances: tuple[CircumstanceInput, ...]
    context: tuple[ContextInput, ...]
    measures: tuple[MeasureInput, ...]
    rated: list[float]
    internal: list[float]  # summed relative raise per characteristic from internal circumstances
    external: list[float]  # ... and from the external context
    inherent: list[float]
    residual: list[float]
    values: tuple[float, float]  # inherent, residual
    bases: tuple[float, float]
    alive: list[float]  # liveness per measure, in input order
    effect: list[float]  # effectiveness factor per measure
    cuts: list[tuple[str, list[tuple[int, float]]]]  # per implemented measure: (characteristic, share cut)


def _evaluate(process: ProcessInput, params: Parameters) -> _Evaluation:
    prep = _prepare(params)
    _check_keys(process, prep)
    cap = params.uplift_cap
    rated = [float(process.scores[key]) for key in prep.keys]
    # Snapshots (free for tuples), so a caller's list changed later cannot skew the lazy explanation.
    circumstances, context, measures = tuple(process.circumstances), tuple(process.context), tuple(process.measures)

    # Internal circumstances and the external context raise the levels they point at (capped).
    internal = external = [0.0] * len(rated)
    if circumstances:
        internal = _uplift(circumstances, [params.circumstance_uplift] * len(circumstances), prep)
    if context:
        external = _context_uplift(context, prep)
    inherent = rated
    if circumstances or context:
        inherent = _raise_levels(rated, [a + b for a, b in zip(internal, external, strict=True)], cap)
    value_inherent, base_inherent = _vulnerability(inherent, prep, params)

    # Implemented measures lower the levels they weaken, by strength x effectiveness x liveness.
    residual = inherent
    value_residual, base_residual = value_inherent, base_inherent
    alive_list = []
    effects = []
    cuts: list[tuple[str, list[tuple[int, float]]]] = []
    index = prep.index
    strength_reduction = prep.strength_reduction
    for measure in measures:
        alive = liveness(measure, process.today, params)
        alive_list.append(alive)
        effect = (
            params.unreviewed_effectiveness
            if measure.effectiveness is None
            else prep.effectiveness_factor[measure.effectiveness]
        )
        effects.append(effect)
        if not measure.implemented:
            continue
        cut = []
        if alive > 0.0 and effect > 0.0:
            if residual is inherent:
                residual = list(inherent)
            for key, strength in measure.effects.items():
                share = strength_reduction[strength] * effect * alive
                i = index[key]
                residual[i] *= 1.0 - share
                cut.append((i, share))
        cuts.append((measure.key, cut))
    if residual is not inherent:
        value_residual, base_residual = _vulnerability(residual, prep, params)
    return _Evaluation(
        process=process,
        params=params,
        circumstances=circumstances,
        context=context,
        measures=measures,
        rated=rated,
        internal=internal,
        external=external,
        inherent=inherent,
        residual=residual,
        values=(value_inherent, value_residual),
        bases=(base_inherent, base_residual),
        alive=alive_list,
        effect=effects,
        cuts=cuts,
    )


def _uplift_contributions(
    kind: Literal["circumstance", "context"],
    items: Sequence[CircumstanceInput | ContextInput],
    uplifts: Sequence[float],
    raw: Sequence[float],
    before: Sequence[float],
    after: Sequence[float],
    gained: float,
    slopes: Sequence[float],
    prep: _Prepared,
) -> list[Contribution]:
    """Share the points a step gained over its items: each item's part of every level it raised,
    valued at what one level is worth there."""
    index = prep.index
    weights = []
    for item, uplift in zip(items, uplifts, strict=True):
        weight = 0.0
        for key in item.characteristics:
            i = index[key]
            if raw[i] > 0.0:
                weight += (after[i] - before[i]) * uplift / raw[i] * slopes[i]
        weights.append(weight)
    return [Contribution(kind, item.key, points) for item, points in zip(items, _split(gained, weights), strict=True)]


def _explain(ev: _Evaluation) -> Explanation:
    params, process = ev.params, ev.process
    prep = _prepare(params)
    keys = prep.keys
    solo_key = params.solo_work_key
    value_inherent, value_residual = ev.values
    base_inherent, base_residual = ev.bases
    # The explanation walks the steps one at a time: rated, + circumstances, + context, - measures.
    value_rated, base_rated = _vulnerability(ev.rated, prep, params)
    after_internal, value_internal, base_internal = ev.rated, value_rated, base_rated
    if ev.circumstances:
        after_internal = _raise_levels(ev.rated, ev.internal, params.uplift_cap)
        value_internal, base_internal = _vulnerability(after_internal, prep, params)

    # The rated levels, split into the characteristics, solo work alone, and the cocktail.
    terms = _terms(ev.rated, prep)
    term_sum = sum(terms)
    base_part = 100.0 * params.base_share * base_rated / term_sum if term_sum > 0.0 else 0.0
    solo = ev.rated[-1] / MAX_LEVEL
    contributions = [
        Contribution("characteristic", key, base_part * term) for key, term in zip(keys, terms, strict=False)
    ]
    contributions.append(Contribution("characteristic", solo_key, 100.0 * params.solo_share * solo))
    contributions.append(Contribution("interaction", solo_key, 100.0 * params.interaction_share * solo * base_rated))

    if ev.circumstances:
        contributions += _uplift_contributions(
            "circumstance",
            ev.circumstances,
            [params.circumstance_uplift] * len(ev.circumstances),
            ev.internal,
            ev.rated,
            after_internal,
            value_internal - value_rated,
            _slopes(after_internal, base_internal, prep, params),
            prep,
        )
    if ev.context:
        contributions += _uplift_contributions(
            "context",
            ev.context,
            [prep.context_uplift[item.severity] for item in ev.context],
            ev.external,
            after_internal,
            ev.inherent,
            value_inherent - value_internal,
            _slopes(ev.inherent, base_inherent, prep, params),
            prep,
        )
    if ev.cuts:
        slopes = _slopes(ev.residual, base_residual, prep, params)
        # Multiplied cuts add up as logarithms: each measure's part of a level's cut is its -ln(1 - share).
        logs = [[(i, -math.log1p(-share)) for i, share in cut] for _, cut in ev.cuts]
        log_totals = [0.0] * len(keys)
        for cut_logs in logs:
            for i, log_cut in cut_logs:
                log_totals[i] += log_cut
        weights = [
            sum((ev.inherent[i] - ev.residual[i]) * log_cut / log_totals[i] * slopes[i] for i, log_cut in cut_logs)
            for cut_logs in logs
        ]
        contributions += [
            Contribution("measure", key, points)
            for (key, _), points in zip(ev.cuts, _split(value_residual - value_inherent, weights), strict=True)
        ]

    return Explanation(
        contributions=contributions,
        levels=[
            CharacteristicLevel(key, int(rated), level, rest)
            for key, rated, level, rest in zip(keys, ev.rated, ev.inherent, ev.residual, strict=True)
        ],
        measures=[
            MeasureState(measure.key, _measure_status(measure, alive), alive, effect)
            for measure, alive, effect in zip(ev.measures, ev.alive, ev.effect, strict=True)
        ],
        impact=_impact(process.impact, params),
    )


def score(process: ProcessInput, params: Parameters = DEFAULT_PARAMETERS) -> Result:
    """Score one process. Raises ValueError on input the model cannot score."""
    ev = _evaluate(process, params)
    impact = _impact_class(process.impact, params)
    value_inherent, value_residual = ev.values
    inherent_likelihood = _likelihood(value_inherent, params)
    likelihood = _likelihood(value_residual, params)
    return Result(
        model_version=params.version,
        inherent_vulnerability=value_inherent,
        vulnerability=value_residual,
        inherent_likelihood=inherent_likelihood,
        likelihood=likelihood,
        impact=impact,
        inherent_cell=(inherent_likelihood, impact),
        cell=(likelihood, impact),
        _evaluation=ev,
    )


def score_many(processes: Iterable[ProcessInput], params: Parameters = DEFAULT_PARAMETERS) -> list[Result]:
    """Score many processes with one parameter table (a scan's recompute, a what-if ranking)."""
    return [score(process, params) for process in processes]
