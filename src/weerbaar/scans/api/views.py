"""/api/v1/scans, /api/v1/beoordelingen and /api/v1/resultaten: thin over the scans selectors and services.

Need-to-know as on the pages: a rater reaches only their own ratings (someone else's is a 404),
scores of other raters never leave the server, and results follow ``results.view`` /
``results.view_all``. A change to a rating goes through ``services.rating_save`` (audited).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from weerbaar.api.errors import NON_FIELD_NAME, Conflict
from weerbaar.core.models import Membership, User
from weerbaar.core.permissions import Action
from weerbaar.core.services import StaleVersion
from weerbaar.register import selectors as register_selectors
from weerbaar.scans import services
from weerbaar.scans.api import queries
from weerbaar.scans.api.serializers import (
    IMPACT_NAMES,
    RatingFilterSerializer,
    RatingSerializer,
    RatingUpdateSerializer,
    ResultFilterSerializer,
    ResultSerializer,
    ScanFilterSerializer,
    ScanSerializer,
    api_field_name,
)
from weerbaar.scans.models import Rating, Scan, ScanProcess
from weerbaar.scans.selectors import manage as manage_selectors
from weerbaar.scans.selectors import results as results_selectors
from weerbaar.scans.services.results_export import record_results_read

TAGS = ["scans"]
#: Service error codes that mean "the scan is not open for rating": a conflict with the scan's state.
STATE_CODES = {"closed"}


def _membership(request: Request) -> Membership:
    # RolePermission has already refused a request without a membership.
    membership: Membership = request._request.membership  # type: ignore[attr-defined]
    return membership


def _actor(request: Request) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


# --- scans -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        tags=TAGS,
        summary="Scans",
        description="De scanrondes van de eigen organisatie, nieuwste periode eerst, met hun voortgang.",
        parameters=[ScanFilterSerializer],
    ),
    retrieve=extend_schema(
        tags=TAGS, summary="Eén scan", description="Eén scanronde met haar voortgang; nooit scores van beoordelaars."
    ),
)
class ScanViewSet(viewsets.GenericViewSet):
    """Scans: read with scans.view; counts only, never anybody's scores."""

    serializer_class = ScanSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "scan_uuid"
    lookup_value_converter = "uuid"
    required_permissions = {"list": Action.SCAN_VIEW, "retrieve": Action.SCAN_VIEW}

    def get_queryset(self) -> Any:
        return manage_selectors.scan_list()

    def list(self, request: Request) -> Response:
        filters = ScanFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        scans = self.get_queryset()
        if filters.validated_data["status"]:
            scans = scans.filter(state=filters.validated_data["status"])
        page = self.paginate_queryset(scans)
        return self.get_paginated_response(ScanSerializer(page, many=True).data)

    def retrieve(self, request: Request, scan_uuid: UUID) -> Response:
        return Response(ScanSerializer(get_object_or_404(self.get_queryset(), uuid=scan_uuid)).data)


# --- beoordelingen ---------------------------------------------------------------------------------


def _rating_errors(exc: DjangoValidationError) -> exceptions.ValidationError:
    """The service's errors (``score-<key>``, ``impact-money``, ``note`` …) under the API's field names."""
    if not hasattr(exc, "error_dict"):
        return exceptions.ValidationError({NON_FIELD_NAME: exc.messages})
    detail: dict[str, list[str]] = {}
    for key, messages in exc.message_dict.items():
        name = NON_FIELD_NAME if key == NON_FIELD_ERRORS else api_field_name(key)
        detail.setdefault(name, []).extend(messages)
    return exceptions.ValidationError(detail)


def _change(data: dict[str, Any]) -> services.RatingChange:
    impact = data.get("impact") or {}
    circumstances = data.get("omstandigheden")
    return services.RatingChange(
        scores=data.get("scores", {}),
        rationales=data.get("toelichtingen", {}),
        impact={key: impact[name] for key, name in IMPACT_NAMES.items() if name in impact},
        circumstances=None if circumstances is None else [str(each) for each in circumstances],
        certainty=data.get("zekerheid"),
        note=data.get("toelichting"),
    )


@extend_schema_view(
    list=extend_schema(
        tags=TAGS,
        summary="Mijn beoordelingen",
        description="Uw eigen beoordelingen in scans die open zijn of waren. Beoordelingen van anderen "
        "staan hier nooit tussen: u beoordeelt zelfstandig.",
        parameters=[RatingFilterSerializer],
    ),
    retrieve=extend_schema(
        tags=TAGS,
        summary="Eén eigen beoordeling",
        description="Uw eigen beoordeling, met wat nog ontbreekt om in te leveren. De beoordeling van een ander "
        "geeft 404.",
    ),
    partial_update=extend_schema(
        tags=TAGS,
        summary="Eigen beoordeling invullen of inleveren",
        description="Stuur alleen wat verandert, en altijd de versie die u het laatst ophaalde. Een concept mag "
        "onvolledig zijn; met inleveren: true levert u in, wat alleen lukt als elk kenmerk en elke "
        "impactdimensie is ingevuld en elke score van 3 of 4 een toelichting heeft. Een geweigerde wijziging "
        "slaat niets op. Antwoordt 409 bij een verouderde versie, en ook wanneer de scan niet (meer) open is "
        "voor beoordelen.",
        request=RatingUpdateSerializer,
        responses={
            200: RatingSerializer,
            409: OpenApiResponse(description="De versie is verouderd, of de scan is niet (meer) open."),
        },
    ),
)
class RatingViewSet(viewsets.GenericViewSet):
    """Beoordelingen: only the caller's own, with scans.rate; changed through the audited service."""

    serializer_class = RatingSerializer
    lookup_field = "uuid"
    lookup_url_kwarg = "rating_uuid"
    lookup_value_converter = "uuid"
    required_permissions = {
        "list": Action.SCAN_RATE,
        "retrieve": Action.SCAN_RATE,
        "partial_update": Action.SCAN_RATE,
    }

    def get_queryset(self) -> Any:
        return queries.my_ratings(_membership(self.request))

    def _context(self) -> dict[str, Any]:
        return {"characteristic_keys": services.characteristic_keys()}

    def _get(self, rating_uuid: UUID) -> Rating:
        rating: Rating = get_object_or_404(self.get_queryset(), uuid=rating_uuid)
        return rating

    def list(self, request: Request) -> Response:
        filters = RatingFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        ratings = self.get_queryset()
        scan_uuid = filters.validated_data["scan"]
        if scan_uuid is not None:
            if not Scan.objects.filter(uuid=scan_uuid).exists():
                raise exceptions.ValidationError({"scan": [_("Er is geen scan met deze uuid in uw organisatie.")]})
            ratings = ratings.filter(scan_process__scan__uuid=scan_uuid)
        page = self.paginate_queryset(ratings)
        return self.get_paginated_response(RatingSerializer(page, many=True, context=self._context()).data)

    def retrieve(self, request: Request, rating_uuid: UUID) -> Response:
        return Response(RatingSerializer(self._get(rating_uuid), context=self._context()).data)

    def partial_update(self, request: Request, rating_uuid: UUID) -> Response:
        # Fetch first: someone else's rating is a 404 whatever the body says.
        rating = self._get(rating_uuid)
        member = _membership(request)
        serializer = RatingUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        allowed = {
            str(each.uuid) for each in register_selectors.internal_circumstances(organisation=member.organisation)
        }
        try:
            services.rating_save(
                actor=_actor(request),
                rater=member,
                rating=rating,
                version=data["versie"],
                change=_change(data),
                submit=bool(data.get("inleveren", False)),
                allowed_circumstances=allowed,
            )
        except StaleVersion as exc:
            raise Conflict() from exc
        except DjangoValidationError as exc:
            if getattr(exc, "code", None) in STATE_CODES:
                raise Conflict(detail=exc.messages[0]) from exc
            raise _rating_errors(exc) from exc
        return self.retrieve(request, rating_uuid)


# --- resultaten ------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        tags=TAGS,
        summary="Resultaten",
        description="De uitkomsten van de laatst afgesloten scan (of van ?scan=), in de volgorde van de "
        "prioriteitenlijst: hoogste risico (kans × impact) eerst, dan de hoogste kwetsbaarheid. Wie alle "
        "uitkomsten mag zien krijgt elk proces, en kan met ?scan= ook de voorlopige uitkomsten van een scan "
        "in de consensusfase opvragen; een proceseigenaar krijgt alleen de eigen processen van afgesloten "
        "scans. Zonder afgesloten scan is de lijst leeg.",
        parameters=[ResultFilterSerializer],
    ),
)
class ResultViewSet(viewsets.GenericViewSet):
    """Resultaten: read-only with results.view; need-to-know is the results pages' own selector."""

    serializer_class = ResultSerializer
    required_permissions = {"list": Action.RESULTS_VIEW}

    def get_queryset(self) -> Any:
        return ScanProcess.objects.none()

    def list(self, request: Request) -> Response:
        filters = ResultFilterSerializer(data=request.query_params.dict())
        filters.is_valid(raise_exception=True)
        member = _membership(request)
        scan_uuid = filters.validated_data["scan"]
        # The scans the results pages offer this member: closed ones, and one in review for who sees all.
        scans = results_selectors.result_scans(member)
        if scan_uuid is None:
            scan = results_selectors.default_scan(scans)
        else:
            scan = next((each for each in scans if each.uuid == scan_uuid), None)
            if scan is None:
                known = Scan.objects.filter(uuid=scan_uuid).exists()
                raise exceptions.ValidationError(
                    {
                        "scan": [
                            _("Deze scan is nog niet afgesloten: er zijn nog geen uitkomsten.")
                            if known
                            else _("Er is geen scan met deze uuid in uw organisatie.")
                        ]
                    }
                )
        if scan is None:
            results = self.get_queryset()
        else:
            results = results_selectors.priority_list(member, scan).select_related("scan")
        page = self.paginate_queryset(results)
        rows = ResultSerializer(page, many=True).data
        record_results_read(
            actor=member.user,
            organisation=member.organisation,
            scan=scan,
            count=len(rows),
            page=request.query_params.get("page", "1")[:20],
        )
        return self.get_paginated_response(rows)
