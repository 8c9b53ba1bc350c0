"""Today's residual risk of the secretaris' top 10: a fragment the start page loads, or a page of its own."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET

from weerbaar.core.http import AppRequest, wants_fragment
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.dashboards.selectors.residual import residual_top


@require_GET
@requires(Action.RESULTS_VIEW_ALL)
def residual_now(request: AppRequest) -> HttpResponse:
    assert request.membership is not None
    context = {"residual": residual_top(request.membership, timezone.localdate())}
    template = "dashboards/_residual_top.html" if wants_fragment(request) else "dashboards/residual_top.html"
    return TemplateResponse(request, template, context)


urlpatterns: list[URLPattern] = [
    path("overzicht/restrisico", residual_now, name="residual_now"),
]
