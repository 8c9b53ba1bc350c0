"""Render the management report to a standalone HTML document and to PDF (WeasyPrint).

Interface used by publishing (``weerbaar.reports.services``) and the preview views; the content
itself is built in ``weerbaar.reports.content``.

The PDF renderer fetches nothing from outside: its URL fetcher serves only our own static files
and ``data:`` URIs (the logo) and refuses every other URL, so a link or image address in user
text (which is escaped anyway, so it never becomes an element) can never be followed.
"""

from __future__ import annotations

import base64
import datetime as dt
import mimetypes
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from weerbaar.core.models import OrganisationLogo
from weerbaar.reports.charts import class_bars_svg, heat_map_svg, heat_map_title
from weerbaar.reports.content import ReportData, build_report, data_hash

if TYPE_CHECKING:
    from weerbaar.core.models import Organisation
    from weerbaar.scans.models import Scan

#: The base URL of the standalone document: relative URLs resolve under it, and only paths below
#: ``STATIC_URL`` on it are ever served (from our own static files).
BASE_URL = "https://weerbaar.invalid/"
PRINT_CSS = "weerbaar/report-print.css"
LOGO_TYPES = ("image/png", "image/jpeg")


@dataclass(frozen=True)
class RenderedReport:
    title: str
    version: str  # ReportVersion value
    reference_date: dt.date
    scan: Scan | None  # the closed scan the report is about; None when there is none yet
    model_version: str
    #: SHA-256 (hex) of the canonical JSON of the report's data (not of the PDF bytes).
    data_hash: str
    html: str  # a standalone HTML document (CSS included), exactly what was rendered to PDF
    pdf: bytes
    page_count: int


class RefusedURL(ValueError):
    """The report asked for something that is neither our static file nor a data: URI."""


def static_path(url: str) -> Path | None:
    """The file behind one of our static URLs on ``BASE_URL``, or None."""
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or parts.query:
        return None
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not parts.path.startswith(prefix):
        return None
    relative = unquote(parts.path[len(prefix) :])
    if not relative or relative.startswith("/") or ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    return Path(found) if isinstance(found, str) else None


def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """Serves data: URIs and our own static files; refuses every other URL without opening it."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = static_path(url)
            if path is None:
                raise RefusedURL(f"De rapportage haalt niets van buiten op: {url[:200]}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticOnlyFetcher


def url_fetcher() -> Any:
    return _fetcher_class()(fail_on_errors=False)


@cache
def _print_css_from(path: str, _mtime: float) -> str:
    return Path(path).read_text(encoding="utf-8")


def print_css() -> str:
    found = finders.find(PRINT_CSS)
    assert isinstance(found, str), PRINT_CSS
    return _print_css_from(found, Path(found).stat().st_mtime)


def logo_uri(organisation: Organisation) -> str:
    """The organisation's logo as a data: URI (PNG or JPEG only), or nothing."""
    stored = OrganisationLogo.objects.filter(organisation=organisation).values_list("content", "content_type").first()
    if stored is None or not stored[0] or stored[1] not in LOGO_TYPES:
        return ""
    content, content_type = bytes(stored[0]), stored[1]
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def report_context(organisation: Organisation, data: ReportData) -> dict[str, Any]:
    """What the report's templates print: the data, its charts and the logo."""
    charts: dict[str, Any] = {}
    facts = data.facts
    if facts.heat is not None and facts.scan is not None:
        charts["heat_title"] = heat_map_title(facts.heat, facts.scan.name)
        charts["heat"] = heat_map_svg(facts.heat, title=charts["heat_title"])
        if facts.trend is not None:
            charts["bars_title"] = _("Processen per risicoklasse: %(previous)s en %(scan)s") % {
                "previous": facts.trend.previous_name,
                "scan": facts.scan.name,
            }
            charts["bars"] = class_bars_svg(
                facts.heat.classes,
                now_label=facts.scan.name,
                before_label=facts.trend.previous_name,
                title=charts["bars_title"],
            )
    return {"report": data, "charts": charts, "logo_uri": logo_uri(organisation)}


def render_html(organisation: Organisation, data: ReportData) -> str:
    """The standalone document: never served as an app page, so its CSS may sit in a <style> element."""
    context = report_context(organisation, data)
    context["css"] = mark_safe(print_css())  # our own file, not user input
    return render_to_string("reports/report_document.html", context)


def render_pdf(html: str) -> tuple[bytes, int]:
    from weasyprint import HTML

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).render()
    return document.write_pdf(), len(document.pages)


def render_report(organisation: Organisation, *, version: str, today: dt.date) -> RenderedReport:
    """The report of ``organisation`` as of ``today``; the organisation must be the bound tenant."""
    from weerbaar.scans.models import Scan

    data = build_report(organisation, version=version, today=today)
    html = render_html(organisation, data)
    pdf, pages = render_pdf(html)
    scan = Scan.objects.filter(uuid=data.facts.scan.uuid).first() if data.facts.scan is not None else None
    return RenderedReport(
        title=data.title,
        version=data.version,
        reference_date=today,
        scan=scan,
        model_version=data.facts.model_version,
        data_hash=data_hash(data),
        html=html,
        pdf=pdf,
        page_count=pages,
    )
