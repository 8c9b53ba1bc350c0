"""Risk acceptance for the secretaris: the residual risk now, the history, accept with a reason, withdraw.

Whether a process *can* be accepted (it needs a closed result) is explained on the page, never
refused with an error status; ``plan.services.acceptance`` holds the rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from weerbaar.core.forms import apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.core.services import StaleVersion
from weerbaar.plan import services
from weerbaar.plan.forms_acceptance import AcceptForm, WithdrawForm
from weerbaar.plan.models import RiskAcceptance
from weerbaar.plan.selectors.acceptance import AcceptanceRow, acceptance_history
from weerbaar.plan.selectors.residual import residual_for
from weerbaar.plan.services.acceptance import default_expiry, latest_expiry, state_token
from weerbaar.register.models import Process


def _process(process_uuid: UUID) -> Process:
    return get_object_or_404(Process.objects.select_related("category", "unit", "owner__user"), uuid=process_uuid)


def _url(process: Process) -> str:
    return reverse("plan:acceptance", kwargs={"process_uuid": process.uuid})


def _accept_form(process: Process, today: dt.date, data: Any = None) -> AcceptForm:
    return AcceptForm(data, initial={"expires_on": default_expiry(today), "seen": state_token(process)})


def _withdraw_form(row: AcceptanceRow | None, data: Any = None) -> WithdrawForm | None:
    if row is None:
        return None
    return WithdrawForm(data, initial={"version": row.acceptance.version})


def _page(
    request: AppRequest,
    process: Process,
    today: dt.date,
    *,
    accept_form: AcceptForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    withdrawing: RiskAcceptance | None = None,
) -> TemplateResponse:
    assert request.organisation is not None
    history = acceptance_history(process, today)
    in_force = next((row for row in history if row.in_force), None)
    residual = residual_for(request.organisation, process, today)
    # The withdraw form belongs to the acceptance in force, or to the one a refused POST was about.
    target = in_force
    if withdrawing is not None:
        target = next((row for row in history if row.acceptance.pk == withdrawing.pk), in_force)
    context = {
        "process": process,
        "residual": residual,
        "history": history,
        "in_force": in_force,
        "risen": (
            in_force is not None
            and residual is not None
            and in_force.acceptance.vulnerability is not None
            and round(residual.now) > round(in_force.acceptance.vulnerability)
        ),
        "form": (accept_form or _accept_form(process, today)) if residual is not None else None,
        "withdraw_row": target,
        "withdraw_form": withdraw_form or _withdraw_form(target),
        "today": today,
        "latest_expiry": latest_expiry(today),
    }
    return TemplateResponse(request, "plan/acceptance.html", context)


@require_http_methods(["GET", "POST"])
@requires(Action.RISK_ACCEPT)
def acceptance(request: AppRequest, process_uuid: UUID) -> HttpResponse:
    assert request.membership is not None
    process = _process(process_uuid)
    today = timezone.localdate()
    if request.method != "POST":
        return _page(request, process, today)
    form = _accept_form(process, today, request.POST)
    if form.is_valid():
        try:
            services.risk_acceptance_create(
                actor=request.user,
                member=request.membership,
                process=process,
                reason=form.cleaned_data["reason"],
                expires_on=form.cleaned_data["expires_on"],
                seen=form.cleaned_data["seen"],
                today=today,
            )
        except StaleVersion as error:
            form.add_error(None, error)
            data = form.data.copy()  # type: ignore[attr-defined]
            data["seen"] = state_token(process)
            form.data = data
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                _("Het restrisico van %(code)s is geaccepteerd tot en met %(day)s.")
                % {"code": process.code, "day": form.cleaned_data["expires_on"].strftime("%d-%m-%Y")},
            )
            return redirect(_url(process))
    return _page(request, process, today, accept_form=form)


@require_POST
@requires(Action.RISK_ACCEPT)
def acceptance_withdraw(request: AppRequest, acceptance_uuid: UUID) -> HttpResponse:
    assert request.membership is not None
    acceptance = get_object_or_404(RiskAcceptance.objects.select_related("process"), uuid=acceptance_uuid)
    process = _process(acceptance.process.uuid)
    today = timezone.localdate()
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.risk_acceptance_withdraw(
                actor=request.user,
                member=request.membership,
                acceptance=acceptance,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["withdrawn_reason"],
            )
        except StaleVersion as error:
            fresh = RiskAcceptance.objects.get(pk=acceptance.pk)
            form.show_conflict(error, fresh.version)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("De acceptatie van %(code)s is ingetrokken.") % {"code": process.code})
            return redirect(_url(process))
    return _page(request, process, today, withdraw_form=form, withdrawing=acceptance)


urlpatterns = [
    path("maatregelen/acceptatie/<uuid:process_uuid>", acceptance, name="acceptance"),
    path("maatregelen/acceptatie/intrekken/<uuid:acceptance_uuid>", acceptance_withdraw, name="acceptance_withdraw"),
]
