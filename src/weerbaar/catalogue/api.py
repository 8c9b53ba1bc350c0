"""/api/v1 catalogue endpoints (read only): kenmerken, procescategorieen, referentieprocessen,
omstandigheden, maatregelen. Thin over the selectors the pages use.

Reference processes, circumstances and measures are the organisation's *effective* catalogue:
national entries, replaced by its own versions, plus its own entries. One entry is fetched by
its ``sleutel``: the key of a national entry, or the uuid of an own entry.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from weerbaar.catalogue import selectors
from weerbaar.catalogue.models import (
    Characteristic,
    Circumstance,
    CircumstanceGroup,
    CircumstanceKind,
    EffectStrength,
    Measure,
    MeasureEffect,
    MeasureGroup,
    MeasureScope,
    ReferenceProcess,
)
from weerbaar.core.models import Organisation
from weerbaar.core.permissions import Action

TAGS = ["catalogus"]
ORIGINS = [(selectors.ORIGIN_NATIONAL, _("Landelijk")), (selectors.ORIGIN_OWN, _("Eigen"))]


def _organisation(request: Request) -> Organisation:
    # RolePermission has already refused a request without a membership.
    membership = request._request.membership  # type: ignore[attr-defined]
    organisation: Organisation = membership.organisation
    return organisation


# --- serializers -----------------------------------------------------------------------------


@extend_schema_serializer(component_name="Kenmerk")
class CharacteristicSerializer(serializers.Serializer):
    sleutel = serializers.SlugField(source="key", read_only=True)
    code = serializers.CharField(read_only=True, help_text=_("K1 tot en met K8."))
    naam = serializers.CharField(source="name", read_only=True)
    waarom = serializers.CharField(source="why", read_only=True, help_text=_("Waarom dit een proces kwetsbaar maakt."))
    voorbeelden = serializers.ListField(source="examples", child=serializers.CharField(), read_only=True)
    hulpvragen = serializers.ListField(source="questions", child=serializers.CharField(), read_only=True)
    schaal = serializers.DictField(
        source="scale",
        child=serializers.CharField(),
        read_only=True,
        help_text=_("Wat de scores 0 tot en met 4 voor dit kenmerk betekenen, met de score als sleutel."),
    )


@extend_schema_serializer(component_name="Procescategorie")
class CategorySerializer(serializers.Serializer):
    sleutel = serializers.SlugField(source="key", read_only=True)
    naam = serializers.CharField(source="name", read_only=True)
    omschrijving = serializers.CharField(source="description", read_only=True)


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class CharacteristicKeysField(serializers.Field):
    """The keys of the (prefetched) related characteristics."""

    def to_representation(self, value: Any) -> list[str]:
        return [characteristic.key for characteristic in value.all()]


class _EntrySerializer(serializers.Serializer):
    sleutel = serializers.CharField(
        source="ref",
        read_only=True,
        help_text=_("De sleutel van een landelijk item, of de uuid van een eigen item; hiermee haalt u het op."),
    )
    herkomst = serializers.SerializerMethodField(help_text=_("landelijk, of eigen (een eigen item of eigen versie)."))
    gebaseerdOp = serializers.SlugField(
        source="based_on.key",
        read_only=True,
        allow_null=True,
        help_text=_("Bij een eigen versie: de sleutel van het landelijke item dat zij vervangt."),
    )
    naam = serializers.CharField(source="name", read_only=True)
    omschrijving = serializers.CharField(source="description", read_only=True)

    @extend_schema_field(serializers.ChoiceField(choices=ORIGINS))
    def get_herkomst(self, entry: Any) -> str:
        return selectors.ORIGIN_NATIONAL if entry.is_national else selectors.ORIGIN_OWN


@extend_schema_serializer(component_name="Referentieproces")
class ReferenceProcessSerializer(_EntrySerializer):
    categorie = serializers.SlugField(source="category.key", read_only=True)
    gebruikelijkeAfdeling = serializers.CharField(source="typical_unit", read_only=True)
    kenmerken = CharacteristicKeysField(
        source="characteristics",
        read_only=True,
        help_text=_("Sleutels van de kenmerken die meestal gelden (een hint, geen score)."),
    )


@extend_schema_serializer(component_name="Omstandigheid")
class CircumstanceSerializer(_EntrySerializer):
    soort = serializers.ChoiceField(source="kind", choices=CircumstanceKind.choices, read_only=True)
    groep = serializers.ChoiceField(source="group", choices=CircumstanceGroup.choices, read_only=True)
    kenmerken = CharacteristicKeysField(
        source="characteristics", read_only=True, help_text=_("Sleutels van de kenmerken die hierdoor zwaarder wegen.")
    )


@extend_schema_serializer(component_name="Maatregeleffect")
class MeasureEffectSerializer(serializers.Serializer):
    kenmerk = serializers.SlugField(source="characteristic.key", read_only=True)
    sterkte = serializers.ChoiceField(
        source="strength", choices=EffectStrength.choices, read_only=True, help_text=_("1 beperkt, 2 middel, 3 sterk.")
    )


@extend_schema_serializer(component_name="Maatregel")
class MeasureSerializer(_EntrySerializer):
    groep = serializers.ChoiceField(source="group", choices=MeasureGroup.choices, read_only=True)
    reikwijdte = serializers.ChoiceField(source="scope", choices=MeasureScope.choices, read_only=True)
    herzienElkeMaanden = serializers.IntegerField(
        source="review_cadence_months",
        read_only=True,
        help_text=_("Hoe vaak de maatregel herzien moet worden om in de praktijk te blijven werken."),
    )
    effecten = MeasureEffectSerializer(source="effects", many=True, read_only=True)


class ProcessFilterSerializer(serializers.Serializer):
    zoek = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text=_("Zoek in naam, omschrijving en gebruikelijke afdeling."),
    )
    categorie = serializers.SlugField(required=False, allow_blank=True, default="", max_length=80)
    kenmerk = serializers.SlugField(required=False, allow_blank=True, default="", max_length=80)
    herkomst = serializers.ChoiceField(choices=ORIGINS, required=False, allow_blank=True, default="")


# --- viewsets --------------------------------------------------------------------------------


def _ref_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.PATH, description=description)


class _CatalogueViewSet(viewsets.GenericViewSet):
    required_permissions = {"list": Action.CATALOGUE_VIEW, "retrieve": Action.CATALOGUE_VIEW}
    lookup_value_converter = "slug"

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class CharacteristicViewSet(_CatalogueViewSet):
    """De acht kenmerken van een kwetsbaar proces, met hun schaal van 0 tot en met 4."""

    serializer_class = CharacteristicSerializer
    lookup_url_kwarg = "kenmerk"

    def get_queryset(self) -> Any:
        return selectors.characteristic_list()

    @extend_schema(tags=TAGS, summary="Kenmerken")
    def list(self, request: Request) -> Response:
        return super().list(request)

    @extend_schema(
        tags=TAGS, summary="Eén kenmerk", parameters=[_ref_parameter("kenmerk", "De sleutel van het kenmerk.")]
    )
    def retrieve(self, request: Request, kenmerk: str) -> Response:
        characteristic = selectors.characteristic_list().filter(key=kenmerk).first()
        if characteristic is None:
            raise NotFound
        return Response(CharacteristicSerializer(characteristic).data)


class CategoryViewSet(_CatalogueViewSet):
    """De procescategorieën uit het onderzoek, plus overig."""

    serializer_class = CategorySerializer
    lookup_url_kwarg = "procescategorie"

    def get_queryset(self) -> Any:
        return selectors.category_list()

    @extend_schema(tags=TAGS, summary="Procescategorieën")
    def list(self, request: Request) -> Response:
        return super().list(request)

    @extend_schema(
        tags=TAGS,
        summary="Eén procescategorie",
        parameters=[_ref_parameter("procescategorie", "De sleutel van de procescategorie.")],
    )
    def retrieve(self, request: Request, procescategorie: str) -> Response:
        category = selectors.category_list().filter(key=procescategorie).first()
        if category is None:
            raise NotFound
        return Response(CategorySerializer(category).data)


REF_HELP = "De sleutel van een landelijk item, of de uuid van een eigen item van uw organisatie."


class ReferenceProcessViewSet(_CatalogueViewSet):
    """Referentieprocessen: de landelijke, vervangen door eigen versies, plus de eigen."""

    serializer_class = ReferenceProcessSerializer
    lookup_url_kwarg = "referentieproces"

    def get_queryset(self) -> Any:
        return selectors.reference_process_list(organisation=_organisation(self.request))

    @extend_schema(tags=TAGS, summary="Referentieprocessen", parameters=[ProcessFilterSerializer])
    def list(self, request: Request) -> Response:
        filters = ProcessFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        processes = selectors.reference_process_list(
            organisation=_organisation(request),
            filters=selectors.ProcessFilter(
                query=data["zoek"].strip(),
                category=data["categorie"],
                characteristic=data["kenmerk"],
                origin=data["herkomst"],
            ),
        )
        page = self.paginate_queryset(processes)
        return self.get_paginated_response(ReferenceProcessSerializer(page, many=True).data)

    @extend_schema(tags=TAGS, summary="Eén referentieproces", parameters=[_ref_parameter("referentieproces", REF_HELP)])
    def retrieve(self, request: Request, referentieproces: str) -> Response:
        process = selectors.get_entry(ReferenceProcess, referentieproces)
        process = (
            ReferenceProcess.objects.select_related("category", "based_on")
            .prefetch_related(Prefetch("characteristics", queryset=Characteristic.objects.order_by("position")))
            .get(pk=process.pk)
        )
        return Response(ReferenceProcessSerializer(process).data)


class CircumstanceViewSet(_CatalogueViewSet):
    """Omstandigheden (extern en intern) die processen kwetsbaarder maken."""

    serializer_class = CircumstanceSerializer
    lookup_url_kwarg = "omstandigheid"

    def get_queryset(self) -> Any:
        return selectors.circumstance_list(organisation=_organisation(self.request))

    @extend_schema(tags=TAGS, summary="Omstandigheden")
    def list(self, request: Request) -> Response:
        return super().list(request)

    @extend_schema(tags=TAGS, summary="Eén omstandigheid", parameters=[_ref_parameter("omstandigheid", REF_HELP)])
    def retrieve(self, request: Request, omstandigheid: str) -> Response:
        circumstance = selectors.get_entry(Circumstance, omstandigheid)
        circumstance = (
            Circumstance.objects.select_related("based_on")
            .prefetch_related(Prefetch("characteristics", queryset=Characteristic.objects.order_by("position")))
            .get(pk=circumstance.pk)
        )
        return Response(CircumstanceSerializer(circumstance).data)


class MeasureViewSet(_CatalogueViewSet):
    """Maatregelen in zes groepen, met de kenmerken die zij verzwakken en hun herzieningstermijn."""

    serializer_class = MeasureSerializer
    lookup_url_kwarg = "maatregel"

    def get_queryset(self) -> Any:
        return selectors.measure_list(organisation=_organisation(self.request))

    @extend_schema(tags=TAGS, summary="Maatregelen")
    def list(self, request: Request) -> Response:
        return super().list(request)

    @extend_schema(tags=TAGS, summary="Eén maatregel", parameters=[_ref_parameter("maatregel", REF_HELP)])
    def retrieve(self, request: Request, maatregel: str) -> Response:
        measure = selectors.get_entry(Measure, maatregel)
        measure = (
            Measure.objects.select_related("based_on")
            .prefetch_related(Prefetch("effects", queryset=MeasureEffect.objects.select_related("characteristic")))
            .get(pk=measure.pk)
        )
        return Response(MeasureSerializer(measure).data)
