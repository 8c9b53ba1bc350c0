"""The lezer's dashboard: the latest published management report, and the external context.

Two queries: the newest report (without its stored PDF and HTML) with the number published, and
the circumstances that apply to the gemeente.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Window
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.dashboards.selectors.common import NOTE, AttentionItem
from weerbaar.register.selectors import applying_context
from weerbaar.reports.models import PublishedReport

#: A report published this recently is announced in "Nu aandacht nodig".
NEW_FOR_DAYS = 30
#: What the dashboard reads of a report: never the stored PDF or HTML.
REPORT_FIELDS = ("uuid", "title", "version", "published_at", "page_count", "reference_date", "scan__name")


@dataclass(frozen=True)
class ReaderDashboard:
    latest: PublishedReport | None
    published: int
    context_items: list[Any]
    attention: list[AttentionItem]

    @property
    def list_url(self) -> str:
        return reverse("reports:published_list")

    @property
    def detail_url(self) -> str:
        if self.latest is None:
            return ""
        return reverse("reports:published_detail", kwargs={"report_uuid": self.latest.uuid})

    @property
    def pdf_url(self) -> str:
        if self.latest is None:
            return ""
        return reverse("reports:published_pdf", kwargs={"report_uuid": self.latest.uuid})


def latest_report() -> tuple[PublishedReport | None, int]:
    """The newest published report and how many there are. One query."""
    latest = (
        PublishedReport.objects.select_related("scan")
        .only(*REPORT_FIELDS)
        .annotate(total=Window(Count("pk")))
        .order_by("-published_at", "-id")
        .first()
    )
    return latest, int(getattr(latest, "total", 0) or 0)


def reader_dashboard(today: dt.date) -> ReaderDashboard:
    latest, published = latest_report()
    attention: list[AttentionItem] = []
    if latest is not None and (today - timezone.localtime(latest.published_at).date()).days <= NEW_FOR_DAYS:
        attention.append(
            AttentionItem(
                _("Nieuwe rapportage gepubliceerd op %(date)s: %(title)s")
                % {"date": timezone.localtime(latest.published_at).strftime("%d-%m-%Y"), "title": latest.title},
                reverse("reports:published_detail", kwargs={"report_uuid": latest.uuid}),
                NOTE,
            )
        )
    return ReaderDashboard(latest=latest, published=published, context_items=applying_context(), attention=attention)
