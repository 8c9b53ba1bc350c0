"""Capacity: what the organisation gives this work per role, against what the action plan needs.

Whoever reads the whole plan (``PLAN_VIEW``: the secretaris and the coordinator) reads the page;
the coordinator (``CAPACITY_MANAGE``) sets the hours of every role on one form.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from weerbaar.core.forms import apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.core.services import StaleVersion
from weerbaar.dashboards import services
from weerbaar.dashboards.capacity_forms import CapacityForm
from weerbaar.dashboards.selectors import capacity as selectors


@require_GET
@requires(Action.PLAN_VIEW)
def capacity(request: AppRequest) -> HttpResponse:
    assert request.membership is not None
    context = {
        "capacity": selectors.capacity_summary(timezone.localdate()),
        "can_manage": request.membership.can(Action.CAPACITY_MANAGE),
        "work_weeks": selectors.WORK_WEEKS_PER_YEAR,
        "hours_per_fte": selectors.HOURS_PER_FTE,
        "tight_percentage": int(selectors.TIGHT_SHARE * 100),
    }
    return TemplateResponse(request, "dashboards/capacity.html", context)


@require_http_methods(["GET", "POST"])
@requires(Action.CAPACITY_MANAGE)
def capacity_edit(request: AppRequest) -> HttpResponse:
    assert request.membership is not None
    summary = selectors.capacity_summary(timezone.localdate())
    form = CapacityForm(request.POST or None, rows=summary.roles)
    current = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.capacity_set(actor=request.user, member=request.membership, rows=form.capacity_rows())
            except StaleVersion as error:
                current = selectors.capacity_summary(timezone.localdate())
                form.show_conflict(error, current.roles)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("De capaciteit per rol is opgeslagen."))
                return redirect(reverse("dashboards:capacity"))
        status = 422
    context = {
        "form": form,
        "capacity": summary,
        "current": current,
        "work_weeks": selectors.WORK_WEEKS_PER_YEAR,
        "hours_per_fte": selectors.HOURS_PER_FTE,
    }
    return TemplateResponse(request, "dashboards/capacity_form.html", context, status=status)


urlpatterns = [
    path("capaciteit", capacity, name="capacity"),
    path("capaciteit/wijzigen", capacity_edit, name="capacity_edit"),
]
