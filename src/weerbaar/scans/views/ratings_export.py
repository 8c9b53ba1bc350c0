"""The export of one scan's consensus and every handed-in rating (the coordinator's consensus pages)."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from weerbaar.core.http import AppRequest
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.scans.selectors import ratings_export as selectors
from weerbaar.scans.services.ratings_export import XLSX_CONTENT_TYPE, ratings_export


@require_GET
@requires(Action.SCAN_MANAGE)
def ratings_export_view(request: AppRequest, scan_uuid: UUID) -> HttpResponse:
    assert request.organisation is not None
    scan = selectors.scan_for_export(scan_uuid)
    if scan is None:
        raise Http404
    if not selectors.exportable(scan):
        # Not an error: the consensus page explains why the scores are not visible yet.
        messages.info(
            request,
            _("De scores van de beoordelaars zijn pas te exporteren vanaf de consensusfase; er is niets geëxporteerd."),
        )
        return redirect("scans:review", scan_uuid=scan.uuid)
    content, filename = ratings_export(
        actor=request.user, organisation=request.organisation, scan=scan, data=selectors.ratings_export_data(scan)
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("scans/<uuid:scan_uuid>/beoordelingen/exporteren", ratings_export_view, name="ratings_export"),
]
