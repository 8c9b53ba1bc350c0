"""What the register endpoints share: reference fields by public id, versions, the change flow."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from weerbaar.api.errors import Conflict, service_errors
from weerbaar.catalogue import selectors as catalogue_selectors
from weerbaar.catalogue.models import Circumstance, CircumstanceKind, ReferenceProcess
from weerbaar.core.models import Membership, Organisation, User
from weerbaar.core.permissions import Action
from weerbaar.core.services import StaleVersion
from weerbaar.register.models import (
    Position,
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
#: Processen and functies: read with register.view, write with register.edit.
REGISTER_PERMISSIONS = {
    "list": Action.REGISTER_VIEW,
    "retrieve": Action.REGISTER_VIEW,
    "create": Action.REGISTER_EDIT,
    "update": Action.REGISTER_EDIT,
    "partial_update": Action.REGISTER_EDIT,
}


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


class ChangeThroughServices:
    """PUT and PATCH for a register viewset: fetch scoped, validate, apply through the services.

    A viewset sets the serializers, the API field names and its three services; it keeps its own
    ``update``/``partial_update`` (their URL keyword differs) and calls ``_change``.
    """

    output_serializer: type[serializers.Serializer]
    update_serializer: type[serializers.Serializer]
    field_names: dict[str, str]
    service_keyword: str
    update_service: Callable[..., Any]
    archive_service: Callable[..., Any]
    reactivate_service: Callable[..., Any]

    def get_queryset(self) -> Any:
        raise NotImplementedError

    def _get(self, uuid: Any) -> Any:
        return get_object_or_404(self.get_queryset(), uuid=uuid)

    def _change(self, request: Request, uuid: Any, *, partial: bool) -> Response:
        # Fetch first: another organisation's object is a 404 whatever the body says.
        obj = self._get(uuid)
        serializer = self.update_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        _apply_change(
            request,
            obj=obj,
            data=dict(serializer.validated_data),
            names=self.field_names,
            update=type(self).update_service,
            archive=type(self).archive_service,
            reactivate=type(self).reactivate_service,
            keyword=self.service_keyword,
        )
        return Response(self.output_serializer(self._get(uuid)).data)
