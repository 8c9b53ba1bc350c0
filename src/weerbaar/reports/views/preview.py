"""The report preview (HTML and PDF) for the coordinator.

The preview shows exactly what publishing would archive, as of today; nothing is stored. The PDF
download is a copy of the confidential map of weak spots leaving the application, so it is
recorded in the audit trail like the other exports.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from weerbaar.core.http import AppRequest
from weerbaar.core.models import Organisation
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.reports.content import build_report, normalise_version
from weerbaar.reports.models import ReportVersion
from weerbaar.reports.rendering import RenderedReport, render_report, report_context
from weerbaar.reports.services import record_preview_download

#: The query parameter that picks the version: ``volledig`` (default) or ``samenvatting``.
VERSION_PARAM = "versie"


def _publish_url() -> str | None:
    """Publishing is another part of the app; link to it only once its page exists."""
    try:
        return reverse("reports:publish")
    except NoReverseMatch:
        return None


def filename(organisation: Organisation, rendered: RenderedReport) -> str:
    slug = "".join(char if char.isascii() and char.isalnum() else "-" for char in organisation.name.lower())
    slug = "-".join(part for part in slug.split("-") if part)[:60] or "organisatie"
    return f"weerbaar-rapportage-{rendered.version}-{slug}-{rendered.reference_date.isoformat()}.pdf"


@require_GET
@requires(Action.REPORTS_MANAGE)
def preview(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None
    version = normalise_version(request.GET.get(VERSION_PARAM))
    data = build_report(request.organisation, version=version, today=timezone.localdate())
    context = report_context(request.organisation, data)
    context.update(
        {
            "versions": [
                (value, label, f"?{VERSION_PARAM}={value}", value == version) for value, label in ReportVersion.choices
            ],
            "pdf_url": f"{reverse('reports:preview_pdf')}?{VERSION_PARAM}={version}",
            "publish_url": _publish_url(),
        }
    )
    return TemplateResponse(request, "reports/preview.html", context)


@require_GET
@requires(Action.REPORTS_MANAGE)
def preview_pdf(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None
    version = normalise_version(request.GET.get(VERSION_PARAM))
    rendered = render_report(request.organisation, version=version, today=timezone.localdate())
    record_preview_download(actor=request.user, organisation=request.organisation, rendered=rendered)
    response = HttpResponse(rendered.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(request.organisation, rendered)}"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns: list[URLPattern] = [
    path("rapportage", preview, name="preview"),
    path("rapportage/pdf", preview_pdf, name="preview_pdf"),
]
