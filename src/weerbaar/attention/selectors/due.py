"""One list of what is due and overdue across the organisation, for the due list, its export and the overview.

Six sources, each one query, so the list costs the same for ten or ten thousand rows:

- plan lines due within 30 days or overdue, and reviews of implemented measures falling due
  (``plan.selectors.due.due_measures``);
- active recurring activities whose next occurrence is due within 30 days or overdue;
- communication moments of the plan not done yet, past or within 30 days;
- **screening due for positions** (:func:`screening_due`): active register positions with a
  screening level other than "geen" whose last screening round plus the renewal cycle falls within
  60 days from today (or has passed), or that were never screened at all (due today);
- risk acceptances that expired and were not renewed (``plan.selectors.due.expired_acceptances``).

Every row says what, who, when and how late; rows are sorted by date, oldest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from weerbaar.attention.models import CommunicationItem, RecurringActivity
from weerbaar.core.models import Membership
from weerbaar.plan.selectors.due import HORIZON_DAYS, DueKind, due_measures, expired_acceptances
from weerbaar.register.models import Position, ScreeningLevel
from weerbaar.register.selectors import add_years

#: Screening is listed this many days before it falls due: a VOG takes weeks to arrive.
SCREENING_HORIZON_DAYS = 60


class RowKind:
    MEASURE = "maatregel"
    REVIEW = "herziening"
    ACTIVITY = "activiteit"
    COMMUNICATION = "communicatie"
    SCREENING = "screening"
    ACCEPTANCE = "risicoacceptatie"

    choices: tuple[tuple[str, Any], ...] = (
        (MEASURE, gettext_lazy("Maatregelen uit het actieplan")),
        (REVIEW, gettext_lazy("Herzieningen van maatregelen")),
        (ACTIVITY, gettext_lazy("Terugkerende activiteiten")),
        (COMMUNICATION, gettext_lazy("Communicatieplan")),
        (SCREENING, gettext_lazy("Screening van functies")),
        (ACCEPTANCE, gettext_lazy("Verlopen risicoacceptaties")),
    )
    labels: dict[str, Any] = {
        MEASURE: gettext_lazy("Maatregel"),
        REVIEW: gettext_lazy("Herziening"),
        ACTIVITY: gettext_lazy("Activiteit"),
        COMMUNICATION: gettext_lazy("Communicatie"),
        SCREENING: gettext_lazy("Screening"),
        ACCEPTANCE: gettext_lazy("Risicoacceptatie"),
    }


@dataclass(frozen=True)
class DueRow:
    kind: str
    #: What must happen, in words ("Wet Bibob toepassen bij subsidies (P-004 Subsidies)").
    what: str
    #: A short addition ("herziening: nog 40 % effect", "nooit gescreend").
    detail: str
    owner: Membership | None
    due_on: dt.date
    today: dt.date
    #: The object the row links to: a PlannedMeasure, RecurringActivity, CommunicationItem, Position or RiskAcceptance.
    obj: Any

    @property
    def kind_label(self) -> Any:
        return RowKind.labels[self.kind]

    @property
    def days_late(self) -> int:
        return max((self.today - self.due_on).days, 0)

    @property
    def is_overdue(self) -> bool:
        return self.due_on < self.today

    @property
    def owner_name(self) -> str:
        if self.owner is None:
            return ""
        return self.owner.user.full_name or self.owner.user.email

    @property
    def lateness(self) -> str:
        if self.is_overdue:
            return ngettext("%(days)s dag te laat", "%(days)s dagen te laat", self.days_late) % {"days": self.days_late}
        if self.due_on == self.today:
            return _("vandaag")
        days = (self.due_on - self.today).days
        return ngettext("over %(days)s dag", "over %(days)s dagen", days) % {"days": days}


def _where(planned: Any) -> str:
    if planned.process_id is None:
        return _("organisatiebreed")
    return f"{planned.process.code} {planned.process.name}"


def plan_rows(today: dt.date) -> list[DueRow]:
    rows = []
    for item in due_measures(today):
        planned = item.planned
        what = f"{planned.measure.name} ({_where(planned)})"
        if item.kind in (DueKind.REVIEW_OVERDUE, DueKind.REVIEW_SOON):
            detail = (
                _("effectiviteit herzien; nog %(percent)s %% effect") % {"percent": round(item.liveness * 100)}
                if item.kind == DueKind.REVIEW_OVERDUE
                else _("effectiviteit herzien")
            )
            rows.append(DueRow(RowKind.REVIEW, what, detail, planned.owner, item.due_on, today, planned))
        else:
            detail = _("status: %(status)s") % {"status": str(planned.get_status_display()).lower()}
            rows.append(DueRow(RowKind.MEASURE, what, detail, planned.owner, item.due_on, today, planned))
    return rows


def activities_due(
    today: dt.date, *, owner: Membership | None = None, horizon_days: int = HORIZON_DAYS
) -> list[RecurringActivity]:
    """Active activities due within the horizon or overdue, soonest first (one query; the digests use it too)."""
    activities: QuerySet[RecurringActivity] = RecurringActivity.objects.filter(is_active=True).select_related(
        "owner__user"
    )
    if owner is not None:
        activities = activities.filter(owner=owner)
    limit = today + dt.timedelta(days=horizon_days)
    due = [activity for activity in activities if activity.next_due_on() <= limit]
    return sorted(due, key=lambda activity: (activity.next_due_on(), activity.pk))


def activity_rows(today: dt.date) -> list[DueRow]:
    rows = []
    for activity in activities_due(today):
        detail = (
            _("nog nooit gedaan")
            if activity.last_done_on is None
            else _("laatst gedaan op %(date)s") % {"date": activity.last_done_on.strftime("%d-%m-%Y")}
        )
        rows.append(
            DueRow(RowKind.ACTIVITY, activity.name, detail, activity.owner, activity.next_due_on(), today, activity)
        )
    return rows


def communication_due(today: dt.date, *, horizon_days: int = HORIZON_DAYS) -> QuerySet[CommunicationItem]:
    return (
        CommunicationItem.objects.filter(done_on__isnull=True, planned_on__lte=today + dt.timedelta(days=horizon_days))
        .select_related("owner__user")
        .order_by("planned_on", "pk")
    )


def communication_rows(today: dt.date) -> list[DueRow]:
    rows = []
    for item in communication_due(today):
        detail = _("niet gedaan") if item.planned_on < today else _("voor %(audience)s") % {"audience": item.audience}
        rows.append(DueRow(RowKind.COMMUNICATION, item.subject, detail, item.owner, item.planned_on, today, item))
    return rows


@dataclass(frozen=True)
class ScreeningDue:
    position: Position
    due_on: dt.date
    never_screened: bool


def screening_due(today: dt.date, *, horizon_days: int = SCREENING_HORIZON_DAYS) -> list[ScreeningDue]:
    """Active positions that need screening and whose next round falls within ``horizon_days`` or passed.

    The next round is the last screening round plus ``renewal_years``; a position never screened
    is due today. One query.
    """
    limit = today + dt.timedelta(days=horizon_days)
    positions = (
        Position.objects.filter(is_active=True)
        .exclude(screening_level=ScreeningLevel.NONE)
        .select_related("unit")
        .order_by("pk")
    )
    due: list[ScreeningDue] = []
    for position in positions:
        if position.last_screening_on is None:
            due.append(ScreeningDue(position, today, never_screened=True))
            continue
        # A missing cycle is a data error the register form prevents; treat it as yearly, the safe side.
        next_on = add_years(position.last_screening_on, position.renewal_years or 1)
        if next_on <= limit:
            due.append(ScreeningDue(position, next_on, never_screened=False))
    due.sort(key=lambda each: (each.due_on, each.position.name.casefold(), each.position.pk))
    return due


def screening_rows(today: dt.date) -> list[DueRow]:
    rows = []
    for each in screening_due(today):
        position = each.position
        what = _("Screening %(level)s voor %(position)s") % {
            "level": position.get_screening_level_display(),
            "position": position.name,
        }
        parts = [position.unit.name] if position.unit is not None else []
        last = position.last_screening_on
        parts.append(
            _("laatste ronde %(date)s") % {"date": last.strftime("%d-%m-%Y")} if last else _("nooit gescreend")
        )
        rows.append(DueRow(RowKind.SCREENING, what, "; ".join(parts), None, each.due_on, today, position))
    return rows


def acceptance_rows(today: dt.date) -> list[DueRow]:
    rows = []
    for acceptance in expired_acceptances(today):
        process = acceptance.process
        what = _("Restrisico opnieuw beoordelen: %(process)s") % {"process": f"{process.code} {process.name}"}
        detail = _("acceptatie verlopen; opnieuw accepteren of maatregelen nemen")
        # An expiry date is the last day it holds: the work is due the day after.
        due_on = acceptance.expires_on + dt.timedelta(days=1)
        rows.append(DueRow(RowKind.ACCEPTANCE, what, detail, acceptance.accepted_by, due_on, today, acceptance))
    return rows


@dataclass(frozen=True)
class DueFilter:
    kind: str = ""
    #: A Membership, or None for everyone.
    owner: Any = None
    overdue_only: bool = False


def _matches(row: DueRow, filters: DueFilter) -> bool:
    if filters.kind and row.kind != filters.kind:
        return False
    if filters.owner is not None and (row.owner is None or row.owner.pk != filters.owner.pk):
        return False
    return not filters.overdue_only or row.is_overdue


def due_rows(today: dt.date, filters: DueFilter | None = None) -> list[DueRow]:
    """Every due and overdue row, filtered; only the sources the kind filter asks for are queried."""
    filters = filters or DueFilter()
    sources = {
        RowKind.MEASURE: plan_rows,
        RowKind.ACTIVITY: activity_rows,
        RowKind.COMMUNICATION: communication_rows,
        RowKind.SCREENING: screening_rows,
        RowKind.ACCEPTANCE: acceptance_rows,
    }
    wanted: Iterable[str] = sources
    if filters.kind:
        wanted = [RowKind.MEASURE if filters.kind == RowKind.REVIEW else filters.kind]
    rows = [row for kind in wanted if kind in sources for row in sources[kind](today) if _matches(row, filters)]
    order = {kind: index for index, (kind, _label) in enumerate(RowKind.choices)}
    rows.sort(key=lambda row: (row.due_on, order[row.kind], row.what.casefold()))
    return rows


def top_overdue(today: dt.date, count: int = 5) -> list[DueRow]:
    return due_rows(today, DueFilter(overdue_only=True))[:count]
