"""Proposed measures for one process: the ranked what-if list, and the coordinator's adopt or decline.

The secretaris reads along (``PLAN_VIEW``); only the coordinator (``PLAN_MANAGE``) takes a proposal
into the plan or records why not. Adopting and declining each have their own small page, so the
list stays light and a form with a mistake comes back with what was typed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
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
from django.views.decorators.http import require_GET, require_http_methods

from weerbaar.catalogue import selectors as catalogue_selectors
from weerbaar.catalogue.models import EffectStrength, Measure, MeasureScope
from weerbaar.core.forms import apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.plan import services
from weerbaar.plan.forms import AdoptForm, DeclineForm, default_due_date
from weerbaar.plan.models import MeasureStatus
from weerbaar.plan.selectors.measure_page import WhatIf, live_line, owner_options, what_if
from weerbaar.plan.selectors.proposals import Addressed, Proposal, proposals_for
from weerbaar.register.models import Process
from weerbaar.scans.selectors.results import whole


@dataclass(frozen=True)
class AddressedView:
    code: str
    name: str
    strength: str
    score: int


@dataclass(frozen=True)
class ProposalView:
    """A proposal as the page prints it: whole numbers, strengths in words."""

    measure: Measure
    from_score: int
    to_score: int
    addressed: list[AddressedView]

    @property
    def drop(self) -> int:
        return self.from_score - self.to_score


def _strength(value: int) -> str:
    return str(EffectStrength(value).label) if value in EffectStrength.values else str(value)


def proposal_view(proposal: Proposal) -> ProposalView:
    return ProposalView(
        measure=proposal.measure,
        from_score=whole(proposal.from_score),
        to_score=whole(proposal.to_score),
        addressed=[_addressed(each) for each in proposal.addressed],
    )


def _addressed(each: Addressed) -> AddressedView:
    return AddressedView(each.characteristic.code, each.characteristic.name, _strength(each.strength), each.score)


def _get_process(process_uuid: UUID) -> Process:
    return get_object_or_404(Process.objects.select_related("category", "unit", "owner__user"), uuid=process_uuid)


def _proposals_url(process: Process) -> str:
    return reverse("plan:proposals", kwargs={"process_uuid": process.uuid})


@require_GET
@requires(Action.PLAN_VIEW)
def proposals(request: AppRequest, process_uuid: UUID) -> HttpResponse:
    assert request.organisation is not None and request.membership is not None
    process = _get_process(process_uuid)
    found = proposals_for(request.organisation, process, timezone.localdate())
    context: dict[str, Any] = {
        "process": process,
        "found": found,
        "ranked": [proposal_view(each) for each in found.ranked],
        "current": whole(found.current) if found.current is not None else None,
        "at_close": whole(found.scan_process.vulnerability)
        if found.scan_process is not None and found.scan_process.vulnerability is not None
        else None,
        "found_live": {line.measure_id for line in found.planned},
        "can_manage": services.may_manage(request.membership),
        "can_see_results": request.membership.can(Action.RESULTS_VIEW_ALL),
    }
    return TemplateResponse(request, "plan/proposals.html", context)


def _chosen_measure(request: AppRequest) -> Measure | None:
    """The catalogue measure named by ``?maatregel=<uuid>``: an active process measure of this organisation."""
    assert request.organisation is not None
    try:
        key = uuid.UUID(str(request.GET.get("maatregel", "")))
    except ValueError:
        return None
    return (
        catalogue_selectors.effective(Measure, organisation=request.organisation)
        .filter(scope=MeasureScope.PROCESS, uuid=key)
        .first()
    )


@dataclass
class Decision:
    """What the adopt and decline pages share: the process, the measure, its what-if and any live line."""

    process: Process
    measure: Measure
    found: WhatIf | None
    existing: Any

    def context(self) -> dict[str, Any]:
        return {
            "process": self.process,
            "measure": self.measure,
            "proposal": proposal_view(self.found.proposal) if self.found else None,
            "existing": self.existing,
            "can_decide": self.found is not None and self.existing is None,
            "query": f"?maatregel={self.measure.uuid}",
        }


def _decision(request: AppRequest, process_uuid: UUID) -> Decision | None:
    assert request.organisation is not None
    process = _get_process(process_uuid)
    measure = _chosen_measure(request)
    if measure is None:
        return None
    found = what_if(request.organisation, process, measure, timezone.localdate())
    return Decision(process, measure, found, live_line(process, measure))


def _no_measure(request: AppRequest, process_uuid: UUID) -> HttpResponse:
    _get_process(process_uuid)  # another organisation's process stays "not found"
    messages.warning(request, _("Deze maatregel staat niet (meer) in de catalogus. Kies een voorstel uit de lijst."))
    return redirect("plan:proposals", process_uuid=process_uuid)


@require_http_methods(["GET", "POST"])
@requires(Action.PLAN_MANAGE)
def proposal_adopt(request: AppRequest, process_uuid: UUID) -> HttpResponse:
    assert request.membership is not None
    decision = _decision(request, process_uuid)
    if decision is None:
        return _no_measure(request, process_uuid)
    process = decision.process
    owners = owner_options()
    default_owner = next((m for m in owners if process.owner_id is not None and m.pk == process.owner_id), None)
    form = AdoptForm(
        request.POST if request.method == "POST" else None,
        owners=owners,
        initial={"owner": str(default_owner.uuid) if default_owner else "", "due_date": default_due_date()},
    )
    if request.method == "POST" and decision.found is not None and decision.existing is None and form.is_valid():
        proposal = decision.found.proposal
        try:
            planned = services.planned_measure_create(
                actor=request.user,
                member=request.membership,
                measure=decision.measure,
                process=process,
                owner=form.cleaned_data["owner"],
                due_date=form.cleaned_data["due_date"],
                note=form.cleaned_data["note"],
                status=MeasureStatus.PLANNED,
                source_scan_process=decision.found.scan_process,
                expected=(proposal.from_score, proposal.to_score),
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                _("“%(measure)s” staat in het actieplan, met %(owner)s als eigenaar.")
                % {"measure": planned.measure.name, "owner": form.cleaned_data["owner"].user},
            )
            return redirect(f"{_proposals_url(process)}#in-het-plan")
    return TemplateResponse(
        request, "plan/proposals_decide.html", {**decision.context(), "form": form, "adopting": True}
    )


@require_http_methods(["GET", "POST"])
@requires(Action.PLAN_MANAGE)
def proposal_decline(request: AppRequest, process_uuid: UUID) -> HttpResponse:
    assert request.membership is not None
    decision = _decision(request, process_uuid)
    if decision is None:
        return _no_measure(request, process_uuid)
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and decision.found is not None and decision.existing is None and form.is_valid():
        proposal = decision.found.proposal
        try:
            services.planned_measure_create(
                actor=request.user,
                member=request.membership,
                measure=decision.measure,
                process=decision.process,
                status=MeasureStatus.REJECTED,
                rejection_reason=form.cleaned_data["reason"],
                source_scan_process=decision.found.scan_process,
                expected=(proposal.from_score, proposal.to_score),
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                _("U heeft “%(measure)s” niet overgenomen. De reden staat bij de afgewezen voorstellen.")
                % {"measure": decision.measure.name},
            )
            return redirect(f"{_proposals_url(decision.process)}#afgewezen")
    return TemplateResponse(
        request, "plan/proposals_decide.html", {**decision.context(), "form": form, "adopting": False}
    )


urlpatterns = [
    path("maatregelen/voorstellen/<uuid:process_uuid>", proposals, name="proposals"),
    path("maatregelen/voorstellen/<uuid:process_uuid>/overnemen", proposal_adopt, name="proposal_adopt"),
    path("maatregelen/voorstellen/<uuid:process_uuid>/afwijzen", proposal_decline, name="proposal_decline"),
]
