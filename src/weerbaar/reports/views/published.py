"""Publishing a report, the archive of published reports, opening and downloading them.

The coordinator publishes (``reports.manage``); the secretaris, the coordinator and the lezer read
the archive (``reports.view``). The lezer stands for the college and the audit committee: the
confidential full version is written for the college, so readers see both versions. Every opening
of a PDF, inline or as a download, is audited.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import quote
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from weerbaar.core.forms import apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.reports import selectors, services
from weerbaar.reports.models import PublishedReport, ReportVersion

PAGE_SIZE = 25


class PublishForm(forms.Form):
    version = forms.ChoiceField(
        label=gettext_lazy("Welke versie publiceert u?"),
        choices=ReportVersion.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Kies welke versie u publiceert.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Toelichting bij deze publicatie"),
        required=False,
        max_length=services.MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Optioneel, bijvoorbeeld voor welk overleg u publiceert of wat er anders is dan de vorige keer. "
            "Lezers zien deze toelichting bij de rapportage."
        ),
    )


def pdf_filename(report: PublishedReport) -> str:
    """A filename any browser and file system accepts: ASCII letters, digits and dashes."""
    base = f"{report.title} {report.get_version_display()} {report.published_at:%Y-%m-%d}"
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-").lower()[:120].strip("-")
    return f"{slug or 'rapportage'}.pdf"


def pdf_response(content: bytes, report: PublishedReport, *, attachment: bool) -> HttpResponse:
    """The archived PDF as it was published; shared by the pages and the API."""
    response = HttpResponse(content, content_type="application/pdf")
    filename = pdf_filename(report)
    kind = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f"{kind}; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    # The confidential version must not linger in a shared browser's or proxy's cache.
    response["Cache-Control"] = "private, no-store"
    return response


def _get_report(report_uuid: UUID) -> PublishedReport:
    report = selectors.published_report(report_uuid)
    if report is None:
        raise Http404
    return report


def _detail_url(report: PublishedReport) -> str:
    return reverse("reports:published_detail", kwargs={"report_uuid": report.uuid})


@require_http_methods(["GET", "POST"])
@requires(Action.REPORTS_MANAGE)
def publish(request: AppRequest) -> HttpResponse:
    assert request.membership is not None
    form = PublishForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = services.report_publish(
                    actor=request.user,
                    member=request.membership,
                    version=form.cleaned_data["version"],
                    note=form.cleaned_data["note"],
                    today=timezone.localdate(),
                )
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("“%(title)s” is gepubliceerd en ongewijzigd gearchiveerd. Lezers kunnen de rapportage nu openen.")
                    % {"title": report.title},
                )
                return redirect(_detail_url(report))
        status = 422
    context: dict[str, Any] = {"form": form, "latest": list(selectors.latest_per_version().values())}
    return TemplateResponse(request, "reports/publish_form.html", context, status=status)


@require_GET
@requires(Action.REPORTS_VIEW)
def published_list(request: AppRequest) -> HttpResponse:
    assert request.membership is not None
    page = Paginator(selectors.published_reports(), PAGE_SIZE).get_page(request.GET.get("pagina"))
    context = {"page": page, "can_publish": request.membership.can(Action.REPORTS_MANAGE)}
    return TemplateResponse(request, "reports/published_list.html", context)


@require_GET
@requires(Action.REPORTS_VIEW)
def published_detail(request: AppRequest, report_uuid: UUID) -> HttpResponse:
    assert request.membership is not None
    report = _get_report(report_uuid)
    context = {
        "report": report,
        "check": selectors.trail_check(report),
        "can_publish": request.membership.can(Action.REPORTS_MANAGE),
        "can_view_audit": request.membership.can(Action.AUDIT_VIEW),
    }
    return TemplateResponse(request, "reports/published_detail.html", context)


def _serve(request: AppRequest, report_uuid: UUID, *, attachment: bool) -> HttpResponse:
    report = _get_report(report_uuid)
    content = selectors.report_pdf(report)
    services.record_report_download(
        actor=request.user, report=report, disposition="attachment" if attachment else "inline", channel="web"
    )
    return pdf_response(content, report, attachment=attachment)


@require_GET
@requires(Action.REPORTS_VIEW)
def published_pdf(request: AppRequest, report_uuid: UUID) -> HttpResponse:
    return _serve(request, report_uuid, attachment=False)


@require_GET
@requires(Action.REPORTS_VIEW)
def published_download(request: AppRequest, report_uuid: UUID) -> HttpResponse:
    return _serve(request, report_uuid, attachment=True)


urlpatterns = [
    path("rapportage/publiceren", publish, name="publish"),
    path("rapportages", published_list, name="published_list"),
    path("rapportages/<uuid:report_uuid>", published_detail, name="published_detail"),
    path("rapportages/<uuid:report_uuid>/pdf", published_pdf, name="published_pdf"),
    path("rapportages/<uuid:report_uuid>/downloaden", published_download, name="published_download"),
]
