"""Proposed measures for one process: every catalogue measure it does not have yet, ranked by a
what-if with the scoring model ("van 72 naar 55"), and explained by the characteristics it weakens.

The what-if adds the measure as implemented today, reviewed as effective, to the measures that
already count, and scores the latest consensus again. Nothing is stored: the ranking changes as
measures are implemented or fade.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from weerbaar import scoring
from weerbaar.catalogue import selectors as catalogue_selectors
from weerbaar.catalogue.models import Characteristic, Measure, MeasureEffect, MeasureScope
from weerbaar.core.models import Organisation
from weerbaar.plan.models import MeasureStatus, PlannedMeasure
from weerbaar.plan.selectors.residual import _score, implemented_measures, latest_consensus
from weerbaar.register.models import Process
from weerbaar.scans.models import ScanProcess
from weerbaar.scans.services.results import scoring_context


@dataclass(frozen=True)
class Addressed:
    characteristic: Characteristic
    strength: int
    score: int  # the consensus score of this process on that characteristic


@dataclass(frozen=True)
class Proposal:
    measure: Measure
    from_score: float
    to_score: float
    addressed: tuple[Addressed, ...]

    @property
    def drop(self) -> float:
        return self.from_score - self.to_score

    @property
    def whole_drop(self) -> int:
        return round(self.from_score) - round(self.to_score)


@dataclass(frozen=True)
class Proposals:
    scan_process: ScanProcess | None
    current: float | None
    ranked: tuple[Proposal, ...]
    #: Measures already in the plan for this process (any status but rejected).
    planned: tuple[PlannedMeasure, ...]
    #: Proposals the coordinator declined, with the reason.
    declined: tuple[PlannedMeasure, ...]


def proposals_for(organisation: Organisation, process: Process, today: dt.date) -> Proposals:
    """Seven queries whatever the size of the catalogue; the what-if itself is pure Python."""
    lines = list(
        PlannedMeasure.objects.filter(process=process).select_related("measure", "owner__user").order_by("-pk")
    )
    planned = tuple(line for line in lines if line.status != MeasureStatus.REJECTED)
    declined = tuple(line for line in lines if line.status == MeasureStatus.REJECTED)
    consensus = latest_consensus([process]).get(process.pk)
    if consensus is None:
        return Proposals(None, None, (), planned, declined)
    context = scoring_context(organisation)
    known = context.characteristic_keys
    existing = implemented_measures([process], known).inputs.get(process.pk, [])
    current = _score(consensus, context, existing, today).vulnerability
    taken = {line.measure_id for line in lines}
    candidates = (
        catalogue_selectors.effective(Measure, organisation=organisation)
        .filter(scope=MeasureScope.PROCESS)
        .exclude(pk__in=taken)
        .prefetch_related(Prefetch("effects", queryset=MeasureEffect.objects.select_related("characteristic")))
        .order_by("position", "name")
    )
    ranked: list[Proposal] = []
    for measure in candidates:
        effects = {e.characteristic.key: e.strength for e in measure.effects.all() if e.characteristic.key in known}
        if not effects:
            continue
        what_if = scoring.MeasureInput(
            key=f"what-if:{measure.pk}",
            effects=effects,
            effectiveness="effectief",
            implemented=True,
            last_reviewed=today,
            cadence_months=measure.review_cadence_months,
        )
        to_score = _score(consensus, context, [*existing, what_if], today).vulnerability
        addressed = tuple(
            Addressed(e.characteristic, e.strength, int(consensus.consensus_scores.get(e.characteristic.key, 0)))
            for e in sorted(measure.effects.all(), key=lambda e: (-e.strength, e.characteristic.position))
            if e.characteristic.key in known
        )
        ranked.append(Proposal(measure, current, to_score, addressed))
    ranked.sort(key=lambda p: (-p.drop, p.measure.position, p.measure.name))
    return Proposals(consensus, current, tuple(ranked), planned, declined)
