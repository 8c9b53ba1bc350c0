"""The communication plan of a year (``?jaar=2026``): read for the coordinator and the secretaris,
add, edit and mark done for the coordinator."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from weerbaar.attention import services
from weerbaar.attention.forms import CommunicationItemEditForm, CommunicationItemForm
from weerbaar.attention.models import CommunicationItem
from weerbaar.attention.selectors import communication as selectors
from weerbaar.attention.selectors.activities import owner_options
from weerbaar.core.forms import apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.core.services import StaleVersion
from weerbaar.core.views.actions import run_button_action


def _get_item(item_uuid: UUID) -> CommunicationItem:
    item = selectors.communication_item(item_uuid)
    if item is None:
        raise Http404
    return item


def plan_url(item: CommunicationItem | None = None, year: int | None = None) -> str:
    year = item.planned_on.year if item is not None else year
    url = reverse("attention:communication_plan") + (f"?jaar={year}" if year else "")
    return url + (f"#moment-{item.uuid}" if item is not None else "")


@require_GET
@requires(Action.ATTENTION_VIEW)
def communication_plan(request: AppRequest) -> HttpResponse:
    assert request.membership is not None
    today = timezone.localdate()
    year, unusable = selectors.chosen_year(request.GET.get("jaar"), today)
    context = {
        "plan": selectors.year_plan(year, today),
        "unusable_year": unusable,
        "previous_year": year - 1 if year - 1 >= today.year - selectors.YEARS_AROUND else None,
        "next_year": year + 1 if year + 1 <= today.year + selectors.YEARS_AROUND else None,
        "this_year": today.year,
        "can_manage": request.membership.can(Action.ATTENTION_MANAGE),
    }
    return TemplateResponse(request, "attention/communication_plan.html", context)


def _values(form: CommunicationItemForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {name: data[name] for name in ("planned_on", "subject", "audience", "channel", "owner", "done_on", "note")}


@require_http_methods(["GET", "POST"])
@requires(Action.ATTENTION_MANAGE)
def communication_create(request: AppRequest) -> HttpResponse:
    assert request.membership is not None
    today = timezone.localdate()
    year, _unusable = selectors.chosen_year(request.GET.get("jaar"), today)
    initial_day = today if year == today.year else today.replace(year=year, month=1, day=1)
    form = CommunicationItemForm(request.POST or None, initial={"planned_on": max(initial_day, today)})
    form.set_owners(owner_options())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                item = services.communication_item_create(
                    actor=request.user, member=request.membership, **_values(form)
                )
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("“%(subject)s” staat in het communicatieplan.") % {"subject": item.subject})
                return redirect(plan_url(item))
        status = 422
    return TemplateResponse(
        request, "attention/communication_form.html", {"form": form, "item": None, "year": year}, status=status
    )


@require_http_methods(["GET", "POST"])
@requires(Action.ATTENTION_MANAGE)
def communication_update(request: AppRequest, communication_item_uuid: UUID) -> HttpResponse:
    assert request.membership is not None
    item = _get_item(communication_item_uuid)
    initial = {
        "planned_on": item.planned_on,
        "subject": item.subject,
        "audience": item.audience,
        "channel": item.channel,
        "owner": str(item.owner.uuid) if item.owner else "",
        "done_on": item.done_on,
        "note": item.note,
        "version": item.version,
    }
    form = CommunicationItemEditForm(request.POST or None, initial=initial)
    form.set_owners(owner_options(keep=item.owner))
    current = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                item = services.communication_item_update(
                    actor=request.user,
                    member=request.membership,
                    item=item,
                    version=form.cleaned_data["version"],
                    **_values(form),
                )
            except StaleVersion as error:
                current = _get_item(communication_item_uuid)
                form.show_conflict(error, current.version)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("“%(subject)s” is opgeslagen.") % {"subject": item.subject})
                return redirect(plan_url(item))
        status = 422
    return TemplateResponse(
        request,
        "attention/communication_form.html",
        {"form": form, "item": item, "current": current, "year": item.planned_on.year},
        status=status,
    )


@require_POST
@requires(Action.ATTENTION_MANAGE)
def communication_done(request: AppRequest, communication_item_uuid: UUID) -> HttpResponse:
    assert request.membership is not None
    member = request.membership
    item = _get_item(communication_item_uuid)
    return run_button_action(
        request,
        perform=lambda version: services.communication_item_mark_done(
            actor=request.user, member=member, item=item, version=version
        ),
        success=_("“%(subject)s” staat als gedaan.") % {"subject": item.subject},
        done=plan_url(item),
        refused=plan_url(item),
    )


urlpatterns = [
    path("aandacht/communicatieplan", communication_plan, name="communication_plan"),
    path("aandacht/communicatieplan/nieuw", communication_create, name="communication_create"),
    path(
        "aandacht/communicatieplan/<uuid:communication_item_uuid>/wijzigen",
        communication_update,
        name="communication_update",
    ),
    path(
        "aandacht/communicatieplan/<uuid:communication_item_uuid>/gedaan", communication_done, name="communication_done"
    ),
]
