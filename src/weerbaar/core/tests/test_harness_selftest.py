"""The naughty-input helper must itself fail on a view that echoes input unescaped."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import path

from weerbaar.core.policies import public
from weerbaar.testing.naughty import submit_naughty


@public
def _echo_raw(request: HttpRequest) -> HttpResponse:
    # Deliberately wrong: puts the input into HTML without escaping.
    return HttpResponse(f"<html><body><p>{request.POST.get('naam', '')}</p></body></html>")


@public
def _echo_escaped(request: HttpRequest) -> HttpResponse:
    from django.utils.html import escape

    return HttpResponse(f"<html><body><p>{escape(request.POST.get('naam', ''))}</p></body></html>")


@public
def _crash(request: HttpRequest) -> HttpResponse:
    if len(request.POST.get("naam", "")) > 1000:
        raise ValueError("te lang")
    return HttpResponse("ok")


urlpatterns = [path("echo", _echo_raw), path("veilig", _echo_escaped), path("crash", _crash)]


@pytest.mark.urls(__name__)
def test_self_test_an_unescaped_echo_is_caught(client: object) -> None:
    with pytest.raises(AssertionError, match="unescaped"):
        submit_naughty(client, "/echo", base_data={}, fields=["naam"])  # type: ignore[arg-type]


@pytest.mark.urls(__name__)
def test_self_test_an_escaped_echo_passes(client: object) -> None:
    submit_naughty(client, "/veilig", base_data={}, fields=["naam"])  # type: ignore[arg-type]


@pytest.mark.urls(__name__)
def test_self_test_a_server_error_is_caught(client: object) -> None:
    client.raise_request_exception = False  # type: ignore[attr-defined]
    with pytest.raises(AssertionError, match="gave 500"):
        submit_naughty(client, "/crash", base_data={}, fields=["naam"])  # type: ignore[arg-type]
