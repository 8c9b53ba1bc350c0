"""Process-level detail of the full report: per process of the scan its result, reasons and measures.

Only the confidential full version reads this; the summary for the raad never names a process.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from weerbaar.plan.models import MeasureStatus
from weerbaar.scans.explain import explain
from weerbaar.scans.models import ScanProcess
from weerbaar.scans.selectors.process_result import characteristics_by_key, circumstance_names
from weerbaar.scans.selectors.results import RISK_CLASSES, risk_class, whole

#: How many contributions the report words per process (the largest first).
REASONS_PER_PROCESS = 3


@dataclass(frozen=True)
class ProcessEntry:
    rank: int
    code: str
    name: str
    category: str
    unit: str
    owner: str
    vulnerability: int
    likelihood: int
    impact: int
    risk_key: str
    risk_label: str
    raters: int
    single_rater: bool
    #: the score in the previous round, or None when the process is new in this scan
    previous: int | None
    #: the largest contributions in words, and each one's first sentence (the appendix is compact)
    reasons: list[str]
    short_reasons: list[str]
    #: the heaviest consequence, and why the impact went up a class when it did
    impact_text: list[str]
    measures_implemented: int
    measures_open: int
    residual_now: int | None
    residual_risk_label: str


def _owner_name(result: ScanProcess) -> str:
    owner = result.process.owner
    if owner is None:
        return ""
    return str(owner.user.full_name or owner.user.email)


def first_sentence(text: str) -> str:
    head, found, _rest = text.partition(". ")
    return f"{head}." if found else text


def process_entries(
    results: list[ScanProcess],
    raters: dict[int, int],
    previous: dict[int, float],
    plan: dict[int, Counter[str]],
    now: dict[int, tuple[int, int, int]],
) -> list[ProcessEntry]:
    characteristics = characteristics_by_key()
    keys = [
        str(each.get("key", ""))
        for result in results
        for each in (result.explanation or {}).get("contributions", [])
        if isinstance(each, dict) and each.get("kind") in ("circumstance", "context")
    ]
    circumstances = circumstance_names(keys)
    labels = {each.key: str(each.label) for each in RISK_CLASSES}
    entries = []
    for rank, result in enumerate(results, start=1):
        assert result.likelihood is not None and result.impact is not None and result.vulnerability is not None
        explained = explain(result, characteristics=characteristics, circumstances=circumstances)
        risk = risk_class(result.likelihood, result.impact)
        lines = plan.get(result.process_id, Counter())
        residual = now.get(result.process_id)
        earlier = previous.get(result.process_id)
        reasons = [part.text for part in explained.parts if part.points > 0][:REASONS_PER_PROCESS]
        escalated = bool(((result.explanation or {}).get("impact") or {}).get("escalated"))
        entries.append(
            ProcessEntry(
                rank=rank,
                code=result.process.code,
                name=result.process.name,
                category=result.process.category.name,
                unit=result.process.unit.name if result.process.unit else "",
                owner=_owner_name(result),
                vulnerability=whole(result.vulnerability),
                likelihood=result.likelihood,
                impact=result.impact,
                risk_key=risk.key,
                risk_label=labels[risk.key],
                raters=raters.get(result.process_id, 0),
                single_rater=result.single_rater,
                previous=whole(earlier) if earlier is not None else None,
                reasons=reasons,
                short_reasons=[first_sentence(reason) for reason in reasons],
                impact_text=explained.impact[:2] if escalated else explained.impact[:1],
                measures_implemented=lines[MeasureStatus.IMPLEMENTED],
                measures_open=sum(lines[status] for status in (MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS)),
                residual_now=residual[0] if residual else None,
                residual_risk_label=labels[risk_class(residual[1], residual[2]).key] if residual else "",
            )
        )
    return entries
