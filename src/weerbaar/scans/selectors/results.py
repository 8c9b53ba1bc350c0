"""Reads of the results pages: who may see which result (need-to-know), the heat map and the priority list.

Need-to-know lives in exactly one place, `visible_results`: the secretaris and the coordinator
(``RESULTS_VIEW_ALL``) see every result, a proceseigenaar (``RESULTS_VIEW`` only) sees the results
of the processes they own, everyone else sees none. A scan in review already has results for the
processes whose consensus is settled; only ``RESULTS_VIEW_ALL`` sees those, labelled "voorlopig".
Every page, the heat map counts and the export start from that queryset.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.expressions import ExpressionWrapper
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership
from weerbaar.core.permissions import Action
from weerbaar.register.models import Process
from weerbaar.register.selectors import NO_OWNER
from weerbaar.scans.models import Scan, ScanProcess, ScanState

LEVELS = (1, 2, 3, 4, 5)

# --- need-to-know ---------------------------------------------------------------------------------


def sees_all(membership: Membership) -> bool:
    return membership.can(Action.RESULTS_VIEW_ALL)


def _visible_states(membership: Membership) -> tuple[str, ...]:
    """The need-to-know rule, part one: the scan states whose results this member may see."""
    if membership.can(Action.RESULTS_VIEW_ALL):
        return (ScanState.REVIEW, ScanState.CLOSED)
    if membership.can(Action.RESULTS_VIEW):
        return (ScanState.CLOSED,)
    return ()


def _own_processes_only(membership: Membership) -> bool:
    """The need-to-know rule, part two: a proceseigenaar sees only the processes they own."""
    return not membership.can(Action.RESULTS_VIEW_ALL)


def visible_results(membership: Membership) -> QuerySet[ScanProcess]:
    """Every stored result this member may see. The one need-to-know rule of the results pages."""
    states = _visible_states(membership)
    if not states:
        return ScanProcess.objects.none()
    results = ScanProcess.objects.filter(
        vulnerability__isnull=False, likelihood__isnull=False, impact__isnull=False, scan__state__in=states
    )
    return results.filter(process__owner=membership) if _own_processes_only(membership) else results


def visible_processes(membership: Membership) -> QuerySet[Process]:
    """Processes whose result page this member may open (a proceseigenaar: only their own)."""
    if not _visible_states(membership):
        return Process.objects.none()
    return Process.objects.filter(owner=membership) if _own_processes_only(membership) else Process.objects.all()


def may_see_results(membership: Membership, process: Process) -> bool:
    """The same rule as `visible_processes`, for one process already in hand (the register's process page)."""
    if not _visible_states(membership):
        return False
    return not _own_processes_only(membership) or process.owner_id == membership.pk


def result_scans(membership: Membership) -> list[Scan]:
    """The scans to choose from: closed ones newest first; a scan in review first, for those who see all."""
    states = _visible_states(membership)
    if not states:
        return []
    return list(
        Scan.objects.filter(state__in=states).order_by(F("closed_at").desc(nulls_first=True), "-period_end", "-pk")
    )


def default_scan(scans: Sequence[Scan]) -> Scan | None:
    """The latest closed scan; a scan in review is only shown when someone chooses it."""
    return next((scan for scan in scans if scan.is_closed), None)


# --- risk classes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskClass:
    key: str
    label: Any
    #: likelihood x impact from this product up
    from_product: int
    to_product: int


#: Bands over likelihood x impact on the 5x5 matrix; a later model may calibrate them.
RISK_CLASSES: tuple[RiskClass, ...] = (
    RiskClass("laag", _("laag"), 1, 4),
    RiskClass("middel", _("middel"), 5, 9),
    RiskClass("hoog", _("hoog"), 10, 16),
    RiskClass("zeer-hoog", _("zeer hoog"), 20, 25),
)


def risk_class(likelihood: int, impact: int) -> RiskClass:
    product = likelihood * impact
    for each in reversed(RISK_CLASSES):
        if product >= each.from_product:
            return each
    return RISK_CLASSES[0]


def whole(value: float) -> int:
    """A score as the pages show it: the same rounding as `weerbaar.scoring.whole_points`."""
    return round(value)


# --- comparison with an earlier scan --------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    kind: str  # "hoger", "lager", "gelijk", "nieuw"
    points: int = 0
    previous: int | None = None
    previous_scan: str = ""

    @property
    def previous_text(self) -> str:
        """The earlier score with the scan it is from ("Scan 2025: 42"), or nothing."""
        if not self.previous_scan:
            return ""
        return gettext("%(scan)s: %(previous)s") % {"scan": self.previous_scan, "previous": self.previous}

    @property
    def text(self) -> str:
        if self.kind == "hoger":
            return gettext("↑ %(points)d hoger") % {"points": self.points}
        if self.kind == "lager":
            return gettext("↓ %(points)d lager") % {"points": self.points}
        if self.kind == "gelijk":
            return gettext("gelijk")
        return gettext("nieuw")


def compare(current: float, previous: float | None, previous_scan: str = "") -> Change:
    if previous is None:
        return Change("nieuw")
    difference = whole(current) - whole(previous)
    if difference > 0:
        return Change("hoger", difference, whole(previous), previous_scan)
    if difference < 0:
        return Change("lager", -difference, whole(previous), previous_scan)
    return Change("gelijk", 0, whole(previous), previous_scan)


def _earlier_results(scan: Scan) -> QuerySet[ScanProcess]:
    """Per row: the same process's latest result in a closed scan before ``scan`` (for a subquery)."""
    earlier = ScanProcess.objects.filter(
        process=OuterRef("process"), scan__state=ScanState.CLOSED, vulnerability__isnull=False
    ).exclude(scan=scan)
    if scan.closed_at is not None:
        earlier = earlier.filter(scan__closed_at__lt=scan.closed_at)
    return earlier.order_by(F("scan__closed_at").desc(nulls_last=True), "-pk")


# --- the results page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultFilter:
    unit: Any = None  # a Unit, or None for all
    category: Any = None  # a ProcessCategory, or None
    owner: Any = None  # a Membership, NO_OWNER, or None for all
    likelihood: int | None = None
    impact: int | None = None


def scan_results(membership: Membership, scan: Scan, filters: ResultFilter | None = None) -> QuerySet[ScanProcess]:
    """The member's results of one scan, narrowed by unit, category and owner (not yet by cell)."""
    filters = filters or ResultFilter()
    results = visible_results(membership).filter(scan=scan)
    if filters.unit is not None:
        results = results.filter(process__unit=filters.unit)
    if filters.category is not None:
        results = results.filter(process__category=filters.category)
    if filters.owner == NO_OWNER:
        results = results.filter(process__owner__isnull=True)
    elif filters.owner is not None:
        results = results.filter(process__owner=filters.owner)
    return results


#: The priority list's order: highest risk (kans x impact) first, then the highest score.
PRIORITY_ORDER = ("-risk", "-vulnerability", "process__code", "pk")
#: What the export of the priority list reads. The stored explanation and consensus are JSON
#: that every row would otherwise decode for nothing.
LIST_FIELDS = (
    "vulnerability",
    "likelihood",
    "impact",
    "single_rater",
    "process__uuid",
    "process__code",
    "process__name",
    "process__category__name",
    "process__unit__name",
    "process__owner__user__full_name",
    "process__owner__user__email",
)


def _cell_filtered(results: QuerySet[ScanProcess], filters: ResultFilter) -> QuerySet[ScanProcess]:
    if filters.likelihood is not None:
        results = results.filter(likelihood=filters.likelihood)
    if filters.impact is not None:
        results = results.filter(impact=filters.impact)
    return results


def _ranked(results: QuerySet[ScanProcess]) -> QuerySet[ScanProcess]:
    return results.annotate(
        risk=ExpressionWrapper(F("likelihood") * F("impact"), output_field=IntegerField())
    ).order_by(*PRIORITY_ORDER)


def _listed(results: QuerySet[ScanProcess], scan: Scan) -> QuerySet[ScanProcess]:
    """The rows in priority order with their process, category, unit and owner joined, and the
    earlier result that the comparison needs as a subquery of the same query."""
    earlier = _earlier_results(scan)
    return _ranked(
        results.select_related("process__category", "process__unit", "process__owner__user").annotate(
            previous_vulnerability=Subquery(earlier.values("vulnerability")[:1]),
            previous_scan_name=Subquery(earlier.values("scan__name")[:1]),
        )
    )


def priority_list(membership: Membership, scan: Scan, filters: ResultFilter | None = None) -> QuerySet[ScanProcess]:
    """The priority list (export, API): highest risk first, then the highest score. One query.

    Process, category, unit and owner are joined; the earlier result that the comparison needs is a
    subquery on the same query, so no row costs an extra query.
    """
    filters = filters or ResultFilter()
    return _listed(_cell_filtered(scan_results(membership, scan, filters), filters), scan)


class ListedResult(TypedDict):
    """One line of the priority list on the page, as plain values: the template only prints them."""

    rank: int
    url: str
    name: str
    code: str
    single_rater: bool
    unit: str
    has_owner: bool
    owner: str
    vulnerability: int
    likelihood: int
    impact: int
    risk_key: str
    risk_label: str
    change_kind: str
    change_text: str
    previous_text: str


#: What a page of the priority list reads per row (no model instances, no JSON).
_PAGE_VALUES = (
    "vulnerability",
    "likelihood",
    "impact",
    "single_rater",
    "process__uuid",
    "process__code",
    "process__name",
    "process__unit__name",
    "process__owner_id",
    "process__owner__user__full_name",
    "process__owner__user__email",
    "previous_vulnerability",
    "previous_scan_name",
)


def priority_page(
    membership: Membership,
    scan: Scan,
    filters: ResultFilter,
    *,
    count: int,
    number: Any,
    per_page: int,
    url_for: Callable[[UUID], str],
) -> Page[ListedResult]:
    """Page ``number`` of the priority list, as rows to print. One query, whatever the size of the scan.

    ``count`` is the length of the whole list, known from the heat map's counts (`HeatMap.count`),
    so the paginator needs no COUNT. The query picks the page's rows in priority order in a
    subquery and only then joins the processes and looks up the earlier results, for those rows
    alone: a comparison subquery for every result of the scan, before sorting, is what made the
    page slow on SQLite. ``url_for`` gives a process's result page.
    """
    paginator: Paginator[Any] = Paginator(range(count), per_page)
    page = paginator.get_page(number)
    if not count:
        return Page([], page.number, paginator)
    chosen = _ranked(_cell_filtered(scan_results(membership, scan, filters), filters)).values("pk")
    found = _listed(ScanProcess.objects.filter(pk__in=chosen[page.start_index() - 1 : page.end_index()]), scan)
    labels = {each.key: str(each.label) for each in RISK_CLASSES}
    rows: list[ListedResult] = []
    for rank, values in enumerate(found.values_list(*_PAGE_VALUES), start=page.start_index()):
        (
            vulnerability,
            likelihood,
            impact,
            single_rater,
            uuid,
            code,
            name,
            unit,
            owner_id,
            full_name,
            email,
            previous,
            previous_scan,
        ) = values
        risk = risk_class(likelihood, impact)
        change = compare(vulnerability, previous, previous_scan or "")
        rows.append(
            {
                "rank": rank,
                "url": url_for(uuid),
                "name": name,
                "code": code,
                "single_rater": single_rater,
                "unit": unit or "",
                "has_owner": owner_id is not None,
                "owner": str(full_name or email or ""),
                "vulnerability": whole(vulnerability),
                "likelihood": likelihood,
                "impact": impact,
                "risk_key": risk.key,
                "risk_label": labels[risk.key],
                "change_kind": change.kind,
                "change_text": change.text,
                "previous_text": change.previous_text,
            }
        )
    return Page(rows, page.number, paginator)


@dataclass(frozen=True)
class ResultRow:
    """One line of the priority list, with the numbers already as the page shows them."""

    result: ScanProcess
    process: Process
    vulnerability: int
    likelihood: int
    impact: int
    risk: RiskClass
    single_rater: bool
    change: Change


def result_rows(results: Iterable[ScanProcess]) -> list[ResultRow]:
    rows = []
    for result in results:
        assert result.vulnerability is not None and result.likelihood is not None and result.impact is not None
        rows.append(
            ResultRow(
                result=result,
                process=result.process,
                vulnerability=whole(result.vulnerability),
                likelihood=result.likelihood,
                impact=result.impact,
                risk=risk_class(result.likelihood, result.impact),
                single_rater=result.single_rater,
                change=compare(
                    result.vulnerability,
                    getattr(result, "previous_vulnerability", None),
                    getattr(result, "previous_scan_name", None) or "",
                ),
            )
        )
    return rows
