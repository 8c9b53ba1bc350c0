"""/api/v1/actieplan: thin over the plan selectors and services.

Need-to-know as on the pages: with plan.view (secretaris, coordinator) every line; with only
work.own (a proceseigenaar, a medewerker) just the caller's own lines, and another line is a 404.
A change goes through ``planned_measure_set_status`` / ``planned_measure_update`` (audited), with
the version the caller saw; the services decide who may make which move (403 otherwise).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from weerbaar.api.errors import Conflict, service_errors
from weerbaar.core.models import Membership, User
from weerbaar.core.permissions import Action
from weerbaar.core.services import StaleVersion
from weerbaar.core.services.common import check_version
from weerbaar.plan import services
from weerbaar.plan.api.serializers import (
    FIELD_NAMES,
    PlanLineFilterSerializer,
    PlanLineSerializer,
    PlanLineUpdateSerializer,
)
from weerbaar.plan.models import PlannedMeasure
from weerbaar.plan.selectors.measure_page import visible_lines

TAGS = ["actieplan"]


def _membership(request: Request) -> Membership:
    # RolePermission has already refused a request without a membership.
    membership: Membership = request._request.membership  # type: ignore[attr-defined]
    return membership


def _actor(request: Request) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _change(request: Request, line: PlannedMeasure, data: dict[str, Any]) -> None:
    """The due date first (coordinator), then the status, as one transaction: all or nothing."""
    member = _membership(request)
    version = data["versie"]
    with transaction.atomic():
        if "gereedOp" in data or "geschatteUren" in data:
            if not services.may_manage(member):
                raise PermissionDenied(_("Alleen de coördinator verzet de gereed-datum of de geschatte uren."))
            line = services.planned_measure_update(
                actor=_actor(request),
                member=member,
                planned=line,
                version=version,
                owner=line.owner,
                due_date=data.get("gereedOp", line.due_date),
                note=line.note,
                review_cadence_months=line.review_cadence_months,
                reaches_all_units=line.reaches_all_units,
                units=list(line.units.all()),
                estimated_hours=data.get("geschatteUren", services.KEEP),
            )
            version = line.version
        if "status" in data:
            services.planned_measure_set_status(
                actor=_actor(request),
                member=member,
                planned=line,
                version=version,
                status=data["status"],
                reason=data.get("redenAfwijzing", ""),
                implemented_on=data.get("geimplementeerdOp"),
            )
        elif "gereedOp" not in data and "geschatteUren" not in data:
            # Nothing to change: still refuse a stale version, so a client learns it is behind.
            check_version(line.version, version)


@extend_schema_view(
    list=extend_schema(
        tags=TAGS,
        summary="Actieplan",
        description="De maatregelen in het actieplan, vroegste gereed-datum eerst. Met het recht om het hele "
        "actieplan te zien (gemeentesecretaris, coördinator) alle regels; anders alleen de regels waarvan u "
        "eigenaar bent.",
        parameters=[PlanLineFilterSerializer],
    ),
    retrieve=extend_schema(
        tags=TAGS,
        summary="Eén regel van het actieplan",
        description="Een regel die u niet mag zien (van een ander, zonder het recht het hele plan te zien) geeft 404.",
    ),
    partial_update=extend_schema(
        tags=TAGS,
        summary="Voortgang van een maatregel bijwerken",
        description="Zet de status (de eigenaar: voorgesteld → gepland → in uitvoering → geïmplementeerd, en terug "
        "naar in uitvoering; de coördinator elke stap, ook afgewezen met een reden) of verzet de gereed-datum of de "
        "geschatte uren (alleen de coördinator). Stuur alleen wat verandert, en altijd de versie die u het laatst "
        "ophaalde; een verouderde versie geeft 409 en slaat niets op. Wie geen eigenaar of coördinator is krijgt 403.",
        request=PlanLineUpdateSerializer,
        responses={200: PlanLineSerializer, 409: OpenApiResponse(description="De versie is verouderd.")},
    ),
)
class PlanLineViewSet(viewsets.GenericViewSet):
    """Actieplan: read with work.own (own lines) or plan.view (all); progress through the services."""

    serializer_class = PlanLineSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "plan_line_uuid"
    lookup_value_converter = "uuid"
    # Every role with plan.view also has work.own; which lines a caller sees is visible_lines' rule.
    required_permissions = {
        "list": Action.WORK_OWN,
        "retrieve": Action.WORK_OWN,
        "partial_update": Action.WORK_OWN,
    }

    def get_queryset(self) -> Any:
        return visible_lines(_membership(self.request)).order_by("due_date", "pk")

    def _context(self) -> dict[str, Any]:
        return {"today": timezone.localdate()}

    def _get(self, plan_line_uuid: UUID) -> PlannedMeasure:
        line: PlannedMeasure = get_object_or_404(self.get_queryset(), uuid=plan_line_uuid)
        return line

    def list(self, request: Request) -> Response:
        filters = PlanLineFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        lines = self.get_queryset()
        if filters.validated_data["status"]:
            lines = lines.filter(status=filters.validated_data["status"])
        owner = filters.validated_data["eigenaar"]
        if owner is not None:
            if not Membership.objects.filter(uuid=owner).exists():
                raise exceptions.ValidationError(
                    {"eigenaar": [_("Er is geen collega met deze uuid in uw organisatie.")]}
                )
            lines = lines.filter(owner__uuid=owner)
        page = self.paginate_queryset(lines)
        return self.get_paginated_response(PlanLineSerializer(page, many=True, context=self._context()).data)

    def retrieve(self, request: Request, plan_line_uuid: UUID) -> Response:
        return Response(PlanLineSerializer(self._get(plan_line_uuid), context=self._context()).data)

    def partial_update(self, request: Request, plan_line_uuid: UUID) -> Response:
        # Fetch first: a line the caller may not see is a 404 whatever the body says.
        line = self._get(plan_line_uuid)
        if not services.may_update(_membership(request), line):
            raise exceptions.PermissionDenied()
        serializer = PlanLineUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            _change(request, line, dict(serializer.validated_data))
        except StaleVersion as exc:
            raise Conflict() from exc
        except DjangoValidationError as exc:
            raise service_errors(exc, FIELD_NAMES) from exc
        return self.retrieve(request, plan_line_uuid)
