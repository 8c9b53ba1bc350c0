"""/api/v1/activiteiten: the recurring activities that keep attention alive, with their done-log.

Read only, with attention.view (secretaris, coordinator): when each activity was last done, when it
is due next, who owns it, and every time it happened with the units and positions it reached.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from weerbaar.attention.models import ActivityKind, ActivityLog, RecurringActivity
from weerbaar.core.permissions import Action

TAGS = ["aandacht"]


def activity_list() -> QuerySet[RecurringActivity]:
    """The list and one activity: owner joined, targets and the whole done-log in one query each."""
    log = ActivityLog.objects.order_by("-done_on", "-pk").prefetch_related("units", "positions")
    return (
        RecurringActivity.objects.select_related("owner__user")
        .prefetch_related("target_units", "target_positions", Prefetch("log", queryset=log))
        .order_by("name", "pk")
    )


@extend_schema_field({"type": "array", "items": {"type": "string", "format": "uuid"}})
class UuidListField(serializers.Field):
    """The uuids of a (prefetched) many-to-many relation."""

    def to_representation(self, value: Any) -> list[str]:
        return [str(each.uuid) for each in value.all()]


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {"uuid": {"type": "string", "format": "uuid"}, "naam": {"type": "string"}},
    }
)
class ActivityOwnerField(serializers.Field):
    def to_representation(self, value: Any) -> dict[str, str] | None:
        if value is None:
            return None
        return {"uuid": str(value.uuid), "naam": str(value.user)}


@extend_schema_serializer(component_name="Uitvoering")
class ActivityLogSerializer(serializers.Serializer):
    """Eén keer dat de activiteit is gedaan."""

    uuid = serializers.UUIDField(read_only=True)
    gedaanOp = serializers.DateField(source="done_on", read_only=True)
    toelichting = serializers.CharField(source="note", read_only=True)
    deelnemers = serializers.IntegerField(source="participants", read_only=True, allow_null=True)
    afdelingen = UuidListField(source="units", read_only=True, help_text=_("De bereikte afdelingen en teams."))
    functies = UuidListField(source="positions", read_only=True, help_text=_("De bereikte (kwetsbare) functies."))


@extend_schema_serializer(component_name="Activiteit")
class ActivitySerializer(serializers.Serializer):
    """Een terugkerende activiteit die de aandacht levend houdt, met haar uitvoeringen (nieuwste eerst)."""

    uuid = serializers.UUIDField(read_only=True)
    soort = serializers.ChoiceField(source="kind", choices=ActivityKind.choices, read_only=True)
    naam = serializers.CharField(source="name", read_only=True)
    omschrijving = serializers.CharField(source="description", read_only=True)
    elkeMaanden = serializers.IntegerField(source="cadence_months", read_only=True)
    eigenaar = ActivityOwnerField(source="owner", read_only=True, help_text=_("Het lidmaatschap van de eigenaar."))
    voorHetEerstOp = serializers.DateField(source="starts_on", read_only=True)
    laatstGedaanOp = serializers.DateField(source="last_done_on", read_only=True, allow_null=True)
    volgendeKeerOp = serializers.SerializerMethodField()
    teLaat = serializers.SerializerMethodField(
        help_text=_("true als de activiteit actief is en de volgende keer al voorbij is.")
    )
    actief = serializers.BooleanField(source="is_active", read_only=True)
    voorAfdelingen = UuidListField(source="target_units", read_only=True)
    voorFuncties = UuidListField(source="target_positions", read_only=True)
    uitvoeringen = ActivityLogSerializer(source="log", many=True, read_only=True)
    versie = serializers.IntegerField(source="version", read_only=True)

    @extend_schema_field(serializers.DateField())
    def get_volgendeKeerOp(self, activity: RecurringActivity) -> dt.date:
        return activity.next_due_on()

    @extend_schema_field(serializers.BooleanField())
    def get_teLaat(self, activity: RecurringActivity) -> bool:
        today: dt.date = self.context.get("today") or timezone.localdate()
        return activity.is_active and activity.next_due_on() < today


class ActivityFilterSerializer(serializers.Serializer):
    soort = serializers.ChoiceField(choices=ActivityKind.choices, required=False, allow_blank=True, default="")
    actief = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("Alleen actieve (true) of gestopte (false).")
    )


@extend_schema_view(
    list=extend_schema(
        tags=TAGS,
        summary="Activiteiten",
        description="De terugkerende activiteiten van de eigen organisatie (normgesprekken, campagnes, trainingen, "
        "…), op naam, elk met wanneer zij het laatst en het volgend is gedaan en haar uitvoeringen.",
        parameters=[ActivityFilterSerializer],
    ),
    retrieve=extend_schema(tags=TAGS, summary="Eén activiteit"),
)
class ActivityViewSet(viewsets.GenericViewSet):
    """Activiteiten: read only, with attention.view."""

    serializer_class = ActivitySerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "recurring_activity_uuid"
    lookup_value_converter = "uuid"
    required_permissions = {"list": Action.ATTENTION_VIEW, "retrieve": Action.ATTENTION_VIEW}

    def get_queryset(self) -> Any:
        return activity_list()

    def _context(self) -> dict[str, Any]:
        return {"today": timezone.localdate()}

    def list(self, request: Request) -> Response:
        filters = ActivityFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        activities = self.get_queryset()
        if filters.validated_data["soort"]:
            activities = activities.filter(kind=filters.validated_data["soort"])
        if filters.validated_data["actief"] is not None:
            activities = activities.filter(is_active=filters.validated_data["actief"])
        page = self.paginate_queryset(activities)
        return self.get_paginated_response(ActivitySerializer(page, many=True, context=self._context()).data)

    def retrieve(self, request: Request, recurring_activity_uuid: UUID) -> Response:
        activity = get_object_or_404(self.get_queryset(), uuid=recurring_activity_uuid)
        return Response(ActivitySerializer(activity, context=self._context()).data)
