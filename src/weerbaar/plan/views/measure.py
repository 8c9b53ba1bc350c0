"""One line of the action plan: its page, the forms on it (each with its own POST URL), and evidence files.

Who sees a line is decided in `weerbaar.plan.selectors.measure_page.may_see_line` (the coordinator
and the secretaris, and the line's owner); anyone else gets "not found". Who may change it is the
services' rule (`may_update`, `may_manage`): the page shows only the forms that person may use.
Evidence files are only ever sent as downloads, never shown inline.
"""

from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import quote
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from weerbaar.core import selectors as core_selectors
from weerbaar.core.forms import VersionedForm, apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.models import Membership
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.core.services import StaleVersion
from weerbaar.plan import services
from weerbaar.plan.forms import EvidenceForm, PlanEditForm, ReviewForm, StatusForm
from weerbaar.plan.models import EvidenceFile, MeasureStatus, PlannedMeasure
from weerbaar.plan.selectors import measure_page as selectors
from weerbaar.plan.services.measures import OWNER_MOVES
from weerbaar.scans.selectors.results import may_see_results, whole

FORM_PREFIXES = {"status": "status", "review": "herziening", "evidence": "bewijs", "edit": "wijzigen"}


def _line(request: AppRequest, planned_measure_uuid: UUID) -> PlannedMeasure:
    assert request.membership is not None
    planned = selectors.line_for(request.membership, planned_measure_uuid)
    if planned is None:
        raise Http404
    return planned


def _detail_url(planned: PlannedMeasure) -> str:
    return reverse("plan:measure_detail", kwargs={"planned_measure_uuid": planned.uuid})


def allowed_statuses(member: Membership, planned: PlannedMeasure) -> list[str]:
    """The moves this member may make from the current status, in the order of the status list."""
    if services.may_manage(member):
        moves: frozenset[str] = frozenset(MeasureStatus.values) - {planned.status}
    elif services.may_update(member, planned):
        moves = OWNER_MOVES[planned.status]
    else:
        moves = frozenset()
    return [value for value in MeasureStatus.values if value in moves]


def _unit_choices(planned: PlannedMeasure, chosen: list[Any]) -> list[tuple[Any, str]]:
    options = [(node.unit, node.path) for node in core_selectors.unit_options()]
    known = {unit.pk for unit, _label in options}
    # Units reached earlier stay choosable even when archived, so saving never drops them silently.
    options.extend((unit, f"{unit.name} ({_('gearchiveerd')})") for unit in chosen if unit.pk not in known)
    return options


def _forms(
    request: AppRequest, planned: PlannedMeasure, detail: selectors.LineDetail, bound: dict[str, Any]
) -> dict[str, Any]:
    """Every form the member may use on this line: the bound one that failed, fresh ones for the rest."""
    member = request.membership
    assert member is not None
    today = timezone.localdate()
    out: dict[str, Any] = {"status_form": None, "review_form": None, "evidence_form": None, "edit_form": None}
    if not services.may_update(member, planned):
        return out
    statuses = allowed_statuses(member, planned)
    out["replaced_by"] = selectors.other_live_line(planned)
    if out["replaced_by"] is not None:
        # A newer line for the same measure is live: taking this one up again would make two.
        statuses = []
    # A form that came back with an error is always shown, even if the line moved on meanwhile.
    if statuses or "status_form" in bound:
        out["status_form"] = bound.get("status_form") or StatusForm(
            statuses=statuses, initial={"version": planned.version}, prefix=FORM_PREFIXES["status"]
        )
    if planned.status == MeasureStatus.IMPLEMENTED or "review_form" in bound:
        out["review_form"] = bound.get("review_form") or ReviewForm(
            initial={"reviewed_on": today, "version": planned.version}, prefix=FORM_PREFIXES["review"]
        )
    if planned.status != MeasureStatus.REJECTED or "evidence_form" in bound:
        out["evidence_form"] = bound.get("evidence_form") or EvidenceForm(prefix=FORM_PREFIXES["evidence"])
    if services.may_manage(member):
        out["edit_form"] = bound.get("edit_form") or _edit_form(request, planned, detail, None)
    return out


def _edit_form(request: AppRequest, planned: PlannedMeasure, detail: selectors.LineDetail, data: Any) -> PlanEditForm:
    return PlanEditForm(
        data,
        owners=selectors.owner_options(keep=planned.owner),
        units=_unit_choices(planned, detail.units) if planned.is_organisation_wide else (),
        organisation_wide=planned.is_organisation_wide,
        initial=PlanEditForm.initial_for(planned, [str(unit.uuid) for unit in detail.units]),
        prefix=FORM_PREFIXES["edit"],
    )


def _page(
    request: AppRequest, planned: PlannedMeasure, *, conflict: bool = False, bound: dict[str, Any] | None = None
) -> TemplateResponse:
    member = request.membership
    assert member is not None
    today = timezone.localdate()
    detail = selectors.line_detail(planned, today)
    process = planned.process
    sees_scores = process is not None and may_see_results(member, process)
    context: dict[str, Any] = {
        "planned": planned,
        "detail": detail,
        "life": detail.life,
        "today": today,
        "conflict": conflict,
        "can_update": services.may_update(member, planned),
        "can_manage": services.may_manage(member),
        "can_plan_view": member.can(Action.PLAN_VIEW),
        "sees_scores": sees_scores,
        "expected_from": whole(planned.expected_from) if sees_scores and planned.expected_from is not None else None,
        "expected_to": whole(planned.expected_to) if sees_scores and planned.expected_to is not None else None,
        "overdue": planned.is_open and planned.due_date is not None and planned.due_date < today,
        **_forms(request, planned, detail, bound or {}),
    }
    return TemplateResponse(request, "plan/measure_detail.html", context)


def _require_update(request: AppRequest, planned: PlannedMeasure) -> Membership:
    member = request.membership
    assert member is not None
    if not services.may_update(member, planned):
        raise PermissionDenied
    return member


@require_GET
@requires(Action.WORK_OWN)
def measure_detail(request: AppRequest, planned_measure_uuid: UUID) -> HttpResponse:
    return _page(request, _line(request, planned_measure_uuid))


def _save(
    request: AppRequest,
    planned: PlannedMeasure,
    form: VersionedForm,
    name: str,
    perform: Any,
    success: str,
) -> HttpResponse:
    """Run a versioned form's service call; on failure the page comes back with the input kept."""
    if form.is_valid():
        try:
            perform(planned, form.cleaned_data)
        except StaleVersion as error:
            # Show the line as it is now, and keep what was typed with the new version for a deliberate retry.
            planned = _line(request, planned.uuid)
            form.show_conflict(error, planned.version)
            return _page(request, planned, conflict=True, bound={name: form})
        except ValidationError as error:
            apply_service_error(form, error)
        except IntegrityError:
            # Two people took up the same measure at the same moment; the constraint kept one live line.
            form.add_error(None, _("Deze maatregel staat al in het actieplan. Open die regel om hem bij te werken."))
        else:
            messages.success(request, success)
            return redirect(_detail_url(planned))
    return _page(request, planned, bound={name: form})


@require_POST
@requires(Action.WORK_OWN)
def measure_status(request: AppRequest, planned_measure_uuid: UUID) -> HttpResponse:
    planned = _line(request, planned_measure_uuid)
    member = _require_update(request, planned)
    form = StatusForm(request.POST, statuses=allowed_statuses(member, planned), prefix=FORM_PREFIXES["status"])

    def perform(line: PlannedMeasure, data: dict[str, Any]) -> None:
        services.planned_measure_set_status(
            actor=request.user,
            member=member,
            planned=line,
            version=data["version"],
            status=data["status"],
            reason=data.get("reason", ""),
            implemented_on=data.get("implemented_on"),
        )

    return _save(request, planned, form, "status_form", perform, _("De status is bijgewerkt."))


@require_POST
@requires(Action.WORK_OWN)
def measure_review(request: AppRequest, planned_measure_uuid: UUID) -> HttpResponse:
    planned = _line(request, planned_measure_uuid)
    member = _require_update(request, planned)
    form = ReviewForm(request.POST, prefix=FORM_PREFIXES["review"])

    def perform(line: PlannedMeasure, data: dict[str, Any]) -> None:
        services.measure_review_add(
            actor=request.user,
            member=member,
            planned=line,
            version=data["version"],
            reviewed_on=data["reviewed_on"],
            effectiveness=data["effectiveness"],
            note=data["note"],
        )

    success = _("De herziening is vastgelegd.")
    return _save(request, planned, form, "review_form", perform, success)


@require_POST
@requires(Action.PLAN_MANAGE)
def measure_edit(request: AppRequest, planned_measure_uuid: UUID) -> HttpResponse:
    planned = _line(request, planned_measure_uuid)
    member = request.membership
    assert member is not None
    detail = selectors.line_detail(planned, timezone.localdate())
    form = _edit_form(request, planned, detail, request.POST)

    def perform(line: PlannedMeasure, data: dict[str, Any]) -> None:
        services.planned_measure_update(
            actor=request.user,
            member=member,
            planned=line,
            version=data["version"],
            owner=data["owner"],
            due_date=data["due_date"],
            estimated_hours=data["estimated_hours"],
            note=data["note"],
            review_cadence_months=data["review_cadence_months"],
            reaches_all_units=data.get("reaches_all_units", False),
            units=form.chosen_units(),
        )

    return _save(request, planned, form, "edit_form", perform, _("De wijzigingen zijn opgeslagen."))


@require_POST
@requires(Action.WORK_OWN)
def evidence_add(request: AppRequest, planned_measure_uuid: UUID) -> HttpResponse:
    planned = _line(request, planned_measure_uuid)
    member = _require_update(request, planned)
    form = EvidenceForm(request.POST, request.FILES, prefix=FORM_PREFIXES["evidence"])
    if form.is_valid():
        try:
            services.evidence_add(
                actor=request.user,
                member=member,
                planned=planned,
                note=form.cleaned_data["note"],
                upload=form.cleaned_data["file"] or None,
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("Het bewijsstuk is toegevoegd."))
            return redirect(_detail_url(planned))
    return _page(request, planned, bound={"evidence_form": form})


@require_POST
@requires(Action.WORK_OWN)
def evidence_withdraw(request: AppRequest, evidence_uuid: UUID) -> HttpResponse:
    assert request.membership is not None
    evidence = selectors.evidence_for(request.membership, evidence_uuid)
    if evidence is None:
        raise Http404
    member = _require_update(request, evidence.planned_measure)
    services.evidence_withdraw(actor=request.user, member=member, evidence=evidence)
    messages.success(request, _("Het bewijsstuk is ingetrokken. Het staat niet meer bij de maatregel."))
    return redirect(_detail_url(evidence.planned_measure))


def attachment_header(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact name in RFC 5987 form (``filename*``)."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    ascii_name = "".join(ch if ch.isprintable() and ch not in '"\\;' else "_" for ch in ascii_name).strip() or "bestand"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"


@require_GET
@requires(Action.WORK_OWN)
def evidence_download(request: AppRequest, evidence_uuid: UUID) -> HttpResponse:
    assert request.membership is not None
    evidence = selectors.evidence_for(request.membership, evidence_uuid)
    if evidence is None or not evidence.has_file:
        raise Http404
    stored = EvidenceFile.objects.filter(evidence=evidence).only("content").first()
    if stored is None:
        raise Http404
    services.record_evidence_download(actor=request.user, evidence=evidence)
    response = HttpResponse(bytes(stored.content), content_type=evidence.content_type or "application/octet-stream")
    response["Content-Disposition"] = attachment_header(evidence.filename)
    response["X-Content-Type-Options"] = "nosniff"
    # Even a browser that ignores "attachment" gets no script, no plug-ins, no same-origin access.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("actieplan/<uuid:planned_measure_uuid>", measure_detail, name="measure_detail"),
    path("actieplan/<uuid:planned_measure_uuid>/status", measure_status, name="measure_status"),
    path("actieplan/<uuid:planned_measure_uuid>/herziening", measure_review, name="measure_review"),
    path("actieplan/<uuid:planned_measure_uuid>/wijzigen", measure_edit, name="measure_edit"),
    path("actieplan/<uuid:planned_measure_uuid>/bewijs", evidence_add, name="evidence_add"),
    path("actieplan/bewijs/<uuid:evidence_uuid>", evidence_download, name="evidence_download"),
    path("actieplan/bewijs/<uuid:evidence_uuid>/intrekken", evidence_withdraw, name="evidence_withdraw"),
]
