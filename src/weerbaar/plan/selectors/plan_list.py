"""Read-models of the action plan page, its Excel export, the API and "mijn maatregelen".

The plan list filters and paginates in SQL; only the rows of one page get their liveness computed
in Python (``liveness_of``), so the page costs the same number of queries for 10 or 5,000 lines.
Liveness itself is a day count against the review cadence (``weerbaar.scoring.liveness``); to
filter on it in SQL, the number of days after which a measure of each cadence stops being fully
alive (and after which it has no effect left) is worked out once from that same function.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from weerbaar.core.models import Membership, Unit
from weerbaar.plan.models import OPEN_STATUSES, MeasureStatus, PlannedMeasure
from weerbaar.plan.selectors.due import HORIZON_DAYS, DueKind, DueMeasure, due_measures, liveness_of

#: The owner filter's value for lines nobody owns yet.
NO_OWNER = "geen"
#: Cadences the model allows (``plan_review_cadence_range``).
CADENCES = range(1, 61)
#: Far enough for any cadence: 60 months plus two fading cadences is about 5,500 days.
LONGEST_DAYS = 10_000


class Scope:
    ALL = ""
    PROCESS = "proces"
    ORGANISATION = "organisatie"


class Attention:
    ALL = ""
    OVERDUE = "te_laat"
    DUE_SOON = "binnenkort"
    NOT_ALIVE = "niet_levend"


class Life:
    """How alive a plan line is, as the page and the export name it."""

    ALIVE = "levend"
    FADING = "verwatert"
    LAPSED = "niet_levend"
    NOT_IMPLEMENTED = "niet_geimplementeerd"
    REJECTED = "afgewezen"


LIFE_LABELS: dict[str, Any] = {
    Life.ALIVE: _("levend"),
    Life.FADING: _("verwatert"),
    Life.LAPSED: _("niet meer levend"),
    Life.NOT_IMPLEMENTED: _("nog niet geïmplementeerd"),
    Life.REJECTED: _("afgewezen"),
}


@dataclass(frozen=True)
class PlanFilter:
    status: str = ""  # a MeasureStatus value; empty: every status except afgewezen
    owner: Any = None  # a Membership, NO_OWNER, or None for everyone
    unit: Unit | None = None
    query: str = ""  # part of a process name, a process code, or part of a measure name
    scope: str = Scope.ALL
    attention: str = Attention.ALL


# --- liveness in SQL -----------------------------------------------------------------------------


def _probe_liveness(days: int, cadence: int) -> float:
    today = dt.date(2000, 1, 1) + dt.timedelta(days=LONGEST_DAYS)
    probe = PlannedMeasure(
        status=MeasureStatus.IMPLEMENTED,
        implemented_on=today - dt.timedelta(days=days),
        review_cadence_months=cadence,
    )
    return liveness_of(probe, today)


def _fewest_days(cadence: int, test: Any) -> int:
    """The fewest days since the last review for which ``test(liveness)`` holds (it stays true after)."""
    low, high = 0, LONGEST_DAYS
    while low < high:
        middle = (low + high) // 2
        if test(_probe_liveness(middle, cadence)):
            high = middle
        else:
            low = middle + 1
    return low


@cache
def _thresholds() -> dict[int, tuple[int, int]]:
    """cadence -> (days until no longer fully alive, days until no effect left)."""
    return {
        cadence: (_fewest_days(cadence, lambda value: value < 1.0), _fewest_days(cadence, lambda value: value <= 0.0))
        for cadence in CADENCES
    }


def _reviewed_before(cadence: int, cutoff: dt.date) -> Q:
    # Implementation counts as the first review (docs/scoring.md).
    start = Q(last_reviewed_on__lte=cutoff) | Q(last_reviewed_on__isnull=True, implemented_on__lte=cutoff)
    return Q(review_cadence_months=cadence) & start


def not_alive_q(today: dt.date) -> Q:
    """Implemented lines whose review is overdue: fading, or without any effect left."""
    condition = Q()
    for cadence, (days, _lapsed) in _thresholds().items():
        condition |= _reviewed_before(cadence, today - dt.timedelta(days=days))
    return Q(status=MeasureStatus.IMPLEMENTED) & condition


def lapsed_q(today: dt.date) -> Q:
    """Implemented lines so long without a review that they no longer lower any risk."""
    condition = Q()
    for cadence, (_days, days) in _thresholds().items():
        condition |= _reviewed_before(cadence, today - dt.timedelta(days=days))
    return Q(status=MeasureStatus.IMPLEMENTED) & condition


# --- the plan list -------------------------------------------------------------------------------


def _unit_reach(unit: Unit) -> Q:
    through = PlannedMeasure.units.through.objects.filter(unit=unit).values("plannedmeasure_id")
    # An organisation-wide measure reaches the unit when it names it, or reaches every unit.
    return Q(process__unit=unit) | (Q(process__isnull=True) & (Q(reaches_all_units=True) | Q(pk__in=through)))


def plan_lines(filters: PlanFilter, today: dt.date) -> QuerySet[PlannedMeasure]:
    """The action plan page and its export: filtered in SQL, soonest due date first."""
    lines = PlannedMeasure.objects.select_related("measure", "process__unit", "owner__user")
    # A declined proposal stays on record but is not work: only shown when asked for.
    lines = lines.filter(status=filters.status) if filters.status else lines.exclude(status=MeasureStatus.REJECTED)
    if filters.owner == NO_OWNER:
        lines = lines.filter(owner__isnull=True)
    elif filters.owner is not None:
        lines = lines.filter(owner=filters.owner)
    if filters.unit is not None:
        lines = lines.filter(_unit_reach(filters.unit))
    if filters.query:
        lines = lines.filter(
            Q(process__name__icontains=filters.query)
            | Q(process__code__iexact=filters.query)
            | Q(measure__name__icontains=filters.query)
        )
    if filters.scope == Scope.PROCESS:
        lines = lines.filter(process__isnull=False)
    elif filters.scope == Scope.ORGANISATION:
        lines = lines.filter(process__isnull=True)
    if filters.attention == Attention.OVERDUE:
        lines = lines.filter(status__in=OPEN_STATUSES, due_date__lt=today)
    elif filters.attention == Attention.DUE_SOON:
        lines = lines.filter(
            status__in=OPEN_STATUSES, due_date__gte=today, due_date__lte=today + dt.timedelta(days=HORIZON_DAYS)
        )
    elif filters.attention == Attention.NOT_ALIVE:
        lines = lines.filter(not_alive_q(today))
    return lines.order_by(F("due_date").asc(nulls_last=True), "pk")


@dataclass(frozen=True)
class PlanSummary:
    overdue: int
    due_soon: int
    fading: int
    lapsed: int

    @property
    def not_alive(self) -> int:
        return self.fading + self.lapsed


def plan_summary(today: dt.date) -> PlanSummary:
    """The counts above the action plan, for the whole plan: one query."""
    open_lines = Q(status__in=OPEN_STATUSES)
    lapsed = lapsed_q(today)
    totals = PlannedMeasure.objects.aggregate(
        overdue=Count("pk", filter=open_lines & Q(due_date__lt=today)),
        due_soon=Count(
            "pk",
            filter=open_lines & Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=HORIZON_DAYS)),
        ),
        fading=Count("pk", filter=not_alive_q(today) & ~lapsed),
        lapsed=Count("pk", filter=lapsed),
    )
    return PlanSummary(**{key: value or 0 for key, value in totals.items()})


@dataclass(frozen=True)
class PlanRow:
    line: PlannedMeasure
    life: str
    liveness: float | None
    review_due_on: dt.date | None
    overdue_days: int
    due_soon: bool

    @property
    def life_label(self) -> str:
        return str(LIFE_LABELS[self.life])

    @property
    def liveness_percent(self) -> int | None:
        return None if self.liveness is None else round(self.liveness * 100)

    @property
    def review_overdue(self) -> bool:
        return self.life in (Life.FADING, Life.LAPSED)


def life_of(line: PlannedMeasure, today: dt.date) -> tuple[str, float | None]:
    """(Life kind, liveness 0..1 or None when not implemented) of one line."""
    if line.status == MeasureStatus.REJECTED:
        return Life.REJECTED, None
    if line.status != MeasureStatus.IMPLEMENTED:
        return Life.NOT_IMPLEMENTED, None
    value = liveness_of(line, today)
    if value >= 1.0:
        return Life.ALIVE, value
    return (Life.FADING if value > 0.0 else Life.LAPSED), value


def plan_row(line: PlannedMeasure, today: dt.date) -> PlanRow:
    life, value = life_of(line, today)
    overdue = line.is_open and line.due_date is not None and line.due_date < today
    soon = (
        line.is_open and line.due_date is not None and today <= line.due_date <= today + dt.timedelta(days=HORIZON_DAYS)
    )
    return PlanRow(
        line=line,
        life=life,
        liveness=value,
        review_due_on=line.review_due_on(),
        overdue_days=(today - line.due_date).days if overdue and line.due_date else 0,
        due_soon=soon,
    )


# --- mijn maatregelen ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MyMeasures:
    overdue: list[DueMeasure]
    due_soon: list[DueMeasure]
    reviews: list[DueMeasure]
    running: list[PlannedMeasure]
    alive: list[PlannedMeasure]

    @property
    def total(self) -> int:
        return sum(len(group) for group in (self.overdue, self.due_soon, self.reviews, self.running, self.alive))


def my_measures(member: Membership, today: dt.date) -> MyMeasures:
    """The member's own plan lines in the groups of "mijn maatregelen": two queries whatever their number."""
    due = due_measures(today, owner=member)
    listed = {item.planned.pk for item in due}
    limit = today + dt.timedelta(days=HORIZON_DAYS)
    rest = (
        PlannedMeasure.objects.filter(owner=member)
        .filter(
            (Q(status__in=OPEN_STATUSES) & (Q(due_date__isnull=True) | Q(due_date__gt=limit)))
            | Q(status=MeasureStatus.IMPLEMENTED)
        )
        .select_related("measure", "process")
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )
    running: list[PlannedMeasure] = []
    alive: list[PlannedMeasure] = []
    for line in rest:
        if line.pk in listed:
            continue
        (alive if line.status == MeasureStatus.IMPLEMENTED else running).append(line)
    alive.sort(key=lambda line: (line.review_due_on() or today, line.pk))
    return MyMeasures(
        overdue=[item for item in due if item.kind == DueKind.OVERDUE],
        due_soon=[item for item in due if item.kind == DueKind.DUE_SOON],
        reviews=[item for item in due if item.kind in (DueKind.REVIEW_OVERDUE, DueKind.REVIEW_SOON)],
        running=running,
        alive=alive,
    )
