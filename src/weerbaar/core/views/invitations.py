"""Invitations: a beheerder invites by e-mail; the person accepts through a one-time link."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from weerbaar.accounts.services import session_login
from weerbaar.core import selectors, services
from weerbaar.core.forms import AcceptInvitationForm, InvitationForm, action_error_text, apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.middleware import ACTIVE_ORGANISATION_SESSION_KEY
from weerbaar.core.models import Invitation
from weerbaar.core.permissions import Action
from weerbaar.core.policies import public, requires


def _base_url(request: AppRequest) -> str:
    # The host was checked against ALLOWED_HOSTS by Django before the view ran.
    return request.build_absolute_uri("/")


@require_http_methods(["GET", "POST"])
@requires(Action.USERS_MANAGE)
def invitation_create(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None
    form = InvitationForm(request.POST or None, kind=request.organisation.kind, unit_options=selectors.unit_options())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invitation_create(
                actor=request.user,
                organisation=request.organisation,
                email=data["email"],
                full_name=data["full_name"],
                roles=data["roles"],
                unit=data["unit"],
                base_url=_base_url(request),
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                _("De uitnodiging is verstuurd naar %(email)s. De link is %(days)s dagen geldig.")
                % {"email": invitation.email, "days": settings.INVITATION_VALID_DAYS},
            )
            return redirect("core:user_list")
    return TemplateResponse(request, "core/invitation_form.html", {"form": form})


def _get_invitation(invitation_uuid: UUID) -> Invitation:
    return get_object_or_404(Invitation.objects.select_related("organisation"), uuid=invitation_uuid)


@require_POST
@requires(Action.USERS_MANAGE)
def invitation_revoke(request: AppRequest, invitation_uuid: UUID) -> HttpResponse:
    invitation = _get_invitation(invitation_uuid)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, action_error_text(error))
    else:
        messages.success(request, _("De uitnodiging voor %(email)s is ingetrokken.") % {"email": invitation.email})
    return redirect("core:user_list")


@require_POST
@requires(Action.USERS_MANAGE)
def invitation_resend(request: AppRequest, invitation_uuid: UUID) -> HttpResponse:
    invitation = _get_invitation(invitation_uuid)
    try:
        services.invitation_resend(actor=request.user, invitation=invitation, base_url=_base_url(request))
    except ValidationError as error:
        messages.error(request, action_error_text(error))
    else:
        messages.success(
            request,
            _("Er is een nieuwe link verstuurd naar %(email)s; de vorige link werkt niet meer.")
            % {"email": invitation.email},
        )
    return redirect("core:user_list")


def _unusable(request: AppRequest, status: int) -> HttpResponse:
    return TemplateResponse(request, "core/invitation_invalid.html", {}, status=status)


#: The address the link moves to: the token itself goes into the session, out of the address bar,
#: the browser history and any later ``next=`` or referrer.
INVITATION_URL_TOKEN = "open"  # noqa: S105 - a fixed path segment, not a secret
INVITATION_SESSION_KEY = "weerbaar_invitation_token"


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
@public
def invitation_accept(request: AppRequest, token: str) -> HttpResponse:
    from_link = token != INVITATION_URL_TOKEN
    if not from_link:
        remembered = request.session.get(INVITATION_SESSION_KEY)
        token = remembered if isinstance(remembered, str) else ""
    response = _invitation_page(request, token)
    if from_link and request.method == "GET" and response.status_code == 200:
        request.session[INVITATION_SESSION_KEY] = token
        return redirect("core:invitation_accept", token=INVITATION_URL_TOKEN)
    return response


def _invitation_page(request: AppRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_by_token(token) if token else None
    user = request.user if request.user.is_authenticated else None
    is_invitee = user is not None and invitation is not None and user.email.lower() == invitation.email.lower()
    if invitation is None:
        return _unusable(request, 404)
    if user is not None and not is_invitee:
        # Someone else's invitation: only colleagues in that organisation learn that it exists.
        if not any(m.organisation_id == invitation.organisation_id for m in request.memberships):
            return _unusable(request, 404)
        return TemplateResponse(request, "core/invitation_accept.html", {"invitation": invitation, "state": "other"})
    if not invitation.is_usable:
        return _unusable(request, 410)

    context: dict[str, object] = {"invitation": invitation}
    if user is not None:
        context["state"] = "confirm"
        if request.method == "POST":
            return _accept(request, invitation, context, user=user)
        return TemplateResponse(request, "core/invitation_accept.html", context)

    if selectors.user_exists(invitation.email):
        login_url = reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()})
        context.update(state="login", login_url=login_url)
        return TemplateResponse(request, "core/invitation_accept.html", context)

    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    context.update(state="new", form=form)
    if request.method == "POST" and form.is_valid():
        return _accept(request, invitation, context, form=form)
    return TemplateResponse(request, "core/invitation_accept.html", context)


def _accept(
    request: AppRequest,
    invitation: Invitation,
    context: dict[str, object],
    *,
    user: object = None,
    form: AcceptInvitationForm | None = None,
) -> HttpResponse:
    try:
        if form is not None:
            membership = services.invitation_accept(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        else:
            membership = services.invitation_accept(invitation=invitation, user=user)  # type: ignore[arg-type]
    except services.InvitationUnusable:
        return _unusable(request, 410)
    except ValidationError as error:
        if form is not None:
            apply_service_error(form, error)
        else:
            context["error"] = " ".join(error.messages)
        return TemplateResponse(request, "core/invitation_accept.html", context)
    if form is not None:
        # The same login as the login page: it sets the idle-timeout clock and is audited.
        session_login(request=request, user=membership.user)
    request.session.pop(INVITATION_SESSION_KEY, None)
    request.session[ACTIVE_ORGANISATION_SESSION_KEY] = str(invitation.organisation.uuid)
    messages.success(request, _("Welkom! U bent nu lid van %(name)s.") % {"name": invitation.organisation.name})
    return redirect("core:home")
