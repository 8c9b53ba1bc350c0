"""Periodic access review (toegangscontrole): confirm or revoke every membership in turn."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from weerbaar.core import selectors, services
from weerbaar.core.forms import (
    RevokeAccessForm,
    apply_service_error,
)
from weerbaar.core.http import AppRequest
from weerbaar.core.permissions import PRIVILEGED_REVIEW_INTERVAL, REVIEW_INTERVAL, Action
from weerbaar.core.policies import requires
from weerbaar.core.views.actions import run_button_action
from weerbaar.core.views.users import get_membership, new_owner_form


@require_GET
@requires(Action.ACCESS_REVIEW)
def access_review(request: AppRequest) -> HttpResponse:
    review = selectors.access_review(page_number=request.GET.get("pagina"))
    return TemplateResponse(
        request,
        "core/access_review.html",
        {
            "review": review,
            "page": review.page,
            "privileged_days": PRIVILEGED_REVIEW_INTERVAL.days,
            "default_days": REVIEW_INTERVAL.days,
        },
    )


@require_POST
@requires(Action.ACCESS_REVIEW)
def access_review_confirm(request: AppRequest, membership_uuid: UUID) -> HttpResponse:
    membership = get_membership(membership_uuid)
    review = reverse("core:access_review")
    return run_button_action(
        request,
        perform=lambda version: services.access_review_confirm(
            actor=request.user, membership=membership, version=version
        ),
        success=_("De toegang van %(name)s is bevestigd.") % {"name": membership.user},
        done=review,
        refused=review,
    )


@require_http_methods(["GET", "POST"])
@requires(Action.ACCESS_REVIEW)
def access_review_revoke(request: AppRequest, membership_uuid: UUID) -> HttpResponse:
    membership = get_membership(membership_uuid)
    form = new_owner_form(RevokeAccessForm, membership, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.access_review_revoke(
                actor=request.user,
                membership=membership,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
                new_owner=form.cleaned_data["new_owner"],
            )
        except services.StaleVersion as error:
            membership = get_membership(membership_uuid)
            form.show_conflict(error, membership.version)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("De toegang van %(name)s is ingetrokken.") % {"name": membership.user})
            return redirect("core:access_review")
    return TemplateResponse(request, "core/access_review_revoke.html", {"form": form, "membership": membership})
