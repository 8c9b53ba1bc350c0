"""Results: the heat map and priority list of a scan, one process's result explained, the export.

Who sees which result is decided once, in `weerbaar.scans.selectors.results.visible_results`;
these views only ever start from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from weerbaar.catalogue import selectors as catalogue_selectors
from weerbaar.core import selectors as core_selectors
from weerbaar.core.http import AppRequest, wants_fragment
from weerbaar.core.models import Membership
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.plan.selectors.acceptance import acceptance_status
from weerbaar.plan.selectors.residual_page import residual_view
from weerbaar.register import selectors as register_selectors
from weerbaar.scans.explain import explain
from weerbaar.scans.forms.results import ResultFilterForm
from weerbaar.scans.models import Scan
from weerbaar.scans.selectors import heatmap
from weerbaar.scans.selectors import process_result as process_selectors
from weerbaar.scans.selectors import results as selectors
from weerbaar.scans.selectors import trend as trend_selectors
from weerbaar.scans.services.results_export import XLSX_CONTENT_TYPE, results_export

PAGE_SIZE = 50


def _filters(
    request: AppRequest, membership: Membership
) -> tuple[ResultFilterForm, list[Scan], Scan | None, selectors.ResultFilter]:
    """The filter form, the scans to choose from, the chosen scan and the filter; the export shares it."""
    scans = selectors.result_scans(membership)
    default = selectors.default_scan(scans)
    form = ResultFilterForm(
        request.GET,
        scans=scans,
        unit_options=core_selectors.flatten(core_selectors.unit_tree()),
        categories=catalogue_selectors.category_list(),
        owners=register_selectors.owner_options() if selectors.sees_all(membership) else None,
    )
    scan, filters = default, selectors.ResultFilter()
    if form.is_valid():
        values = form.cleaned_data
        scan = values["scan"] or default
        filters = selectors.ResultFilter(
            unit=values["afdeling"],
            category=values["categorie"],
            owner=values.get("eigenaar"),
            likelihood=values["kans"],
            impact=values["impact"],
        )
    return form, scans, scan, filters


def url_for_each(name: str, kwarg: str, *, query: str = "") -> Callable[[UUID], str]:
    """The URL of ``name`` for any UUID, with ``reverse`` run once rather than once per row of a list.

    Every row's URL differs only in the UUID, so the URL of a stand-in UUID is split around it.
    """
    stand_in = UUID(int=0)
    head, found, tail = reverse(name, kwargs={kwarg: stand_in}).partition(str(stand_in))
    assert found, name
    return lambda value: f"{head}{value}{tail}{query}"


def _query(request: AppRequest, *drop: str) -> str:
    query = request.GET.copy()
    for key in ("pagina", *drop):
        query.pop(key, None)
    return query.urlencode()


@require_GET
@requires(Action.RESULTS_VIEW)
@vary_on_headers("HX-Request")
def results(request: AppRequest) -> HttpResponse:
    membership = request.membership
    assert membership is not None
    form, scans, scan, filters = _filters(request, membership)
    context: dict[str, Any] = {
        "form": form,
        "scan": scan,
        "scans": scans,
        "sees_all": selectors.sees_all(membership),
        "query": _query(request),
        "cell_query": _query(request, "kans", "impact"),
        "cell_filtered": filters.likelihood is not None or filters.impact is not None,
        "risk_classes": selectors.RISK_CLASSES,
        "review_scans": [each for each in scans if each.in_review],
    }
    if scan is not None:
        heat = heatmap.heat_map(
            selectors.scan_results(membership, scan, filters), selected=filters, cell_query=context["cell_query"]
        )
        result_url = url_for_each("scans:process_result", "process_uuid", query=f"?scan={scan.uuid}")
        # Each row also links to the plan's proposals for its process, for who may see the plan.
        can_plan = membership.can(Action.PLAN_VIEW)
        proposals_url = url_for_each("plan:proposals", "process_uuid")
        plan_urls: dict[str, str] = {}

        def url_for(uuid: UUID) -> str:
            url = result_url(uuid)
            if can_plan:
                plan_urls[url] = proposals_url(uuid)
            return url

        page = selectors.priority_page(
            membership,
            scan,
            filters,
            count=heat.count(filters.likelihood, filters.impact),
            number=request.GET.get("pagina"),
            per_page=PAGE_SIZE,
            url_for=url_for,
        )
        for row in page.object_list:
            row["plan_url"] = plan_urls.get(row["url"], "")  # type: ignore[typeddict-unknown-key]
        context.update(
            {
                "can_plan": can_plan,
                "heat": heat,
                "page": page,
                "rows": page.object_list,
                "filtered": filters != selectors.ResultFilter(),
                "trend": trend_selectors.scan_trend(membership, scan, scans, filters),
                "trend_filtered": (filters.unit, filters.category, filters.owner) != (None, None, None),
            }
        )
    template = "scans/results_overview.html#results" if wants_fragment(request) else "scans/results_overview.html"
    return TemplateResponse(request, template, context)


@require_GET
@requires(Action.RESULTS_VIEW)
def results_export_view(request: AppRequest) -> HttpResponse:
    membership = request.membership
    assert membership is not None and request.organisation is not None
    form, _scans, scan, filters = _filters(request, membership)
    if scan is None:
        messages.warning(request, _("Er is nog geen afgesloten scan, dus nog niets om te exporteren."))
        return redirect("scans:results")
    rows = selectors.result_rows(selectors.priority_list(membership, scan, filters).only(*selectors.LIST_FIELDS))
    content, filename = results_export(
        actor=request.user, organisation=request.organisation, scan=scan, rows=rows, filters=form.described()
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@requires(Action.RESULTS_VIEW)
def process_result(request: AppRequest, process_uuid: UUID) -> HttpResponse:
    membership = request.membership
    assert membership is not None
    process = process_selectors.process_for_results(membership, process_uuid)
    if process is None:
        raise Http404
    sees_all = selectors.sees_all(membership)
    history = process_selectors.process_history(membership, process)
    entry = process_selectors.chosen_entry(history, request.GET.get("scan"))
    context: dict[str, Any] = {"process": process, "history": history, "entry": entry, "sees_all": sees_all}
    if entry is not None:
        result = entry.result
        characteristics = process_selectors.characteristics_by_key()
        keys = [
            str(each.get("key", ""))
            for each in result.explanation.get("contributions", [])
            if isinstance(each, dict) and each.get("kind") in ("circumstance", "context")
        ]
        explained = explain(
            result, characteristics=characteristics, circumstances=process_selectors.circumstance_names(keys)
        )
        spread, impact_spread, raters = process_selectors.rater_spread(
            result, list(characteristics.values()), with_raters=sees_all
        )
        context.update(
            {
                "result": result,
                "explained": explained,
                "spread": spread,
                "impact_spread": impact_spread,
                "raters": raters,
                "measures_changed": explained.inherent != explained.total,
            }
        )
        if any(not each.provisional for each in history):
            # Residual risk now: the latest closed result with today's measures (a fixed number of queries).
            assert request.organisation is not None
            context["residual"] = residual_view(membership, request.organisation, process, timezone.localdate())
            context["acceptance_status"] = acceptance_status(membership, process, timezone.localdate())
    return TemplateResponse(request, "scans/results_process.html", context)


urlpatterns = [
    path("resultaten", results, name="results"),
    path("resultaten/exporteren", results_export_view, name="results_export"),
    path("resultaten/processen/<uuid:process_uuid>", process_result, name="process_result"),
]
