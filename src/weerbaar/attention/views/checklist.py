"""The organisation-wide measures as a guided checklist (``PLAN_VIEW``), and starting one (``PLAN_MANAGE``).

Starting takes the measure into the action plan as an organisation-wide line
(``plan.services.planned_measure_create`` with no process): owner, due date and how far it
reaches. The coordinator may also record that the organisation does not take it, with a reason.
Each started item links to its plan-line page, where progress, evidence and reviews are kept.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from weerbaar.attention.export import XLSX_CONTENT_TYPE, checklist_export
from weerbaar.attention.forms import REACH_ALL, StartMeasureForm
from weerbaar.attention.selectors import checklist as selectors
from weerbaar.attention.selectors.activities import owner_options
from weerbaar.core import selectors as core_selectors
from weerbaar.core.forms import apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.plan import services as plan_services
from weerbaar.plan.models import MeasureStatus


@require_GET
@requires(Action.PLAN_VIEW)
def organisation_checklist(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None and request.membership is not None
    context = {
        "checklist": selectors.checklist(request.organisation, timezone.localdate()),
        "can_manage": plan_services.may_manage(request.membership),
    }
    return TemplateResponse(request, "attention/checklist.html", context)


@require_GET
@requires(Action.PLAN_VIEW)
def organisation_checklist_export(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None
    content, filename = checklist_export(
        actor=request.user,
        organisation=request.organisation,
        checklist=selectors.checklist(request.organisation, timezone.localdate()),
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _anchor(measure_ref: str) -> str:
    return reverse("attention:checklist") + f"#maatregel-{measure_ref}"


@require_http_methods(["GET", "POST"])
@requires(Action.PLAN_MANAGE)
def organisation_measure_start(request: AppRequest, org_measure_ref: str) -> HttpResponse:
    assert request.organisation is not None and request.membership is not None
    measure = selectors.organisation_measure(request.organisation, org_measure_ref)
    if measure is None:
        raise Http404
    existing = selectors.current_line(measure)
    context: dict[str, Any] = {
        "measure": measure,
        "existing": existing,
        "rejected": selectors.last_rejection(measure),
        "form": None,
    }
    if existing is not None:
        # Already in the plan: the page explains and links to the plan line instead of refusing.
        return TemplateResponse(request, "attention/checklist_start.html", context)
    form = StartMeasureForm(request.POST or None, initial={"reach": REACH_ALL})
    form.set_owners(owner_options())
    form.set_units(node for node in core_selectors.flatten(core_selectors.unit_tree()) if node.unit.is_active)
    context["form"] = form
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            rejected = data["status"] == MeasureStatus.REJECTED
            try:
                plan_services.planned_measure_create(
                    actor=request.user,
                    member=request.membership,
                    measure=measure,
                    process=None,
                    owner=None if rejected else data["owner"],
                    due_date=None if rejected else data["due_date"],
                    status=data["status"],
                    note=data["note"],
                    reaches_all_units=not rejected and data["reach"] == REACH_ALL,
                    units=[] if rejected else form.chosen_units(),
                    rejection_reason=data["rejection_reason"],
                )
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                text = (
                    _("Vastgelegd dat “%(name)s” niet wordt genomen.")
                    if rejected
                    else _("“%(name)s” staat in het actieplan.")
                )
                messages.success(request, text % {"name": measure.name})
                return redirect(_anchor(measure.ref))
        status = 422
    return TemplateResponse(request, "attention/checklist_start.html", context, status=status)


urlpatterns = [
    path("aandacht/organisatiebreed", organisation_checklist, name="checklist"),
    path("aandacht/organisatiebreed/exporteren", organisation_checklist_export, name="checklist_export"),
    path(
        "aandacht/organisatiebreed/<slug:org_measure_ref>/starten",
        organisation_measure_start,
        name="checklist_start",
    ),
]
