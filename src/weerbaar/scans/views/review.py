"""Review and consensus: the coordinator's overview of a scan in review, one process's consensus,
the bulk acceptance where raters agree, and corrections after closing."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from weerbaar.core.forms import action_error_text, apply_service_error
from weerbaar.core.http import AppRequest, wants_fragment
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.core.services import StaleVersion
from weerbaar.scans import services
from weerbaar.scans.forms.review import ConsensusAmendForm, ConsensusForm, ReviewAcceptForm, ReviewFilterForm
from weerbaar.scans.models import Scan
from weerbaar.scans.selectors import review as selectors


def _get_scan(scan_uuid: UUID) -> Scan:
    scan = selectors.scan_for_review(scan_uuid)
    if scan is None:
        raise Http404
    return scan


def _get_review(request: AppRequest, scan_process_uuid: UUID) -> selectors.ConsensusReview:
    assert request.organisation is not None
    review = selectors.consensus_review(scan_process_uuid, organisation=request.organisation)
    if review is None:
        raise Http404
    return review


@require_GET
@requires(Action.SCAN_MANAGE)
@vary_on_headers("HX-Request")
def review(request: AppRequest, scan_uuid: UUID) -> HttpResponse:
    scan = _get_scan(scan_uuid)
    context: dict[str, Any] = {"scan": scan}
    if scan.in_review or scan.is_closed:
        overview = selectors.review_overview(scan)
        form = ReviewFilterForm(request.GET or None, counts=overview.counts())
        choice = form.choice()
        page = selectors.review_page(overview, choice=choice, number=request.GET.get("pagina"))
        context.update(
            {
                "overview": overview,
                "form": form,
                "choice": choice,
                "page": page,
                "rows": page.object_list,
                "query": urlencode({"toon": choice}),
                "editable": scan.in_review,
            }
        )
    template = "scans/review_overview.html#results" if wants_fragment(request) and "overview" in context else None
    return TemplateResponse(request, template or "scans/review_overview.html", context)


def _overview_url(request: AppRequest, scan: Scan) -> str:
    """Back to the filter and page the bulk acceptance was posted from (both checked, never echoed raw)."""
    url = reverse("scans:review", kwargs={"scan_uuid": scan.uuid})
    query: dict[str, str] = {}
    choice = request.POST.get("toon", "")
    if choice in selectors.FILTERS and choice != "alle":
        query["toon"] = choice
    number = request.POST.get("pagina", "")
    if number.isdecimal() and len(number) <= 6 and int(number) > 1:
        query["pagina"] = str(int(number))
    return f"{url}?{urlencode(query)}" if query else url


@require_POST
@requires(Action.SCAN_MANAGE)
def review_accept(request: AppRequest, scan_uuid: UUID) -> HttpResponse:
    scan = _get_scan(scan_uuid)
    overview = _overview_url(request, scan)
    ids = selectors.scan_process_ids(scan)
    form = ReviewAcceptForm(request.POST, choices=list(ids))
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for messages_ in form.errors.values() for m in messages_))
        return redirect(overview)
    selected: list[int] | None = None
    if form.cleaned_data["bereik"] == "selectie":
        selected = [ids[key] for key in form.cleaned_data["processen"]]
        if not selected:
            messages.error(request, _("Vink eerst de processen aan waarvan u de consensus wilt overnemen."))
            return redirect(overview)
    try:
        accepted = services.consensus_accept_agreed(
            actor=request.user,
            by=request.membership,
            scan=scan,
            version=form.cleaned_data["version"],
            scan_process_ids=selected,
        )
    except ValidationError as error:
        messages.error(request, action_error_text(error))
        return redirect(overview)
    if accepted:
        messages.success(
            request,
            ngettext(
                "Bij %(count)d proces is overgenomen waar de beoordelaars het over eens zijn.",
                "Bij %(count)d processen is overgenomen waar de beoordelaars het over eens zijn.",
                accepted,
            )
            % {"count": accepted},
        )
    else:
        messages.info(
            request,
            _(
                "Er is niets overgenomen: bij geen van deze processen zijn de beoordelaars het zonder "
                "verschil van 2 of meer en zonder ‘onzeker’ eens. Stel de consensus per proces vast."
            ),
        )
    return redirect(overview)


def _done_redirect(request: AppRequest, review: selectors.ConsensusReview) -> HttpResponse:
    scan_process = review.scan_process
    following = selectors.next_unsettled(scan_process)
    process = scan_process.process
    if following is None:
        messages.success(
            request,
            _("De consensus voor %(code)s %(name)s is vastgesteld. Alle processen van deze scan hebben nu consensus.")
            % {"code": process.code, "name": process.name},
        )
        return redirect("scans:review", scan_uuid=review.scan.uuid)
    messages.success(
        request,
        _("De consensus voor %(code)s %(name)s is vastgesteld. Hieronder het volgende proces zonder consensus.")
        % {"code": process.code, "name": process.name},
    )
    return redirect("scans:consensus", scan_process_uuid=following.uuid)


@require_http_methods(["GET", "POST"])
@requires(Action.SCAN_MANAGE)
def consensus(request: AppRequest, scan_process_uuid: UUID) -> HttpResponse:
    review = _get_review(request, scan_process_uuid)
    form: ConsensusForm | None = None
    conflict = False
    if review.scan.in_review:
        form = ConsensusForm(request.POST or None, review=review)
        if request.method == "POST" and form.is_valid():
            try:
                services.consensus_set(
                    actor=request.user,
                    by=request.membership,
                    scan_process=review.scan_process,
                    version=form.cleaned_data["version"],
                    **form.values(),
                )
            except StaleVersion as error:
                # Show what is stored now next to what the user typed; the next save is deliberate.
                review = _get_review(request, scan_process_uuid)
                form = ConsensusForm(request.POST, review=review)
                form.is_valid()
                form.show_conflict(error, review.scan_process.version)
                conflict = True
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                return _done_redirect(request, review)
    elif request.method == "POST":
        messages.error(request, _("Deze scan is niet in de consensusfase; er is niets opgeslagen."))
        return redirect("scans:consensus", scan_process_uuid=review.scan_process.uuid)
    return TemplateResponse(
        request, "scans/consensus_detail.html", {"review": review, "form": form, "conflict": conflict}
    )


@require_http_methods(["GET", "POST"])
@requires(Action.SCAN_MANAGE)
def consensus_amend(request: AppRequest, scan_process_uuid: UUID) -> HttpResponse:
    review = _get_review(request, scan_process_uuid)
    form: ConsensusAmendForm | None = None
    conflict = False
    if review.scan.is_closed:
        form = ConsensusAmendForm(request.POST or None, review=review)
        if request.method == "POST" and form.is_valid():
            try:
                services.consensus_amend(
                    actor=request.user,
                    by=request.membership,
                    scan_process=review.scan_process,
                    version=form.cleaned_data["version"],
                    reason=form.cleaned_data["reason"],
                    **form.values(),
                )
            except StaleVersion as error:
                review = _get_review(request, scan_process_uuid)
                form = ConsensusAmendForm(request.POST, review=review)
                form.is_valid()
                form.show_conflict(error, review.scan_process.version)
                conflict = True
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                process = review.scan_process.process
                messages.success(
                    request,
                    _("De correctie voor %(code)s %(name)s is opgeslagen; de score is opnieuw berekend.")
                    % {"code": process.code, "name": process.name},
                )
                return redirect("scans:consensus", scan_process_uuid=review.scan_process.uuid)
    elif request.method == "POST":
        messages.error(request, _("Een correctie kan alleen bij een afgesloten scan; er is niets opgeslagen."))
        return redirect("scans:consensus_amend", scan_process_uuid=review.scan_process.uuid)
    return TemplateResponse(
        request, "scans/consensus_amend.html", {"review": review, "form": form, "conflict": conflict}
    )


urlpatterns = [
    path("scans/<uuid:scan_uuid>/consensus", review, name="review"),
    path("scans/<uuid:scan_uuid>/consensus/overnemen", review_accept, name="review_accept"),
    path("consensus/<uuid:scan_process_uuid>", consensus, name="consensus"),
    path("consensus/<uuid:scan_process_uuid>/correctie", consensus_amend, name="consensus_amend"),
]
