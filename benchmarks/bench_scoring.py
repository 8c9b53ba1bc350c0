"""Scoring benchmark: recompute 1,000 processes (consensus of 5 raters) with weerbaar.scoring.

Issue 5 sets the goal at ≤ 50 ms for the numbers; the explanations are built on demand and timed
separately. Figures only.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

PROCESSES = 1_000
RATERS = 5
REPEATS = 5


def _inputs() -> list[Any]:
    from weerbaar.scoring import CircumstanceInput, ContextInput, ImpactInput, MeasureInput, ProcessInput
    from weerbaar.scoring.examples import _scores

    today = date(2026, 11, 23)
    keys = list(_scores())
    context = (
        ContextInput("bedrijventerrein", "hoog", ("belang-derden", "geldstromen")),
        ContextInput("horeca", "middel", ("klantcontact",)),
    )
    processes = []
    for i in range(PROCESSES):
        # The consensus of five raters: the median of their levels per characteristic.
        levels = {
            key: sorted((i * 7 + k * 3 + r) % 5 for r in range(RATERS))[RATERS // 2] for k, key in enumerate(keys)
        }
        processes.append(
            ProcessInput(
                scores=levels,
                impact=ImpactInput(money=1 + i % 5, personal_data=1 + (i // 5) % 5, safety=1, trust=3, continuity=2),
                today=today,
                circumstances=(CircumstanceInput("lang-in-functie", (keys[i % 8], keys[(i + 3) % 8])),),
                context=context,
                measures=(
                    MeasureInput(
                        key="vier-ogen",
                        effects={keys[7]: 3, keys[0]: 2},
                        effectiveness="effectief",
                        implemented=True,
                        last_reviewed=today - timedelta(days=30 * (i % 30)),
                        cadence_months=12,
                    ),
                ),
            )
        )
    return processes


def bench_scoring(results: dict[str, Any]) -> bool:
    from weerbaar.scoring import score_many

    processes = _inputs()
    score_many(processes)  # warm-up
    timings, explained = [], []
    for _ in range(REPEATS):
        start = time.perf_counter()
        scored = score_many(processes)
        timings.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        for result in scored:
            _ = result.explanation.contributions
        explained.append((time.perf_counter() - start) * 1000)
    results["scoring_1000_processes"] = (round(min(timings), 1), "ms")
    results["scoring_1000_explanations"] = (round(min(explained), 1), "ms")
    return True
