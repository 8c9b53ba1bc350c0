"""Problem details (RFC 9457) without DRF: shared by the API's exception handler and the error views.

Django's own error handlers (unknown URL, uncaught exception) run outside DRF; for a path under
``/api/`` they must still answer ``application/problem+json``, never the HTML error page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"
API_PREFIX = "/api/"

#: The API speaks Dutch, like its resource and field names.
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
    400: "Het verzoek kan niet worden verwerkt.",
    401: "Geef een geldige API-sleutel mee in de Authorization-header (Token …).",
    403: "Uw rol geeft geen recht op deze handeling.",
    404: "Dit gegeven bestaat niet of hoort niet bij uw organisatie.",
    405: "Deze methode is op deze URL niet toegestaan.",
    406: "Deze API levert alleen JSON.",
    415: "Stuur de gegevens als JSON (Content-Type: application/json).",
    429: "Wacht even en probeer het opnieuw.",
    500: "Er ging aan onze kant iets mis. Probeer het later opnieuw; blijft het misgaan, meld het de beheerder.",
}


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def problem_body(status: int, detail: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Fout"),
        "status": status,
        "detail": detail or DETAILS.get(status, TITLES.get(status, "Fout")),
    }
    body.update(extra)
    return body


def problem_response(status: int, detail: str | None = None, **extra: Any) -> JsonResponse:
    return JsonResponse(
        problem_body(status, detail, **extra),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
