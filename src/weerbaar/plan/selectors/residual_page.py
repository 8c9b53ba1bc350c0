"""The residual-risk block of a process's pages (the result page and the register's result card).

Inherent risk, the score when the scan closed, the residual risk now, and every implemented
measure that counts with how alive it still is. Only for who may see the process's results
(`weerbaar.scans.selectors.results.may_see_results`); a plan line is linked only for who may open it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from weerbaar.core.models import Membership, Organisation
from weerbaar.core.permissions import Action
from weerbaar.plan.models import PlannedMeasure
from weerbaar.plan.selectors.measure_page import Life, life_of, may_see_line
from weerbaar.plan.selectors.residual import Residual, residual_for
from weerbaar.register.models import Process
from weerbaar.scans.selectors.results import RiskClass, may_see_results, risk_class, whole


@dataclass(frozen=True)
class MeasureRow:
    planned: PlannedMeasure
    life: Life
    #: Whole points the measure takes off the score today (0 or negative).
    points: int
    #: The plan line's page, or empty when this member may not open it.
    url: str


@dataclass(frozen=True)
class ResidualView:
    residual: Residual
    inherent: int
    at_close: int
    now: int
    risk: RiskClass
    rows: tuple[MeasureRow, ...]
    #: The process's proposals and plan lines, for who may see the plan (else empty).
    proposals_url: str = ""

    @property
    def not_alive(self) -> tuple[MeasureRow, ...]:
        return tuple(row for row in self.rows if not row.life.is_alive)

    @property
    def lowered(self) -> bool:
        return self.now < self.inherent


def residual_view(
    membership: Membership, organisation: Organisation, process: Process, today: dt.date
) -> ResidualView | None:
    """A fixed number of queries (see `residuals`), whatever the number of measures."""
    if not may_see_results(membership, process):
        return None
    residual = residual_for(organisation, process, today)
    if residual is None:
        return None
    rows = []
    for each in residual.measures:
        planned = each.planned
        url = (
            reverse("plan:measure_detail", kwargs={"planned_measure_uuid": planned.uuid})
            if may_see_line(membership, planned)
            else ""
        )
        rows.append(MeasureRow(planned, life_of(planned, today), each.points, url))
    rows.sort(key=lambda row: (row.life.liveness, row.planned.measure.name, row.planned.pk))
    return ResidualView(
        residual=residual,
        inherent=whole(residual.inherent),
        at_close=whole(residual.at_close),
        now=whole(residual.now),
        risk=risk_class(residual.likelihood, residual.impact),
        rows=tuple(rows),
        proposals_url=reverse("plan:proposals", kwargs={"process_uuid": process.uuid})
        if membership.can(Action.PLAN_VIEW)
        else "",
    )
