"""Explicit serializers: Dutch camelCase names outside, the English model fields inside.

Output serializers only read; input serializers only validate the shape of a request. Every rule
about the data itself lives in the services, which the views call with the validated values.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from weerbaar.audit.models import Result
from weerbaar.core.models import OrganisationKind, SizeClass, Unit

#: Model field -> API field, to report a service's validation errors under the name the client sent.
UNIT_FIELD_NAMES = {
    "name": "naam",
    "description": "omschrijving",
    "parent": "bovenliggendeAfdeling",
    "is_active": "actief",
}


# --- organisatie -------------------------------------------------------------------------------


@extend_schema_serializer(component_name="RiecRegio")
class RiecSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    naam = serializers.CharField(source="name", read_only=True)


@extend_schema_serializer(component_name="Organisatie")
class OrganisationSerializer(serializers.Serializer):
    """De organisatie waarvoor de API-sleutel (of de sessie) geldt."""

    uuid = serializers.UUIDField(read_only=True)
    naam = serializers.CharField(source="name", read_only=True)
    soort = serializers.ChoiceField(source="kind", choices=OrganisationKind.choices, read_only=True)
    cbsCode = serializers.CharField(
        source="cbs_code", read_only=True, help_text=_("CBS-gemeentecode, bijvoorbeeld GM0999; leeg bij een RIEC.")
    )
    inwoners = serializers.IntegerField(source="inhabitants", read_only=True, allow_null=True)
    grootteklasse = serializers.ChoiceField(
        source="size_class", choices=SizeClass.choices, read_only=True, allow_blank=True
    )
    regionaleVergelijking = serializers.BooleanField(
        source="benchmark_opt_in",
        read_only=True,
        help_text=_("Doet mee aan de geanonimiseerde regionale vergelijking van het RIEC."),
    )
    riec = RiecSerializer(read_only=True, allow_null=True, help_text=_("De RIEC-regio van de gemeente."))


# --- afdelingen --------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.UUID)
class UnitReferenceField(serializers.RelatedField):
    """An afdeling of the bound organisation, by uuid; another organisation's uuid does not exist."""

    default_error_messages = {
        "invalid": _("Geef de uuid van een afdeling op."),
        "does_not_exist": _("Er is geen afdeling met deze uuid in uw organisatie."),
    }

    def get_queryset(self) -> Any:
        # Evaluated per request, when the organisation is bound; never at import.
        return Unit.objects.all()

    def to_internal_value(self, data: Any) -> Unit:
        try:
            key = uuid.UUID(str(data))
        except (TypeError, ValueError, AttributeError):
            self.fail("invalid")
        unit = self.get_queryset().filter(uuid=key).first()
        if unit is None:
            self.fail("does_not_exist")
        return unit

    def to_representation(self, value: Any) -> str:
        return str(value.uuid)


@extend_schema_serializer(component_name="Afdeling")
class UnitSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    naam = serializers.CharField(source="name", read_only=True)
    omschrijving = serializers.CharField(source="description", read_only=True)
    bovenliggendeAfdeling = UnitReferenceField(
        source="parent", read_only=True, allow_null=True, help_text=_("De afdeling waar deze onder valt.")
    )
    actief = serializers.BooleanField(
        source="is_active", read_only=True, help_text=_("Gearchiveerde afdelingen zijn niet actief.")
    )
    versie = serializers.IntegerField(
        source="version",
        read_only=True,
        help_text=_("Stuur deze waarde mee bij een wijziging: zo overschrijft u nooit ongemerkt een ander."),
    )
    aangemaakt = serializers.DateTimeField(source="created_at", read_only=True)
    gewijzigd = serializers.DateTimeField(source="updated_at", read_only=True)


@extend_schema_serializer(component_name="AfdelingNieuw")
class UnitCreateSerializer(serializers.Serializer):
    naam = serializers.CharField(max_length=200)
    omschrijving = serializers.CharField(required=False, allow_blank=True, default="")
    bovenliggendeAfdeling = UnitReferenceField(
        required=False, allow_null=True, default=None, help_text=_("Leeg voor een afdeling op het hoogste niveau.")
    )


@extend_schema_serializer(component_name="AfdelingWijziging")
class UnitUpdateSerializer(serializers.Serializer):
    """Bij PUT alle velden, bij PATCH alleen wat verandert; altijd met de versie die u het laatst ophaalde."""

    naam = serializers.CharField(max_length=200)
    omschrijving = serializers.CharField(allow_blank=True)
    bovenliggendeAfdeling = UnitReferenceField(allow_null=True)
    actief = serializers.BooleanField(help_text=_("Zet op false om de afdeling te archiveren."))
    versie = serializers.IntegerField(
        min_value=1,
        max_value=2_147_483_647,
        help_text=_("De versie die u het laatst ophaalde; verplicht, ook bij PATCH."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "versie" not in attrs:
            raise serializers.ValidationError({"versie": [_("Geef de versie mee die u het laatst ophaalde.")]})
        return attrs


class UnitFilterSerializer(serializers.Serializer):
    actief = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("Alleen actieve (true) of gearchiveerde (false).")
    )
    zoek = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200, help_text=_("Zoek in naam en omschrijving.")
    )


# --- auditgebeurtenissen -----------------------------------------------------------------------


@extend_schema_serializer(component_name="Auditgebeurtenis")
class AuditEventSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    volgnummer = serializers.IntegerField(source="sequence", read_only=True)
    tijdstip = serializers.DateTimeField(source="occurred_at", read_only=True)
    wie = serializers.CharField(source="actor_label", read_only=True, help_text=_("E-mailadres van wie het deed."))
    actie = serializers.CharField(source="action", read_only=True, help_text=_("Bijvoorbeeld unit.update."))
    objectSoort = serializers.CharField(source="object_type", read_only=True)
    objectId = serializers.CharField(source="object_uuid", read_only=True)
    objectOmschrijving = serializers.CharField(source="object_label", read_only=True)
    resultaat = serializers.ChoiceField(source="result", choices=Result.choices, read_only=True)
    herkomst = serializers.CharField(source="origin", read_only=True, help_text=_("IP-adres van het verzoek."))
    wijzigingen = serializers.DictField(
        source="changes",
        read_only=True,
        child=serializers.ListField(child=serializers.JSONField()),
        help_text=_("Per veld de oude en de nieuwe waarde; gevoelige waarden zijn verborgen."),
    )
    toelichting = serializers.CharField(source="reason", read_only=True)
    hash = serializers.CharField(read_only=True)
    vorigeHash = serializers.CharField(source="prev_hash", read_only=True)


class AuditFilterSerializer(serializers.Serializer):
    actie = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100, help_text=_("Acties die hiermee beginnen.")
    )
    vanaf = serializers.DateField(required=False, allow_null=True, default=None, help_text=_("Vanaf deze datum."))
    tot = serializers.DateField(required=False, allow_null=True, default=None, help_text=_("Tot en met deze datum."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("vanaf") and attrs.get("tot") and attrs["vanaf"] > attrs["tot"]:
            raise serializers.ValidationError({"tot": [_("De einddatum ligt vóór de begindatum.")]})
        return attrs
