"""Units (afdelingen en teams): one tree page, create, edit (rename, move), archive and reactivate."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from weerbaar.core import selectors, services
from weerbaar.core.forms import (
    UnitEditForm,
    UnitForm,
    apply_service_error,
)
from weerbaar.core.http import AppRequest
from weerbaar.core.models import Unit
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.core.views.actions import run_button_action


def _get_unit(unit_uuid: UUID) -> Unit:
    """Scoped fetch: another organisation's unit is a 404."""
    return get_object_or_404(Unit.objects.select_related("parent"), uuid=unit_uuid)


@require_GET
@requires(Action.UNITS_VIEW)
def unit_list(request: AppRequest) -> HttpResponse:
    assert request.membership is not None
    tree = selectors.unit_tree()
    flat = selectors.flatten(tree)
    return TemplateResponse(
        request,
        "core/unit_list.html",
        {
            "tree": tree,
            "unit_count": len(flat),
            "archived_count": sum(1 for node in flat if not node.unit.is_active),
            "can_manage": request.membership.can(Action.UNITS_MANAGE),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(Action.UNITS_MANAGE)
def unit_create(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None
    form = UnitForm(request.POST or None, parent_options=selectors.unit_options())
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(
                actor=request.user,
                organisation=request.organisation,
                name=form.cleaned_data["name"],
                parent=form.cleaned_data["parent"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is toegevoegd.") % {"name": unit.name})
            return redirect("core:unit_list")
    return TemplateResponse(request, "core/unit_form.html", {"form": form, "unit": None})


@require_http_methods(["GET", "POST"])
@requires(Action.UNITS_MANAGE)
def unit_update(request: AppRequest, unit_uuid: UUID) -> HttpResponse:
    unit = _get_unit(unit_uuid)
    initial = {
        "name": unit.name,
        "parent": str(unit.parent.uuid) if unit.parent else "",
        "description": unit.description,
        "version": unit.version,
    }
    options = selectors.unit_options(exclude_subtree_of=unit, keep=unit.parent)
    form = UnitEditForm(request.POST or None, initial=initial, parent_options=options)
    current = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = services.unit_update(
                actor=request.user,
                unit=unit,
                version=data["version"],
                name=data["name"],
                parent=data["parent"],
                description=data["description"],
            )
        except services.StaleVersion as error:
            # Show the saved state; the archive button below then carries the new version too.
            current = unit = _get_unit(unit_uuid)
            form.show_conflict(error, current.version)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is opgeslagen.") % {"name": unit.name})
            return redirect("core:unit_list")
    return TemplateResponse(request, "core/unit_form.html", {"form": form, "unit": unit, "current": current})


def _set_active(request: AppRequest, unit_uuid: UUID, *, active: bool) -> HttpResponse:
    unit = _get_unit(unit_uuid)
    change = services.unit_reactivate if active else services.unit_archive
    success = _("“%(name)s” is weer actief.") if active else _("“%(name)s” is gearchiveerd.")
    return run_button_action(
        request,
        perform=lambda version: change(actor=request.user, unit=unit, version=version),
        success=success % {"name": unit.name},
        done=reverse("core:unit_list"),
        refused=reverse("core:unit_update", kwargs={"unit_uuid": unit.uuid}),
    )


@require_POST
@requires(Action.UNITS_MANAGE)
def unit_archive(request: AppRequest, unit_uuid: UUID) -> HttpResponse:
    return _set_active(request, unit_uuid, active=False)


@require_POST
@requires(Action.UNITS_MANAGE)
def unit_reactivate(request: AppRequest, unit_uuid: UUID) -> HttpResponse:
    return _set_active(request, unit_uuid, active=True)
