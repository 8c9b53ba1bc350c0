"""No trailing slashes, problem+json for every error under /api/, and the API-Version header."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from weerbaar.api.tests.utils import KeyMaker, assert_problem, auth
from weerbaar.core.views import errors
from weerbaar.testing.urlwalk import iter_routes
from weerbaar.testing.world import World

pytestmark = pytest.mark.django_db


def _broken_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("kapot")


# Used by the 500 test through @pytest.mark.urls: a failing view under /api/ plus the real routes.
urlpatterns = [path("api/v1/kapot", _broken_view), path("", include("weerbaar.urls"))]
handler500 = errors.server_error


def test_no_api_route_ends_with_a_slash() -> None:
    # APPEND_SLASH redirects only to a route that ends with a slash: with none, it never redirects.
    api_routes = [route.pattern for route in iter_routes() if route.pattern.startswith("api/")]
    assert "api/v1/afdelingen" in api_routes
    assert [pattern for pattern in api_routes if pattern.endswith("/")] == []


@pytest.mark.parametrize(
    "url", ["/api/v1/afdelingen/", "/api/v1/organisatie/", "/api/v1/openapi.json/", "/api/v1", "/api/v1/bestaat-niet"]
)
def test_it_answers_an_unknown_or_slashed_api_path_with_a_problem_404_not_a_redirect(api: Client, url: str) -> None:
    body = assert_problem(api.get(url), 404)
    assert body["title"] == "Niet gevonden"


def test_a_slashed_detail_path_is_a_404_too(world: World, api: Client) -> None:
    assert_problem(api.get(f"/api/v1/afdelingen/{world.a.units[0].uuid}/"), 404)
    assert_problem(api.post("/api/v1/afdelingen/", {"naam": "x"}, content_type="application/json"), 404)


def test_a_404_outside_the_api_stays_an_html_page(world: World) -> None:
    response = world.client_for("beheerder").get("/bestaat-niet")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "API-Version" not in response


def test_the_version_header_is_on_success_and_on_errors(world: World, api: Client) -> None:
    assert api.get("/api/v1/organisatie")["API-Version"] == settings.API_VERSION
    assert Client().get("/api/v1/organisatie")["API-Version"] == settings.API_VERSION  # 401
    assert api.get("/api/v1/openapi.json")["API-Version"] == settings.API_VERSION
    assert api.delete("/api/v1/organisatie")["API-Version"] == settings.API_VERSION  # 405
    assert "API-Version" not in world.client_for("beheerder").get("/")


def test_it_refuses_delete_with_405_and_the_allowed_methods(world: World, api: Client) -> None:
    response = api.delete(f"/api/v1/afdelingen/{world.a.units[1].uuid}")
    assert_problem(response, 405)
    allowed = {method.strip() for method in response["Allow"].split(",")}
    assert {"GET", "PUT", "PATCH"} <= allowed
    assert "DELETE" not in allowed


@pytest.mark.parametrize(
    ("method", "url"),
    [("delete", "/api/v1/afdelingen"), ("post", "/api/v1/organisatie"), ("patch", "/api/v1/auditgebeurtenissen")],
)
def test_methods_an_endpoint_does_not_offer_are_405_even_for_a_role_without_rights(
    make_key: KeyMaker, method: str, url: str
) -> None:
    client = Client(headers=auth(make_key("medewerker")))
    response = getattr(client, method)(url, content_type="application/json")
    assert_problem(response, 405)
    assert "Allow" in response


@pytest.mark.urls("weerbaar.api.tests.test_routing")
def test_a_server_error_under_the_api_is_a_problem_without_internals() -> None:
    response = Client(raise_request_exception=False).get("/api/v1/kapot")
    body = assert_problem(response, 500)
    assert "kapot" not in response.content.decode()
    assert "RuntimeError" not in body["detail"]
