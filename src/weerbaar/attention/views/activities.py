"""Recurring activities: the list, create and edit (coordinator), one activity with its done-log and
the "Uitgevoerd" form (coordinator, or the activity's owner), archive and reactivate.

The coordinator and the secretaris see every activity; any other owner sees only their own: the
list then reads "Mijn activiteiten", and someone else's activity is a 404 (see the selectors).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from weerbaar.attention import services
from weerbaar.attention.export import XLSX_CONTENT_TYPE, activities_export, activity_export_rows
from weerbaar.attention.forms import ActivityEditForm, ActivityForm, ActivityLogForm
from weerbaar.attention.models import RecurringActivity
from weerbaar.attention.selectors import activities as selectors
from weerbaar.core import selectors as core_selectors
from weerbaar.core.forms import apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.models import Membership
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.core.selectors import UnitNode
from weerbaar.core.services import StaleVersion
from weerbaar.core.views.actions import run_button_action


def _member(request: AppRequest) -> Membership:
    assert request.membership is not None
    return request.membership


def _get_activity(request: AppRequest, activity_uuid: UUID) -> RecurringActivity:
    activity = selectors.activity_for(_member(request), activity_uuid)
    if activity is None:
        raise Http404
    return activity


def _detail_url(activity: RecurringActivity) -> str:
    return reverse("attention:activity_detail", kwargs={"activity_uuid": activity.uuid})


def _unit_nodes(keep: frozenset[int] | set[int] = frozenset()) -> list[UnitNode]:
    """Active units in tree order, plus archived ones still chosen (an edit never drops them silently)."""
    return [
        node
        for node in core_selectors.flatten(core_selectors.unit_tree())
        if node.unit.is_active or node.unit.pk in keep
    ]


@require_GET
@requires(Action.WORK_OWN)
def activity_list(request: AppRequest) -> HttpResponse:
    member = _member(request)
    archived = request.GET.get("archief") == "1"
    today = timezone.localdate()
    context = {
        "rows": selectors.activity_rows(member, today, archived=archived),
        "archived": archived,
        "sees_all": selectors.sees_all(member),
        "can_manage": member.can(Action.ATTENTION_MANAGE),
    }
    return TemplateResponse(request, "attention/activity_list.html", context)


@require_GET
@requires(Action.WORK_OWN)
def activity_list_export(request: AppRequest) -> HttpResponse:
    """The list as Excel, with each activity's reach; the same need-to-know and ``archief`` choice as the page."""
    member = _member(request)
    assert request.organisation is not None
    archived = request.GET.get("archief") == "1"
    content, filename = activities_export(
        actor=request.user,
        organisation=request.organisation,
        rows=activity_export_rows(member, timezone.localdate(), archived=archived),
        archived=archived,
        sees_all=selectors.sees_all(member),
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _activity_values(form: ActivityForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "name": data["name"],
        "description": data["description"],
        "cadence_months": data["cadence_months"],
        "starts_on": data["starts_on"],
        "owner": data["owner"],
        "target_units": data["target_units"],
        "target_positions": data["target_positions"],
    }


@require_http_methods(["GET", "POST"])
@requires(Action.ATTENTION_MANAGE)
def activity_create(request: AppRequest) -> HttpResponse:
    member = _member(request)
    form = ActivityForm(request.POST or None, initial={"starts_on": timezone.localdate(), "cadence_months": 12})
    form.set_owners(selectors.owner_options())
    form.set_targets(units=_unit_nodes(), positions=selectors.vulnerable_positions())
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user, member=member, **_activity_values(form))
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is toegevoegd.") % {"name": activity.name})
            return redirect(_detail_url(activity))
    return TemplateResponse(request, "attention/activity_form.html", {"form": form, "activity": None})


@require_http_methods(["GET", "POST"])
@requires(Action.ATTENTION_MANAGE)
def activity_update(request: AppRequest, activity_uuid: UUID) -> HttpResponse:
    member = _member(request)
    activity = _get_activity(request, activity_uuid)
    units = list(activity.target_units.all())
    positions = list(activity.target_positions.all())
    initial = {
        "kind": activity.kind,
        "name": activity.name,
        "description": activity.description,
        "cadence_months": activity.cadence_months,
        "starts_on": activity.starts_on,
        "owner": str(activity.owner.uuid) if activity.owner else "",
        "target_units": [str(unit.uuid) for unit in units],
        "target_positions": [str(position.uuid) for position in positions],
        "version": activity.version,
    }
    form = ActivityEditForm(request.POST or None, initial=initial)
    form.set_owners(selectors.owner_options(keep=activity.owner))
    form.set_targets(
        units=_unit_nodes({unit.pk for unit in units}), positions=selectors.vulnerable_positions(keep=positions)
    )
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_update(
                actor=request.user,
                member=member,
                activity=activity,
                version=form.cleaned_data["version"],
                **_activity_values(form),
            )
        except StaleVersion as error:
            current = _get_activity(request, activity_uuid)
            form.show_conflict(error, current.version)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is opgeslagen.") % {"name": activity.name})
            return redirect(_detail_url(activity))
    return TemplateResponse(
        request, "attention/activity_form.html", {"form": form, "activity": activity, "current": current}
    )


@require_http_methods(["GET", "POST"])
@requires(Action.WORK_OWN)
def activity_detail(request: AppRequest, activity_uuid: UUID) -> HttpResponse:
    """The activity, its reach in the last cadence window, its done-log, and the "Uitgevoerd" form."""
    member = _member(request)
    activity = _get_activity(request, activity_uuid)
    can_log = selectors.may_log(member, activity) and activity.is_active
    if request.method == "POST" and not can_log:
        raise PermissionDenied
    # Positions and their screening belong to the register: an owner without register.view logs units only.
    sees_positions = member.can(Action.REGISTER_VIEW)
    form = ActivityLogForm(request.POST or None) if can_log else None
    if form is not None:
        form.set_targets(units=_unit_nodes(), positions=selectors.vulnerable_positions() if sees_positions else [])
        if not sees_positions:
            del form.fields["positions"]
    status = 200
    if form is not None and request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.activity_log(
                    actor=request.user,
                    member=member,
                    activity=activity,
                    done_on=data["done_on"],
                    note=data["note"],
                    participants=data["participants"],
                    units=data["units"],
                    positions=data.get("positions") or [],
                )
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("De uitvoering van %(date)s is vastgelegd.") % {"date": data["done_on"].strftime("%d-%m-%Y")},
                )
                return redirect(_detail_url(activity))
        status = 422
    today = timezone.localdate()
    log = selectors.activity_log(activity)
    context = {
        "activity": activity,
        "row": selectors.activity_state(activity, today),
        "reach": selectors.activity_reach(activity, log, today),
        "log": log,
        "form": form,
        "can_manage": member.can(Action.ATTENTION_MANAGE),
        "sees_all": selectors.sees_all(member),
        "sees_positions": sees_positions,
    }
    return TemplateResponse(request, "attention/activity_detail.html", context, status=status)


def _set_active(request: AppRequest, activity_uuid: UUID, *, active: bool) -> HttpResponse:
    member = _member(request)
    activity = _get_activity(request, activity_uuid)
    change = services.activity_reactivate if active else services.activity_archive
    success = _("“%(name)s” is weer actief.") if active else _("“%(name)s” is gearchiveerd.")
    return run_button_action(
        request,
        perform=lambda version: change(actor=request.user, member=member, activity=activity, version=version),
        success=success % {"name": activity.name},
        done=_detail_url(activity),
        refused=_detail_url(activity),
    )


@require_POST
@requires(Action.ATTENTION_MANAGE)
def activity_archive(request: AppRequest, activity_uuid: UUID) -> HttpResponse:
    return _set_active(request, activity_uuid, active=False)


@require_POST
@requires(Action.ATTENTION_MANAGE)
def activity_reactivate(request: AppRequest, activity_uuid: UUID) -> HttpResponse:
    return _set_active(request, activity_uuid, active=True)


urlpatterns = [
    path("aandacht/activiteiten", activity_list, name="activity_list"),
    path("aandacht/activiteiten/exporteren", activity_list_export, name="activity_export"),
    path("aandacht/activiteiten/nieuw", activity_create, name="activity_create"),
    path("aandacht/activiteiten/<uuid:activity_uuid>", activity_detail, name="activity_detail"),
    path("aandacht/activiteiten/<uuid:activity_uuid>/wijzigen", activity_update, name="activity_update"),
    path("aandacht/activiteiten/<uuid:activity_uuid>/archiveren", activity_archive, name="activity_archive"),
    path("aandacht/activiteiten/<uuid:activity_uuid>/heractiveren", activity_reactivate, name="activity_reactivate"),
]
