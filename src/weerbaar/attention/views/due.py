"""The attention overview (the indicator, the ways in, the top five overdue items), the due list and its export."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from weerbaar.attention.export import XLSX_CONTENT_TYPE, due_export
from weerbaar.attention.forms import DueFilterForm
from weerbaar.attention.selectors import due as selectors
from weerbaar.attention.selectors.activities import owner_options
from weerbaar.attention.selectors.indicator import attention_indicator
from weerbaar.core.http import AppRequest
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires

PAGE_SIZE = 50


def _link_rights(request: AppRequest) -> dict[str, bool]:
    """Which page a row links to depends on the viewer: the form where they can act, else a page they may read."""
    assert request.membership is not None
    return {
        "can_edit_register": request.membership.can(Action.REGISTER_EDIT),
        "can_accept_risk": request.membership.can(Action.RISK_ACCEPT),
    }


@require_GET
@requires(Action.ATTENTION_VIEW)
def overview(request: AppRequest) -> HttpResponse:
    assert request.membership is not None
    today = timezone.localdate()
    context = {
        "indicator": attention_indicator(today),
        "overdue": selectors.top_overdue(today),
        "can_view_plan": request.membership.can(Action.PLAN_VIEW),
        **_link_rights(request),
    }
    return TemplateResponse(request, "attention/overview.html", context)


def _filters(request: AppRequest) -> tuple[DueFilterForm, selectors.DueFilter]:
    """The filter form and what it asks; unusable input shows an error and filters nothing."""
    form = DueFilterForm(request.GET or None)
    form.set_owners(owner_options())
    if not form.is_bound or not form.is_valid():
        return form, selectors.DueFilter()
    data = form.cleaned_data
    return form, selectors.DueFilter(
        kind=data.get("soort") or "", owner=data.get("eigenaar"), overdue_only=bool(data.get("alleen_te_laat"))
    )


@require_GET
@requires(Action.ATTENTION_VIEW)
def due_list(request: AppRequest) -> HttpResponse:
    assert request.membership is not None
    today = timezone.localdate()
    form, filters = _filters(request)
    rows = selectors.due_rows(today, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "form": form,
        "page": page,
        "rows": page.object_list,
        "overdue_count": sum(1 for row in rows if row.is_overdue),
        "total": len(rows),
        "query": query.urlencode(),
        "filtered": filters != selectors.DueFilter(),
        **_link_rights(request),
        "screening_horizon": selectors.SCREENING_HORIZON_DAYS,
    }
    return TemplateResponse(request, "attention/due_list.html", context)


@require_GET
@requires(Action.ATTENTION_VIEW)
def due_list_export(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None
    today = timezone.localdate()
    form, filters = _filters(request)
    rows = selectors.due_rows(today, filters)
    content, filename = due_export(
        actor=request.user, organisation=request.organisation, rows=rows, filters=form.described()
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("aandacht", overview, name="overview"),
    path("aandacht/te-doen", due_list, name="due_list"),
    path("aandacht/te-doen/exporteren", due_list_export, name="due_export"),
]
