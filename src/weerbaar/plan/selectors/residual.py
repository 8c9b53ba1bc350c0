"""Residual risk now: the latest closed consensus of a process, scored with today's measures.

A scan's stored result is the picture on the day it closed. The risk *now* depends on which
measures are implemented today and how alive they still are, so it is computed on the fly: the
scoring model takes microseconds per process, and the inputs come from a fixed number of queries.
Organisation-wide measures count for a process when they reach all units or the process's unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

from django.db.models import F, Prefetch, Q

from weerbaar import scoring
from weerbaar.catalogue.models import MeasureEffect
from weerbaar.core.models import Organisation
from weerbaar.plan.models import MeasureStatus, PlannedMeasure
from weerbaar.register.models import Process
from weerbaar.scans.models import ScanProcess, ScanState
from weerbaar.scans.services.results import ScoringContext, process_input, scoring_context


def _with_effects(queryset):  # type: ignore[no-untyped-def]
    return queryset.select_related("measure").prefetch_related(
        Prefetch("measure__effects", queryset=MeasureEffect.objects.select_related("characteristic"))
    )


def measure_input(planned: PlannedMeasure, known: Iterable[str] | None = None) -> scoring.MeasureInput | None:
    """The scoring model's view of a plan line; None when it weakens nothing the model knows."""
    allowed = set(known) if known is not None else None
    effects = {
        effect.characteristic.key: effect.strength
        for effect in planned.measure.effects.all()
        if allowed is None or effect.characteristic.key in allowed
    }
    if not effects:
        return None
    last_check = planned.last_check
    return scoring.MeasureInput(
        key=str(planned.uuid),
        effects=effects,
        effectiveness=cast(scoring.inputs.Effectiveness, planned.effectiveness) if planned.effectiveness else None,
        implemented=last_check is not None,
        last_reviewed=last_check,
        cadence_months=planned.review_cadence_months,
    )


@dataclass
class MeasuresByProcess:
    """Implemented plan lines that count for each process, and the lines themselves by key."""

    inputs: dict[int, list[scoring.MeasureInput]] = field(default_factory=dict)
    lines: dict[str, PlannedMeasure] = field(default_factory=dict)


def implemented_measures(processes: Sequence[Process], known: Iterable[str]) -> MeasuresByProcess:
    """Three queries: the plan lines (own and organisation-wide), their effects, and their units."""
    known = tuple(known)
    result = MeasuresByProcess(inputs={process.pk: [] for process in processes})
    ids = [process.pk for process in processes]
    lines = (
        _with_effects(
            PlannedMeasure.objects.filter(status=MeasureStatus.IMPLEMENTED).filter(
                Q(process_id__in=ids) | Q(process__isnull=True)
            )
        )
        .prefetch_related("units")
        .order_by("pk")
    )
    for planned in lines:
        item = measure_input(planned, known)
        if item is None:
            continue
        result.lines[item.key] = planned
        if planned.process_id is not None:
            result.inputs[planned.process_id].append(item)
            continue
        unit_ids = {unit.pk for unit in planned.units.all()}
        for process in processes:
            if planned.reaches_all_units or (process.unit_id is not None and process.unit_id in unit_ids):
                result.inputs[process.pk].append(item)
    return result


def latest_consensus(processes: Sequence[Process]) -> dict[int, ScanProcess]:
    """Per process, its scan line in the most recently closed scan that scored it (one query)."""
    rows = (
        ScanProcess.objects.filter(
            process_id__in=[process.pk for process in processes],
            scan__state=ScanState.CLOSED,
            vulnerability__isnull=False,
        )
        .select_related("scan")
        .order_by("process_id", F("scan__closed_at").desc(nulls_last=True), "-pk")
    )
    latest: dict[int, ScanProcess] = {}
    for row in rows:
        latest.setdefault(row.process_id, row)
    return latest


@dataclass(frozen=True)
class MeasureLife:
    planned: PlannedMeasure
    status: str  # alive, fading, lapsed, never_reviewed (the scoring model's words)
    liveness: float
    points: int  # whole points it takes off the score now (0 or negative)


@dataclass(frozen=True)
class Residual:
    process: Process
    scan_process: ScanProcess
    inherent: float
    at_close: float
    now: float
    likelihood: int
    impact: int
    result: scoring.Result
    measures: tuple[MeasureLife, ...]

    @property
    def not_alive(self) -> tuple[MeasureLife, ...]:
        return tuple(m for m in self.measures if m.status != "alive")


def _score(
    scan_process: ScanProcess,
    context: ScoringContext,
    measures: Sequence[scoring.MeasureInput],
    today: dt.date,
) -> scoring.Result:
    return scoring.score(
        process_input(
            scores=scan_process.consensus_scores,
            impact=scan_process.consensus_impact,
            circumstances=scan_process.consensus_circumstances,
            context=context,
            today=today,
            measures=tuple(measures),
        ),
        scoring.parameters_for(scoring.MODEL_VERSION),
    )


def residuals(
    organisation: Organisation, processes: Sequence[Process], today: dt.date, *, explain: bool = False
) -> dict[int, Residual]:
    """Residual risk now for every process that has a closed result; a fixed number of queries."""
    if not processes:
        return {}
    context = scoring_context(organisation)
    consensus = latest_consensus(processes)
    scored = [process for process in processes if process.pk in consensus]
    measures = implemented_measures(scored, context.characteristic_keys)
    out: dict[int, Residual] = {}
    for process in scored:
        scan_process = consensus[process.pk]
        inputs = measures.inputs.get(process.pk, [])
        try:
            result = _score(scan_process, context, inputs, today)
        except ValueError:
            # A consensus from before a catalogue change the model cannot read: show the stored result only.
            continue
        lives: list[MeasureLife] = []
        if explain:
            points = {c.key: c.points for c in result.explanation.contributions if c.kind == "measure"}
            lives = [
                MeasureLife(
                    planned=measures.lines[state.key],
                    status=state.status,
                    liveness=state.liveness,
                    points=round(points.get(state.key, 0.0)),
                )
                for state in result.explanation.measures
            ]
        out[process.pk] = Residual(
            process=process,
            scan_process=scan_process,
            inherent=result.inherent_vulnerability,
            at_close=scan_process.vulnerability or 0.0,
            now=result.vulnerability,
            likelihood=result.likelihood,
            impact=result.impact,
            result=result,
            measures=tuple(lives),
        )
    return out


def residual_for(organisation: Organisation, process: Process, today: dt.date) -> Residual | None:
    return residuals(organisation, [process], today, explain=True).get(process.pk)
