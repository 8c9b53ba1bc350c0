"""The REST API (/api/v1): thin views over the services and selectors the pages use too.

Every view declares ``required_permissions``; ``RolePermission`` checks it against the role table.
Objects come from the tenant-scoped managers, so another organisation's object is a 404.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from weerbaar.api import selectors
from weerbaar.api.errors import Conflict, service_errors
from weerbaar.api.permissions import PUBLIC
from weerbaar.api.serializers import (
    UNIT_FIELD_NAMES,
    AuditEventSerializer,
    AuditFilterSerializer,
    OrganisationSerializer,
    UnitCreateSerializer,
    UnitFilterSerializer,
    UnitSerializer,
    UnitUpdateSerializer,
)
from weerbaar.audit import selectors as audit_selectors
from weerbaar.audit.models import AuditEvent
from weerbaar.core import services as core_services
from weerbaar.core.models import Membership, Organisation, Unit, User
from weerbaar.core.permissions import Action
from weerbaar.core.policies import PUBLIC as PUBLIC_POLICY
from weerbaar.core.policies import Policy


def _membership(request: Request) -> Membership:
    # RolePermission has already refused a request without a membership.
    membership: Membership = request._request.membership  # type: ignore[attr-defined]
    return membership


def _organisation(request: Request) -> Organisation:
    return _membership(request).organisation


def _actor(request: Request) -> User:
    # Authenticated by RolePermission before any write: a key's member, or the session's user.
    user: User = request.user  # type: ignore[assignment]
    return user


class OpenApiSchemaView(APIView):
    """The OpenAPI 3 description of this API (API Design Rules: /core/doc-openapi), public."""

    required_permissions = {"get": PUBLIC}
    weerbaar_policy = Policy(PUBLIC_POLICY, allow_unverified=True)
    # Public: a stale or wrong key in a client must not stop it from reading the description.
    authentication_classes: list[Any] = []
    renderer_classes = [OpenApiJsonRenderer2, OpenApiJsonRenderer]

    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        return Response(SchemaGenerator().get_schema(request=None, public=True))


@extend_schema_view(
    get=extend_schema(
        tags=["organisatie"],
        summary="De eigen organisatie",
        description="De organisatie waaraan de API-sleutel (of de sessie) gebonden is.",
        responses=OrganisationSerializer,
    )
)
class OrganisationView(APIView):
    required_permissions = {"get": Action.ORGANISATION_VIEW}

    def get(self, request: Request) -> Response:
        organisation = Organisation.objects.select_related("riec").get(pk=_organisation(request).pk)
        return Response(OrganisationSerializer(organisation).data)


@extend_schema_view(
    list=extend_schema(
        summary="Afdelingen en teams",
        description="De afdelingen en teams van de eigen organisatie, op naam gesorteerd.",
        parameters=[UnitFilterSerializer],
    ),
    retrieve=extend_schema(summary="Eén afdeling of team"),
    create=extend_schema(
        summary="Afdeling of team toevoegen",
        request=UnitCreateSerializer,
        responses={201: UnitSerializer},
    ),
    update=extend_schema(
        summary="Afdeling of team vervangen",
        description="Stuur alle velden en de versie die u het laatst ophaalde. Verwijderen kan niet: "
        "zet actief op false om te archiveren.",
        request=UnitUpdateSerializer,
        responses={200: UnitSerializer, 409: OpenApiResponse(description="De versie is verouderd.")},
    ),
    partial_update=extend_schema(
        summary="Afdeling of team wijzigen",
        description="Stuur alleen de velden die veranderen, en altijd de versie die u het laatst ophaalde.",
        request=UnitUpdateSerializer,
        responses={200: UnitSerializer, 409: OpenApiResponse(description="De versie is verouderd.")},
    ),
)
class UnitViewSet(viewsets.GenericViewSet):
    """Afdelingen: read with units.view, write with units.manage; archived, never deleted."""

    serializer_class = UnitSerializer
    lookup_field = "uuid"
    lookup_value_converter = "uuid"
    required_permissions = {
        "list": Action.UNITS_VIEW,
        "retrieve": Action.UNITS_VIEW,
        "create": Action.UNITS_MANAGE,
        "update": Action.UNITS_MANAGE,
        "partial_update": Action.UNITS_MANAGE,
    }

    def get_queryset(self) -> Any:
        return selectors.unit_list()

    def list(self, request: Request) -> Response:
        filters = UnitFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        units = selectors.unit_list(active=filters.validated_data["actief"], search=filters.validated_data["zoek"])
        page = self.paginate_queryset(units)
        return self.get_paginated_response(UnitSerializer(page, many=True).data)

    def retrieve(self, request: Request, uuid: UUID) -> Response:
        return Response(UnitSerializer(self._get_unit(uuid)).data)

    def create(self, request: Request) -> Response:
        serializer = UnitCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            unit = core_services.unit_create(
                actor=_actor(request),
                organisation=_organisation(request),
                name=data["naam"],
                description=data["omschrijving"],
                parent=data["bovenliggendeAfdeling"],
            )
        except DjangoValidationError as exc:
            raise service_errors(exc, UNIT_FIELD_NAMES) from exc
        location = reverse("api:afdeling-detail", kwargs={"uuid": unit.uuid}, request=request)
        return Response(UnitSerializer(unit).data, status=status.HTTP_201_CREATED, headers={"Location": location})

    def update(self, request: Request, uuid: UUID) -> Response:
        return self._change(request, uuid, partial=False)

    def partial_update(self, request: Request, uuid: UUID) -> Response:
        return self._change(request, uuid, partial=True)

    def _get_unit(self, uuid: UUID) -> Unit:
        return get_object_or_404(selectors.unit_list(), uuid=uuid)

    def _change(self, request: Request, uuid: UUID, *, partial: bool) -> Response:
        # Fetch first: another organisation's afdeling is a 404 whatever the body says.
        unit = self._get_unit(uuid)
        serializer = UnitUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("versie")
        fields = {
            model_field: data[api_field] for model_field, api_field in UNIT_FIELD_NAMES.items() if api_field in data
        }
        try:
            unit = core_services.unit_update(actor=_actor(request), unit=unit, version=version, **fields)
        except core_services.StaleVersion as exc:
            raise Conflict() from exc
        except DjangoValidationError as exc:
            raise service_errors(exc, UNIT_FIELD_NAMES) from exc
        return Response(UnitSerializer(unit).data)


@extend_schema_view(
    list=extend_schema(
        summary="Audittrail",
        description="De auditgebeurtenissen van de eigen organisatie, nieuwste eerst. Alleen voor de "
        "functioneel beheerder.",
        parameters=[AuditFilterSerializer],
    ),
    retrieve=extend_schema(summary="Eén auditgebeurtenis"),
)
class AuditEventViewSet(viewsets.GenericViewSet):
    """The bound organisation's audit chain, read-only (the trail is append-only anyway)."""

    serializer_class = AuditEventSerializer
    lookup_field = "id"
    lookup_value_converter = "int"
    required_permissions = {"list": Action.AUDIT_API, "retrieve": Action.AUDIT_API}

    def get_queryset(self) -> Any:
        return audit_selectors.audit_event_list(filters=audit_selectors.AuditFilter())

    def list(self, request: Request) -> Response:
        filters = AuditFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        events = audit_selectors.audit_event_list(
            filters=audit_selectors.AuditFilter(action=data["actie"], date_from=data["vanaf"], date_to=data["tot"])
        )
        page = self.paginate_queryset(events)
        return self.get_paginated_response(AuditEventSerializer(page, many=True).data)

    def retrieve(self, request: Request, id: int) -> Response:
        event: AuditEvent = get_object_or_404(self.get_queryset(), id=id)
        return Response(AuditEventSerializer(event).data)
