from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from weerbaar.accounts import selectors, services
from weerbaar.api.problems import is_api_request, problem_response
from weerbaar.core.policies import get_policy

#: Writing the session once per this many seconds is precise enough for a timeout in minutes.
ACTIVITY_RESOLUTION_SECONDS = 15


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)


def _with_query(url: str, **params: str) -> str:
    params = {key: value for key, value in params.items() if value}
    return f"{url}?{urlencode(params)}" if params else url


def _next_for(request: HttpRequest) -> str:
    """Where to continue afterwards: only a page that can be opened again (a GET of a full page)."""
    if request.method == "GET" and not getattr(request, "htmx", False):
        return request.get_full_path()
    return ""


class IdleTimeoutMiddleware:
    """Ends a logged-in session after ``SESSION_IDLE_TIMEOUT_MINUTES`` without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(services.LAST_ACTIVITY_SESSION_KEY)
            if isinstance(last, int) and now - last > settings.SESSION_IDLE_TIMEOUT_MINUTES * 60:
                next_url = _next_for(request)
                services.session_expire(request=request)
                if is_api_request(request):
                    return problem_response(401, _("Uw sessie is verlopen door inactiviteit. Log opnieuw in."))
                return _redirect(request, _with_query(reverse("accounts:login"), verlopen="1", next=next_url))
            if not isinstance(last, int) or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                services.session_touch(request=request, now=now)
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Enforces the organisation's policy: roles in ``two_factor_roles`` work only with a second step.

    A member without an authenticator app is sent to set one up; one who has an app but whose
    session never passed the code step (it started before the app was set up) is sent to the code
    step. Views marked ``allow_unverified`` (logout, the security pages, public pages) stay open.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return None
        is_verified = getattr(user, "is_verified", None)
        if callable(is_verified) and is_verified():
            return None
        policy = get_policy(view_func)
        if policy is not None and policy.allow_unverified:
            return None
        if not selectors.two_factor_required(getattr(request, "membership", None)):
            return None
        if hasattr(view_func, "cls"):
            # The API answers in problem+json; a session there must pass the second step first.
            return problem_response(
                403,
                _("Uw organisatie vereist tweestapsverificatie voor uw rol. Log in met een code."),
                title=_("Tweestapsverificatie vereist"),
            )
        next_url = _next_for(request)
        if selectors.has_two_factor(user):
            services.session_to_second_step(request=request, next_url=next_url)
            return _redirect(request, reverse("accounts:login_verify"))
        return _redirect(request, _with_query(reverse("accounts:two_factor_enrol"), next=next_url))
