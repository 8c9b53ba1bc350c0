"""Generated from the URL configuration: every view has a policy, and every policy holds."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.urls import path

from weerbaar.core.policies import requires
from weerbaar.testing.tenancy_check import check_route
from weerbaar.testing.urlwalk import Route, iter_routes, routes_without_policy
from weerbaar.testing.world import World

ROUTES = list(iter_routes())


def test_the_walk_finds_the_routes_we_know() -> None:
    names = {route.name for route in ROUTES}
    assert {"core:home", "accounts:login", "audit:event_list"} <= names


def test_every_view_declares_a_policy() -> None:
    missing = routes_without_policy(ROUTES)
    assert not missing, "Views without a policy marker: " + ", ".join(r.pattern for r in missing)


@pytest.mark.parametrize("route", ROUTES, ids=[route.pattern or "/" for route in ROUTES])
def test_route_enforces_tenancy_and_roles(route: Route, world: World) -> None:
    verdict = check_route(route, world)
    assert not verdict.problems, f"{route.pattern}:\n  " + "\n  ".join(verdict.problems)


# --- the harness proves it can fail ---------------------------------------------------------


def _unmarked_view(request: object) -> HttpResponse:
    return HttpResponse("geen beleid")


def test_self_test_a_view_without_policy_is_reported() -> None:
    urlconf = [path("zonder-beleid", _unmarked_view, name="zonder")]
    from django.urls import URLResolver
    from django.urls.resolvers import RegexPattern

    resolver = URLResolver(RegexPattern(r"^/"), urlconf)
    routes = list(iter_routes(resolver))
    assert [route.pattern for route in routes_without_policy(routes)] == ["zonder-beleid"]


@requires("units.view")
def _leaky_view(request: object) -> HttpResponse:
    from weerbaar.core.models import Unit

    # Deliberately wrong: bypasses the scoped manager and shows every organisation's units.
    names = ", ".join(Unit.cross_tenant_objects.values_list("name", flat=True))
    return HttpResponse(names)


@pytest.mark.django_db
def test_self_test_a_view_that_leaks_another_organisations_data_is_reported(world: World, settings: object) -> None:
    from django.urls import URLResolver
    from django.urls.resolvers import RegexPattern

    resolver = URLResolver(RegexPattern(r"^/"), [path("lek", _leaky_view, name="lek")])
    route = next(iter_routes(resolver))
    from django.urls import include

    urlconf = type(
        "Urls", (), {"urlpatterns": [path("lek", _leaky_view, name="lek"), path("", include("weerbaar.accounts.urls"))]}
    )
    settings.ROOT_URLCONF = urlconf  # type: ignore[attr-defined]
    verdict = check_route(route, world)
    assert any("canary" in problem for problem in verdict.problems)
