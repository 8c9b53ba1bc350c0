"""What the action plan asks of people now: measures due or overdue, reviews needed, measures no
longer alive, and risk acceptances that expired. One fixed set of queries for any plan size.

Used by "mijn maatregelen", the due list, the attention indicator and the e-mail digests.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from weerbaar import scoring
from weerbaar.core.models import Membership
from weerbaar.plan.models import OPEN_STATUSES, MeasureStatus, PlannedMeasure, RiskAcceptance

#: "Due soon" looks this far ahead.
HORIZON_DAYS = 30


class DueKind:
    OVERDUE = "te_laat"
    DUE_SOON = "binnenkort"
    REVIEW_OVERDUE = "herziening_te_laat"
    REVIEW_SOON = "herziening_binnenkort"


@dataclass(frozen=True)
class DueMeasure:
    planned: PlannedMeasure
    kind: str
    due_on: dt.date
    #: For reviews: the scoring model's liveness today (1.0 alive, fading to 0.0).
    liveness: float = 1.0

    @property
    def is_overdue(self) -> bool:
        return self.kind in (DueKind.OVERDUE, DueKind.REVIEW_OVERDUE)


def plan_lines(owner: Membership | None = None) -> QuerySet[PlannedMeasure]:
    lines = PlannedMeasure.objects.exclude(status=MeasureStatus.REJECTED).select_related(
        "measure", "process", "owner__user"
    )
    return lines.filter(owner=owner) if owner is not None else lines


def liveness_of(planned: PlannedMeasure, today: dt.date) -> float:
    start = planned.last_check
    if start is None:
        return 0.0
    probe = scoring.MeasureInput(
        key="probe",
        effects={"probe": 1},
        implemented=True,
        last_reviewed=min(start, today),
        cadence_months=planned.review_cadence_months,
    )
    return scoring.liveness(probe, today)


def due_measures(
    today: dt.date, *, owner: Membership | None = None, horizon_days: int = HORIZON_DAYS
) -> list[DueMeasure]:
    """Open lines due within the horizon, and implemented lines whose review falls due; soonest first."""
    limit = today + dt.timedelta(days=horizon_days)
    lines = plan_lines(owner).filter(
        Q(status__in=OPEN_STATUSES, due_date__lte=limit) | Q(status=MeasureStatus.IMPLEMENTED)
    )
    items: list[DueMeasure] = []
    for planned in lines:
        if planned.status in OPEN_STATUSES:
            assert planned.due_date is not None
            kind = DueKind.OVERDUE if planned.due_date < today else DueKind.DUE_SOON
            items.append(DueMeasure(planned, kind, planned.due_date))
            continue
        review_on = planned.review_due_on()
        if review_on is None or review_on > limit:
            continue
        kind = DueKind.REVIEW_OVERDUE if review_on < today else DueKind.REVIEW_SOON
        items.append(DueMeasure(planned, kind, review_on, liveness_of(planned, today)))
    items.sort(key=lambda item: (item.due_on, item.planned.pk))
    return items


@dataclass(frozen=True)
class Liveness:
    implemented: int
    alive: int
    fading: int
    lapsed: int

    @property
    def share_alive(self) -> float | None:
        return self.alive / self.implemented if self.implemented else None


def liveness_summary(today: dt.date, lines: Iterable[PlannedMeasure] | None = None) -> Liveness:
    """How many implemented measures are alive (review within cadence), fading, or lapsed (no effect left)."""
    if lines is None:
        lines = PlannedMeasure.objects.filter(status=MeasureStatus.IMPLEMENTED).only(
            "status", "implemented_on", "last_reviewed_on", "review_cadence_months"
        )
    alive = fading = lapsed = implemented = 0
    for planned in lines:
        if planned.status != MeasureStatus.IMPLEMENTED:
            continue
        implemented += 1
        value = liveness_of(planned, today)
        if value >= 1.0:
            alive += 1
        elif value > 0.0:
            fading += 1
        else:
            lapsed += 1
    return Liveness(implemented, alive, fading, lapsed)


def not_alive(today: dt.date, *, owner: Membership | None = None) -> list[tuple[PlannedMeasure, float]]:
    """Implemented lines past their review date, least alive first."""
    lines = plan_lines(owner).filter(status=MeasureStatus.IMPLEMENTED)
    out = [(planned, liveness_of(planned, today)) for planned in lines]
    return sorted(((p, v) for p, v in out if v < 1.0), key=lambda pair: (pair[1], pair[0].pk))


def expired_acceptances(today: dt.date) -> QuerySet[RiskAcceptance]:
    """Acceptances that ran out and were not followed by a newer one for the same process: due work."""
    newer = RiskAcceptance.objects.filter(
        process=OuterRef("process"), withdrawn_at__isnull=True, accepted_on__gte=OuterRef("accepted_on")
    ).exclude(pk=OuterRef("pk"))
    return (
        RiskAcceptance.objects.filter(withdrawn_at__isnull=True, expires_on__lt=today)
        .exclude(Exists(newer))
        .select_related("process", "accepted_by__user")
        .order_by("expires_on", "pk")
    )
