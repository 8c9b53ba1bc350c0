"""Every API error as application/problem+json (RFC 9457) with a Dutch title and detail."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from weerbaar.api.problems import DETAILS, PROBLEM_CONTENT_TYPE, problem_body
from weerbaar.core.services import StaleVersion

__all__ = ["PROBLEM_CONTENT_TYPE", "Conflict", "problem", "problem_exception_handler", "service_errors"]

STALE_DETAIL = (
    "Iemand anders heeft dit gegeven intussen gewijzigd; uw wijziging is niet opgeslagen. Haal de actuele "
    "stand op, verwerk uw wijziging opnieuw en stuur die mee met de nieuwe waarde van versie."
)
INVALID_DETAIL = "Een of meer velden zijn niet goed ingevuld."
PARSE_DETAIL = "De inhoud van het verzoek is geen geldige JSON."
CSRF_DETAIL = (
    "Een verzoek met een sessie heeft een geldige CSRF-token nodig. Gebruik voor een koppeling een API-sleutel."
)
NON_FIELD_NAME = "nonFieldErrors"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = STALE_DETAIL
    default_code = "conflict"


def problem(status_code: int, detail: str | None = None, **extra: Any) -> Response:
    return Response(problem_body(status_code, detail, **extra), status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def service_errors(exc: DjangoValidationError, field_names: Mapping[str, str]) -> exceptions.ValidationError:
    """A service's ValidationError (keyed by model field) as a DRF one keyed by the API's field names.

    ``field_names`` maps model field -> API field (``{"parent": "bovenliggendeAfdeling"}``).
    """
    if not hasattr(exc, "error_dict"):
        return exceptions.ValidationError({NON_FIELD_NAME: exc.messages})
    detail: dict[str, list[str]] = {}
    for field, errors in exc.message_dict.items():
        if field == NON_FIELD_ERRORS:
            name = NON_FIELD_NAME
        else:
            # A model field the API does not show is reported on the whole object.
            name = field_names.get(field, NON_FIELD_NAME if field_names else field)
        detail.setdefault(name, []).extend(errors)
    return exceptions.ValidationError(detail)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, StaleVersion):
        exc = Conflict()
    elif isinstance(exc, DjangoValidationError):
        exc = service_errors(exc, {})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        # Not an API exception: Django's handler500 answers (problem+json for /api/ paths).
        return None
    code = response.status_code
    request = context.get("request")
    extra: dict[str, Any] = {"instance": request.path} if request is not None else {}
    detail = getattr(exc, "detail", None)
    if isinstance(exc, exceptions.ValidationError):
        result = problem(
            status.HTTP_400_BAD_REQUEST, INVALID_DETAIL, invalidParams=_invalid_params(exc.detail), **extra
        )
    elif isinstance(exc, exceptions.ParseError):
        result = problem(code, PARSE_DETAIL, **extra)
    elif isinstance(exc, Conflict):
        result = problem(code, str(detail), **extra)
    elif code == status.HTTP_403_FORBIDDEN and str(detail).startswith("CSRF Failed"):
        result = problem(code, CSRF_DETAIL, **extra)
    else:
        result = problem(code, DETAILS.get(code), **extra)
    for header in ("Allow", "WWW-Authenticate", "Retry-After"):
        if header in response:
            result[header] = response[header]
    return result


def _invalid_params(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    params: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = NON_FIELD_NAME if key in ("non_field_errors", NON_FIELD_ERRORS) else str(key)
            params += _invalid_params(value, f"{prefix}.{name}" if prefix else name)
    elif isinstance(detail, list):
        for item in detail:
            if isinstance(item, dict | list):
                params += _invalid_params(item, prefix)
            else:
                params.append(_param(prefix, item))
    else:
        params.append(_param(prefix, detail))
    return params


def _param(name: str, error: Any) -> dict[str, str]:
    return {
        "name": name or NON_FIELD_NAME,
        "code": str(getattr(error, "code", None) or "invalid"),
        "reason": str(error),
    }
