"""Figures several dashboards share, each one query whatever the size of the organisation.

- ``plan_figures``: the whole action plan (overdue, not alive) and, per group of the catalogue,
  where the organisation-wide measures stand, from one grouped query over the plan lines;
- ``training_reach``: how far training reached units and vulnerable positions in the last cycle;
- ``screening_figures``: vulnerable positions whose screening is due (same rule as
  ``attention.selectors.due.screening_due``; a test keeps the two in step);
- ``contact_people``: who the coordinators and vertrouwenspersonen are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.attention.models import ActivityKind, ActivityLog, RecurringActivity
from weerbaar.attention.selectors.checklist import organisation_measures
from weerbaar.attention.selectors.due import SCREENING_HORIZON_DAYS
from weerbaar.catalogue.models import MeasureGroup
from weerbaar.core.models import Membership, Organisation, Unit
from weerbaar.core.permissions import Role
from weerbaar.core.tenancy import require_organisation
from weerbaar.plan.models import OPEN_STATUSES, MeasureStatus, PlannedMeasure, add_months
from weerbaar.plan.selectors.plan_list import not_alive_q
from weerbaar.register.models import Position, ScreeningLevel
from weerbaar.register.selectors import add_years

# --- the plan and the organisation-wide measures per group ------------------------------------------


@dataclass(frozen=True)
class GroupFigures:
    """Where the organisation-wide measures of one catalogue group stand (one plan line per measure)."""

    key: str
    label: str
    total: int = 0
    implemented: int = 0
    not_alive: int = 0
    in_progress: int = 0
    not_started: int = 0
    rejected: int = 0

    @property
    def started(self) -> int:
        return self.total - self.not_started

    @property
    def url(self) -> str:
        return reverse("attention:checklist") + f"#groep-{self.key}"

    @property
    def text(self) -> str:
        """ "3 van 8 maatregelen geïmplementeerd, 1 niet meer levend, 2 nog niet gestart"."""
        if not self.total:
            return _("geen organisatiebrede maatregelen in de catalogus")
        parts = [
            ngettext(
                "%(done)s van %(total)s maatregel geïmplementeerd",
                "%(done)s van %(total)s maatregelen geïmplementeerd",
                self.total,
            )
            % {"done": self.implemented, "total": self.total}
        ]
        if self.not_alive:
            parts.append(
                ngettext("%(count)s niet meer levend", "%(count)s niet meer levend", self.not_alive)
                % {"count": self.not_alive}
            )
        if self.in_progress:
            parts.append(
                ngettext("%(count)s in voorbereiding", "%(count)s in voorbereiding", self.in_progress)
                % {"count": self.in_progress}
            )
        if self.not_started:
            parts.append(
                ngettext("%(count)s nog niet gestart", "%(count)s nog niet gestart", self.not_started)
                % {"count": self.not_started}
            )
        return ", ".join(parts)


@dataclass(frozen=True)
class PlanFigures:
    #: Open plan lines (process and organisation-wide) past their deadline.
    overdue: int
    #: Implemented plan lines whose review is overdue (fading or lapsed).
    not_alive: int
    implemented: int
    groups: dict[str, GroupFigures] = field(default_factory=dict)

    @property
    def organisation_not_alive(self) -> int:
        return sum(group.not_alive for group in self.groups.values())


def plan_figures(organisation: Organisation, today: dt.date) -> PlanFigures:
    """Two queries: the organisation-scope measures of the catalogue, and the plan lines counted per
    measure and per scope (process or organisation-wide) in one grouped query."""
    measures = organisation_measures(organisation)
    open_lines = Q(status__in=OPEN_STATUSES)
    rows = (
        PlannedMeasure.objects.annotate(
            organisation_wide=ExpressionWrapper(Q(process__isnull=True), output_field=BooleanField())
        )
        .values("measure_id", "organisation_wide")
        .annotate(
            implemented=Count("pk", filter=Q(status=MeasureStatus.IMPLEMENTED)),
            not_alive=Count("pk", filter=not_alive_q(today)),
            open=Count("pk", filter=open_lines),
            overdue=Count("pk", filter=open_lines & Q(due_date__lt=today)),
            rejected=Count("pk", filter=Q(status=MeasureStatus.REJECTED)),
        )
        .order_by()
    )
    overdue = not_alive = implemented = 0
    own: dict[int, tuple[int, int, int, int]] = {}
    for row in rows:
        overdue += row["overdue"]
        not_alive += row["not_alive"]
        implemented += row["implemented"]
        if row["organisation_wide"]:
            own[row["measure_id"]] = (row["implemented"], row["not_alive"], row["open"], row["rejected"])
    labels = dict(MeasureGroup.choices)
    counts: dict[str, dict[str, int]] = {key: {} for key in labels}
    for measure in measures:
        done, fading, running, rejected = own.get(measure.pk, (0, 0, 0, 0))
        if done:
            state = "not_alive" if fading else "implemented"
        elif running:
            state = "in_progress"
        elif rejected:
            state = "rejected"
        else:
            state = "not_started"
        group = counts.setdefault(measure.group, {})
        group["total"] = group.get("total", 0) + 1
        group[state] = group.get(state, 0) + 1
        if state == "not_alive":
            group["implemented"] = group.get("implemented", 0) + 1
    groups = {key: GroupFigures(key=key, label=str(labels.get(key, key)), **values) for key, values in counts.items()}
    return PlanFigures(overdue=overdue, not_alive=not_alive, implemented=implemented, groups=groups)


# --- training ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingReach:
    activities: int
    late: int
    #: The start of the window: the longest cadence of the active trainings (12 months without any).
    since: dt.date
    months: int
    units_total: int
    units_reached: int
    positions_total: int
    positions_reached: int

    @property
    def units_percent(self) -> int | None:
        return round(self.units_reached * 100 / self.units_total) if self.units_total else None

    @property
    def positions_percent(self) -> int | None:
        return round(self.positions_reached * 100 / self.positions_total) if self.positions_total else None

    @property
    def complete(self) -> bool:
        return self.units_reached >= self.units_total and self.positions_reached >= self.positions_total

    @property
    def url(self) -> str:
        return reverse("attention:activity_list")


def _trained(since: dt.date, relation: str) -> QuerySet[Any]:
    """Rows of a log's units or positions relation that a training reached after ``since``."""
    through = getattr(ActivityLog, relation).through
    return through.objects.filter(
        **{
            relation[:-1]: OuterRef("pk"),
            "activitylog__activity__kind": ActivityKind.TRAINING,
            "activitylog__done_on__gt": since,
        }
    )


def training_reach(
    today: dt.date, extra_counts: Mapping[str, Subquery] | None = None
) -> tuple[TrainingReach, list[tuple[dt.date | None, int, bool]], dict[str, Any]]:
    """Training coverage in the last cycle, the vulnerable positions as (last screening, renewal
    years, reached) for ``screening_figures``, and the values of ``extra_counts`` (scalar subqueries
    of other topics, read in the same query as the unit counts). Three queries."""
    activities = list(
        RecurringActivity.objects.filter(kind=ActivityKind.TRAINING, is_active=True).only(
            "cadence_months", "last_done_on", "starts_on"
        )
    )
    months = max((activity.cadence_months for activity in activities), default=12)
    since = add_months(today, -months)
    units = Unit.objects.filter(is_active=True).order_by()
    counts = (
        Organisation.objects.filter(pk=require_organisation().pk)
        .annotate(
            units_total=Subquery(units.values("organisation").annotate(n=Count("pk")).values("n")[:1]),
            units_reached=Subquery(
                units.filter(Exists(_trained(since, "units")))
                .values("organisation")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
            **(extra_counts or {}),
        )
        .values("units_total", "units_reached", *(extra_counts or {}))
        .get()
    )
    positions = list(
        Position.objects.filter(is_active=True)
        .exclude(screening_level=ScreeningLevel.NONE)
        .annotate(reached=Exists(_trained(since, "positions")))
        .values_list("last_screening_on", "renewal_years", "reached")
    )
    reach = TrainingReach(
        activities=len(activities),
        late=sum(1 for activity in activities if activity.next_due_on() < today),
        since=since,
        months=months,
        units_total=counts["units_total"] or 0,
        units_reached=counts["units_reached"] or 0,
        positions_total=len(positions),
        positions_reached=sum(1 for _last, _years, reached in positions if reached),
    )
    return reach, positions, counts


# --- screening --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScreeningFigures:
    positions: int
    #: Due within ``SCREENING_HORIZON_DAYS`` or overdue (never screened counts as due today).
    due: int
    overdue: int
    never: int

    @property
    def url(self) -> str:
        return reverse("register:screening_due")


def screening_figures(positions: list[tuple[dt.date | None, int, bool]], today: dt.date) -> ScreeningFigures:
    """The rule of ``attention.selectors.due.screening_due``, on the rows ``training_reach`` read."""
    limit = today + dt.timedelta(days=SCREENING_HORIZON_DAYS)
    due = overdue = never = 0
    for last, years, _reached in positions:
        if last is None:
            due, never = due + 1, never + 1
            continue
        next_on = add_years(last, years or 1)
        if next_on <= limit:
            due += 1
            overdue += next_on < today
    return ScreeningFigures(positions=len(positions), due=due, overdue=overdue, never=never)


# --- contact people ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactPeople:
    coordinators: list[Membership]
    confidants: list[Membership]


def contact_people() -> ContactPeople:
    """Active coordinators and vertrouwenspersonen with their names and e-mail. One query."""
    members = list(
        Membership.objects.filter(is_active=True)
        .filter(Q(roles__icontains=f'"{Role.COORDINATOR}"') | Q(roles__icontains=f'"{Role.VERTROUWENSPERSOON}"'))
        .select_related("user")
        .order_by(Lower("user__full_name"), "user__email", "pk")
    )
    return ContactPeople(
        coordinators=[member for member in members if Role.COORDINATOR in member.roles],
        confidants=[member for member in members if Role.VERTROUWENSPERSOON in member.roles],
    )
