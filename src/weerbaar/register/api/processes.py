"""/api/v1/processen: the process register, read and write through the audited services."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from weerbaar.api.errors import service_errors
from weerbaar.api.serializers import UnitReferenceField
from weerbaar.register import selectors, services
from weerbaar.register.api.common import (
    _CONFLICT,
    PROCESS_FIELD_NAMES,
    REGISTER_PERMISSIONS,
    CategoryReferenceField,
    ChangeThroughServices,
    CircumstanceReferenceField,
    OwnerReferenceField,
    PositionReferenceField,
    ReferenceProcessReferenceField,
    _actor,
    _organisation,
    _require_version,
    _values,
    _version_field,
    _with_relations,
)
from weerbaar.register.models import (
    MAX_YEARLY_VOLUME,
    Executor,
    Process,
)

# --- processen -------------------------------------------------------------------------------------


@extend_schema_field(
    {"type": "object", "nullable": True, "properties": {"uuid": {"type": "string"}, "naam": {"type": "string"}}}
)
class OwnerSummaryField(serializers.Field):
    def to_representation(self, value: Any) -> dict[str, str] | None:
        if value is None:
            return None
        return {"uuid": str(value.uuid), "naam": str(value.user)}


@extend_schema_serializer(component_name="Proces")
class ProcessSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    code = serializers.CharField(read_only=True, help_text=_("De vaste code in het register, bijvoorbeeld P-012."))
    naam = serializers.CharField(source="name", read_only=True)
    omschrijving = serializers.CharField(source="description", read_only=True)
    categorie = serializers.SlugField(source="category.key", read_only=True)
    afdeling = UnitReferenceField(source="unit", read_only=True, allow_null=True)
    eigenaar = OwnerSummaryField(source="owner", read_only=True, help_text=_("Het lidmaatschap van de eigenaar."))
    functies = serializers.SerializerMethodField()
    referentieproces = serializers.CharField(source="reference_process.ref", read_only=True, allow_null=True)
    omstandigheden = serializers.SerializerMethodField()
    aantalPerJaar = serializers.IntegerField(source="yearly_volume", read_only=True, allow_null=True)
    uitgevoerdDoor = serializers.ChoiceField(source="executor", choices=Executor.choices, read_only=True)
    partner = serializers.CharField(source="executor_name", read_only=True)
    actief = serializers.BooleanField(source="is_active", read_only=True)
    versie = serializers.IntegerField(source="version", read_only=True)
    aangemaakt = serializers.DateTimeField(source="created_at", read_only=True)
    gewijzigd = serializers.DateTimeField(source="updated_at", read_only=True)

    def get_functies(self, process: Process) -> list[str]:
        return [str(position.uuid) for position in process.positions.all()]

    def get_omstandigheden(self, process: Process) -> list[str]:
        return [circumstance.ref for circumstance in process.circumstances.all()]


class _ProcessWriteSerializer(serializers.Serializer):
    naam = serializers.CharField(max_length=200)
    omschrijving = serializers.CharField(max_length=4000, allow_blank=True, required=False, default="")
    categorie = CategoryReferenceField()
    afdeling = UnitReferenceField(allow_null=True, required=False, default=None)
    eigenaar = OwnerReferenceField(allow_null=True, required=False, default=None)
    functies = serializers.ListField(child=PositionReferenceField(), required=False, default=list, max_length=500)
    referentieproces = ReferenceProcessReferenceField(allow_null=True, required=False, default=None)
    omstandigheden = serializers.ListField(
        child=CircumstanceReferenceField(), required=False, default=list, max_length=200
    )
    aantalPerJaar = serializers.IntegerField(
        min_value=0, max_value=MAX_YEARLY_VOLUME, allow_null=True, required=False, default=None
    )
    uitgevoerdDoor = serializers.ChoiceField(choices=Executor.choices, required=False, default=Executor.OWN)
    partner = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


@extend_schema_serializer(component_name="ProcesNieuw")
class ProcessCreateSerializer(_ProcessWriteSerializer):
    pass


@extend_schema_serializer(component_name="ProcesWijziging")
class ProcessUpdateSerializer(_ProcessWriteSerializer):
    """Bij PUT alle velden, bij PATCH alleen wat verandert; altijd met de versie die u het laatst ophaalde."""

    actief = serializers.BooleanField(required=False, help_text=_("Zet op false om het proces te archiveren."))
    versie = _version_field()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return _require_version(attrs)


class ProcessFilterSerializer(serializers.Serializer):
    zoek = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    afdeling = UnitReferenceField(required=False, allow_null=True, default=None)
    categorie = CategoryReferenceField(required=False, allow_null=True, default=None)
    eigenaar = OwnerReferenceField(required=False, allow_null=True, default=None)
    actief = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("Alleen actieve (true) of gearchiveerde (false).")
    )


@extend_schema_view(
    list=extend_schema(
        summary="Processen",
        description="Het procesregister van de eigen organisatie, op naam gesorteerd.",
        parameters=[ProcessFilterSerializer],
    ),
    retrieve=extend_schema(summary="Eén proces"),
    create=extend_schema(
        summary="Proces toevoegen", request=ProcessCreateSerializer, responses={201: ProcessSerializer}
    ),
    update=extend_schema(
        summary="Proces vervangen", request=ProcessUpdateSerializer, responses={200: ProcessSerializer, 409: _CONFLICT}
    ),
    partial_update=extend_schema(
        summary="Proces wijzigen", request=ProcessUpdateSerializer, responses={200: ProcessSerializer, 409: _CONFLICT}
    ),
)
class ProcessViewSet(ChangeThroughServices, viewsets.GenericViewSet):
    """Processen: read with register.view, write with register.edit; archived, never deleted."""

    serializer_class = ProcessSerializer
    output_serializer = ProcessSerializer
    update_serializer = ProcessUpdateSerializer
    field_names = PROCESS_FIELD_NAMES
    service_keyword = "process"
    update_service = services.process_update
    archive_service = services.process_archive
    reactivate_service = services.process_reactivate
    lookup_field = "uuid"
    lookup_url_kwarg = "process_uuid"
    lookup_value_converter = "uuid"
    required_permissions = REGISTER_PERMISSIONS

    def get_queryset(self) -> Any:
        return _with_relations(selectors.process_list(filters=selectors.ProcessListFilter(archive="alle")))

    def list(self, request: Request) -> Response:
        filters = ProcessFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        active = data["actief"]
        processes = selectors.process_list(
            filters=selectors.ProcessListFilter(
                query=data["zoek"].strip(),
                unit=data["afdeling"],
                category=data["categorie"],
                owner=data["eigenaar"],
                archive="alle" if active is None else ("actief" if active else "gearchiveerd"),
            )
        )
        page = self.paginate_queryset(_with_relations(processes))
        return self.get_paginated_response(ProcessSerializer(page, many=True).data)

    def retrieve(self, request: Request, process_uuid: UUID) -> Response:
        return Response(ProcessSerializer(self._get(process_uuid)).data)

    def create(self, request: Request) -> Response:
        serializer = ProcessCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            process = services.process_create(
                actor=_actor(request),
                organisation=_organisation(request),
                **_values(serializer.validated_data, PROCESS_FIELD_NAMES),
            )
        except DjangoValidationError as exc:
            raise service_errors(exc, PROCESS_FIELD_NAMES) from exc
        location = reverse("api:proces-detail", kwargs={"process_uuid": process.uuid}, request=request)
        return Response(
            ProcessSerializer(self._get(process.uuid)).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )

    def update(self, request: Request, process_uuid: UUID) -> Response:
        return self._change(request, process_uuid, partial=False)

    def partial_update(self, request: Request, process_uuid: UUID) -> Response:
        return self._change(request, process_uuid, partial=True)
