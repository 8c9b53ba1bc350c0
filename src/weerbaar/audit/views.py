from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from weerbaar.audit import selectors
from weerbaar.audit.forms import AuditFilterForm
from weerbaar.core.http import AppRequest, wants_fragment
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires

PAGE_SIZE = 50


@require_GET
@vary_on_headers("HX-Request")
@requires(Action.AUDIT_VIEW)
def event_list(request: AppRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = selectors.AuditFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.AuditFilter(
            who=data["who"],
            action=data["action"],
            object=data["object"],
            result=data["result"],
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
    events = selectors.audit_event_list(filters=filters)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    template = "audit/event_list.html#results" if wants_fragment(request) else "audit/event_list.html"
    return TemplateResponse(
        request,
        template,
        {"form": form, "page": page, "query": query.urlencode(), "filtered": any(vars(filters).values())},
    )
