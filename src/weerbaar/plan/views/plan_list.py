"""The action plan (all lines, filtered and paginated), its Excel export, "Maatregel toevoegen" for
the coordinator, and "mijn maatregelen" for everyone who owns measures.

Each line links to its own page (``plan:measure_detail``), where its status, reviews and evidence
are kept; these pages only list and add.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from weerbaar.catalogue import selectors as catalogue_selectors
from weerbaar.catalogue.models import Measure
from weerbaar.core import selectors as core_selectors
from weerbaar.core.forms import apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.models import Membership
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.plan import services
from weerbaar.plan.export import XLSX_CONTENT_TYPE, plan_export
from weerbaar.plan.forms_list import PlanFilterForm, PlannedMeasureAddForm
from weerbaar.plan.selectors import plan_list as selectors
from weerbaar.register import selectors as register_selectors
from weerbaar.register.models import Process

PAGE_SIZE = 25


def owner_candidates() -> list[Membership]:
    """Active members whose role lets them own a measure (owner choices and the owner filter)."""
    return [member for member in register_selectors.owner_options() if member.can(Action.WORK_OWN)]


def _filter_form(request: AppRequest) -> PlanFilterForm:
    return PlanFilterForm(
        request.GET,
        owners=owner_candidates(),
        unit_options=core_selectors.flatten(core_selectors.unit_tree()),
    )


def _query(request: AppRequest) -> str:
    query = request.GET.copy()
    query.pop("pagina", None)
    return query.urlencode()


@require_GET
@requires(Action.PLAN_VIEW)
def plan_list(request: AppRequest) -> HttpResponse:
    membership = request.membership
    assert membership is not None
    today = timezone.localdate()
    form = _filter_form(request)
    filters = form.plan_filter()
    page = Paginator(selectors.plan_lines(filters, today), PAGE_SIZE).get_page(request.GET.get("pagina"))
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "rows": [selectors.plan_row(line, today) for line in page.object_list],
        "summary": selectors.plan_summary(today),
        "filtered": filters != selectors.PlanFilter(),
        "query": _query(request),
        "can_manage": services.may_manage(membership),
        "today": today,
    }
    return TemplateResponse(request, "plan/plan_list.html", context)


@require_GET
@requires(Action.PLAN_VIEW)
def plan_export_view(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None
    form = _filter_form(request)
    lines = selectors.plan_lines(form.plan_filter(), timezone.localdate())
    content, filename = plan_export(
        actor=request.user, organisation=request.organisation, lines=lines, filters=form.described()
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@requires(Action.PLAN_MANAGE)
def planned_measure_add(request: AppRequest) -> HttpResponse:
    membership, organisation = request.membership, request.organisation
    assert membership is not None and organisation is not None
    measures = list(
        catalogue_selectors.effective(Measure, organisation=organisation).order_by("scope", "position", "name", "pk")
    )
    processes = Process.objects.filter(is_active=True).only("uuid", "name", "code").order_by("name", "pk")
    form = PlannedMeasureAddForm(
        request.POST or None,
        initial={"process": request.GET.get("proces", "")[:40]},
        measures=measures,
        processes=processes,
        owners=owner_candidates(),
    )
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            planned = services.planned_measure_create(
                actor=request.user,
                member=membership,
                measure=values["measure"],
                process=values["process"],
                owner=values["owner"],
                due_date=values["due_date"],
                note=values["note"],
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("“%(name)s” staat nu in het actieplan.") % {"name": planned.measure.name})
            return redirect(reverse("plan:measure_detail", kwargs={"planned_measure_uuid": planned.uuid}))
    return TemplateResponse(request, "plan/plan_list_add.html", {"form": form})


@require_GET
@requires(Action.WORK_OWN)
def my_measures(request: AppRequest) -> HttpResponse:
    membership = request.membership
    assert membership is not None
    today = timezone.localdate()
    context = {
        "mine": selectors.my_measures(membership, today),
        "today": today,
        "sees_plan": membership.can(Action.PLAN_VIEW),
    }
    return TemplateResponse(request, "plan/my_measures.html", context)


urlpatterns = [
    path("actieplan", plan_list, name="plan_list"),
    path("actieplan/exporteren", plan_export_view, name="plan_export"),
    path("actieplan/maatregel-toevoegen", planned_measure_add, name="planned_measure_add"),
    path("mijn-maatregelen", my_measures, name="my_measures"),
]
