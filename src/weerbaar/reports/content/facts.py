"""The report's figures as plain data, read from the existing selectors in a fixed number of queries.

Everything here is numbers, dates and names; the sentences around them are made in
``weerbaar.reports.content.prose``. The report covers the whole organisation: it reads results
without a member's need-to-know filter (only the coordinator composes it, and who may read the
published version is decided where it is published). The summary version reads no process at all.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.attention.selectors.checklist import checklist
from weerbaar.attention.selectors.indicator import attention_indicator
from weerbaar.core.models import Organisation
from weerbaar.plan.models import MeasureStatus, PlannedMeasure
from weerbaar.plan.selectors.due import liveness_summary
from weerbaar.plan.selectors.plan_list import plan_summary
from weerbaar.plan.selectors.residual import residuals
from weerbaar.reports.content.processes import ProcessEntry, process_entries
from weerbaar.scans.models import Rating, Scan, ScanProcess, ScanState
from weerbaar.scans.selectors.results import LEVELS, RISK_CLASSES, risk_class, whole
from weerbaar.scans.selectors.trend import previous_round

#: Risk classes that count as "high" in the report's sentences (the two highest bands).
HIGH_KEYS = ("hoog", "zeer-hoog")
#: How many processes the full report names in its top list.
TOP_COUNT = 10


@dataclass(frozen=True)
class ClassCount:
    key: str
    label: str
    now: int
    before: int | None = None


@dataclass(frozen=True)
class HeatData:
    #: rows from kans 5 (top) down to 1, each the counts for impact 1..5
    rows: list[list[int]]
    classes: list[ClassCount]
    total: int

    def cell(self, likelihood: int, impact: int) -> int:
        return self.rows[5 - likelihood][impact - 1]


@dataclass(frozen=True)
class ScanFacts:
    uuid: str
    name: str
    year: int
    period_start: dt.date
    period_end: dt.date
    closed_on: dt.date | None
    processes: int
    raters: int
    ratings: int
    fewest_raters: int
    most_raters: int
    single_rater: int
    model_versions: list[str]
    average: int | None


@dataclass(frozen=True)
class TrendFacts:
    previous_name: str
    previous_year: int
    processes_before: int
    average_before: int | None
    higher: int
    lower: int
    equal: int
    new: int
    dropped: int


@dataclass(frozen=True)
class CategoryRow:
    name: str
    processes: int
    high: int
    average: int


@dataclass(frozen=True)
class StatusCount:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class ChecklistRow:
    label: str
    total: int
    implemented: int
    in_progress: int
    not_started: int


@dataclass(frozen=True)
class MeasureFacts:
    statuses: list[StatusCount]
    process_lines: int
    organisation_lines: int
    overdue: int
    due_soon: int
    implemented: int
    alive: int
    fading: int
    lapsed: int
    #: processes of the scan whose residual risk today is below their result at closing
    lowered: int
    high_at_close: int
    high_now: int
    checklist: list[ChecklistRow]
    checklist_total: int
    checklist_implemented: int

    @property
    def total(self) -> int:
        return sum(each.count for each in self.statuses)


@dataclass(frozen=True)
class AttentionFigure:
    title: str
    value: str
    explanation: str
    status: str
    status_label: str


@dataclass(frozen=True)
class Facts:
    organisation_name: str
    reference_date: dt.date
    model_version: str
    scan: ScanFacts | None
    heat: HeatData | None
    trend: TrendFacts | None
    categories: list[CategoryRow]
    #: process-level detail: empty in the summary version
    processes: list[ProcessEntry] = field(default_factory=list)
    measures: MeasureFacts | None = None
    attention: list[AttentionFigure] = field(default_factory=list)


def _closed_scans() -> list[Scan]:
    return list(
        Scan.objects.filter(state=ScanState.CLOSED).order_by(F("closed_at").desc(nulls_last=True), "-period_end", "-pk")
    )


def _scored(scan: Scan) -> QuerySet[ScanProcess]:
    return ScanProcess.objects.filter(
        scan=scan, vulnerability__isnull=False, likelihood__isnull=False, impact__isnull=False
    )


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def _heat(rows: list[tuple[int, int]], before: list[tuple[int, int]] | None) -> HeatData:
    counts = Counter(rows)
    grid = [[counts[(likelihood, impact)] for impact in LEVELS] for likelihood in reversed(LEVELS)]
    now_classes = Counter(risk_class(likelihood, impact).key for likelihood, impact in rows)
    before_classes = Counter(risk_class(likelihood, impact).key for likelihood, impact in before or [])
    classes = [
        ClassCount(
            key=each.key,
            label=str(each.label),
            now=now_classes[each.key],
            before=before_classes[each.key] if before is not None else None,
        )
        for each in reversed(RISK_CLASSES)
    ]
    return HeatData(rows=grid, classes=classes, total=len(rows))


def _rater_counts(scan: Scan) -> tuple[int, int, dict[int, int]]:
    """(distinct raters, handed-in ratings, ratings per process id) of the scan. One query."""
    pairs = list(
        Rating.objects.filter(scan_process__scan=scan, submitted_at__isnull=False)
        .order_by()
        .values_list("scan_process__process_id", "rater_id")
    )
    per_process: dict[int, int] = Counter(process_id for process_id, _rater in pairs)
    return len({rater for _process, rater in pairs}), len(pairs), dict(per_process)


def _plan_counts() -> tuple[dict[str, int], dict[int, Counter[str]], int, int]:
    """Plan lines by status (whole plan), per process, and how many are per process / organisation-wide."""
    totals: Counter[str] = Counter()
    per_process: dict[int, Counter[str]] = defaultdict(Counter)
    process_lines = organisation_lines = 0
    for process_id, status, n in (
        PlannedMeasure.objects.order_by().values_list("process_id", "status").annotate(n=Count("pk"))
    ):
        totals[status] += n
        if status == MeasureStatus.REJECTED:
            continue
        if process_id is None:
            organisation_lines += n
        else:
            process_lines += n
            per_process[process_id][status] += n
    return dict(totals), per_process, process_lines, organisation_lines


def _measure_facts(
    organisation: Organisation,
    today: dt.date,
    results: list[ScanProcess],
    totals: dict[str, int],
    process_lines: int,
    organisation_lines: int,
) -> tuple[MeasureFacts, dict[int, tuple[int, int, int]]]:
    """The plan's state and, per process of the scan, its residual risk now (score, kans, impact)."""
    summary = plan_summary(today)
    liveness = liveness_summary(today)
    statuses = [
        StatusCount(str(value), str(label), totals.get(value, 0))
        for value, label in MeasureStatus.choices
        if value != MeasureStatus.REJECTED
    ]
    now: dict[int, tuple[int, int, int]] = {}
    lowered = high_at_close = high_now = 0
    if results:
        found = residuals(organisation, [result.process for result in results], today)
        for result in results:
            assert result.likelihood is not None and result.impact is not None and result.vulnerability is not None
            if risk_class(result.likelihood, result.impact).key in HIGH_KEYS:
                high_at_close += 1
            residual = found.get(result.process_id)
            if residual is None or residual.scan_process.pk != result.pk:
                continue
            now[result.process_id] = (whole(residual.now), residual.likelihood, residual.impact)
            if whole(residual.now) < whole(result.vulnerability):
                lowered += 1
            if risk_class(residual.likelihood, residual.impact).key in HIGH_KEYS:
                high_now += 1
    listed = checklist(organisation, today)
    rows = []
    for group in listed.groups:
        items = group.items
        rows.append(
            ChecklistRow(
                label=group.label,
                total=len(items),
                implemented=sum(1 for item in items if item.state == "geimplementeerd"),
                in_progress=sum(1 for item in items if item.state in ("gepland", "in_uitvoering")),
                not_started=sum(1 for item in items if item.state == "niet_gestart"),
            )
        )
    facts = MeasureFacts(
        statuses=statuses,
        process_lines=process_lines,
        organisation_lines=organisation_lines,
        overdue=summary.overdue,
        due_soon=summary.due_soon,
        implemented=liveness.implemented,
        alive=liveness.alive,
        fading=liveness.fading,
        lapsed=liveness.lapsed,
        lowered=lowered,
        high_at_close=high_at_close,
        high_now=high_now if results else 0,
        checklist=rows,
        checklist_total=listed.summary.total,
        checklist_implemented=listed.summary.implemented,
    )
    return facts, now


def _attention(today: dt.date) -> list[AttentionFigure]:
    indicator = attention_indicator(today)
    return [
        AttentionFigure(
            title=str(figure.title),
            value=str(figure.value),
            explanation=str(figure.explanation),
            status=figure.status,
            status_label=str(figure.status_label),
        )
        for figure in indicator.figures
    ]


#: In the public summary a category with fewer processes than this is merged into "overige
#: categorieën": its average and its count of high risks would describe one or two processes.
SUMMARY_MIN_CATEGORY = 3


def _categories(results: list[ScanProcess], *, public: bool = False) -> list[CategoryRow]:
    grouped: dict[tuple[int, str], list[ScanProcess]] = defaultdict(list)
    for result in results:
        category = result.process.category
        grouped[(category.position, category.name)].append(result)
    if public:
        small = [key for key, members in grouped.items() if len(members) < SUMMARY_MIN_CATEGORY]
        rest = [result for key in small for result in grouped.pop(key)]
        # Sorted last; a merged group that is itself still small is left out altogether.
        if len(rest) >= SUMMARY_MIN_CATEGORY:
            grouped[(10**6, str(_("Overige categorieën samen")))] = rest
    rows = []
    for (_position, name), members in sorted(grouped.items()):
        rows.append(
            CategoryRow(
                name=name,
                processes=len(members),
                high=sum(1 for each in members if risk_class(each.likelihood or 1, each.impact or 1).key in HIGH_KEYS),
                average=whole(sum(each.vulnerability or 0.0 for each in members) / len(members)),
            )
        )
    return rows


def _rank_key(result: ScanProcess) -> tuple[int, float, str, int]:
    assert result.likelihood is not None and result.impact is not None and result.vulnerability is not None
    return (-(result.likelihood * result.impact), -result.vulnerability, result.process.code, result.pk)


def gather(organisation: Organisation, *, today: dt.date, with_processes: bool) -> Facts:
    """Every figure of the report. A fixed number of queries, whatever the number of processes."""
    from weerbaar import scoring

    scans = _closed_scans()
    scan = scans[0] if scans else None
    totals, per_process, process_lines, organisation_lines = _plan_counts()
    if scan is None:
        measures, _now = _measure_facts(organisation, today, [], totals, process_lines, organisation_lines)
        return Facts(
            organisation_name=organisation.name,
            reference_date=today,
            model_version=scoring.MODEL_VERSION,
            scan=None,
            heat=None,
            trend=None,
            categories=[],
            measures=measures,
            attention=_attention(today),
        )
    # The report pages need each result's process with its category, unit and owner.
    results = sorted(
        _scored(scan).select_related("process__category", "process__unit", "process__owner__user"), key=_rank_key
    )
    previous_scan = previous_round(scan, scans)
    before: dict[int, tuple[float, int, int]] = {}
    if previous_scan is not None:
        for process_id, vulnerability, likelihood, impact in (
            _scored(previous_scan).order_by().values_list("process_id", "vulnerability", "likelihood", "impact")
        ):
            # Results are only read with all three values set (``_scored``).
            assert vulnerability is not None and likelihood is not None and impact is not None
            before[process_id] = (vulnerability, likelihood, impact)
    raters, ratings, per_process_raters = _rater_counts(scan)
    heat = _heat(
        [(r.likelihood or 1, r.impact or 1) for r in results],
        [(likelihood, impact) for _v, likelihood, impact in before.values()] if previous_scan is not None else None,
    )
    current = {r.process_id: r.vulnerability or 0.0 for r in results}
    trend = None
    if previous_scan is not None:
        moves = Counter(
            (whole(current[key]) > whole(before[key][0])) - (whole(current[key]) < whole(before[key][0]))
            for key in current.keys() & before.keys()
        )
        trend = TrendFacts(
            previous_name=previous_scan.name,
            previous_year=previous_scan.period_end.year,
            processes_before=len(before),
            average_before=whole(sum(v for v, _l, _i in before.values()) / len(before)) if before else None,
            higher=moves[1],
            lower=moves[-1],
            equal=moves[0],
            new=len(current.keys() - before.keys()),
            dropped=len(before.keys() - current.keys()),
        )
    counts = [per_process_raters.get(r.process_id, 0) for r in results]
    scan_facts = ScanFacts(
        uuid=str(scan.uuid),
        name=scan.name,
        year=scan.period_end.year,
        period_start=scan.period_start,
        period_end=scan.period_end,
        closed_on=_local_date(scan.closed_at),
        processes=len(results),
        raters=raters,
        ratings=ratings,
        fewest_raters=min(counts, default=0),
        most_raters=max(counts, default=0),
        single_rater=sum(1 for r in results if r.single_rater),
        model_versions=sorted({r.model_version for r in results if r.model_version}),
        average=whole(sum(current.values()) / len(current)) if current else None,
    )
    measures, now = _measure_facts(organisation, today, results, totals, process_lines, organisation_lines)
    entries: list[ProcessEntry] = []
    if with_processes:
        entries = process_entries(
            results, per_process_raters, {key: value[0] for key, value in before.items()}, per_process, now
        )
    return Facts(
        organisation_name=organisation.name,
        reference_date=today,
        model_version=scoring.MODEL_VERSION,
        scan=scan_facts,
        heat=heat,
        trend=trend,
        categories=_categories(results, public=not with_processes),
        processes=entries,
        measures=measures,
        attention=_attention(today),
    )
