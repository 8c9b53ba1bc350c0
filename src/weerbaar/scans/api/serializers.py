"""Serializers for /api/v1 scans, beoordelingen and resultaten: Dutch camelCase outside, models inside.

Input serializers check only the shape of a request; the rules (which characteristics exist, what
handing in needs, which circumstances may be ticked) stay in ``weerbaar.scans.services``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from weerbaar.scans.models import IMPACT_KEYS, Certainty, Rating, ScanProcess, ScanState
from weerbaar.scans.selectors.results import RISK_CLASSES, risk_class
from weerbaar.scans.services.ratings import MAX_RATIONALE, missing_for_submit

#: Impact dimension (model key) -> the API's Dutch key.
IMPACT_NAMES: dict[str, str] = {
    "money": "geld",
    "personal_data": "persoonsgegevens",
    "safety": "veiligheid",
    "trust": "vertrouwen",
    "continuity": "continuiteit",
}
assert tuple(IMPACT_NAMES) == IMPACT_KEYS, "IMPACT_NAMES must follow the model's impact dimensions"
#: Explanation contribution kind -> the API's Dutch kind.
CONTRIBUTION_KINDS: dict[str, str] = {
    "characteristic": "kenmerk",
    "interaction": "wisselwerking",
    "circumstance": "omstandigheid",
    "context": "context",
    "measure": "maatregel",
}
MAX_VERSION = 2_147_483_647
MAX_KEYS = 50


# --- shared --------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="ProcesSamenvatting")
class ProcessSummarySerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    code = serializers.CharField(read_only=True, help_text=_("De vaste code in het register, bijvoorbeeld P-012."))
    naam = serializers.CharField(source="name", read_only=True)


# --- scans ---------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="Periode")
class PeriodSerializer(serializers.Serializer):
    van = serializers.DateField(source="period_start", read_only=True)
    tot = serializers.DateField(source="period_end", read_only=True, help_text=_("Tot en met deze datum."))


@extend_schema_serializer(component_name="Voortgang")
class ProgressSerializer(serializers.Serializer):
    ingeleverd = serializers.IntegerField(
        source="submitted_count", read_only=True, help_text=_("Ingeleverde beoordelingen.")
    )
    totaal = serializers.IntegerField(
        source="rating_count", read_only=True, help_text=_("Alle toegewezen beoordelingen (beoordelaar × proces).")
    )


@extend_schema_serializer(component_name="Scan")
class ScanSerializer(serializers.Serializer):
    """Een scanronde met haar voortgang; nooit scores van beoordelaars."""

    uuid = serializers.UUIDField(read_only=True)
    naam = serializers.CharField(source="name", read_only=True)
    omschrijving = serializers.CharField(source="description", read_only=True)
    periode = PeriodSerializer(source="*", read_only=True)
    uitersteDatum = serializers.DateField(
        source="deadline", read_only=True, help_text=_("Tot en met deze datum kan worden beoordeeld.")
    )
    status = serializers.ChoiceField(source="state", choices=ScanState.choices, read_only=True)
    eenBeoordelaarToegestaan = serializers.BooleanField(source="allow_single_rater", read_only=True)
    processen = serializers.IntegerField(
        source="process_count", read_only=True, help_text=_("Het aantal processen in de scan.")
    )
    voortgang = ProgressSerializer(source="*", read_only=True)
    geopend = serializers.DateTimeField(source="opened_at", read_only=True, allow_null=True)
    afgesloten = serializers.DateTimeField(source="closed_at", read_only=True, allow_null=True)
    versie = serializers.IntegerField(source="version", read_only=True)


class ScanFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=ScanState.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Alleen scans met deze status."),
    )


# --- beoordelingen -------------------------------------------------------------------------------


@extend_schema_serializer(component_name="Impact")
class ImpactSerializer(serializers.Serializer):
    """Impact per dimensie, 1 (gering) tot en met 5 (zeer groot); null als het nog niet is ingevuld."""

    default_error_messages = {"unknown": _("Onbekende impactdimensie.")}

    geld = serializers.IntegerField(min_value=1, max_value=5, allow_null=True, required=False)
    persoonsgegevens = serializers.IntegerField(min_value=1, max_value=5, allow_null=True, required=False)
    veiligheid = serializers.IntegerField(min_value=1, max_value=5, allow_null=True, required=False)
    vertrouwen = serializers.IntegerField(min_value=1, max_value=5, allow_null=True, required=False)
    continuiteit = serializers.IntegerField(min_value=1, max_value=5, allow_null=True, required=False)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = [str(key) for key in data if key not in self.fields]
            if unknown:
                raise serializers.ValidationError({key: [self.error_messages["unknown"]] for key in unknown[:MAX_KEYS]})
        return super().to_internal_value(data)


@extend_schema_serializer(component_name="BeoordelingScan")
class RatingScanSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    naam = serializers.CharField(source="name", read_only=True)
    status = serializers.ChoiceField(source="state", choices=ScanState.choices, read_only=True)
    uitersteDatum = serializers.DateField(source="deadline", read_only=True)


@extend_schema_serializer(component_name="Ontbrekend")
class MissingSerializer(serializers.Serializer):
    veld = serializers.CharField(read_only=True, help_text=_("Bijvoorbeeld scores.klantcontact of impact.geld."))
    reden = serializers.CharField(read_only=True)


@extend_schema_serializer(component_name="Beoordeling")
class RatingSerializer(serializers.Serializer):
    """Uw eigen beoordeling van één proces in één scan. Andermans beoordelingen ziet u nooit."""

    uuid = serializers.UUIDField(read_only=True)
    scan = RatingScanSerializer(source="scan_process.scan", read_only=True)
    proces = ProcessSummarySerializer(source="scan_process.process", read_only=True)
    scores = serializers.SerializerMethodField(
        help_text=_("Per kenmerk (sleutel, zie /kenmerken) een score van 0 tot en met 4, of null.")
    )
    toelichtingen = serializers.DictField(
        source="rationales",
        child=serializers.CharField(),
        read_only=True,
        help_text=_("Per kenmerk de toelichting; verplicht bij een score van 3 of 4."),
    )
    impact = serializers.SerializerMethodField()
    omstandigheden = serializers.ListField(
        source="circumstances",
        child=serializers.UUIDField(),
        read_only=True,
        help_text=_("De uuid's van de aangevinkte interne omstandigheden."),
    )
    zekerheid = serializers.ChoiceField(source="certainty", choices=Certainty.choices, read_only=True, allow_blank=True)
    toelichting = serializers.CharField(source="note", read_only=True)
    ingeleverd = serializers.BooleanField(source="is_submitted", read_only=True)
    ingeleverdOp = serializers.DateTimeField(source="submitted_at", read_only=True, allow_null=True)
    ontbreekt = serializers.SerializerMethodField(help_text=_("Wat nog nodig is om in te leveren."))
    vorigeScan = serializers.SerializerMethodField(
        method_name="get_previous",
        help_text=_(
            "Een herhaalscan: de consensus uit de vorige scan waarmee deze beoordeling begon (scores, impact, "
            "omstandigheden), anders null. Stuur een waarde (dezelfde of een andere) om haar te bevestigen."
        ),
    )
    teBevestigen = serializers.SerializerMethodField(
        method_name="get_to_confirm",
        help_text=_("Onderdelen uit de vorige scan die nog bevestigd of gewijzigd moeten worden."),
    )
    versie = serializers.IntegerField(source="version", read_only=True)
    gewijzigd = serializers.DateTimeField(source="updated_at", read_only=True)

    def _keys(self) -> list[str]:
        keys: list[str] = self.context["characteristic_keys"]
        return keys

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0, "maximum": 4, "nullable": True}}
    )
    def get_scores(self, rating: Rating) -> dict[str, int | None]:
        return {key: rating.scores.get(key) for key in self._keys()}

    @extend_schema_field(ImpactSerializer)
    def get_impact(self, rating: Rating) -> dict[str, int | None]:
        return {name: rating.impact.get(key) for key, name in IMPACT_NAMES.items()}

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "scores": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0, "maximum": 4}},
                "impact": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1, "maximum": 5}},
                "omstandigheden": {"type": "array", "items": {"type": "string", "format": "uuid"}},
            },
        }
    )
    def get_previous(self, rating: Rating) -> dict[str, Any] | None:
        if not rating.prefilled:
            return None
        impact = rating.prefilled.get("impact", {})
        return {
            "scores": dict(rating.prefilled.get("scores", {})),
            "impact": {name: impact[key] for key, name in IMPACT_NAMES.items() if key in impact},
            "omstandigheden": list(rating.prefilled.get("circumstances", [])),
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_to_confirm(self, rating: Rating) -> list[str]:
        return [api_field_name(f"confirm-{item}") for item in rating.to_confirm]

    @extend_schema_field(MissingSerializer(many=True))
    def get_ontbreekt(self, rating: Rating) -> list[dict[str, str]]:
        missing = missing_for_submit(rating, self._keys())
        return [{"veld": api_field_name(key), "reden": str(reason)} for key, reason in missing.items()]


@extend_schema_serializer(component_name="BeoordelingWijziging")
class RatingUpdateSerializer(serializers.Serializer):
    """Alleen wat verandert, en altijd de versie die u het laatst ophaalde."""

    scores = serializers.DictField(
        child=serializers.IntegerField(
            min_value=0,
            max_value=4,
            allow_null=True,
            error_messages={"invalid": _("Een score is een heel getal van 0 tot en met 4.")},
        ),
        required=False,
        help_text=_("Per kenmerk een score van 0 tot en met 4; null wist de score. Niet genoemde blijven staan."),
    )
    toelichtingen = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=MAX_RATIONALE),
        required=False,
        help_text=_("Per kenmerk een toelichting; een lege tekst wist haar."),
    )
    impact = ImpactSerializer(required=False)
    omstandigheden = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        max_length=200,
        help_text=_("Alle aangevinkte interne omstandigheden (vervangt de vorige lijst)."),
    )
    zekerheid = serializers.ChoiceField(choices=Certainty.choices, allow_blank=True, required=False)
    toelichting = serializers.CharField(allow_blank=True, max_length=4000, required=False)
    inleveren = serializers.BooleanField(
        required=False,
        help_text=_(
            "true: sla op en lever in. Dat lukt alleen als alles is ingevuld; anders wordt niets opgeslagen "
            "en ziet u per veld wat ontbreekt."
        ),
    )
    versie = serializers.IntegerField(
        min_value=1, max_value=MAX_VERSION, help_text=_("De versie die u het laatst ophaalde; verplicht.")
    )

    def _not_too_many(self, value: dict[str, Any]) -> dict[str, Any]:
        if len(value) > MAX_KEYS:
            raise serializers.ValidationError(_("Te veel kenmerken in één verzoek."))
        return value

    def validate_scores(self, value: dict[str, Any]) -> dict[str, Any]:
        return self._not_too_many(value)

    def validate_toelichtingen(self, value: dict[str, Any]) -> dict[str, Any]:
        return self._not_too_many(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "versie" not in attrs:
            raise serializers.ValidationError({"versie": [_("Geef de versie mee die u het laatst ophaalde.")]})
        return attrs


class RatingFilterSerializer(serializers.Serializer):
    scan = serializers.UUIDField(required=False, allow_null=True, default=None, help_text=_("De uuid van een scan."))


def api_field_name(key: str) -> str:
    """A service error or missing-value key (``score-<k>``, ``impact-money``, ``note``) as the API names it."""
    for prefix, field in (
        ("score-", "scores"),
        ("rationale-", "toelichtingen"),
        ("impact-", "impact"),
        ("confirm-", "bevestigen"),
    ):
        if key.startswith(prefix):
            rest = key[len(prefix) :]
            if field == "bevestigen":
                return f"bevestigen.{ {'circumstances': 'omstandigheden'}.get(rest, rest) }"
            return f"{field}.{IMPACT_NAMES.get(rest, rest) if field == 'impact' else rest}"
    return {"circumstances": "omstandigheden", "certainty": "zekerheid", "note": "toelichting"}.get(key, key)


# --- resultaten ----------------------------------------------------------------------------------


@extend_schema_serializer(component_name="Bijdrage")
class ContributionSerializer(serializers.Serializer):
    soort = serializers.ChoiceField(
        choices=[(kind, kind) for kind in CONTRIBUTION_KINDS.values()],
        read_only=True,
        help_text=_("Waar de punten vandaan komen."),
    )
    sleutel = serializers.CharField(
        read_only=True, help_text=_("De sleutel van het kenmerk, of de uuid van de omstandigheid of maatregel.")
    )
    punten = serializers.FloatField(read_only=True)


@extend_schema_serializer(component_name="Resultaat")
class ResultSerializer(serializers.Serializer):
    """De uitkomst van het scoringsmodel voor één proces in een afgesloten scan."""

    scan = serializers.UUIDField(source="scan.uuid", read_only=True)
    proces = ProcessSummarySerializer(source="process", read_only=True)
    kwetsbaarheid = serializers.FloatField(
        source="vulnerability", read_only=True, help_text=_("0 tot en met 100, na maatregelen.")
    )
    inherenteKwetsbaarheid = serializers.FloatField(
        source="inherent_vulnerability",
        read_only=True,
        allow_null=True,
        help_text=_("0 tot en met 100, zonder maatregelen."),
    )
    kans = serializers.IntegerField(source="likelihood", read_only=True, help_text=_("1 tot en met 5."))
    impact = serializers.IntegerField(read_only=True, help_text=_("1 tot en met 5."))
    risicocel = serializers.SerializerMethodField(
        help_text=_("De plek op de 5×5-risicomatrix als kans x impact, bijvoorbeeld 4x5.")
    )
    risicoklasse = serializers.SerializerMethodField(
        help_text=_("De klasse van de risicocel, zoals de heatmap haar kleurt.")
    )
    voorlopig = serializers.SerializerMethodField(
        help_text=_("true zolang de scan nog in de consensusfase is: de uitkomst kan nog veranderen.")
    )
    modelversie = serializers.CharField(source="model_version", read_only=True)
    eenBeoordelaar = serializers.BooleanField(
        source="single_rater", read_only=True, help_text=_("Beoordeeld door één persoon (plus de consensus).")
    )
    toelichting = serializers.SerializerMethodField(
        help_text=_("De bijdragen aan de kwetsbaarheid; samen tellen zij op tot de kwetsbaarheid.")
    )

    @extend_schema_field(OpenApiTypes.STR)
    def get_risicocel(self, result: ScanProcess) -> str:
        return f"{result.likelihood}x{result.impact}"

    @extend_schema_field(serializers.ChoiceField(choices=[(each.key, each.key) for each in RISK_CLASSES]))
    def get_risicoklasse(self, result: ScanProcess) -> str:
        return risk_class(result.likelihood or 1, result.impact or 1).key

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_voorlopig(self, result: ScanProcess) -> bool:
        return not result.scan.is_closed

    @extend_schema_field(ContributionSerializer(many=True))
    def get_toelichting(self, result: ScanProcess) -> list[dict[str, Any]]:
        contributions = (result.explanation or {}).get("contributions", [])
        return [
            {
                "soort": CONTRIBUTION_KINDS.get(str(item.get("kind")), str(item.get("kind"))),
                "sleutel": str(item.get("key", "")),
                "punten": item.get("points"),
            }
            for item in contributions
        ]


class ResultFilterSerializer(serializers.Serializer):
    scan = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("De uuid van een afgesloten scan; zonder deze parameter de laatst afgesloten scan."),
    )
