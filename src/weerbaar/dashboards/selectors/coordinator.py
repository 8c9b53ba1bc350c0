"""The coordinator's dashboard: scan progress, differences to resolve, measures not alive, overdue work.

Fixed queries whatever the size: the scans not yet closed with their counts (1), the newest scan in
review's agreement overview (2, 3 when its agreement is not cached), the plan's counts (1) and the
five sources of the due list (5).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import ngettext

from weerbaar.attention.selectors.due import DueFilter, DueRow, due_rows
from weerbaar.core.models import Membership
from weerbaar.dashboards.selectors.common import URGENT, AttentionItem, plan_items, prioritised
from weerbaar.plan.selectors.plan_list import PlanSummary, plan_summary
from weerbaar.scans.models import Scan, ScanState
from weerbaar.scans.selectors.review import ReviewOverview, review_overview

#: How many overdue items the dashboard lists by name.
OVERDUE_SHOWN = 5


@dataclass(frozen=True)
class ScanFigures:
    scan: Scan
    processes: int
    settled: int
    ratings: int
    submitted: int
    #: Only for a scan in review: processes whose raters differ and that the coordinator settles by hand.
    to_discuss: int | None = None
    agreed: int | None = None

    @property
    def percent_submitted(self) -> int | None:
        return round(self.submitted * 100 / self.ratings) if self.ratings else None

    @property
    def url(self) -> str:
        if self.scan.in_review:
            return reverse("scans:review", kwargs={"scan_uuid": self.scan.uuid})
        return reverse("scans:scan_detail", kwargs={"scan_uuid": self.scan.uuid})


@dataclass
class CoordinatorDashboard:
    today: dt.date
    attention: list[AttentionItem]
    scans: list[ScanFigures]
    plan: PlanSummary
    #: Every overdue row of the due list (the dashboard names the first ``OVERDUE_SHOWN``).
    overdue: list[DueRow]

    @property
    def first_overdue(self) -> list[DueRow]:
        return self.overdue[:OVERDUE_SHOWN]

    @property
    def plan_url(self) -> str:
        return reverse("plan:plan_list")

    @property
    def due_url(self) -> str:
        return reverse("attention:due_list")


def running_scans() -> list[Scan]:
    """Scans in draft, open or in review, the newest first, with their counts (one query)."""
    return list(
        Scan.objects.filter(state__in=(ScanState.DRAFT, ScanState.OPEN, ScanState.REVIEW))
        .annotate(
            process_count=Count("scan_processes", distinct=True),
            settled_count=Count("scan_processes", filter=Q(scan_processes__consensus_at__isnull=False), distinct=True),
            rating_count=Count("scan_processes__ratings", distinct=True),
            submitted_count=Count(
                "scan_processes__ratings", filter=Q(scan_processes__ratings__submitted_at__isnull=False), distinct=True
            ),
        )
        .order_by("-period_end", "-created_at", "-pk")
    )


def scan_figures(scans: list[Scan]) -> list[ScanFigures]:
    """The figures per running scan; the newest scan in review also gets its agreement overview."""
    in_review = next((scan for scan in scans if scan.in_review), None)
    overview: ReviewOverview | None = review_overview(in_review) if in_review is not None else None
    figures = []
    for scan in scans:
        counts = overview.counts() if overview is not None and scan is in_review else None
        figures.append(
            ScanFigures(
                scan=scan,
                processes=scan.process_count,  # type: ignore[attr-defined]
                settled=scan.settled_count,  # type: ignore[attr-defined]
                ratings=scan.rating_count,  # type: ignore[attr-defined]
                submitted=scan.submitted_count,  # type: ignore[attr-defined]
                to_discuss=counts["aandacht"] if counts is not None else None,
                agreed=counts["eens"] if counts is not None else None,
            )
        )
    return figures


def _attention(dashboard: CoordinatorDashboard) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    today = dashboard.today
    for figures in dashboard.scans:
        scan = figures.scan
        if figures.to_discuss:
            items.append(
                AttentionItem(
                    ngettext(
                        "%(scan)s: %(count)s verschil nog te bespreken.",
                        "%(scan)s: %(count)s verschillen nog te bespreken.",
                        figures.to_discuss,
                    )
                    % {"scan": scan.name, "count": figures.to_discuss},
                    f"{figures.url}?toon=aandacht",
                    URGENT,
                )
            )
        if figures.agreed:
            items.append(
                AttentionItem(
                    ngettext(
                        "%(scan)s: %(count)s proces waar de beoordelaars het eens zijn, klaar om vast te stellen.",
                        "%(scan)s: %(count)s processen waar de beoordelaars het eens zijn, klaar om vast te stellen.",
                        figures.agreed,
                    )
                    % {"scan": scan.name, "count": figures.agreed},
                    f"{figures.url}?toon=eens",
                )
            )
        if scan.is_open and figures.ratings > figures.submitted:
            open_ratings = figures.ratings - figures.submitted
            if scan.deadline < today:
                text = ngettext(
                    "%(scan)s: de deadline is voorbij en %(count)s beoordeling is nog niet ingeleverd.",
                    "%(scan)s: de deadline is voorbij en %(count)s beoordelingen zijn nog niet ingeleverd.",
                    open_ratings,
                )
                urgency = URGENT
            else:
                text = ngettext(
                    "%(scan)s: %(count)s beoordeling nog niet ingeleverd.",
                    "%(scan)s: %(count)s beoordelingen nog niet ingeleverd.",
                    open_ratings,
                )
                urgency = 1
            items.append(AttentionItem(text % {"scan": scan.name, "count": open_ratings}, figures.url, urgency))
    plan = dashboard.plan
    items += plan_items(not_alive=plan.not_alive, overdue=plan.overdue)
    if dashboard.overdue:
        count = len(dashboard.overdue)
        items.append(
            AttentionItem(
                ngettext(
                    "%(count)s taak is over de datum (maatregelen, activiteiten, communicatie, screening).",
                    "%(count)s taken zijn over de datum (maatregelen, activiteiten, communicatie, screening).",
                    count,
                )
                % {"count": count},
                f"{dashboard.due_url}?alleen_te_laat=on",
            )
        )
    return prioritised(items)


def coordinator_dashboard(membership: Membership, today: dt.date) -> CoordinatorDashboard:
    dashboard = CoordinatorDashboard(
        today=today,
        attention=[],
        scans=scan_figures(running_scans()),
        plan=plan_summary(today),
        overdue=due_rows(today, DueFilter(overdue_only=True)),
    )
    dashboard.attention = _attention(dashboard)
    return dashboard
