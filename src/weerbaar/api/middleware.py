from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from weerbaar.api.problems import is_api_request

API_LANGUAGE = "nl"


class ApiVersionMiddleware:
    """Every response under /api/ carries the full version (API Design Rules: /core/version-header).

    It sits inside the error handling, so 404s for unknown paths and 500s carry it too. The API
    also always speaks Dutch: its resource and field names are Dutch, and a client's language
    cookie must not turn the messages into a mix of languages.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_api_request(request):
            return self.get_response(request)
        request.LANGUAGE_CODE = API_LANGUAGE  # type: ignore[attr-defined]
        with translation.override(API_LANGUAGE):
            response = self.get_response(request)
        response["API-Version"] = settings.API_VERSION
        response["Content-Language"] = API_LANGUAGE
        return response
