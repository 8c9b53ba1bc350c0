"""Reads of the results pages: who may see which result (need-to-know), the heat map and the priority list.

Need-to-know lives in exactly one place, `visible_results`: the secretaris and the coordinator
(``RESULTS_VIEW_ALL``) see every result, a proceseigenaar (``RESULTS_VIEW`` only) sees the results
of the processes they own, everyone else sees none. A scan in review already has results for the
processes whose consensus is settled; only ``RESULTS_VIEW_ALL`` sees those, labelled "voorlopig".
Every page, the heat map counts and the export start from that queryset.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.expressions import ExpressionWrapper
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from weerbaar.catalogue.models import Characteristic, Circumstance
from weerbaar.core.models import Membership
from weerbaar.core.permissions import Action
from weerbaar.register.models import Process
from weerbaar.register.selectors import NO_OWNER
from weerbaar.scans.agreement import agreement
from weerbaar.scans.models import IMPACT_DIMENSIONS, Rating, Scan, ScanProcess, ScanState

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


def priority_list(membership: Membership, scan: Scan, filters: ResultFilter | None = None) -> QuerySet[ScanProcess]:
    """The priority list (page, export): highest risk first, then the highest score. One query per page.

    Process, category, unit and owner are joined; the earlier result that the comparison needs is a
    subquery on the same query, so no row costs an extra query.
    """
    filters = filters or ResultFilter()
    results = scan_results(membership, scan, filters)
    if filters.likelihood is not None:
        results = results.filter(likelihood=filters.likelihood)
    if filters.impact is not None:
        results = results.filter(impact=filters.impact)
    earlier = _earlier_results(scan)
    return (
        results.select_related("process__category", "process__unit", "process__owner__user")
        .annotate(
            risk=ExpressionWrapper(F("likelihood") * F("impact"), output_field=IntegerField()),
            previous_vulnerability=Subquery(earlier.values("vulnerability")[:1]),
            previous_scan_name=Subquery(earlier.values("scan__name")[:1]),
        )
        .order_by("-risk", "-vulnerability", "process__code", "pk")
    )


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


# --- heat map -------------------------------------------------------------------------------------

#: Geometry of the SVG (user units): cell size, room left for the kans axis, below for the impact axis.
CELL = 84
LEFT = 72
TOP = 8
BOTTOM = 64


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    impact: int
    count: int
    risk: RiskClass
    selected: bool

    @property
    def x(self) -> int:
        return LEFT + (self.impact - 1) * CELL

    @property
    def y(self) -> int:
        return TOP + (5 - self.likelihood) * CELL

    @property
    def center_x(self) -> int:
        return self.x + CELL // 2

    @property
    def count_y(self) -> int:
        return self.y + CELL // 2 + 2

    @property
    def label_y(self) -> int:
        return self.y + CELL // 2 + 24


@dataclass(frozen=True)
class AxisTick:
    level: int
    position: int  # x for impact, y for likelihood (the middle of the column or row)


@dataclass
class HeatMap:
    #: rows from likelihood 5 (top) down to 1, each with impact 1..5
    rows: list[list[HeatCell]] = field(default_factory=list)
    total: int = 0
    per_class: list[tuple[RiskClass, int]] = field(default_factory=list)

    cell_size: int = CELL
    width: int = LEFT + 5 * CELL + 8
    height: int = TOP + 5 * CELL + BOTTOM
    grid_bottom: int = TOP + 5 * CELL

    @property
    def cells(self) -> list[HeatCell]:
        return [cell for row in self.rows for cell in row]

    @property
    def impact_ticks(self) -> list[AxisTick]:
        return [AxisTick(level, LEFT + (level - 1) * CELL + CELL // 2) for level in LEVELS]

    @property
    def likelihood_ticks(self) -> list[AxisTick]:
        return [AxisTick(level, TOP + (5 - level) * CELL + CELL // 2 + 6) for level in LEVELS]

    @property
    def impact_label_y(self) -> int:
        return self.grid_bottom + 52

    @property
    def tick_label_y(self) -> int:
        return self.grid_bottom + 24

    @property
    def axis_middle_x(self) -> int:
        return LEFT + 5 * CELL // 2

    @property
    def axis_middle_y(self) -> int:
        return TOP + 5 * CELL // 2


def heat_map(results: QuerySet[ScanProcess], *, selected: ResultFilter | None = None) -> HeatMap:
    """Counts per (kans, impact) cell of the given results: one aggregate query."""
    counts = {
        (likelihood, impact): n
        for likelihood, impact, n in results.order_by()
        .values("likelihood", "impact")
        .annotate(n=Count("pk"))
        .values_list("likelihood", "impact", "n")
    }
    selected = selected or ResultFilter()
    heat = HeatMap()
    per_class = dict.fromkeys((each.key for each in RISK_CLASSES), 0)
    for likelihood in reversed(LEVELS):
        row = []
        for impact in LEVELS:
            count = counts.get((likelihood, impact), 0)
            risk = risk_class(likelihood, impact)
            is_selected = (selected.likelihood in (None, likelihood) and selected.impact in (None, impact)) and (
                selected.likelihood is not None or selected.impact is not None
            )
            row.append(HeatCell(likelihood, impact, count, risk, is_selected))
            per_class[risk.key] += count
        heat.rows.append(row)
    heat.total = sum(counts.values())
    heat.per_class = [(each, per_class[each.key]) for each in RISK_CLASSES]
    return heat


# --- the process result page ----------------------------------------------------------------------


def process_for_results(membership: Membership, process_uuid: Any) -> Process | None:
    """The process, if this member may see its results: another's process is "not found" to a proceseigenaar."""
    return (
        visible_processes(membership)
        .select_related("category", "unit", "owner__user")
        .filter(uuid=process_uuid)
        .first()
    )


@dataclass(frozen=True)
class HistoryEntry:
    result: ScanProcess
    vulnerability: int
    risk: RiskClass
    provisional: bool
    change: Change


def process_history(membership: Membership, process: Process) -> list[HistoryEntry]:
    """Every visible result of the process, newest first, each compared with the one before. One query."""
    results = list(
        visible_results(membership)
        .filter(process=process)
        .select_related("scan")
        .order_by(F("scan__closed_at").desc(nulls_first=True), "-scan__period_end", "-pk")
    )
    entries = []
    for index, result in enumerate(results):
        assert result.vulnerability is not None and result.likelihood is not None and result.impact is not None
        earlier = next((each for each in results[index + 1 :] if each.scan.is_closed), None)
        entries.append(
            HistoryEntry(
                result=result,
                vulnerability=whole(result.vulnerability),
                risk=risk_class(result.likelihood, result.impact),
                provisional=not result.scan.is_closed,
                change=compare(
                    result.vulnerability,
                    earlier.vulnerability if earlier else None,
                    earlier.scan.name if earlier else "",
                ),
            )
        )
    return entries


def result_card(membership: Membership, process: Process) -> HistoryEntry | None:
    """The register's process page: the latest closed result with its change. One query."""
    return next((entry for entry in process_history(membership, process) if not entry.provisional), None)


def chosen_entry(history: Sequence[HistoryEntry], scan_uuid: str | None) -> HistoryEntry | None:
    """The result the page explains: the chosen scan's, else the latest closed one, else a provisional one."""
    if scan_uuid:
        for entry in history:
            if str(entry.result.scan.uuid) == scan_uuid:
                return entry
    return next((entry for entry in history if not entry.provisional), history[0] if history else None)


@dataclass(frozen=True)
class RaterValue:
    rater: str
    value: int | None


@dataclass(frozen=True)
class Spread:
    key: str
    label: str
    consensus: int | None
    #: raters differed by 2 or more on this item
    disagree: bool
    # The range, the count and the per-rater values only for those who see all results: with two
    # raters, a proceseigenaar who rated the process could work out the colleague's score from them.
    low: int | None = None
    high: int | None = None
    raters: int = 0
    values: tuple[RaterValue, ...] = ()


def rater_spread(
    result: ScanProcess, characteristics: Sequence[Characteristic], *, with_raters: bool
) -> tuple[list[Spread], list[Spread], int]:
    """Spread of the submitted ratings per characteristic and per impact dimension. One query.

    ``with_raters`` adds the range, the count and each rater's own value; without it (a
    proceseigenaar) only whether the raters differed by 2 or more.
    """
    ratings = Rating.objects.filter(scan_process=result, submitted_at__isnull=False).order_by("pk")
    if with_raters:
        ratings = ratings.select_related("rater__user")
    rated = list(ratings)

    def build(key: str, label: str, consensus: int | None, values_of: str) -> Spread:
        found = agreement([getattr(rating, values_of) for rating in rated], key)
        if not with_raters:
            return Spread(key=key, label=label, consensus=consensus, disagree=found.disagree)
        return Spread(
            key=key,
            label=label,
            consensus=consensus,
            disagree=found.disagree,
            low=min(found.values) if found.values else None,
            high=max(found.values) if found.values else None,
            raters=len(found.values),
            values=tuple(RaterValue(_rater_name(rating), getattr(rating, values_of).get(key)) for rating in rated),
        )

    characteristic_spread = [
        build(each.key, f"{each.code} {each.name}", result.consensus_scores.get(each.key), "scores")
        for each in characteristics
    ]
    impact_spread = [
        build(key, str(label), result.consensus_impact.get(key), "impact") for key, label in IMPACT_DIMENSIONS
    ]
    return characteristic_spread, impact_spread, len(rated)


def _rater_name(rating: Rating) -> str:
    user = rating.rater.user
    return str(user.full_name or user.email)


def characteristics_by_key() -> dict[str, Characteristic]:
    """Active characteristics in catalogue order (names for the explanation). One query."""
    return {each.key: each for each in Characteristic.objects.filter(is_active=True).order_by("position", "key")}


def circumstance_names(keys: Iterable[str]) -> dict[str, str]:
    """Names of the circumstances an explanation names by uuid (archived ones too). One query, or none."""
    wanted = set()
    for key in keys:
        try:
            wanted.add(UUID(key))
        except ValueError:
            continue
    if not wanted:
        return {}
    return {str(uuid): name for uuid, name in Circumstance.objects.filter(uuid__in=wanted).values_list("uuid", "name")}
