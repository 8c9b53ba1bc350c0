"""Recurring activities: the list, one activity with its done-log, and how far it reached.

Need-to-know: the coordinator and the secretaris (``ATTENTION_VIEW``) see every activity; any
other owner (``WORK_OWN``) only the activities they own. Someone else's activity is a 404 for them,
like another organisation's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from weerbaar.attention.models import ActivityLog, RecurringActivity
from weerbaar.core.models import Membership, Unit
from weerbaar.core.permissions import Action
from weerbaar.core.selectors import work_owner_options
from weerbaar.plan.models import add_months
from weerbaar.register.models import Position, ScreeningLevel

#: "Binnenkort" looks this far ahead (the same horizon as the action plan's due list).
DUE_SOON_DAYS = 30


class ActivityState:
    ON_TRACK = "op_schema"
    SOON = "binnenkort"
    LATE = "te_laat"
    ARCHIVED = "gearchiveerd"

    labels: dict[str, Any] = {
        ON_TRACK: _("op schema"),
        SOON: _("binnenkort"),
        LATE: _("te laat"),
        ARCHIVED: _("gearchiveerd"),
    }
    css: dict[str, str] = {ON_TRACK: "ok", SOON: "warning", LATE: "error", ARCHIVED: "neutral"}


@dataclass(frozen=True)
class ActivityRow:
    activity: RecurringActivity
    next_due_on: dt.date
    state: str
    days_late: int

    @property
    def state_label(self) -> Any:
        return ActivityState.labels[self.state]

    @property
    def state_css(self) -> str:
        return ActivityState.css[self.state]


def activity_state(activity: RecurringActivity, today: dt.date) -> ActivityRow:
    due = activity.next_due_on()
    if not activity.is_active:
        state = ActivityState.ARCHIVED
    elif due < today:
        state = ActivityState.LATE
    elif due <= today + dt.timedelta(days=DUE_SOON_DAYS):
        state = ActivityState.SOON
    else:
        state = ActivityState.ON_TRACK
    return ActivityRow(activity, due, state, max((today - due).days, 0) if state == ActivityState.LATE else 0)


def sees_all(member: Membership) -> bool:
    return member.can(Action.ATTENTION_VIEW)


def may_log(member: Membership, activity: RecurringActivity) -> bool:
    """The coordinator logs any activity; an owner their own."""
    return member.can(Action.ATTENTION_MANAGE) or (activity.owner_id == member.pk and member.can(Action.WORK_OWN))


def visible_activities(member: Membership) -> QuerySet[RecurringActivity]:
    activities = RecurringActivity.objects.all()
    return activities if sees_all(member) else activities.filter(owner=member)


def activity_rows(member: Membership, today: dt.date, *, archived: bool = False) -> list[ActivityRow]:
    """The activity list: one query (owner names joined), the most urgent first."""
    activities = visible_activities(member).filter(is_active=not archived).select_related("owner__user")
    rows = [activity_state(activity, today) for activity in activities]
    rows.sort(key=lambda row: (row.next_due_on, row.activity.name.casefold(), row.activity.pk))
    return rows


def activity_for(member: Membership, activity_uuid: UUID) -> RecurringActivity | None:
    """One activity with its owner and targets (the detail and edit pages), if this member may see it."""
    return (
        visible_activities(member)
        .select_related("owner__user")
        .prefetch_related(
            Prefetch("target_units", queryset=Unit.objects.order_by(Lower("name"), "pk")),
            Prefetch(
                "target_positions", queryset=Position.objects.select_related("unit").order_by(Lower("name"), "pk")
            ),
        )
        .filter(uuid=activity_uuid)
        .first()
    )


def activity_log(activity: RecurringActivity) -> list[ActivityLog]:
    """The done-log, newest first, with what each time reached: three queries for any length."""
    return list(
        ActivityLog.objects.filter(activity=activity)
        .select_related("recorded_by__user")
        .prefetch_related(
            Prefetch("units", queryset=Unit.objects.order_by(Lower("name"), "pk")),
            Prefetch("positions", queryset=Position.objects.order_by(Lower("name"), "pk")),
        )
    )


@dataclass(frozen=True)
class Reach:
    """What an activity reached in its last cadence window, against what it is meant to reach."""

    since: dt.date
    units: list[Unit]
    positions: list[Position]
    missing_units: list[Unit]
    missing_positions: list[Position]
    has_targets: bool


def window_start(activity: RecurringActivity, today: dt.date) -> dt.date:
    """The last cadence window is the cadence ending today: a yearly activity looks back one year."""
    return add_months(today, -activity.cadence_months)


def activity_reach(activity: RecurringActivity, log: list[ActivityLog], today: dt.date) -> Reach:
    """Units and positions reached since ``window_start`` (from the log), and the targets not reached yet.

    ``activity`` must come from :func:`activity_for` and ``log`` from :func:`activity_log`: no queries here.
    """
    since = window_start(activity, today)
    units: dict[int, Unit] = {}
    positions: dict[int, Position] = {}
    for entry in log:
        if since < entry.done_on <= today:
            units.update((unit.pk, unit) for unit in entry.units.all())
            positions.update((position.pk, position) for position in entry.positions.all())
    target_units = list(activity.target_units.all())
    target_positions = list(activity.target_positions.all())
    return Reach(
        since=since,
        units=sorted(units.values(), key=lambda unit: (unit.name.casefold(), unit.pk)),
        positions=sorted(positions.values(), key=lambda position: (position.name.casefold(), position.pk)),
        missing_units=[unit for unit in target_units if unit.pk not in units and unit.is_active],
        missing_positions=[
            position for position in target_positions if position.pk not in positions and position.is_active
        ],
        has_targets=bool(target_units or target_positions),
    )


def vulnerable_positions(keep: list[Position] | None = None) -> list[Position]:
    """Active positions with a screening level (the register's "kwetsbare functies"), for the pickers.

    ``keep`` stays in the list even when archived or no longer vulnerable, so an edit never drops it.
    """
    kept = {position.pk for position in keep or []}
    positions = Position.objects.select_related("unit").order_by(Lower("name"), "pk")
    return [
        position
        for position in positions
        if position.pk in kept or (position.is_active and position.screening_level != ScreeningLevel.NONE)
    ]


owner_options = work_owner_options
