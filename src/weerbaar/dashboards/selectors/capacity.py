"""Capacity: the hours the organisation gives this work, set against what the action plan needs.

**Available.** The coordinator records per role how many hours a week all people in that role
together spend on resilience work. A year counts ``WORK_WEEKS_PER_YEAR`` working weeks: 52 weeks
minus holidays, public holidays, illness and training, rounded down. ``HOURS_PER_FTE`` hours a
week make one full-time job (the usual 36-hour week of gemeenten).

**Needed.** The estimated hours (``PlannedMeasure.estimated_hours``) of the open plan lines
(voorgesteld, gepland, in uitvoering) whose deadline falls within ``HORIZON_MONTHS`` from today,
has already passed (the work is still to be done) or is not set. Lines without an estimate count
as zero hours, and the page says for how many lines that is so.

**Status.** *nog niet vastgelegd* (``not_set``) without any allocation; *tekort* (``short``) when
the need exceeds what is available; *krap* (``tight``) when the need is more than ``TIGHT_SHARE``
of what is available; *voldoende* (``ok``) otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Subquery, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from weerbaar.core.models import Organisation
from weerbaar.core.permissions import Role
from weerbaar.core.tenancy import require_organisation
from weerbaar.dashboards.models import CAPACITY_ROLES, CapacityAllocation
from weerbaar.plan.models import OPEN_STATUSES, PlannedMeasure, add_months

#: Net working weeks in a year, after holidays, public holidays, illness and training.
WORK_WEEKS_PER_YEAR = 40
#: Hours a week of one full-time job at a gemeente.
HOURS_PER_FTE = Decimal("36")
#: How far ahead the plan's need is counted.
HORIZON_MONTHS = 12
#: Above this share of the available hours the capacity is tight.
TIGHT_SHARE = Decimal("0.8")
#: From this share of open lines without an estimate on, the dashboard asks for estimates.
MISSING_ESTIMATES_SHARE = Decimal("0.25")

OK, TIGHT, SHORT, NOT_SET = "ok", "tight", "short", "not_set"
STATUS_CSS = {OK: "status--ok", TIGHT: "status--warning", SHORT: "status--danger", NOT_SET: ""}


def status_label(status: str) -> str:
    return {
        OK: _("Voldoende"),
        TIGHT: _("Krap"),
        SHORT: _("Tekort"),
        NOT_SET: _("Nog niet vastgelegd"),
    }[status]


def to_fte(hours_per_week: Decimal) -> Decimal:
    return (hours_per_week / HOURS_PER_FTE).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RoleCapacity:
    role: str
    role_label: str
    allocation: CapacityAllocation | None

    @property
    def hours_per_week(self) -> Decimal | None:
        return self.allocation.hours_per_week if self.allocation is not None else None

    @property
    def fte(self) -> Decimal | None:
        return to_fte(self.allocation.hours_per_week) if self.allocation is not None else None

    @property
    def people(self) -> int | None:
        return self.allocation.people if self.allocation is not None else None


@dataclass(frozen=True)
class CapacitySummary:
    status: str
    status_label: str
    status_css: str
    attention_items: list[tuple[str, str]]
    #: One row per capacity role, in a fixed order, also for roles without an allocation.
    roles: list[RoleCapacity]
    is_set: bool
    available_hours_per_week: Decimal
    available_fte: Decimal
    available_hours_per_year: int
    needed_hours: int
    #: Open plan lines counted in the need (within the horizon, overdue or without a deadline).
    open_lines: int
    lines_without_estimate: int
    horizon_end: dt.date
    url: str

    @property
    def lines_with_estimate(self) -> int:
        return self.open_lines - self.lines_without_estimate

    @property
    def share_needed(self) -> int | None:
        """The need as a whole percentage of what is available; None when nothing is available."""
        if not self.available_hours_per_year:
            return None
        return round(self.needed_hours * 100 / self.available_hours_per_year)

    @property
    def needed_fte(self) -> Decimal:
        return to_fte(Decimal(self.needed_hours) / WORK_WEEKS_PER_YEAR)

    @property
    def shortfall_hours(self) -> int:
        return max(self.needed_hours - self.available_hours_per_year, 0)


def _status(*, is_set: bool, available: int, needed: int) -> str:
    if not is_set:
        return NOT_SET
    if needed > available:
        return SHORT
    if available and Decimal(needed) > TIGHT_SHARE * available:
        return TIGHT
    return OK


def need_counts(today: dt.date) -> dict[str, Subquery]:
    """What the plan needs, as scalar subqueries (hours, lines, lines without an estimate): open plan
    lines due within the horizon, already overdue, or without a due date. A page that reads other
    counts in one query can carry these along and pass the values to ``capacity_summary``."""
    horizon_end = add_months(today, HORIZON_MONTHS)
    needed = PlannedMeasure.objects.filter(
        Q(due_date__isnull=True) | Q(due_date__lte=horizon_end), status__in=OPEN_STATUSES
    ).order_by()
    sums = {
        "need_hours": Sum("estimated_hours"),
        "need_lines": Count("pk"),
        "need_without": Count("pk", filter=Q(estimated_hours__isnull=True)),
    }
    return {
        name: Subquery(needed.values("organisation").annotate(value=total).values("value")[:1])
        for name, total in sums.items()
    }


def capacity_summary(today: dt.date, need: Mapping[str, Any] | None = None) -> CapacitySummary:
    """Two queries whatever the number of roles and plan lines; one when ``need`` (the values of
    ``need_counts``) was read along with something else."""
    url = reverse("dashboards:capacity")
    horizon_end = add_months(today, HORIZON_MONTHS)
    by_role = {allocation.role: allocation for allocation in CapacityAllocation.objects.all()}
    if need is None:
        anchor = Organisation.objects.filter(pk=require_organisation().pk)
        need = anchor.annotate(**need_counts(today)).values("need_hours", "need_lines", "need_without").get()  # type: ignore[misc]
    need = {"hours": need["need_hours"], "lines": need["need_lines"] or 0, "without": need["need_without"] or 0}
    labels = dict(Role.choices)
    roles = [
        RoleCapacity(role=role, role_label=str(labels[role]), allocation=by_role.get(role)) for role in CAPACITY_ROLES
    ]
    per_week = sum((a.hours_per_week for a in by_role.values()), Decimal("0"))
    per_year = int((per_week * WORK_WEEKS_PER_YEAR).to_integral_value(rounding=ROUND_HALF_UP))
    needed = int(need["hours"] or 0)
    open_lines, without = int(need["lines"]), int(need["without"])
    is_set = bool(by_role)
    status = _status(is_set=is_set, available=per_year, needed=needed)
    items: list[tuple[str, str]] = []
    if status == NOT_SET:
        items.append((_("Er is nog niet vastgelegd hoeveel uur de organisatie aan dit werk geeft."), url))
    elif status == SHORT:
        items.append(
            (
                _(
                    "Capaciteit schiet tekort: het actieplan vraagt %(needed)s uur in de komende 12 maanden, "
                    "er is %(available)s uur beschikbaar."
                )
                % {"needed": needed, "available": per_year},
                url,
            )
        )
    elif status == TIGHT:
        items.append(
            (
                _("Capaciteit is krap: het actieplan vraagt %(share)s%% van de beschikbare uren.")
                % {"share": round(needed * 100 / per_year)},
                url,
            )
        )
    if open_lines and Decimal(without) >= MISSING_ESTIMATES_SHARE * open_lines:
        items.append(
            (
                _("Voor %(without)s van %(lines)s open maatregelen is nog geen schatting van de uren.")
                % {"without": without, "lines": open_lines},
                url,
            )
        )
    return CapacitySummary(
        status=status,
        status_label=status_label(status),
        status_css=STATUS_CSS[status],
        attention_items=items,
        roles=roles,
        is_set=is_set,
        available_hours_per_week=per_week,
        available_fte=to_fte(per_week),
        available_hours_per_year=per_year,
        needed_hours=needed,
        open_lines=open_lines,
        lines_without_estimate=without,
        horizon_end=horizon_end,
        url=url,
    )
