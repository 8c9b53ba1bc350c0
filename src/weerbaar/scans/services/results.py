"""From a consensus to a stored score: the one place that turns register data into scoring inputs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from weerbaar import scoring
from weerbaar.catalogue import selectors as catalogue_selectors
from weerbaar.catalogue.models import Characteristic, Circumstance, CircumstanceKind
from weerbaar.core.models import Organisation
from weerbaar.register.models import ContextItem
from weerbaar.scans.models import IMPACT_KEYS, ScanProcess


@dataclass(frozen=True)
class ScoringContext:
    """What every process of one organisation shares: its catalogue links and its external context."""

    characteristic_keys: tuple[str, ...]
    #: internal circumstance uuid -> the characteristic keys it makes worse
    circumstances: dict[str, tuple[str, ...]]
    context: tuple[scoring.ContextInput, ...]


def scoring_context(organisation: Organisation) -> ScoringContext:
    """Four queries, whatever the number of processes."""
    keys = tuple(Characteristic.objects.filter(is_active=True).order_by("position").values_list("key", flat=True))
    known = set(keys)
    circumstances = {
        str(each.uuid): tuple(c.key for c in each.characteristics.all() if c.key in known)
        for each in catalogue_selectors.effective(Circumstance, organisation=organisation)
        .filter(kind=CircumstanceKind.INTERNAL)
        .prefetch_related("characteristics")
    }
    context = []
    items = (
        ContextItem.objects.filter(applies=True)
        .select_related("circumstance")
        .prefetch_related("circumstance__characteristics")
        .order_by("pk")
    )
    for item in items:
        targets = tuple(c.key for c in item.circumstance.characteristics.all() if c.key in known)
        if targets and item.severity:
            context.append(
                scoring.ContextInput(key=str(item.circumstance.uuid), severity=item.severity, characteristics=targets)
            )
    return ScoringContext(keys, circumstances, tuple(context))


def process_input(
    *,
    scores: dict[str, int],
    impact: dict[str, int],
    circumstances: list[str],
    context: ScoringContext,
    today: dt.date,
    measures: tuple[scoring.MeasureInput, ...] = (),
) -> scoring.ProcessInput:
    ticked = [
        scoring.CircumstanceInput(key=key, characteristics=context.circumstances[key])
        for key in sorted(set(circumstances))
        if context.circumstances.get(key)
    ]
    return scoring.ProcessInput(
        scores={key: int(scores[key]) for key in context.characteristic_keys},
        impact=scoring.ImpactInput(**{key: int(impact[key]) for key in IMPACT_KEYS}),
        today=today,
        circumstances=ticked,
        context=context.context,
        measures=measures,
    )


def explanation_data(result: scoring.Result) -> dict[str, Any]:
    """The explanation as JSON the pages and the API read back; points rounded to 0.01."""
    explanation = result.explanation
    return {
        "inherent_vulnerability": round(result.inherent_vulnerability, 2),
        "contributions": [
            {"kind": c.kind, "key": c.key, "points": round(c.points, 2)} for c in explanation.contributions
        ],
        "levels": [
            {
                "key": level.key,
                "score": level.score,
                "inherent": round(level.inherent_level, 2),
                "residual": round(level.residual_level, 2),
            }
            for level in explanation.levels
        ],
        "impact": {
            "highest": explanation.impact.highest,
            "escalated": explanation.impact.escalated,
            "at_escalation_level": explanation.impact.dimensions_at_escalation_level,
        },
    }


def apply_result(
    scan_process: ScanProcess,
    context: ScoringContext,
    *,
    today: dt.date | None = None,
    measures: Sequence[scoring.MeasureInput] = (),
) -> None:
    """Score the consensus of ``scan_process`` with the measures that count today; set the result
    fields (the caller saves). The stored result is the picture of that day; the residual risk
    *now* is computed on the fly (``weerbaar.plan.selectors.residual``)."""
    result = scoring.score(
        process_input(
            scores=scan_process.consensus_scores,
            impact=scan_process.consensus_impact,
            circumstances=scan_process.consensus_circumstances,
            context=context,
            today=today or timezone.localdate(),
            measures=tuple(measures),
        )
    )
    scan_process.model_version = result.model_version
    scan_process.vulnerability = round(result.vulnerability, 2)
    scan_process.inherent_vulnerability = round(result.inherent_vulnerability, 2)
    scan_process.likelihood = result.likelihood
    scan_process.impact = result.impact
    scan_process.explanation = explanation_data(result)
    scan_process.computed_at = timezone.now()


RESULT_FIELDS = ("model_version", "vulnerability", "inherent_vulnerability", "likelihood", "impact")
