"""Every view declares who may open it; a generated test fails on any view without a policy.

- ``@public``: anyone, also anonymous (login page, security.txt, error pages).
- ``@authenticated``: any logged-in user, no organisation needed (organisation switcher, 2FA set-up).
- ``@requires("action")``: a member of the active organisation whose roles allow ``action``
  (see ``permissions.ROLE_ACTIONS``). Objects are fetched through the tenant-scoped managers, so
  another organisation's object is a 404; a known page without the right is a 403.

``allow_unverified`` marks the few views a user may reach before completing mandatory
two-factor set-up (enrolment itself, logout).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url

from weerbaar.core.permissions import Action

PUBLIC = "public"
AUTHENTICATED = "authenticated"
ACTION = "action"

ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])


@dataclass(frozen=True)
class Policy:
    kind: str
    action: str | None = None
    allow_unverified: bool = False


def get_policy(view: Any) -> Policy | None:
    policy = getattr(view, "weerbaar_policy", None)
    if policy is None and hasattr(view, "view_class"):
        policy = getattr(view.view_class, "weerbaar_policy", None)
    if policy is None and hasattr(view, "cls"):
        policy = getattr(view.cls, "weerbaar_policy", None)
    return policy


def redirect_to_login(request: HttpRequest) -> HttpResponse:
    url = resolve_url(settings.LOGIN_URL) + "?" + urlencode({"next": request.get_full_path()})
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _mark(view: Any, policy: Policy) -> Any:
    view.weerbaar_policy = policy
    return view


def public(view: ViewFunc) -> ViewFunc:
    return _mark(view, Policy(PUBLIC, allow_unverified=True))


def authenticated(view: ViewFunc | None = None, *, allow_unverified: bool = False) -> Any:
    def decorate(func: ViewFunc) -> ViewFunc:
        @functools.wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request)
            return func(request, *args, **kwargs)

        return _mark(wrapper, Policy(AUTHENTICATED, allow_unverified=allow_unverified))

    return decorate(view) if view is not None else decorate


def requires(action: str) -> Callable[[ViewFunc], ViewFunc]:
    if action not in Action.values:
        raise ValueError(f"Unknown action {action!r}")

    def decorate(func: ViewFunc) -> ViewFunc:
        @functools.wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request)
            membership = getattr(request, "membership", None)
            if membership is None or not membership.can(action):
                raise PermissionDenied
            return func(request, *args, **kwargs)

        return _mark(wrapper, Policy(ACTION, action=action))

    return decorate
