"""Dutch error pages. They render without a bound organisation and never show internals."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from weerbaar.api.problems import is_api_request, problem_response
from weerbaar.core.policies import public


def _render(request: HttpRequest, template: str, status: int, context: dict[str, Any] | None = None) -> HttpResponse:
    response = TemplateResponse(request, template, context or {}, status=status)
    response.render()
    return response


@public
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return problem_response(400)
    return _render(request, "errors/400.html", 400)


@public
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return problem_response(403)
    return _render(request, "errors/403.html", 403)


@public
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return problem_response(404)
    return _render(request, "errors/404.html", 404)


@public
def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return problem_response(500)
    return _render(request, "errors/500.html", 500)


@public
def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _render(request, "errors/csrf.html", 403)
