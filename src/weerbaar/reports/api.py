"""/api/v1/rapportages: the archive of published management reports, and their PDFs.

Read only, with reports.view (secretaris, coordinator, lezer), the same selectors as the pages.
Fetching a PDF is audited as a download via the API, exactly like opening it on the web.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from weerbaar.core.models import User
from weerbaar.core.permissions import Action
from weerbaar.reports import selectors, services
from weerbaar.reports.models import PublishedReport, ReportVersion
from weerbaar.reports.views.published import pdf_response

TAGS = ["rapportages"]


class PdfRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf``; errors are still problem+json bodies."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data, "application/json", renderer_context)


NAMED_OBJECT = {
    "type": "object",
    "nullable": True,
    "properties": {"uuid": {"type": "string", "format": "uuid"}, "naam": {"type": "string"}},
}


@extend_schema_field(NAMED_OBJECT)
class ScanSummaryField(serializers.Field):
    def to_representation(self, value: Any) -> dict[str, str] | None:
        if value is None:
            return None
        return {"uuid": str(value.uuid), "naam": value.name}


@extend_schema_field(NAMED_OBJECT)
class PublisherField(serializers.Field):
    def to_representation(self, value: Any) -> dict[str, str] | None:
        if value is None:
            return None
        return {"uuid": str(value.uuid), "naam": str(value.user)}


@extend_schema_serializer(component_name="Rapportage")
class PublishedReportSerializer(serializers.Serializer):
    """Een gepubliceerde managementrapportage, ongewijzigd gearchiveerd."""

    uuid = serializers.UUIDField(read_only=True)
    titel = serializers.CharField(source="title", read_only=True)
    versie = serializers.ChoiceField(
        source="version",
        choices=ReportVersion.choices,
        read_only=True,
        help_text=_("volledig: vertrouwelijk, voor het college; samenvatting: zonder procesdetails, voor de raad."),
    )
    scan = ScanSummaryField(read_only=True, help_text=_("De afgeronde scan waarover de rapportage gaat, of null."))
    peildatum = serializers.DateField(source="reference_date", read_only=True)
    modelversie = serializers.CharField(
        source="model_version", read_only=True, help_text=_("De versie van het scoringsmodel.")
    )
    gegevenshash = serializers.CharField(
        source="data_hash", read_only=True, help_text=_("SHA-256 van de gegevens waarop de rapportage berust.")
    )
    pdfHash = serializers.CharField(source="pdf_sha256", read_only=True, help_text=_("SHA-256 van de PDF."))
    audittrailhash = serializers.CharField(
        source="audit_head_hash",
        read_only=True,
        help_text=_("De hash van de laatste regel van de audittrail op het moment van publiceren."),
    )
    audittrailvolgnummer = serializers.IntegerField(
        source="audit_head_sequence", read_only=True, help_text=_("Het volgnummer van die regel.")
    )
    paginas = serializers.IntegerField(source="page_count", read_only=True)
    toelichting = serializers.CharField(source="note", read_only=True)
    gepubliceerdOp = serializers.DateTimeField(source="published_at", read_only=True)
    gepubliceerdDoor = PublisherField(source="published_by", read_only=True)
    pdf = serializers.SerializerMethodField(help_text=_("Waar de PDF staat (het ophalen komt in de audittrail)."))

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf(self, report: PublishedReport) -> str:
        url = reverse("api:rapportage-pdf", kwargs={"report_uuid": report.uuid})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


@extend_schema(tags=TAGS)
class PublishedReportViewSet(viewsets.GenericViewSet):
    """Rapportages: read only, with reports.view."""

    serializer_class = PublishedReportSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "report_uuid"
    lookup_value_converter = "uuid"
    required_permissions = {"list": Action.REPORTS_VIEW, "retrieve": Action.REPORTS_VIEW, "pdf": Action.REPORTS_VIEW}

    def get_queryset(self) -> Any:
        return selectors.published_reports()

    def _get(self, report_uuid: UUID) -> PublishedReport:
        report = selectors.published_report(report_uuid)
        if report is None:
            raise NotFound()
        return report

    @extend_schema(
        summary="Gepubliceerde rapportages",
        description="De gepubliceerde managementrapportages van de eigen organisatie, de nieuwste eerst. Een "
        "gepubliceerde rapportage verandert nooit meer.",
    )
    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            PublishedReportSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(summary="Eén gepubliceerde rapportage")
    def retrieve(self, request: Request, report_uuid: UUID) -> Response:
        return Response(PublishedReportSerializer(self._get(report_uuid), context={"request": request}).data)

    @extend_schema(
        summary="De PDF van een gepubliceerde rapportage",
        description="De PDF precies zoals gepubliceerd. Elke keer ophalen wordt vastgelegd in de audittrail.",
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="De PDF.")},
    )
    @action(detail=True, methods=["get"], url_path="pdf", renderer_classes=[PdfRenderer, JSONRenderer])
    def pdf(self, request: Request, report_uuid: UUID) -> HttpResponse:
        report = self._get(report_uuid)
        content = selectors.report_pdf(report)
        actor: User = request.user  # type: ignore[assignment]  # RolePermission let only a member in
        services.record_report_download(actor=actor, report=report, disposition="attachment", channel="api")
        return pdf_response(content, report, attachment=True)
