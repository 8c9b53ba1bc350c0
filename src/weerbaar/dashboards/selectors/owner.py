"""The proceseigenaar's dashboard (and the "own work" part of the medewerker's and vertrouwenspersoon's):
my processes, my ratings to do, my measures and my activities.

Five queries whatever the size: own processes counted (1) and the first few listed (1), the open
ratings per scan (1), the own plan lines counted (1) and the own activities due (1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from weerbaar.attention.models import RecurringActivity
from weerbaar.attention.selectors.due import activities_due
from weerbaar.core.models import Membership
from weerbaar.dashboards.selectors.common import NOTE, SOON, URGENT, AttentionItem, prioritised
from weerbaar.plan.models import OPEN_STATUSES, MeasureStatus, PlannedMeasure
from weerbaar.plan.selectors.due import HORIZON_DAYS
from weerbaar.plan.selectors.plan_list import not_alive_q
from weerbaar.register.models import Process
from weerbaar.scans.models import Rating, ScanState

#: How many own processes the dashboard lists by name.
PROCESSES_SHOWN = 8


@dataclass(frozen=True)
class RatingsToDo:
    scan_name: str
    scan_uuid: str
    deadline: dt.date
    count: int
    today: dt.date

    @property
    def overdue(self) -> bool:
        return self.deadline < self.today

    @property
    def url(self) -> str:
        return reverse("scans:my_ratings") + f"?scan={self.scan_uuid}"


@dataclass(frozen=True)
class MeasureCounts:
    overdue: int = 0
    due_soon: int = 0
    not_alive: int = 0
    running: int = 0
    implemented: int = 0

    @property
    def total(self) -> int:
        return self.running + self.implemented

    @property
    def url(self) -> str:
        return reverse("plan:my_measures")


@dataclass(frozen=True)
class OwnWork:
    today: dt.date
    ratings: list[RatingsToDo]
    measures: MeasureCounts
    activities: list[RecurringActivity]

    @property
    def ratings_open(self) -> int:
        return sum(each.count for each in self.ratings)

    @property
    def activities_late(self) -> int:
        return sum(1 for activity in self.activities if activity.next_due_on() < self.today)

    @property
    def has_any(self) -> bool:
        return bool(self.ratings or self.measures.total or self.activities)


@dataclass(frozen=True)
class OwnerDashboard:
    work: OwnWork
    process_count: int
    processes: list[Process]
    attention: list[AttentionItem]

    @property
    def process_list_url(self) -> str:
        return reverse("register:process_list")


def ratings_to_do(member: Membership, today: dt.date) -> list[RatingsToDo]:
    """The member's ratings not handed in, per open scan, nearest deadline first. One query."""
    rows = (
        Rating.objects.filter(rater=member, submitted_at__isnull=True, scan_process__scan__state=ScanState.OPEN)
        .values("scan_process__scan__name", "scan_process__scan__uuid", "scan_process__scan__deadline")
        .annotate(count=Count("pk"))
        .order_by("scan_process__scan__deadline", "scan_process__scan__name")
    )
    return [
        RatingsToDo(
            scan_name=row["scan_process__scan__name"],
            scan_uuid=str(row["scan_process__scan__uuid"]),
            deadline=row["scan_process__scan__deadline"],
            count=row["count"],
            today=today,
        )
        for row in rows
    ]


def measure_counts(member: Membership, today: dt.date) -> MeasureCounts:
    """The member's own plan lines counted as "mijn maatregelen" groups them. One query."""
    open_lines = Q(status__in=OPEN_STATUSES)
    totals = PlannedMeasure.objects.filter(owner=member).aggregate(
        overdue=Count("pk", filter=open_lines & Q(due_date__lt=today)),
        due_soon=Count(
            "pk", filter=open_lines & Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=HORIZON_DAYS))
        ),
        not_alive=Count("pk", filter=not_alive_q(today)),
        running=Count("pk", filter=open_lines),
        implemented=Count("pk", filter=Q(status=MeasureStatus.IMPLEMENTED)),
    )
    return MeasureCounts(**{key: value or 0 for key, value in totals.items()})


def own_work(member: Membership, today: dt.date) -> OwnWork:
    """Ratings, measures and activities of one member. Three queries."""
    return OwnWork(
        today=today,
        ratings=ratings_to_do(member, today),
        measures=measure_counts(member, today),
        activities=activities_due(today, owner=member),
    )


def own_work_attention(work: OwnWork) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    for each in work.ratings:
        if each.overdue:
            text = ngettext(
                "%(scan)s: %(count)s beoordeling is nog niet ingeleverd en de deadline is voorbij.",
                "%(scan)s: %(count)s beoordelingen zijn nog niet ingeleverd en de deadline is voorbij.",
                each.count,
            )
        else:
            text = ngettext(
                "%(scan)s: %(count)s beoordeling te doen (uiterlijk %(deadline)s).",
                "%(scan)s: %(count)s beoordelingen te doen (uiterlijk %(deadline)s).",
                each.count,
            )
        items.append(
            AttentionItem(
                text % {"scan": each.scan_name, "count": each.count, "deadline": each.deadline.strftime("%d-%m-%Y")},
                each.url,
                URGENT if each.overdue else SOON,
            )
        )
    measures = work.measures
    if measures.overdue:
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)s van uw maatregelen is over de deadline.",
                    "%(count)s van uw maatregelen zijn over de deadline.",
                    measures.overdue,
                )
                % {"count": measures.overdue},
                measures.url,
                URGENT,
            )
        )
    if measures.not_alive:
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)s van uw maatregelen is niet meer levend: herzie of ze nog werken.",
                    "%(count)s van uw maatregelen zijn niet meer levend: herzie of ze nog werken.",
                    measures.not_alive,
                )
                % {"count": measures.not_alive},
                measures.url,
                URGENT,
            )
        )
    if measures.due_soon:
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)s van uw maatregelen moet binnen 30 dagen klaar zijn.",
                    "%(count)s van uw maatregelen moeten binnen 30 dagen klaar zijn.",
                    measures.due_soon,
                )
                % {"count": measures.due_soon},
                measures.url,
                NOTE,
            )
        )
    for activity in work.activities:
        late = activity.next_due_on() < work.today
        items.append(
            AttentionItem(
                (_("Activiteit te laat: %(name)s") if late else _("Activiteit binnenkort: %(name)s"))
                % {"name": activity.name},
                reverse("attention:activity_detail", kwargs={"activity_uuid": activity.uuid}),
                SOON if late else NOTE,
            )
        )
    return items


def owner_dashboard(member: Membership, today: dt.date) -> OwnerDashboard:
    own = Process.objects.filter(owner=member, is_active=True)
    work = own_work(member, today)
    return OwnerDashboard(
        work=work,
        process_count=own.count(),
        processes=list(own.select_related("unit").order_by(Lower("name"), "code", "pk")[:PROCESSES_SHOWN]),
        attention=prioritised(own_work_attention(work)),
    )
