"""What the e-mail digests say: per owner their own work (weekly), per coordinator the organisation (monthly).

:func:`organisation_work` reads everything due in one organisation with a fixed number of queries;
each member's weekly digest is then picked from it by owner, so the cost does not grow with the
number of plan lines, and nobody's digest can hold someone else's items.

Texts are made here (in the active language); the command renders them inside Dutch. Items never
carry a score, and name a process only by its code: a mailbox is not need-to-know.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from weerbaar.attention.models import RecurringActivity
from weerbaar.attention.selectors.due import activities_due
from weerbaar.core.models import Membership
from weerbaar.plan.models import PlannedMeasure, RiskAcceptance
from weerbaar.plan.selectors.due import (
    DueKind,
    DueMeasure,
    Liveness,
    due_measures,
    expired_acceptances,
    liveness_summary,
    not_alive,
)
from weerbaar.scans.models import Scan, ScanState

#: The weekly digest looks two weeks ahead.
HORIZON_DAYS = 14
#: The monthly digest lists the most urgent items, oldest first.
TOP_ITEMS = 10


class Section:
    OVERDUE = "te_laat"
    SOON = "binnenkort"
    NOT_ALIVE = "niet_levend"
    ACCEPTANCE = "acceptatie"


def _day(day: dt.date) -> str:
    return dateformat.format(day, "j F Y")


def plan_line_path(planned: PlannedMeasure) -> str:
    return reverse("plan:measure_detail", kwargs={"planned_measure_uuid": planned.uuid})


def activity_path(activity: RecurringActivity) -> str:
    return reverse("attention:activity_detail", kwargs={"activity_uuid": activity.uuid})


def acceptance_path(acceptance: RiskAcceptance) -> str:
    return reverse("plan:acceptance", kwargs={"process_uuid": acceptance.process.uuid})


@dataclass(frozen=True)
class DigestItem:
    section: str
    title: str
    text: str
    due_on: dt.date
    path: str
    owner: str = ""


def _measure_title(planned: PlannedMeasure) -> str:
    where = planned.process.code if planned.process is not None else _("hele organisatie")
    return f"{planned.measure.name} ({where})"


def _owner_name(member: Membership | None) -> str:
    if member is None:
        return _("nog geen eigenaar")
    return str(member.user.full_name or member.user.email)


def _due_item(due: DueMeasure) -> DigestItem:
    planned, day = due.planned, _day(due.due_on)
    texts = {
        DueKind.OVERDUE: (Section.OVERDUE, _("had op %(day)s klaar moeten zijn")),
        DueKind.DUE_SOON: (Section.SOON, _("moet op %(day)s klaar zijn")),
        DueKind.REVIEW_OVERDUE: (Section.OVERDUE, _("herziening was nodig op %(day)s")),
        DueKind.REVIEW_SOON: (Section.SOON, _("herziening nodig vóór %(day)s")),
    }
    section, text = texts[due.kind]
    return DigestItem(
        section,
        _measure_title(planned),
        text % {"day": day},
        due.due_on,
        plan_line_path(planned),
        _owner_name(planned.owner),
    )


def _fading_item(planned: PlannedMeasure, liveness: float) -> DigestItem:
    due_on = planned.review_due_on() or planned.implemented_on or timezone.localdate()
    if liveness <= 0.0:
        text = _("werkt niet meer: de herziening was nodig op %(day)s")
    else:
        text = _("verliest zijn effect: de herziening was nodig op %(day)s")
    return DigestItem(
        Section.NOT_ALIVE,
        _measure_title(planned),
        text % {"day": _day(due_on)},
        due_on,
        plan_line_path(planned),
        _owner_name(planned.owner),
    )


def _activity_item(activity: RecurringActivity, today: dt.date) -> DigestItem:
    due_on = activity.next_due_on()
    if due_on < today:
        section, text = Section.OVERDUE, _("was op %(day)s aan de beurt")
    else:
        section, text = Section.SOON, _("is op %(day)s aan de beurt")
    return DigestItem(
        section,
        activity.name,
        text % {"day": _day(due_on)},
        due_on,
        activity_path(activity),
        _owner_name(activity.owner),
    )


def _acceptance_item(acceptance: RiskAcceptance) -> DigestItem:
    return DigestItem(
        Section.ACCEPTANCE,
        _("Risicoacceptatie van proces %(code)s") % {"code": acceptance.process.code},
        _("verlopen op %(day)s: opnieuw accepteren of intrekken") % {"day": _day(acceptance.expires_on)},
        acceptance.expires_on,
        acceptance_path(acceptance),
        _owner_name(acceptance.accepted_by),
    )


def _sort_key(item: DigestItem) -> tuple[dt.date, str]:
    return (item.due_on, item.title)


@dataclass
class OrganisationWork:
    """Everything due in one organisation on ``today``, grouped by owner (membership pk)."""

    today: dt.date
    by_owner: dict[int, list[DigestItem]] = field(default_factory=dict)
    acceptances: list[DigestItem] = field(default_factory=list)
    overdue_lines: int = 0
    overdue_reviews: int = 0
    overdue_activities: int = 0
    liveness: Liveness = field(default_factory=lambda: Liveness(0, 0, 0, 0))
    last_closed_scan: dt.date | None = None
    urgent: list[DigestItem] = field(default_factory=list)
    #: How many urgent items there are in all (``urgent`` holds the first ``TOP_ITEMS``).
    urgent_total: int = 0

    @property
    def not_alive(self) -> int:
        return self.liveness.fading + self.liveness.lapsed

    @property
    def days_since_scan(self) -> int | None:
        return (self.today - self.last_closed_scan).days if self.last_closed_scan else None


def organisation_work(today: dt.date, *, monthly: bool = False) -> OrganisationWork:
    """Six queries for the weekly picture; two more (liveness counts, last scan) for the monthly one."""
    work = OrganisationWork(today=today)
    owned: dict[int, list[DigestItem]] = defaultdict(list)
    fading = not_alive(today)
    fading_ids = {planned.pk for planned, _liveness in fading}
    for planned, liveness in fading:
        if planned.owner_id is not None:
            owned[planned.owner_id].append(_fading_item(planned, liveness))
    due = due_measures(today, horizon_days=HORIZON_DAYS)
    for each in due:
        # A review that is overdue has made the measure fade: it is listed once, as not alive.
        if each.kind == DueKind.REVIEW_OVERDUE and each.planned.pk in fading_ids:
            continue
        if each.planned.owner_id is not None:
            owned[each.planned.owner_id].append(_due_item(each))
    due_activities = activities_due(today, horizon_days=HORIZON_DAYS)
    for activity in due_activities:
        if activity.owner_id is not None:
            owned[activity.owner_id].append(_activity_item(activity, today))
    work.acceptances = [_acceptance_item(acceptance) for acceptance in expired_acceptances(today)]
    work.by_owner = {owner: sorted(items, key=_sort_key) for owner, items in owned.items()}
    if monthly:
        work.overdue_lines = sum(1 for each in due if each.kind == DueKind.OVERDUE)
        work.overdue_reviews = sum(1 for each in due if each.kind == DueKind.REVIEW_OVERDUE)
        overdue_activities = [activity for activity in due_activities if activity.next_due_on() < today]
        work.overdue_activities = len(overdue_activities)
        work.liveness = liveness_summary(today)
        closed = Scan.objects.filter(state=ScanState.CLOSED).aggregate(last=Max("closed_at"))["last"]
        work.last_closed_scan = timezone.localdate(closed) if closed else None
        urgent = [
            *(_due_item(each) for each in due if each.is_overdue and each.planned.pk not in fading_ids),
            *(_fading_item(planned, liveness) for planned, liveness in fading),
            *(_activity_item(activity, today) for activity in overdue_activities),
            *work.acceptances,
        ]
        work.urgent = sorted(urgent, key=_sort_key)[:TOP_ITEMS]
        work.urgent_total = len(urgent)
    return work


@dataclass(frozen=True)
class DigestSection:
    key: str
    heading: str
    items: list[DigestItem]


@dataclass(frozen=True)
class WeeklyDigest:
    member: Membership
    sections: list[DigestSection]

    @property
    def count(self) -> int:
        return sum(len(section.items) for section in self.sections)


def _headings() -> dict[str, str]:
    return {
        Section.OVERDUE: _("Te laat"),
        Section.NOT_ALIVE: _("Werkt niet meer (volledig): herzien"),
        Section.SOON: _("Binnen twee weken"),
        Section.ACCEPTANCE: _("Verlopen risicoacceptaties"),
    }


def weekly_digest(work: OrganisationWork, member: Membership, *, with_acceptances: bool) -> WeeklyDigest:
    """Only ``member``'s own items; expired acceptances for the one who accepts risks (the secretaris)."""
    items = list(work.by_owner.get(member.pk, []))
    if with_acceptances:
        items += work.acceptances
    headings = _headings()
    sections = [
        DigestSection(key, heading, [item for item in items if item.section == key])
        for key, heading in headings.items()
    ]
    return WeeklyDigest(member, [section for section in sections if section.items])
