from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from weerbaar.accounts import services
from weerbaar.accounts.forms import LoginForm
from weerbaar.core.policies import authenticated, public


def _safe_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
@public
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request))
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid() and form.user is not None:
            services.session_login(request=request, user=form.user)
            return redirect(_safe_next(request))
        if not getattr(request, "axes_locked_out", False):
            services.login_failed(username=request.POST.get("username", ""), locked_out=False)
    return TemplateResponse(
        request,
        "accounts/login.html",
        {"form": form, "next": _safe_next(request), "expired": request.GET.get("verlopen") == "1"},
        status=200,
    )


def lockout_response(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """Shown by django-axes instead of the login form once an account/IP pair is locked."""
    username = ""
    if isinstance(credentials, dict):
        username = str(credentials.get("username", ""))
    services.login_failed(username=username, locked_out=True)
    return TemplateResponse(
        request,
        "accounts/locked.html",
        {"cooloff_minutes": int(settings.AXES_COOLOFF_TIME * 60)},
        status=429,
    )


@require_POST
@authenticated(allow_unverified=True)
def logout_view(request: HttpRequest) -> HttpResponse:
    services.session_logout(request=request)
    return redirect("accounts:login")


@never_cache
@require_http_methods(["GET"])
@authenticated(allow_unverified=True)
def security(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "accounts/security.html", {})
