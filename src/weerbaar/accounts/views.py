from __future__ import annotations

from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from weerbaar.accounts import selectors, services
from weerbaar.accounts.forms import (
    CodeForm,
    EnrolForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetRequestForm,
    SetNewPasswordForm,
)
from weerbaar.accounts.qr import qr_svg
from weerbaar.core.http import AppRequest
from weerbaar.core.policies import authenticated, public

#: Stands in for the token in the address bar once the real token has moved into the session.
RESET_URL_TOKEN = "nieuw-wachtwoord"  # noqa: S105 - a placeholder in the URL, not a secret
REGENERATE_PREFIX = "herstelcodes"
DISABLE_PREFIX = "uitschakelen"


def _safe_next(request: HttpRequest, default: str = settings.LOGIN_REDIRECT_URL) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default)


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


# --- logging in and out -------------------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
@public
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request))
    form = LoginForm(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid() and form.user is not None:
            next_url = _safe_next(request)
            if selectors.has_two_factor(form.user):
                services.login_start_pending(request=request, user=form.user, next_url=next_url)
                return redirect("accounts:login_verify")
            services.session_login(request=request, user=form.user)
            return redirect(next_url)
        username = request.POST.get("username", "")
        if username and not getattr(request, "axes_locked_out", False):
            services.login_failed(username=username, locked_out=False)
    return TemplateResponse(
        request,
        "accounts/login.html",
        {"form": form, "next": _safe_next(request), "expired": request.GET.get("verlopen") == "1"},
    )


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
@public
def login_verify(request: HttpRequest) -> HttpResponse:
    pending = services.pending_login(request=request)
    if pending is None:
        if request.method == "POST":
            messages.warning(request, _("Uw inlogpoging is verlopen. Log opnieuw in."))
        return redirect("accounts:login")
    form = CodeForm(data=request.POST if request.method == "POST" else None)
    form.fields["code"].widget.attrs["autofocus"] = True
    if request.method == "POST" and form.is_valid():
        outcome = services.login_verify(request=request, pending=pending, code=form.cleaned_data["code"])
        if outcome.status is services.VerifyStatus.OK:
            if outcome.recovery_codes_left is not None:
                messages.warning(request, _recovery_codes_left_message(outcome.recovery_codes_left))
            return redirect(outcome.next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
        if outcome.status is services.VerifyStatus.DROPPED:
            messages.error(request, outcome.message)
            return redirect("accounts:login")
        form.add_error("code", outcome.message)
    return TemplateResponse(request, "accounts/login_verify.html", {"form": form})


def _recovery_codes_left_message(left: int) -> str:
    if left == 0:
        return _(
            "U heeft uw laatste herstelcode gebruikt. Maak nu nieuwe herstelcodes aan via Mijn beveiliging, "
            "anders kunt u zonder uw telefoon niet meer inloggen."
        )
    return ngettext(
        "U heeft ingelogd met een herstelcode; die werkt nu niet meer. U heeft nog %(left)d herstelcode over.",
        "U heeft ingelogd met een herstelcode; die werkt nu niet meer. U heeft nog %(left)d herstelcodes over.",
        left,
    ) % {"left": left}


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """Shown by django-axes instead of the login form once an account/IP pair is locked."""
    if credentials is None and isinstance(original_response, dict):
        credentials = original_response  # the older two-argument call
    username = ""
    if isinstance(credentials, dict):
        username = str(credentials.get("username", ""))
    services.login_failed(username=username, locked_out=True)
    response = TemplateResponse(
        request,
        "accounts/locked.html",
        {"cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60)},
        status=429,
    )
    # Rendered here: axes returns this from its middleware, after the view's responses were rendered.
    return response.render()


@require_POST
@authenticated(allow_unverified=True)
def logout_view(request: HttpRequest) -> HttpResponse:
    services.session_logout(request=request)
    return redirect("accounts:login")


# --- Mijn beveiliging ---------------------------------------------------------------------------


def _security_page(request: AppRequest, **forms: Any) -> HttpResponse:
    user = request.user
    context = {
        "overview": selectors.security_overview(user=user),
        "password_form": forms.get("password_form") or PasswordChangeForm(user),
        "regenerate_form": forms.get("regenerate_form") or CodeForm(prefix=REGENERATE_PREFIX),
        "disable_form": forms.get("disable_form") or CodeForm(prefix=DISABLE_PREFIX),
    }
    return TemplateResponse(request, "accounts/security.html", context)


@never_cache
@require_GET
@authenticated(allow_unverified=True)
def security(request: AppRequest) -> HttpResponse:
    return _security_page(request)


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
@authenticated(allow_unverified=True)
def two_factor_enrol(request: AppRequest) -> HttpResponse:
    user = request.user
    next_url = _safe_next(request, default="accounts:security")
    if selectors.has_two_factor(user):
        messages.info(request, _("Tweestapsverificatie staat al aan."))
        return redirect("accounts:security")
    secret = services.totp_enrolment_secret(request=request)
    form = EnrolForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.two_factor_enable(
                request=request, user=user, secret=secret, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            services.recovery_codes_stash(request=request, codes=codes)
            messages.success(request, _("Tweestapsverificatie staat aan. Bewaar nu uw herstelcodes."))
            return redirect(_with_next(reverse("accounts:recovery_codes"), next_url))
    device = services.totp_enrolment_device(user=user, secret=secret)
    manual_key = b32encode(device.bin_key).decode("ascii")
    context = {
        "form": form,
        "next": next_url,
        "qr_code": qr_svg(device.config_url, label=_("QR-code om Weerbaar aan uw authenticator-app toe te voegen")),
        "manual_key": " ".join(manual_key[i : i + 4] for i in range(0, len(manual_key), 4)),
        "required_by": selectors.organisations_requiring_two_factor(user),
    }
    return TemplateResponse(request, "accounts/two_factor_enrol.html", context)


@never_cache
@require_GET
@authenticated(allow_unverified=True)
def recovery_codes(request: AppRequest) -> HttpResponse:
    codes = services.recovery_codes_take(request=request)
    if not codes:
        messages.info(
            request,
            _("Herstelcodes worden maar één keer getoond. Kwijt? Maak hieronder nieuwe herstelcodes aan."),
        )
        return redirect("accounts:security")
    context = {
        "codes": [f"{code[:4]}-{code[4:]}" for code in codes],
        "next": _safe_next(request, default="accounts:security"),
    }
    return TemplateResponse(request, "accounts/recovery_codes.html", context)


@sensitive_post_parameters(f"{REGENERATE_PREFIX}-code")
@never_cache
@require_POST
@authenticated(allow_unverified=True)
def recovery_codes_regenerate(request: AppRequest) -> HttpResponse:
    form = CodeForm(data=request.POST, prefix=REGENERATE_PREFIX)
    if form.is_valid():
        try:
            codes = services.recovery_codes_regenerate(user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            services.recovery_codes_stash(request=request, codes=codes)
            messages.success(request, _("Er zijn nieuwe herstelcodes gemaakt; de oude werken niet meer."))
            return redirect("accounts:recovery_codes")
    return _security_page(request, regenerate_form=form)


@sensitive_post_parameters(f"{DISABLE_PREFIX}-code")
@never_cache
@require_POST
@authenticated(allow_unverified=True)
def two_factor_disable(request: AppRequest) -> HttpResponse:
    form = CodeForm(data=request.POST, prefix=DISABLE_PREFIX)
    if form.is_valid():
        try:
            services.two_factor_disable(request=request, user=request.user, code=form.cleaned_data["code"])
        except ValidationError as error:
            # A refusal by policy is about the whole form: the code field is not even shown then.
            form.add_error(None if error.code == "mandatory" else "code", error)
        else:
            messages.success(request, _("Tweestapsverificatie staat uit. Uw herstelcodes werken niet meer."))
            return redirect("accounts:security")
    return _security_page(request, disable_form=form)


@sensitive_post_parameters("current_password", "new_password1", "new_password2")
@never_cache
@require_POST
@authenticated(allow_unverified=True)
def password_change(request: AppRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, data=request.POST)
    if form.is_valid():
        try:
            services.password_change(
                request=request, user=request.user, new_password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            form.add_error("new_password2", error)
        else:
            messages.success(request, _("Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd."))
            return redirect("accounts:security")
    return _security_page(request, password_form=form)


# --- password reset by e-mail -------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@public
def password_reset(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(request=request, email=form.cleaned_data["email"])
        # The same page whether or not the address is known: nobody learns who has an account.
        return redirect("accounts:password_reset_sent")
    return TemplateResponse(request, "accounts/password_reset.html", {"form": form})


@require_GET
@public
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request, "accounts/password_reset_sent.html", {"minutes": settings.PASSWORD_RESET_TIMEOUT // 60}
    )


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
@public
def password_reset_confirm(request: HttpRequest, uidb64: str, reset_token: str) -> HttpResponse:
    # The kwarg is not called "token": the invitation link already registers that name in the URL walk.
    token = reset_token
    user = selectors.user_from_uidb64(uidb64)
    if token != RESET_URL_TOKEN:
        if user is not None and default_token_generator.check_token(user, token):
            services.password_reset_token_remember(request=request, token=token)
            return redirect("accounts:password_reset_confirm", uidb64=uidb64, reset_token=RESET_URL_TOKEN)
        user = None
    elif user is not None and not default_token_generator.check_token(
        user, services.password_reset_token_of(request=request)
    ):
        user = None
    if user is None:
        return TemplateResponse(request, "accounts/password_reset_confirm.html", {"valid": False})
    form = SetNewPasswordForm(user, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_complete(user=user, new_password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error("new_password2", error)
        else:
            services.password_reset_token_forget(request=request)
            return redirect("accounts:password_reset_complete")
    return TemplateResponse(request, "accounts/password_reset_confirm.html", {"valid": True, "form": form})


@require_GET
@public
def password_reset_complete(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "accounts/password_reset_complete.html", {})
