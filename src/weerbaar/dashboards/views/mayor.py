"""Consultations with the mayor: the overview (next consultation, open agreements, history), one
consultation with its agreements, and the forms to record them. The secretaris and the coordinator
read (``MAYOR_VIEW``); only the secretaris records (``MAYOR_MANAGE``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from weerbaar.core.forms import apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.core.services import StaleVersion
from weerbaar.dashboards import services
from weerbaar.dashboards.mayor_forms import (
    AgreementEditForm,
    AgreementForm,
    AgreementStatusForm,
    ConsultationEditForm,
    ConsultationForm,
)
from weerbaar.dashboards.models import ConsultationAgreement, MayorConsultation
from weerbaar.dashboards.selectors import mayor as selectors

PAGE_SIZE = 20


def _get_consultation(consultation_uuid: UUID) -> MayorConsultation:
    item = selectors.consultation(consultation_uuid)
    if item is None:
        raise Http404
    return item


def _get_agreement(agreement_uuid: UUID) -> ConsultationAgreement:
    item = selectors.agreement(agreement_uuid)
    if item is None:
        raise Http404
    return item


def detail_url(item: MayorConsultation, anchor: str = "") -> str:
    url = reverse("dashboards:consultation_detail", args=[item.uuid])
    return url + (f"#{anchor}" if anchor else "")


@require_GET
@requires(Action.MAYOR_VIEW)
def mayor_overview(request: AppRequest) -> HttpResponse:
    assert request.membership is not None
    today = timezone.localdate()
    page = Paginator(selectors.consultation_history(), PAGE_SIZE).get_page(request.GET.get("pagina"))
    context = {
        "summary": selectors.mayor_summary(today),
        "agreements": selectors.open_agreements(),
        "page": page,
        "today": today,
        "can_manage": request.membership.can(Action.MAYOR_MANAGE),
    }
    return TemplateResponse(request, "dashboards/mayor_overview.html", context)


def _consultation_values(form: ConsultationForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in ("held_on", "topics", "notes", "next_on")}


@require_http_methods(["GET", "POST"])
@requires(Action.MAYOR_MANAGE)
def consultation_create(request: AppRequest) -> HttpResponse:
    assert request.membership is not None
    form = ConsultationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                item = services.consultation_create(
                    actor=request.user, member=request.membership, **_consultation_values(form)
                )
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(
                    request, _("Het overleg is vastgelegd. Voeg hieronder de afspraken toe die zijn gemaakt.")
                )
                return redirect(detail_url(item, "afspraak-toevoegen"))
        status = 422
    return TemplateResponse(
        request, "dashboards/mayor_consultation_form.html", {"form": form, "item": None}, status=status
    )


@require_http_methods(["GET", "POST"])
@requires(Action.MAYOR_MANAGE)
def consultation_update(request: AppRequest, consultation_uuid: UUID) -> HttpResponse:
    assert request.membership is not None
    item = _get_consultation(consultation_uuid)
    initial = {
        "held_on": item.held_on,
        "topics": item.topics,
        "notes": item.notes,
        "next_on": item.next_on,
        "version": item.version,
    }
    form = ConsultationEditForm(request.POST or None, initial=initial)
    current = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                item = services.consultation_update(
                    actor=request.user,
                    member=request.membership,
                    consultation=item,
                    version=form.cleaned_data["version"],
                    **_consultation_values(form),
                )
            except StaleVersion as error:
                current = _get_consultation(consultation_uuid)
                form.show_conflict(error, current.version)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("Het overleg is opgeslagen."))
                return redirect(detail_url(item))
        status = 422
    return TemplateResponse(
        request,
        "dashboards/mayor_consultation_form.html",
        {"form": form, "item": item, "current": current},
        status=status,
    )


def _status_forms(agreements: list[ConsultationAgreement]) -> dict[int, AgreementStatusForm]:
    return {
        each.pk: AgreementStatusForm(
            prefix=f"afspraak-{each.uuid}",
            initial={"status": each.status, "done_on": each.done_on, "version": each.version},
        )
        for each in agreements
    }


def _detail(
    request: AppRequest,
    item: MayorConsultation,
    *,
    add_form: AgreementForm | None = None,
    status_form: tuple[int, AgreementStatusForm] | None = None,
    status: int = 200,
) -> TemplateResponse:
    assert request.membership is not None
    can_manage = request.membership.can(Action.MAYOR_MANAGE)
    agreements = selectors.consultation_agreements(item)
    forms = _status_forms(agreements) if can_manage else {}
    if status_form is not None:
        forms[status_form[0]] = status_form[1]
    if can_manage and add_form is None:
        add_form = AgreementForm()
    if add_form is not None:
        add_form.set_owners(selectors.owner_options())
    rows = [(each, forms.get(each.pk)) for each in agreements]
    context = {
        "item": item,
        "rows": rows,
        "add_form": add_form,
        "can_manage": can_manage,
        "today": timezone.localdate(),
        "is_newest": selectors.is_newest(item),
    }
    return TemplateResponse(request, "dashboards/mayor_consultation_detail.html", context, status=status)


@require_GET
@requires(Action.MAYOR_VIEW)
def consultation_detail(request: AppRequest, consultation_uuid: UUID) -> HttpResponse:
    return _detail(request, _get_consultation(consultation_uuid))


@require_POST
@requires(Action.MAYOR_MANAGE)
def agreement_create(request: AppRequest, consultation_uuid: UUID) -> HttpResponse:
    assert request.membership is not None
    item = _get_consultation(consultation_uuid)
    form = AgreementForm(request.POST)
    form.set_owners(selectors.owner_options())
    if form.is_valid():
        try:
            services.agreement_add(
                actor=request.user,
                member=request.membership,
                consultation=item,
                description=form.cleaned_data["description"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("De afspraak is toegevoegd."))
            return redirect(detail_url(item, "afspraak-toevoegen"))
    return _detail(request, item, add_form=form, status=422)


@require_POST
@requires(Action.MAYOR_MANAGE)
def agreement_status(request: AppRequest, agreement_uuid: UUID) -> HttpResponse:
    assert request.membership is not None
    agreement = _get_agreement(agreement_uuid)
    form = AgreementStatusForm(request.POST, prefix=f"afspraak-{agreement.uuid}")
    if form.is_valid():
        try:
            services.agreement_set_status(
                actor=request.user,
                member=request.membership,
                agreement=agreement,
                version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
                done_on=form.cleaned_data["done_on"],
                note=form.cleaned_data["note"],
            )
        except StaleVersion as error:
            current = _get_agreement(agreement_uuid)
            form.show_conflict(error, current.version)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("De status van de afspraak is opgeslagen."))
            return redirect(detail_url(agreement.consultation, f"afspraak-{agreement.uuid}"))
    return _detail(request, agreement.consultation, status_form=(agreement.pk, form), status=422)


@require_http_methods(["GET", "POST"])
@requires(Action.MAYOR_MANAGE)
def agreement_update(request: AppRequest, agreement_uuid: UUID) -> HttpResponse:
    assert request.membership is not None
    agreement = _get_agreement(agreement_uuid)
    initial = {
        "description": agreement.description,
        "owner": str(agreement.owner.uuid) if agreement.owner else "",
        "due_on": agreement.due_on,
        "status": agreement.status,
        "done_on": agreement.done_on,
        "note": agreement.note,
        "version": agreement.version,
    }
    form = AgreementEditForm(request.POST or None, initial=initial)
    form.set_owners(selectors.owner_options(keep=agreement.owner))
    current = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                agreement = services.agreement_update(
                    actor=request.user,
                    member=request.membership,
                    agreement=agreement,
                    version=data["version"],
                    description=data["description"],
                    owner=data["owner"],
                    due_on=data["due_on"],
                    status=data["status"],
                    done_on=data["done_on"],
                    note=data["note"],
                )
            except StaleVersion as error:
                current = _get_agreement(agreement_uuid)
                form.show_conflict(error, current.version)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("De afspraak is opgeslagen."))
                return redirect(detail_url(agreement.consultation, f"afspraak-{agreement.uuid}"))
        status = 422
    return TemplateResponse(
        request,
        "dashboards/mayor_agreement_form.html",
        {"form": form, "agreement": agreement, "current": current},
        status=status,
    )


urlpatterns = [
    path("burgemeester", mayor_overview, name="mayor_overview"),
    path("burgemeester/nieuw", consultation_create, name="consultation_create"),
    path("burgemeester/<uuid:consultation_uuid>", consultation_detail, name="consultation_detail"),
    path("burgemeester/<uuid:consultation_uuid>/wijzigen", consultation_update, name="consultation_update"),
    path("burgemeester/<uuid:consultation_uuid>/afspraken/nieuw", agreement_create, name="agreement_create"),
    path("burgemeester/afspraken/<uuid:agreement_uuid>/wijzigen", agreement_update, name="agreement_update"),
    path("burgemeester/afspraken/<uuid:agreement_uuid>/status", agreement_status, name="agreement_status"),
]
