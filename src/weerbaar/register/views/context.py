"""The external context profile: which risk locations and sectors apply to the organisation."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from weerbaar.core.forms import apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.core.services import StaleVersion
from weerbaar.register import selectors, services
from weerbaar.register.forms import ContextItemForm


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
