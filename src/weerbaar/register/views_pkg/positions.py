"""The register pages: positions (functies) with their screening, and the external context profile."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
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
from weerbaar.register.forms import ContextItemForm, PositionEditForm, PositionFilterForm, PositionForm
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


# --- external context ---------------------------------------------------------------------------


def _prefix(circumstance: Any) -> str:
    return f"o-{circumstance.uuid}"


def _context_page(request: AppRequest, *, bound: ContextItemForm | None = None, status: int = 200) -> HttpResponse:
    assert request.organisation is not None and request.membership is not None
    groups = selectors.context_groups(organisation=request.organisation)
    can_edit = request.membership.can(Action.REGISTER_EDIT)
    for entry in selectors.iter_entries(groups):
        if bound is not None and bound.prefix == _prefix(entry.circumstance):
            entry.form = bound
        elif can_edit:
            item = entry.item
            entry.form = ContextItemForm(
                prefix=_prefix(entry.circumstance),
                initial={
                    "version": item.version if item else 0,
                    "applies": item.applies if item else False,
                    "severity": item.severity if item else "",
                    "note": item.note if item else "",
                },
            )
    return TemplateResponse(
        request,
        "register/context.html",
        {"groups": groups, "can_edit": can_edit, "has_entries": any(group.entries for group in groups)},
        status=status,
    )


@require_GET
@requires(Action.REGISTER_VIEW)
def context_profile(request: AppRequest) -> HttpResponse:
    return _context_page(request)


@require_POST
@requires(Action.REGISTER_EDIT)
def context_save(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None
    try:
        circumstance_uuid = uuid.UUID(str(request.POST.get("omstandigheid", "")))
    except ValueError:
        raise Http404 from None
    circumstance = next(
        (
            each
            for each in selectors.external_circumstances(organisation=request.organisation)
            if each.uuid == circumstance_uuid
        ),
        None,
    )
    if circumstance is None:
        raise Http404
    form = ContextItemForm(request.POST, prefix=_prefix(circumstance))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.context_update(
                actor=request.user,
                organisation=request.organisation,
                circumstance=circumstance,
                applies=data["applies"],
                severity=data["severity"],
                note=data["note"],
                version=data["version"],
            )
        except StaleVersion as error:
            item = selectors.context_item(circumstance)
            form.show_conflict(error, item.version if item else 0)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is opgeslagen.") % {"name": circumstance.name})
            return redirect(reverse("register:context") + f"#{_prefix(circumstance)}")
    return _context_page(request, bound=form)
