"""The process register: list with search, filters and sorting; detail, add, edit, archive."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from weerbaar.catalogue import selectors as catalogue_selectors
from weerbaar.catalogue.models import ReferenceProcess
from weerbaar.core import selectors as core_selectors
from weerbaar.core.forms import apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.core.services import StaleVersion
from weerbaar.core.views.actions import run_button_action
from weerbaar.plan.selectors.residual_page import residual_view
from weerbaar.register import selectors, services
from weerbaar.register.forms import ProcessEditForm, ProcessFilterForm, ProcessForm
from weerbaar.register.models import Position, Process
from weerbaar.scans.selectors import process_result as process_result_selectors
from weerbaar.scans.selectors import results as result_selectors

PAGE_SIZE = 50


def _get_process(process_uuid: UUID) -> Process:
    """Scoped fetch with everything the pages show: another organisation's process is a 404."""
    process = selectors.process_detail(process_uuid)
    if process is None:
        raise Http404
    return process


def list_filters(request: AppRequest) -> tuple[ProcessFilterForm, selectors.ProcessListFilter]:
    """The list's filter form and the filter it means; the export uses the same filters."""
    form = ProcessFilterForm(
        request.GET or None,
        unit_options=core_selectors.flatten(core_selectors.unit_tree()),
        categories=catalogue_selectors.category_list(),
        owners=selectors.owner_options(),
    )
    filters = selectors.ProcessListFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.ProcessListFilter(
            query=data["q"].strip(),
            unit=data["afdeling"],
            category=data["categorie"],
            owner=data["eigenaar"],
            archive=data["archief"] or "actief",
            sort=data["sorteer"] or "naam",
        )
    return form, filters


@require_GET
@requires(Action.REGISTER_VIEW)
@vary_on_headers("HX-Request")
def process_list(request: AppRequest) -> HttpResponse:
    assert request.membership is not None
    form, filters = list_filters(request)
    page = Paginator(selectors.process_list(filters=filters), PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": filters != selectors.ProcessListFilter(sort=filters.sort),
        "can_edit": request.membership.can(Action.REGISTER_EDIT),
    }
    template = "register/process_list.html#results" if request.htmx else "register/process_list.html"
    return TemplateResponse(request, template, context)


@require_GET
@requires(Action.REGISTER_VIEW)
def process_detail(request: AppRequest, process_uuid: UUID) -> HttpResponse:
    assert request.membership is not None
    process = _get_process(process_uuid)
    # The result card only for who may see this process's results (need-to-know: scans.selectors.results).
    show_result = result_selectors.may_see_results(request.membership, process)
    result_card = process_result_selectors.result_card(request.membership, process) if show_result else None
    return TemplateResponse(
        request,
        "register/process_detail.html",
        {
            "process": process,
            "positions": list(process.positions.all()),
            "circumstances": list(process.circumstances.all()),
            "can_edit": request.membership.can(Action.REGISTER_EDIT),
            "show_result": show_result,
            "result_card": result_card,
            # Residual risk now (weerbaar.plan), next to the latest closed result.
            "residual": residual_view(request.membership, request.organisation, process, timezone.localdate())
            if result_card is not None and request.organisation is not None
            else None,
        },
    )


def _form_options(request: AppRequest, process: Process | None = None) -> dict[str, Any]:
    """The choices of the process form; a process keeps its current (even archived) links."""
    assert request.organisation is not None
    organisation = request.organisation
    owners = selectors.owner_options()
    references = list(
        catalogue_selectors.effective(ReferenceProcess, organisation=organisation)
        .select_related("category")
        .order_by("category__position", "position", "name")
    )
    positions = list(Position.objects.filter(is_active=True).select_related("unit").order_by("name", "pk"))
    circumstances = selectors.internal_circumstances(organisation=organisation)
    if process is not None:
        if process.owner is not None and process.owner not in owners:
            owners.append(process.owner)
        if process.reference_process is not None and process.reference_process not in references:
            references.append(process.reference_process)
        positions.extend(each for each in process.positions.all() if each not in positions)
        circumstances.extend(each for each in process.circumstances.all() if each not in circumstances)
    return {
        "categories": catalogue_selectors.category_list(),
        "unit_options": core_selectors.unit_options(keep=process.unit if process else None),
        "owners": owners,
        "reference_processes": references,
        "positions": positions,
        "circumstances": circumstances,
    }


def _values(data: dict[str, Any]) -> dict[str, Any]:
    return {
        field: data[field]
        for field in (
            "name",
            "description",
            "category",
            "unit",
            "owner",
            "reference_process",
            "positions",
            "circumstances",
            "yearly_volume",
            "executor",
            "executor_name",
        )
    }


@require_http_methods(["GET", "POST"])
@requires(Action.REGISTER_EDIT)
def process_create(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None
    form = ProcessForm(request.POST or None, **_form_options(request))
    if request.method == "POST" and form.is_valid():
        try:
            process = services.process_create(
                actor=request.user, organisation=request.organisation, **_values(form.cleaned_data)
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request, _("“%(name)s” is toegevoegd als %(code)s.") % {"name": process.name, "code": process.code}
            )
            return redirect("register:process_detail", process_uuid=process.uuid)
    return TemplateResponse(request, "register/process_form.html", {"form": form, "process": None})


@require_http_methods(["GET", "POST"])
@requires(Action.REGISTER_EDIT)
def process_update(request: AppRequest, process_uuid: UUID) -> HttpResponse:
    process = _get_process(process_uuid)
    initial = {
        "name": process.name,
        "description": process.description,
        "category": process.category.key,
        "unit": str(process.unit.uuid) if process.unit else "",
        "owner": str(process.owner.uuid) if process.owner else "",
        "reference_process": str(process.reference_process.uuid) if process.reference_process else "",
        "positions": [str(each.uuid) for each in process.positions.all()],
        "circumstances": [str(each.uuid) for each in process.circumstances.all()],
        "yearly_volume": process.yearly_volume,
        "executor": process.executor,
        "executor_name": process.executor_name,
        "version": process.version,
    }
    form = ProcessEditForm(request.POST or None, initial=initial, **_form_options(request, process))
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.process_update(
                actor=request.user, process=process, version=form.cleaned_data["version"], **_values(form.cleaned_data)
            )
        except StaleVersion as error:
            current = process = _get_process(process_uuid)
            form.show_conflict(error, current.version)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is opgeslagen.") % {"name": updated.name})
            return redirect("register:process_detail", process_uuid=updated.uuid)
    return TemplateResponse(
        request, "register/process_form.html", {"form": form, "process": process, "current": current}
    )


def _set_active(request: AppRequest, process_uuid: UUID, *, active: bool) -> HttpResponse:
    process = _get_process(process_uuid)
    change = services.process_reactivate if active else services.process_archive
    success = _("“%(name)s” is weer actief.") if active else _("“%(name)s” is gearchiveerd.")
    detail = reverse("register:process_detail", kwargs={"process_uuid": process.uuid})
    return run_button_action(
        request,
        perform=lambda version: change(actor=request.user, process=process, version=version),
        success=success % {"name": process.name},
        done=detail,
        refused=detail,
    )


@require_POST
@requires(Action.REGISTER_EDIT)
def process_archive(request: AppRequest, process_uuid: UUID) -> HttpResponse:
    return _set_active(request, process_uuid, active=False)


@require_POST
@requires(Action.REGISTER_EDIT)
def process_reactivate(request: AppRequest, process_uuid: UUID) -> HttpResponse:
    return _set_active(request, process_uuid, active=True)
