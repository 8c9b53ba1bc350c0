"""Serializers for /api/v1/actieplan. Input serializers check only the shape of a request; the rules
(who may move which status, dates, reasons) stay in ``weerbaar.plan.services``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from weerbaar.plan.models import MAX_ESTIMATED_HOURS, Effectiveness, MeasureStatus, PlannedMeasure
from weerbaar.plan.selectors.plan_list import life_of
from weerbaar.scans.api.serializers import ProcessSummarySerializer

MAX_VERSION = 2_147_483_647
#: Service field -> API field, for the service's ValidationErrors.
FIELD_NAMES = {
    "status": "status",
    "reason": "redenAfwijzing",
    "rejection_reason": "redenAfwijzing",
    "implemented_on": "geimplementeerdOp",
    "due_date": "gereedOp",
    "owner": "eigenaar",
    "estimated_hours": "geschatteUren",
}


@extend_schema_serializer(component_name="ActieplanMaatregel")
class MeasureSummarySerializer(serializers.Serializer):
    sleutel = serializers.CharField(
        source="ref",
        read_only=True,
        help_text=_("De sleutel van een landelijke maatregel, of de uuid van een eigen maatregel (zie /maatregelen)."),
    )
    naam = serializers.CharField(source="name", read_only=True)


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {"uuid": {"type": "string", "format": "uuid"}, "naam": {"type": "string"}},
    }
)
class OwnerSummaryField(serializers.Field):
    def to_representation(self, value: Any) -> dict[str, str] | None:
        if value is None:
            return None
        return {"uuid": str(value.uuid), "naam": str(value.user)}


@extend_schema_serializer(component_name="ActieplanRegel")
class PlanLineSerializer(serializers.Serializer):
    """Eén maatregel in het actieplan, voor één proces of (proces null) voor de hele organisatie."""

    uuid = serializers.UUIDField(read_only=True)
    maatregel = MeasureSummarySerializer(source="measure", read_only=True)
    proces = ProcessSummarySerializer(
        source="process",
        read_only=True,
        allow_null=True,
        help_text=_("null: de maatregel geldt voor de hele organisatie."),
    )
    eigenaar = OwnerSummaryField(source="owner", read_only=True, help_text=_("Het lidmaatschap van de eigenaar."))
    status = serializers.ChoiceField(choices=MeasureStatus.choices, read_only=True)
    redenAfwijzing = serializers.CharField(source="rejection_reason", read_only=True)
    toelichting = serializers.CharField(source="note", read_only=True)
    gereedOp = serializers.DateField(source="due_date", read_only=True, allow_null=True)
    geimplementeerdOp = serializers.DateField(source="implemented_on", read_only=True, allow_null=True)
    effectiviteit = serializers.ChoiceField(
        source="effectiveness",
        choices=Effectiveness.choices,
        read_only=True,
        allow_blank=True,
        help_text=_("De uitkomst van de laatste herziening; leeg zolang er geen is."),
    )
    laatstHerzienOp = serializers.DateField(source="last_reviewed_on", read_only=True, allow_null=True)
    herzieningElkeMaanden = serializers.IntegerField(source="review_cadence_months", read_only=True)
    geschatteUren = serializers.IntegerField(
        source="estimated_hours",
        read_only=True,
        allow_null=True,
        help_text=_("Hoeveel uur werk de maatregel naar schatting nog kost; null zolang er geen schatting is."),
    )
    volgendeHerzieningOp = serializers.SerializerMethodField(
        help_text=_("Wanneer de volgende herziening nodig is; null zolang de maatregel niet is ingevoerd.")
    )
    levendigheid = serializers.SerializerMethodField(
        help_text=_(
            "1 zolang de maatregel op tijd is herzien, daarna geleidelijk naar 0 (geen effect meer); "
            "null zolang hij niet is ingevoerd."
        )
    )
    versie = serializers.IntegerField(source="version", read_only=True)

    def _today(self) -> dt.date:
        today: dt.date = self.context.get("today") or timezone.localdate()
        return today

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_volgendeHerzieningOp(self, line: PlannedMeasure) -> dt.date | None:
        return line.review_due_on()

    @extend_schema_field(serializers.FloatField(min_value=0, max_value=1, allow_null=True))
    def get_levendigheid(self, line: PlannedMeasure) -> float | None:
        _life, value = life_of(line, self._today())
        return None if value is None else round(value, 3)


@extend_schema_serializer(component_name="ActieplanRegelWijziging")
class PlanLineUpdateSerializer(serializers.Serializer):
    """Alleen wat verandert, en altijd de versie die u het laatst ophaalde."""

    status = serializers.ChoiceField(choices=MeasureStatus.choices, required=False)
    geimplementeerdOp = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("Alleen samen met status geimplementeerd: de dag waarop de maatregel werkte (standaard vandaag)."),
    )
    redenAfwijzing = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=_("Verplicht bij status afgewezen (alleen de coördinator)."),
    )
    gereedOp = serializers.DateField(
        required=False, allow_null=True, help_text=_("Alleen de coördinator verzet de gereed-datum.")
    )
    geschatteUren = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ESTIMATED_HOURS,
        help_text=_("Alleen de coördinator: de geschatte uren, 1 tot en met 10.000; null wist de schatting."),
    )
    versie = serializers.IntegerField(
        min_value=1, max_value=MAX_VERSION, help_text=_("De versie die u het laatst ophaalde; verplicht.")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "versie" not in attrs:
            raise serializers.ValidationError({"versie": [_("Geef de versie mee die u het laatst ophaalde.")]})
        if attrs.get("geimplementeerdOp") is not None and attrs.get("status") != MeasureStatus.IMPLEMENTED:
            raise serializers.ValidationError(
                {"geimplementeerdOp": [_("Geef deze datum alleen mee met status geimplementeerd.")]}
            )
        if attrs.get("redenAfwijzing") and attrs.get("status") != MeasureStatus.REJECTED:
            raise serializers.ValidationError(
                {"redenAfwijzing": [_("Geef een reden alleen mee met status afgewezen.")]}
            )
        return attrs


class PlanLineFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=MeasureStatus.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Alleen regels met deze status; zonder deze parameter alle statussen, ook afgewezen."),
    )
    eigenaar = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text=_("De uuid van het lidmaatschap van de eigenaar.")
    )
