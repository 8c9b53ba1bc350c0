"""Every API error as application/problem+json (RFC 9457) with a Dutch title and detail."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES: dict[int, str] = {
    400: "Ongeldige invoer",
    401: "Niet ingelogd",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    406: "Formaat niet beschikbaar",
    409: "Conflict",
    412: "Versie verouderd",
    415: "Formaat niet ondersteund",
    429: "Te veel verzoeken",
    500: "Interne fout",
}

DETAILS: dict[int, str] = {
    401: "Geef een geldige API-sleutel mee in de Authorization-header (Token …).",
    403: "Uw rol geeft geen recht op deze handeling.",
    404: "Dit gegeven bestaat niet of hoort niet bij uw organisatie.",
    405: "Deze methode is op deze URL niet toegestaan.",
    406: "Deze API levert alleen JSON.",
    415: "Stuur de gegevens als JSON (Content-Type: application/json).",
    429: "Wacht even en probeer het opnieuw.",
}


def problem(status_code: int, detail: str | None = None, **extra: Any) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status_code, "Fout"),
        "status": status_code,
        "detail": detail or DETAILS.get(status_code, TITLES.get(status_code, "Fout")),
    }
    body.update(extra)
    return Response(body, status=status_code, content_type=PROBLEM_CONTENT_TYPE)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        invalid = _invalid_params(exc.detail)
        result = problem(
            status.HTTP_400_BAD_REQUEST, "Een of meer velden zijn niet goed ingevuld.", invalidParams=invalid
        )
    elif code in DETAILS:
        result = problem(code)
    else:
        detail = getattr(exc, "detail", None)
        result = problem(code, str(detail) if isinstance(detail, str) else None)
    for header in ("Allow", "WWW-Authenticate", "Retry-After"):
        if header in response:
            result[header] = response[header]
    return result


def _invalid_params(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    params: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "nonFieldErrors" if key == "non_field_errors" else key
            params += _invalid_params(value, f"{prefix}{name}" if not prefix else f"{prefix}.{name}")
    elif isinstance(detail, list):
        for item in detail:
            if isinstance(item, dict | list):
                params += _invalid_params(item, prefix)
            else:
                params.append(
                    {"name": prefix or "nonFieldErrors", "code": getattr(item, "code", "invalid"), "reason": str(item)}
                )
    else:
        params.append(
            {"name": prefix or "nonFieldErrors", "code": getattr(detail, "code", "invalid"), "reason": str(detail)}
        )
    return params
