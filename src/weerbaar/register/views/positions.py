"""The positions pages (functies) with their screening and the screening due list."""

from __future__ import annotations

from typing import Any
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

from weerbaar.core import selectors as core_selectors
from weerbaar.core.forms import apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.core.services import StaleVersion
from weerbaar.core.views.actions import run_button_action
from weerbaar.register import selectors, services
from weerbaar.register.forms import PositionEditForm, PositionFilterForm, PositionForm
from weerbaar.register.models import Position, RiskArea, ScreeningLevel

PAGE_SIZE = 50


def _get_position(position_uuid: UUID) -> Position:
    """Scoped fetch: another organisation's position is a 404."""
    return get_object_or_404(Position.objects.select_related("unit"), uuid=position_uuid)


def _screening_context() -> dict[str, Any]:
    return {"risk_area_labels": dict(RiskArea.choices), "levels": ScreeningLevel}


@require_GET
@requires(Action.REGISTER_VIEW)
def position_list(request: AppRequest) -> HttpResponse:
    assert request.membership is not None
    form = PositionFilterForm(request.GET or None, unit_options=core_selectors.flatten(core_selectors.unit_tree()))
    filters = selectors.PositionFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.PositionFilter(
            query=data["q"].strip(),
            unit=data["afdeling"],
            level=data["screening"],
            status=data["status"],
            archive=data["archief"] or "actief",
            sort=data["sorteer"] or "naam",
        )
    rows = selectors.position_rows(filters=filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": (filters.query, filters.unit, filters.level, filters.status, filters.archive)
        != ("", None, "", "", "actief"),
        "can_edit": request.membership.can(Action.REGISTER_EDIT),
        **_screening_context(),
    }
    template = "register/position_list.html#results" if request.htmx else "register/position_list.html"
    return TemplateResponse(request, template, context)


@require_GET
@requires(Action.REGISTER_VIEW)
def screening_due(request: AppRequest) -> HttpResponse:
    assert request.membership is not None
    return TemplateResponse(
        request,
        "register/screening_due.html",
        {
            "rows": selectors.screening_due(),
            "due_soon_days": selectors.DUE_SOON_DAYS,
            "can_edit": request.membership.can(Action.REGISTER_EDIT),
            **_screening_context(),
        },
    )


def _position_values(data: dict[str, Any]) -> dict[str, Any]:
    level = data["screening_level"]
    return {
        "name": data["name"],
        "unit": data["unit"],
        "fte": data["fte"],
        "screening_level": level,
        "risk_areas": list(data["risk_areas"]),
        "renewal_years": data["renewal_years"],
        "last_screening_on": data["last_screening_on"],
    }


@require_http_methods(["GET", "POST"])
@requires(Action.REGISTER_EDIT)
def position_create(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None
    form = PositionForm(request.POST or None, unit_options=core_selectors.unit_options())
    if request.method == "POST" and form.is_valid():
        try:
            position = services.position_create(
                actor=request.user, organisation=request.organisation, **_position_values(form.cleaned_data)
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is toegevoegd.") % {"name": position.name})
            return redirect("register:position_list")
    return TemplateResponse(request, "register/position_form.html", {"form": form, "position": None})


@require_http_methods(["GET", "POST"])
@requires(Action.REGISTER_EDIT)
def position_update(request: AppRequest, position_uuid: UUID) -> HttpResponse:
    position = _get_position(position_uuid)
    initial = {
        "name": position.name,
        "unit": str(position.unit.uuid) if position.unit else "",
        "fte": position.fte,
        "screening_level": position.screening_level,
        "risk_areas": position.risk_areas,
        "renewal_years": position.renewal_years,
        "last_screening_on": position.last_screening_on,
        "version": position.version,
    }
    form = PositionEditForm(
        request.POST or None, initial=initial, unit_options=core_selectors.unit_options(keep=position.unit)
    )
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            position = services.position_update(
                actor=request.user,
                position=position,
                version=form.cleaned_data["version"],
                **_position_values(form.cleaned_data),
            )
        except StaleVersion as error:
            current = position = _get_position(position_uuid)
            form.show_conflict(error, current.version)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is opgeslagen.") % {"name": position.name})
            return redirect("register:position_list")
    return TemplateResponse(
        request,
        "register/position_form.html",
        {"form": form, "position": position, "current": current, "current_row": selectors.screening_row(position)},
    )


def _set_active(request: AppRequest, position_uuid: UUID, *, active: bool) -> HttpResponse:
    position = _get_position(position_uuid)
    change = services.position_reactivate if active else services.position_archive
    success = _("“%(name)s” is weer actief.") if active else _("“%(name)s” is gearchiveerd.")
    return run_button_action(
        request,
        perform=lambda version: change(actor=request.user, position=position, version=version),
        success=success % {"name": position.name},
        done=reverse("register:position_list"),
        refused=reverse("register:position_update", kwargs={"position_uuid": position.uuid}),
    )


@require_POST
@requires(Action.REGISTER_EDIT)
def position_archive(request: AppRequest, position_uuid: UUID) -> HttpResponse:
    return _set_active(request, position_uuid, active=False)


@require_POST
@requires(Action.REGISTER_EDIT)
def position_reactivate(request: AppRequest, position_uuid: UUID) -> HttpResponse:
    return _set_active(request, position_uuid, active=True)
