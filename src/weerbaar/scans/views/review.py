"""Review and consensus: the coordinator's overview of a scan in review, one process's consensus,
the bulk acceptance where raters agree, and corrections after closing."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaksbr
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.safestring import SafeString, mark_safe
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
from weerbaar.scans.selectors import consensus as consensus_selectors
from weerbaar.scans.selectors import review as selectors
from weerbaar.scans.views.results import url_for_each


def _get_scan(scan_uuid: UUID) -> Scan:
    scan = selectors.scan_for_review(scan_uuid)
    if scan is None:
        raise Http404
    return scan


def _get_review(request: AppRequest, scan_process_uuid: UUID) -> consensus_selectors.ConsensusReview:
    assert request.organisation is not None
    review = consensus_selectors.consensus_review(scan_process_uuid, organisation=request.organisation)
    if review is None:
        raise Http404
    return review


# --- the repeated fragments of the consensus page, rendered in Python -------------------------------
# Thirteen items, each with a table of raters and a row of radio buttons, and a list of circumstances:
# through the template engine they took most of the page's time. The markup is what the templates
# gave; every value is escaped with ``escape`` (the standard library's, which Django's wraps), the
# fixed texts are translated once per page and, as in a template, not escaped.


def _fill(message: str, **values: Any) -> str:
    """A translated message with escaped values filled in, as ``{% blocktranslate %}`` does."""
    return message % {key: escape(str(value)) for key, value in values.items()}


def _br(text: str) -> str:
    """``linebreaksbr`` of escaped text: line breaks kept as ``<br>``."""
    return str(linebreaksbr(text, autoescape=True))


@dataclass(frozen=True)
class ConsensusItems:
    """The consensus page's rendered fragments: a ``<section>`` per characteristic and impact
    dimension, and the ``<li>`` elements of the internal circumstances."""

    characteristics: list[SafeString]
    impact: list[SafeString]
    circumstances: SafeString


class _Renderer:
    def __init__(self, review: consensus_selectors.ConsensusReview) -> None:
        self.review = review
        self.submitted = len(review.submitted)
        self.raters = {
            rating.pk: escape(str(rating.rater.user))
            + (
                f' <span class="muted">({escape(str(rating.get_certainty_display()).lower())})</span>'
                if rating.certainty
                else ""
            )
            for rating in review.submitted
        }
        self.flag = f' <span class="flag"><span aria-hidden="true">⚠</span> {_("verschil van 2 of meer")}</span>'
        self.head = f'<th scope="col">{_("Beoordelaar")}</th><th scope="col" class="num">{_("Score")}</th>'
        self.rationale_head = f'<th scope="col">{_("Toelichting")}</th>'

    def choice_row(self, field: BoundField) -> str:
        """The radio buttons of one item (0–4 or 1–5) in a fieldset, with the field's errors."""
        errors = [escape(str(error)) for error in field.errors]
        auto_id, name = escape(str(field.auto_id)), escape(field.html_name)
        current = f"{field.value()}"
        invalid = ' aria-invalid="true"' if errors else ""
        options = "".join(
            f'<li><input type="radio" name="{name}" value="{escape(str(value))}" id="{auto_id}_{number}"'
            f"{' checked' if str(value) == current else ''}{invalid}> "
            f'<label for="{auto_id}_{number}">{escape(str(label))}</label></li>'
            for number, (value, label) in enumerate(field.field.choices)  # type: ignore[attr-defined]
        )
        messages = "".join(
            f'<p class="field-error" id="{auto_id}_error_{number}">{error}</p>'
            for number, error in enumerate(errors, start=1)
        )
        described = f' aria-describedby="{auto_id}_error_1"' if errors else ""
        return (
            f'<fieldset class="choice-row{" form-field--invalid" if errors else ""}"{described}>\n'
            f"<legend>{escape(str(field.label))}</legend>\n{messages}\n"
            f'<ul class="choice-row__options">\n{options}\n</ul>\n</fieldset>\n'
        )

    def scores(self, item: consensus_selectors.ItemReview) -> str:
        """Every rater's score (and rationale) of one item, and the spread, proposal and consensus."""
        field_name = escape(item.field_name)
        settled = (
            f"<strong>{_fill(_('vastgesteld: %(settled)s'), settled=item.settled)}</strong>"
            if item.settled is not None
            else ""
        )
        if not item.values:
            if settled:
                return f'<p class="item-summary">{settled}</p>\n'
            return f'<p class="item-summary muted">{_("Geen ingeleverde scores.")}</p>\n'
        rows = "\n".join(
            f'<tr><th scope="row">{self.raters[value.rating.pk]}</th>'
            f'<td class="num">{"–" if value.value is None else escape(str(value.value))}</td>'
            + (f'<td class="rationale">{_br(value.rationale or "–")}</td>' if item.code else "")
            + "</tr>"
            for value in item.values
        )
        summary = [_fill(_("Spreiding: %(spread)s"), spread=item.agreement.spread)]
        if item.proposal is not None:
            summary.append(_fill(_("voorstel (mediaan): %(proposal)s"), proposal=item.proposal))
        if settled:
            summary.append(settled)
        caption = _fill(_("Scores van de beoordelaars voor %(name)s"), name=item.name)
        return (
            f'<div class="table-wrap" tabindex="0" role="region" aria-labelledby="caption-{field_name}">\n'
            f'<table class="rater-scores">\n'
            f'<caption class="visually-hidden" id="caption-{field_name}">{caption}</caption>\n'
            f"<thead><tr>{self.head}{self.rationale_head if item.code else ''}</tr></thead>\n"
            f"<tbody>\n{rows}\n</tbody>\n</table>\n</div>\n"
            f'<p class="item-summary">{" · ".join(summary)}</p>\n'
        )

    def item(self, item: consensus_selectors.ItemReview, field: BoundField | None) -> SafeString:
        field_name = escape(item.field_name)
        code = f"{escape(item.code)} " if item.code else ""
        scale = ""
        if item.scale:
            levels = "".join(f"<dt>{escape(level)}</dt><dd>{escape(text)}</dd>" for level, text in item.scale)
            question = _fill(_("Wat betekenen de scores bij %(code)s?"), code=item.code)
            scale = f'<details class="scale">\n<summary>{question}</summary>\n<dl>{levels}</dl>\n</details>\n'
        return mark_safe(  # every value above is escaped
            f'<section class="consensus-item{" consensus-item--flagged" if item.flagged else ""}" '
            f'aria-labelledby="item-{field_name}">\n'
            f'<h3 id="item-{field_name}">{code}{escape(item.name)}{self.flag if item.flagged else ""}</h3>\n'
            f"{self.scores(item)}{self.choice_row(field) if field is not None else ''}{scale}</section>\n"
        )

    def ticked_by(self, each: consensus_selectors.CircumstanceReview, message: str) -> str:
        return _fill(message, counter=each.ticked_by, total=self.submitted)

    def circumstance_options(self, field: BoundField) -> SafeString:
        """The checkboxes of the internal circumstances, each with how many raters ticked it."""
        auto_id, name = escape(str(field.auto_id)), escape(field.html_name)
        current = field.value() or []
        return mark_safe(  # every value is escaped
            "\n".join(
                f'<li><input type="checkbox" name="{name}" value="{escape(each.uuid)}" id="{auto_id}_{number}"'
                f"{' checked' if each.uuid in current else ''}> "
                f'<label for="{auto_id}_{number}">{escape(each.circumstance.name)}</label>\n'
                '<span class="muted">'
                + self.ticked_by(
                    each,
                    ngettext(
                        "(%(counter)s van %(total)s beoordelaars)",
                        "(%(counter)s van %(total)s beoordelaars)",
                        each.ticked_by,
                    ),
                )
                + "</span></li>"
                for number, each in enumerate(self.review.circumstances)
            )
        )

    def ticked_circumstances(self) -> SafeString:
        """Read only: what is in the consensus or was ticked by a rater."""
        settled = f'<span class="muted">({_("in de consensus")})</span>'
        not_settled = f'<span class="muted">({_("niet in de consensus")})</span>'
        items = "\n".join(
            (
                f'<li><span aria-hidden="true">☑</span> <strong>{escape(each.circumstance.name)}</strong> {settled}'
                if each.settled
                else f'<li><span aria-hidden="true">☐</span> {escape(each.circumstance.name)} {not_settled}'
            )
            + '\n<span class="muted">'
            + self.ticked_by(
                each,
                ngettext(
                    "%(counter)s van %(total)s beoordelaars", "%(counter)s van %(total)s beoordelaars", each.ticked_by
                ),
            )
            + "</span></li>"
            for each in self.review.ticked_circumstances
        )
        return mark_safe(  # every value is escaped
            items or f'<li class="muted">{_("Geen interne omstandigheden aangevinkt.")}</li>'
        )


def consensus_items(review: consensus_selectors.ConsensusReview, form: ConsensusForm | None) -> ConsensusItems:
    """Every item of the page, with the form's radio buttons and checkboxes when the consensus can be changed."""
    renderer = _Renderer(review)
    if form is None:
        return ConsensusItems(
            characteristics=[renderer.item(item, None) for item in review.characteristics],
            impact=[renderer.item(item, None) for item in review.impact],
            circumstances=renderer.ticked_circumstances(),
        )
    return ConsensusItems(
        characteristics=[renderer.item(item, field) for item, field in form.characteristic_fields()],
        impact=[renderer.item(item, field) for item, field in form.impact_fields()],
        circumstances=renderer.circumstance_options(form["circumstances"]),
    )


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
        page = selectors.review_page(
            overview,
            choice=choice,
            number=request.GET.get("pagina"),
            url_for=url_for_each("scans:consensus", "scan_process_uuid"),
        )
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


def _done_redirect(request: AppRequest, review: consensus_selectors.ConsensusReview) -> HttpResponse:
    scan_process = review.scan_process
    following = consensus_selectors.next_unsettled(scan_process)
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
        request,
        "scans/consensus_detail.html",
        {
            "review": review,
            "form": form,
            "conflict": conflict,
            "items": None if review.scan.is_draft or review.scan.is_open else consensus_items(review, form),
        },
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
        request,
        "scans/consensus_amend.html",
        {
            "review": review,
            "form": form,
            "conflict": conflict,
            "items": consensus_items(review, form) if form is not None else None,
        },
    )


urlpatterns = [
    path("scans/<uuid:scan_uuid>/consensus", review, name="review"),
    path("scans/<uuid:scan_uuid>/consensus/overnemen", review_accept, name="review_accept"),
    path("consensus/<uuid:scan_process_uuid>", consensus, name="consensus"),
    path("consensus/<uuid:scan_process_uuid>/correctie", consensus_amend, name="consensus_amend"),
]
