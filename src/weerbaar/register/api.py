"""/api/v1 register endpoints: processen and functies, read and write through the audited services.

Dutch camelCase names outside, model fields inside (as in ``weerbaar.api.serializers``). Related
objects are named by their public id: afdelingen, functies and eigenaren (lidmaatschappen) by
uuid, categorieën by key, referentieprocessen and omstandigheden by their catalogue ``sleutel``.
Nothing is deleted: set ``actief`` to false to archive.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from weerbaar.api.errors import Conflict, service_errors
from weerbaar.api.serializers import UnitReferenceField
from weerbaar.catalogue import selectors as catalogue_selectors
from weerbaar.catalogue.models import Circumstance, CircumstanceKind, ReferenceProcess
from weerbaar.core.models import Membership, Organisation, User
from weerbaar.core.permissions import Action
from weerbaar.core.services import StaleVersion
from weerbaar.register import selectors, services
from weerbaar.register.models import (
    MAX_RENEWAL_YEARS,
    MAX_YEARLY_VOLUME,
    Executor,
    Position,
    Process,
    RiskArea,
    ScreeningLevel,
)

PROCESS_FIELD_NAMES = {
    "code": "code",
    "name": "naam",
    "description": "omschrijving",
    "category": "categorie",
    "unit": "afdeling",
    "owner": "eigenaar",
    "positions": "functies",
    "reference_process": "referentieproces",
    "circumstances": "omstandigheden",
    "yearly_volume": "aantalPerJaar",
    "executor": "uitgevoerdDoor",
    "executor_name": "partner",
    "is_active": "actief",
}
POSITION_FIELD_NAMES = {
    "name": "naam",
    "unit": "afdeling",
    "fte": "fte",
    "screening_level": "screening",
    "risk_areas": "risicogebieden",
    "renewal_years": "herhalenNaJaren",
    "last_screening_on": "laatsteScreening",
    "is_active": "actief",
}
MAX_VERSION = 2_147_483_647


def _organisation(request: Request) -> Organisation:
    # RolePermission has already refused a request without a membership.
    membership: Membership = request._request.membership  # type: ignore[attr-defined]
    return membership.organisation


def _actor(request: Request) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


# --- reference fields ----------------------------------------------------------------------------


class _ScopedReferenceField(serializers.RelatedField):
    """A related object of (or visible to) the bound organisation, by its public id."""

    lookup = "uuid"
    default_error_messages = {
        "invalid": _("Deze waarde is geen geldige verwijzing."),
        "does_not_exist": _("Dit bestaat niet in uw organisatie."),
    }

    def get_queryset(self) -> Any:  # evaluated per request, when the organisation is bound
        raise NotImplementedError

    def _key(self, data: Any) -> Any:
        try:
            return uuid.UUID(str(data))
        except (TypeError, ValueError, AttributeError):
            self.fail("invalid")

    def to_internal_value(self, data: Any) -> Any:
        found = self.get_queryset().filter(**{self.lookup: self._key(data)}).first()
        if found is None:
            self.fail("does_not_exist")
        return found

    def to_representation(self, value: Any) -> str:
        return str(getattr(value, self.lookup))


@extend_schema_field(OpenApiTypes.UUID)
class PositionReferenceField(_ScopedReferenceField):
    default_error_messages = {
        "invalid": _("Geef de uuid van een functie op."),
        "does_not_exist": _("Er is geen functie met deze uuid in uw organisatie."),
    }

    def get_queryset(self) -> Any:
        return Position.objects.all()


@extend_schema_field(OpenApiTypes.UUID)
class OwnerReferenceField(_ScopedReferenceField):
    default_error_messages = {
        "invalid": _("Geef de uuid van een lidmaatschap op."),
        "does_not_exist": _("Er is geen collega met deze uuid in uw organisatie."),
    }

    def get_queryset(self) -> Any:
        return Membership.objects.select_related("user")


@extend_schema_field(OpenApiTypes.STR)
class CategoryReferenceField(_ScopedReferenceField):
    lookup = "key"
    default_error_messages = {
        "invalid": _("Geef de sleutel van een procescategorie op."),
        "does_not_exist": _("Er is geen procescategorie met deze sleutel."),
    }

    def get_queryset(self) -> Any:
        return catalogue_selectors.category_list()

    def _key(self, data: Any) -> Any:
        # A NUL byte cannot even be looked up on PostgreSQL: refuse it like any malformed key.
        if not isinstance(data, str) or not data or len(data) > 80 or "\x00" in data:
            self.fail("invalid")
        return data


class _CatalogueEntryReferenceField(_ScopedReferenceField):
    """A national entry by its key, or an own entry by its uuid (the API's ``sleutel``)."""

    model: type[Any]

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or not data or len(data) > 80 or "\x00" in data:
            self.fail("invalid")
        # The manager returns the national rows and the bound organisation's own rows only.
        queryset = self.get_queryset()
        try:
            found = queryset.filter(uuid=uuid.UUID(data)).first()
        except ValueError:
            found = queryset.filter(key=data, organisation__isnull=True).first()
        if found is None:
            self.fail("does_not_exist")
        return found

    def to_representation(self, value: Any) -> str:
        return str(value.ref)


@extend_schema_field(OpenApiTypes.STR)
class ReferenceProcessReferenceField(_CatalogueEntryReferenceField):
    default_error_messages = {
        "invalid": _("Geef de sleutel van een referentieproces op."),
        "does_not_exist": _("Er is geen referentieproces met deze sleutel."),
    }

    def get_queryset(self) -> Any:
        return ReferenceProcess.objects.filter(is_active=True)


@extend_schema_field(OpenApiTypes.STR)
class CircumstanceReferenceField(_CatalogueEntryReferenceField):
    default_error_messages = {
        "invalid": _("Geef de sleutel van een interne omstandigheid op."),
        "does_not_exist": _("Er is geen interne omstandigheid met deze sleutel."),
    }

    def get_queryset(self) -> Any:
        return Circumstance.objects.filter(is_active=True, kind=CircumstanceKind.INTERNAL)


def _version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        help_text=_("De versie die u het laatst ophaalde; verplicht, ook bij PATCH."),
    )


def _require_version(attrs: dict[str, Any]) -> dict[str, Any]:
    if "versie" not in attrs:
        raise serializers.ValidationError({"versie": [_("Geef de versie mee die u het laatst ophaalde.")]})
    return attrs


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


def _with_relations(processes: Any) -> Any:
    # Lists show each process's positions and circumstances: one query each for the whole page.
    return processes.prefetch_related("positions", "circumstances")


def _values(data: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {field: data[api] for field, api in names.items() if api in data}


def _change_version(data: dict[str, Any]) -> int:
    return int(data.pop("versie"))


def _apply_change(
    request: Request,
    *,
    obj: Any,
    data: dict[str, Any],
    names: dict[str, str],
    update: Callable[..., Any],
    archive: Callable[..., Any],
    reactivate: Callable[..., Any],
    keyword: str,
) -> Any:
    """One PUT/PATCH: field changes, then archiving or reactivation, each with the version seen."""
    version = _change_version(data)
    active = data.pop("actief", None)
    fields = _values(data, {k: v for k, v in names.items() if k != "is_active"})
    try:
        if fields:
            obj = update(actor=_actor(request), version=version, **{keyword: obj}, **fields)
            version = obj.version
        if active is False and obj.is_active:
            obj = archive(actor=_actor(request), version=version, **{keyword: obj})
        elif active is True and not obj.is_active:
            obj = reactivate(actor=_actor(request), version=version, **{keyword: obj})
        elif not fields and obj.version != version:
            # Nothing to change: still refuse a stale version, so a client learns it is behind.
            raise StaleVersion("stale")
    except StaleVersion as exc:
        raise Conflict() from exc
    except DjangoValidationError as exc:
        raise service_errors(exc, names) from exc
    return obj


_CONFLICT = OpenApiResponse(description="De versie is verouderd.")


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
class ProcessViewSet(viewsets.GenericViewSet):
    """Processen: read with register.view, write with register.edit; archived, never deleted."""

    serializer_class = ProcessSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "process_uuid"
    lookup_value_converter = "uuid"
    required_permissions = {
        "list": Action.REGISTER_VIEW,
        "retrieve": Action.REGISTER_VIEW,
        "create": Action.REGISTER_EDIT,
        "update": Action.REGISTER_EDIT,
        "partial_update": Action.REGISTER_EDIT,
    }

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

    def _get(self, uuid: UUID) -> Process:
        process: Process = get_object_or_404(self.get_queryset(), uuid=uuid)
        return process

    def _change(self, request: Request, uuid: UUID, *, partial: bool) -> Response:
        # Fetch first: another organisation's process is a 404 whatever the body says.
        process = self._get(uuid)
        serializer = ProcessUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        _apply_change(
            request,
            obj=process,
            data=dict(serializer.validated_data),
            names=PROCESS_FIELD_NAMES,
            update=services.process_update,
            archive=services.process_archive,
            reactivate=services.process_reactivate,
            keyword="process",
        )
        return Response(ProcessSerializer(self._get(uuid)).data)


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
class PositionViewSet(viewsets.GenericViewSet):
    """Functies: read with register.view, write with register.edit; archived, never deleted."""

    serializer_class = PositionSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "position_uuid"
    lookup_value_converter = "uuid"
    required_permissions = ProcessViewSet.required_permissions

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

    def _get(self, uuid: UUID) -> Position:
        position: Position = get_object_or_404(self.get_queryset(), uuid=uuid)
        return position

    def _change(self, request: Request, uuid: UUID, *, partial: bool) -> Response:
        position = self._get(uuid)
        serializer = PositionUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        _apply_change(
            request,
            obj=position,
            data=dict(serializer.validated_data),
            names=POSITION_FIELD_NAMES,
            update=services.position_update,
            archive=services.position_archive,
            reactivate=services.position_reactivate,
            keyword="position",
        )
        return Response(PositionSerializer(self._get(uuid)).data)


__all__ = ["PositionViewSet", "ProcessViewSet"]
