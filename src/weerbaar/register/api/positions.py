"""/api/v1/functies: positions with their screening, read and write through the audited services."""

from __future__ import annotations

from decimal import Decimal
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
    POSITION_FIELD_NAMES,
    REGISTER_PERMISSIONS,
    ChangeThroughServices,
    _actor,
    _organisation,
    _require_version,
    _values,
    _version_field,
)
from weerbaar.register.models import (
    MAX_RENEWAL_YEARS,
    Position,
    RiskArea,
    ScreeningLevel,
)

# --- functies --------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="Functie")
class PositionSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    naam = serializers.CharField(source="name", read_only=True)
    afdeling = UnitReferenceField(source="unit", read_only=True, allow_null=True)
    fte = serializers.DecimalField(max_digits=4, decimal_places=1, read_only=True)
    screening = serializers.ChoiceField(source="screening_level", choices=ScreeningLevel.choices, read_only=True)
    risicogebieden = serializers.ListField(
        source="risk_areas", child=serializers.ChoiceField(choices=RiskArea.choices), read_only=True
    )
    herhalenNaJaren = serializers.IntegerField(source="renewal_years", read_only=True, allow_null=True)
    laatsteScreening = serializers.DateField(source="last_screening_on", read_only=True, allow_null=True)
    volgendeScreening = serializers.SerializerMethodField(
        help_text=_("Wanneer de screening weer nodig is; leeg als er geen screening nodig is.")
    )
    actief = serializers.BooleanField(source="is_active", read_only=True)
    versie = serializers.IntegerField(source="version", read_only=True)
    aangemaakt = serializers.DateTimeField(source="created_at", read_only=True)
    gewijzigd = serializers.DateTimeField(source="updated_at", read_only=True)

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_volgendeScreening(self, position: Position) -> str | None:
        due = selectors.screening_row(position).due_on
        return due.isoformat() if due else None


class _PositionWriteSerializer(serializers.Serializer):
    naam = serializers.CharField(max_length=200)
    afdeling = UnitReferenceField(allow_null=True, required=False, default=None)
    fte = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0"),
        max_value=Decimal("999"),
        required=False,
        default=Decimal("1.0"),
    )
    screening = serializers.ChoiceField(choices=ScreeningLevel.choices)
    risicogebieden = serializers.ListField(
        child=serializers.ChoiceField(choices=RiskArea.choices), required=False, default=list, max_length=8
    )
    herhalenNaJaren = serializers.IntegerField(
        min_value=1, max_value=MAX_RENEWAL_YEARS, allow_null=True, required=False, default=None
    )
    laatsteScreening = serializers.DateField(allow_null=True, required=False, default=None)


@extend_schema_serializer(component_name="FunctieNieuw")
class PositionCreateSerializer(_PositionWriteSerializer):
    pass


@extend_schema_serializer(component_name="FunctieWijziging")
class PositionUpdateSerializer(_PositionWriteSerializer):
    actief = serializers.BooleanField(required=False, help_text=_("Zet op false om de functie te archiveren."))
    versie = _version_field()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return _require_version(attrs)


class PositionFilterSerializer(serializers.Serializer):
    zoek = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    afdeling = UnitReferenceField(required=False, allow_null=True, default=None)
    screening = serializers.ChoiceField(choices=ScreeningLevel.choices, required=False, allow_blank=True, default="")
    actief = serializers.BooleanField(required=False, allow_null=True, default=None)


@extend_schema_view(
    list=extend_schema(
        summary="Functies",
        description="De functies van de eigen organisatie met hun screening, op naam gesorteerd.",
        parameters=[PositionFilterSerializer],
    ),
    retrieve=extend_schema(summary="Eén functie"),
    create=extend_schema(
        summary="Functie toevoegen", request=PositionCreateSerializer, responses={201: PositionSerializer}
    ),
    update=extend_schema(
        summary="Functie vervangen",
        request=PositionUpdateSerializer,
        responses={200: PositionSerializer, 409: _CONFLICT},
    ),
    partial_update=extend_schema(
        summary="Functie wijzigen",
        request=PositionUpdateSerializer,
        responses={200: PositionSerializer, 409: _CONFLICT},
    ),
)
class PositionViewSet(ChangeThroughServices, viewsets.GenericViewSet):
    """Functies: read with register.view, write with register.edit; archived, never deleted."""

    serializer_class = PositionSerializer
    output_serializer = PositionSerializer
    update_serializer = PositionUpdateSerializer
    field_names = POSITION_FIELD_NAMES
    service_keyword = "position"
    update_service = services.position_update
    archive_service = services.position_archive
    reactivate_service = services.position_reactivate
    lookup_field = "uuid"
    lookup_url_kwarg = "position_uuid"
    lookup_value_converter = "uuid"
    required_permissions = REGISTER_PERMISSIONS

    def get_queryset(self) -> Any:
        return Position.objects.select_related("unit").order_by("name", "pk")

    def list(self, request: Request) -> Response:
        filters = PositionFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        positions = self.get_queryset()
        if data["actief"] is not None:
            positions = positions.filter(is_active=data["actief"])
        if data["zoek"].strip():
            positions = positions.filter(name__icontains=data["zoek"].strip())
        if data["afdeling"] is not None:
            positions = positions.filter(unit=data["afdeling"])
        if data["screening"]:
            positions = positions.filter(screening_level=data["screening"])
        page = self.paginate_queryset(positions)
        return self.get_paginated_response(PositionSerializer(page, many=True).data)

    def retrieve(self, request: Request, position_uuid: UUID) -> Response:
        return Response(PositionSerializer(self._get(position_uuid)).data)

    def create(self, request: Request) -> Response:
        serializer = PositionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            position = services.position_create(
                actor=_actor(request),
                organisation=_organisation(request),
                **_values(serializer.validated_data, POSITION_FIELD_NAMES),
            )
        except DjangoValidationError as exc:
            raise service_errors(exc, POSITION_FIELD_NAMES) from exc
        location = reverse("api:functie-detail", kwargs={"position_uuid": position.uuid}, request=request)
        return Response(
            PositionSerializer(position).data, status=status.HTTP_201_CREATED, headers={"Location": location}
        )

    def update(self, request: Request, position_uuid: UUID) -> Response:
        return self._change(request, position_uuid, partial=False)

    def partial_update(self, request: Request, position_uuid: UUID) -> Response:
        return self._change(request, position_uuid, partial=True)
