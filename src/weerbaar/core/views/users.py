"""Users and memberships: list, detail, change roles and unit, deactivate and reactivate."""

from __future__ import annotations

from typing import Any, TypeVar
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from weerbaar.core import selectors, services
from weerbaar.core.forms import (
    DeactivateMembershipForm,
    MembershipForm,
    NewOwnerMixin,
    UserFilterForm,
    apply_service_error,
)
from weerbaar.core.http import AppRequest, wants_fragment
from weerbaar.core.models import Membership
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.core.services import ownership
from weerbaar.core.views.actions import run_button_action

PAGE_SIZE = 50


def get_membership(membership_uuid: UUID) -> Membership:
    """Scoped fetch: a membership of another organisation is a 404."""
    return get_object_or_404(
        Membership.objects.select_related("user", "unit", "last_reviewed_by", "organisation"), uuid=membership_uuid
    )


@require_GET
@vary_on_headers("HX-Request")
@requires(Action.USERS_VIEW)
def user_list(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None and request.membership is not None
    form = UserFilterForm(request.GET or None, kind=request.organisation.kind)
    filters = selectors.UserFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.UserFilter(
            query=data["q"].strip(), role=data["role"], status=data["status"], sort=data["sort"] or "naam"
        )
    page = Paginator(selectors.membership_list(filters=filters), PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": bool(filters.query or filters.role or filters.status),
        "can_manage": request.membership.can(Action.USERS_MANAGE),
    }
    if wants_fragment(request):
        return TemplateResponse(request, "core/user_list.html#results", context)
    context["invitations"] = list(selectors.open_invitations())
    return TemplateResponse(request, "core/user_list.html", context)


FormT = TypeVar("FormT", bound=NewOwnerMixin)


def new_owner_form(form_class: type[FormT], membership: Membership, data: Any = None) -> FormT:
    """A deactivate or revoke form that asks who takes over what the member owns (if anything)."""
    form = form_class(data, initial={"version": membership.version})
    form.set_new_owner_options(
        candidates=selectors.new_owner_candidates(exclude=membership), owned=ownership.owned_by(membership)
    )
    return form


def _detail(
    request: AppRequest, membership: Membership, deactivate_form: DeactivateMembershipForm | None = None
) -> HttpResponse:
    assert request.organisation is not None and request.membership is not None
    required_roles = set(request.organisation.two_factor_roles)
    return TemplateResponse(
        request,
        "core/user_detail.html",
        {
            "membership": membership,
            "has_two_factor": selectors.has_confirmed_two_factor(membership.user),
            "two_factor_required": bool(required_roles.intersection(membership.roles)),
            "review_due_at": selectors.review_due_at(membership) if membership.is_active else None,
            "can_manage": request.membership.can(Action.USERS_MANAGE),
            "is_self": membership.user_id == request.user.pk,
            "deactivate_form": deactivate_form or new_owner_form(DeactivateMembershipForm, membership),
        },
    )


def _after_change(request: AppRequest, membership: Membership) -> HttpResponse:
    # A beheerder who just gave up their own rights (or access) can no longer open the user pages.
    if membership.user_id == request.user.pk:
        refreshed = get_membership(membership.uuid)
        if not refreshed.can(Action.USERS_VIEW):
            return redirect("core:home")
    return redirect("core:user_detail", membership_uuid=membership.uuid)


@require_GET
@requires(Action.USERS_VIEW)
def user_detail(request: AppRequest, membership_uuid: UUID) -> HttpResponse:
    return _detail(request, get_membership(membership_uuid))


@require_http_methods(["GET", "POST"])
@requires(Action.USERS_MANAGE)
def user_update(request: AppRequest, membership_uuid: UUID) -> HttpResponse:
    assert request.organisation is not None
    membership = get_membership(membership_uuid)
    initial = {
        "roles": membership.roles,
        "unit": str(membership.unit.uuid) if membership.unit else "",
        "version": membership.version,
    }
    form = MembershipForm(
        request.POST or None,
        initial=initial,
        kind=request.organisation.kind,
        unit_options=selectors.unit_options(keep=membership.unit),
    )
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            updated = services.membership_update(
                actor=request.user,
                membership=membership,
                roles=data["roles"],
                unit=data["unit"],
                version=data["version"],
            )
        except services.StaleVersion as error:
            current = get_membership(membership_uuid)
            form.show_conflict(error, current.version)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request, _("De rollen en afdeling van %(name)s zijn opgeslagen.") % {"name": membership.user}
            )
            return _after_change(request, updated)
    return TemplateResponse(
        request, "core/user_form.html", {"form": form, "membership": membership, "current": current}
    )


@require_POST
@requires(Action.USERS_MANAGE)
def user_deactivate(request: AppRequest, membership_uuid: UUID) -> HttpResponse:
    membership = get_membership(membership_uuid)
    form = new_owner_form(DeactivateMembershipForm, membership, request.POST)
    if form.is_valid():
        try:
            services.membership_deactivate(
                actor=request.user,
                membership=membership,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                new_owner=form.cleaned_data["new_owner"],
            )
        except services.StaleVersion as error:
            membership = get_membership(membership_uuid)
            form.show_conflict(error, membership.version)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request, _("%(name)s kan niet meer inloggen bij deze organisatie.") % {"name": membership.user}
            )
            return _after_change(request, membership)
    return _detail(request, membership, form)


@require_POST
@requires(Action.USERS_MANAGE)
def user_reactivate(request: AppRequest, membership_uuid: UUID) -> HttpResponse:
    membership = get_membership(membership_uuid)
    detail = reverse("core:user_detail", kwargs={"membership_uuid": membership.uuid})
    return run_button_action(
        request,
        perform=lambda version: services.membership_reactivate(
            actor=request.user, membership=membership, version=version
        ),
        success=_("%(name)s is weer actief in deze organisatie.") % {"name": membership.user},
        done=detail,
        refused=detail,
    )
