"""Beheer › API-sleutels: the beheerder issues and revokes keys for external clients."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from weerbaar.api import selectors, services
from weerbaar.api.forms import ApiTokenForm
from weerbaar.api.models import ApiToken
from weerbaar.core.http import AppRequest
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires

PAGE_SIZE = 50


@require_GET
@requires(Action.API_TOKENS_MANAGE)
def key_list(request: AppRequest) -> HttpResponse:
    page = Paginator(selectors.api_token_list(), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return TemplateResponse(request, "api/key_list.html", {"page": page, "query": ""})


@never_cache
@require_http_methods(["GET", "POST"])
@requires(Action.API_TOKENS_MANAGE)
def key_create(request: AppRequest) -> HttpResponse:
    assert request.membership is not None and request.organisation is not None
    form = ApiTokenForm(request.POST or None, maker=request.membership)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_token_create(
                actor=request.user,
                organisation=request.organisation,
                membership=form.cleaned_data["membership"],
                name=form.cleaned_data["name"],
                expires_at=form.expires_at(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            # Rendered, not redirected: the key exists only in this response and is never stored.
            return TemplateResponse(request, "api/key_created.html", {"token": issued.token, "key": issued.key})
    return TemplateResponse(request, "api/key_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@requires(Action.API_TOKENS_MANAGE)
def key_revoke(request: AppRequest, api_token_uuid: UUID) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.select_related("membership__user"), uuid=api_token_uuid)
    if request.method == "POST":
        services.api_token_revoke(actor=request.user, token=token)
        messages.success(
            request,
            _("De sleutel “%(name)s” is ingetrokken. Een koppeling die hem gebruikt, krijgt nu geen toegang meer.")
            % {"name": token.name},
        )
        return redirect("api_keys:key_list")
    return TemplateResponse(request, "api/key_revoke.html", {"token": token})
