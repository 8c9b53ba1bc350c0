"""Rating: a rater's own list of processes to rate and the rating page (with autosave and hand-in).

Independence: these pages only ever show the rater's own values. They never read another
rater's rating or the consensus (see ``selectors.rating``). Someone else's rating is a 404,
even within the organisation.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from weerbaar.catalogue.models import Circumstance
from weerbaar.core.forms import apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.core.services import StaleVersion
from weerbaar.core.views.actions import run_button_action
from weerbaar.register import selectors as register_selectors
from weerbaar.scans import services
from weerbaar.scans.forms.rating import RatingForm, field_error, parse_version
from weerbaar.scans.models import IMPACT_KEYS, RATIONALE_FROM_LEVEL, Certainty, Rating, ScanState
from weerbaar.scans.selectors import rating as selectors
from weerbaar.scans.views.rating_html import confirm_states, rating_form_html

PAGE = "scans/rating_detail.html"


def conflict_message() -> str:
    return _(
        "Deze beoordeling is intussen in een ander venster gewijzigd. Uw laatste keuze is niet opgeslagen. "
        "Herlaad de pagina om de opgeslagen stand te zien en vul daarna opnieuw in."
    )


def _form_conflict_message() -> str:
    return _(
        "Deze beoordeling is intussen in een ander venster gewijzigd. Wat u hier invulde is niet opgeslagen, "
        "maar staat nog in het formulier. Klik nogmaals op Opslaan om deze invoer te bewaren, of herlaad de "
        "pagina om de opgeslagen stand te zien."
    )


def _get_rating(request: AppRequest, rating_uuid: UUID) -> Rating:
    """The member's OWN rating; anyone else's (same or other organisation) is a 404."""
    assert request.membership is not None
    rating = selectors.rating_for_rater(rating_uuid=rating_uuid, rater=request.membership)
    if rating is None:
        raise Http404
    return rating


def _rating_url(rating_uuid: UUID) -> str:
    return reverse("scans:rating", kwargs={"rating_uuid": rating_uuid})


def _form(rating: Rating, circumstances: list[Circumstance], *, data: Any = None) -> RatingForm:
    return RatingForm(
        data,
        initial=RatingForm.initial_for(rating),
        characteristics=selectors.characteristics(),
        circumstances=circumstances,
        register_circumstances=selectors.register_circumstances(rating=rating),
        prefilled=rating.prefilled,
        confirmed=rating.confirmed,
    )


def _circumstances(request: AppRequest) -> list[Circumstance]:
    assert request.organisation is not None
    return register_selectors.internal_circumstances(organisation=request.organisation)


def _state_note(rating: Rating) -> str:
    """Why the rating cannot be changed (the read-only page), in the scan's own terms."""
    state = rating.scan_process.scan.state
    if state == ScanState.DRAFT:
        return _("Deze scan is nog niet geopend. Zodra de coördinator hem opent, kunt u hier beoordelen.")
    handed_in = rating.is_submitted
    if state == ScanState.REVIEW:
        closed = _("Beoordelen is gesloten: de coördinator stelt nu per proces de consensus vast.")
        yours = (
            _("Uw beoordeling is ingeleverd.")
            if handed_in
            else _("Uw beoordeling is niet ingeleverd en telt daarom niet mee.")
        )
        return f"{closed} {yours}"
    return (
        _("Deze scan is afgesloten. Hieronder ziet u wat u heeft ingeleverd; wijzigen kan niet meer.")
        if handed_in
        else _("Deze scan is afgesloten. U heeft deze beoordeling niet ingeleverd; wijzigen kan niet meer.")
    )


def _context(rating: Rating, form: RatingForm) -> dict[str, Any]:
    scan = rating.scan_process.scan
    characteristic_keys = [each.key for each in form.characteristics]
    rows = form.characteristic_rows()
    # The first characteristic still to answer: without a score, or copied from the previous scan and not confirmed.
    first_open = next(
        (row.key for row in rows if not row.score.value() or (row.confirm is not None and not row.confirmed)), None
    )
    context: dict[str, Any] = {
        "rating": rating,
        "scan": scan,
        "process": rating.scan_process.process,
        "form": form,
        "rows": rows,
        "impact_rows": form.impact_rows(),
        "summary": form.summary() if form.is_bound else [],
        "editable": scan.is_open,
        "state_note": "" if scan.is_open else _state_note(rating),
        "sequence": selectors.rating_sequence(rating=rating),
        "filled": selectors.filled_count(rating, characteristic_keys),
        "filled_total": len(characteristic_keys) + len(IMPACT_KEYS),
        "autofocus": first_open if not form.errors else None,
        "selected_circumstances": form.selected_circumstances(),
        "certainty_choices": Certainty.choices,
        "prefilled": bool(rating.prefilled),
        "to_confirm": len(rating.to_confirm),
    }
    if scan.is_open:
        context["form_html"] = rating_form_html(
            form,
            rating=rating,
            rows=rows,
            impact_rows=context["impact_rows"],
            autofocus=context["autofocus"],
            selected=context["selected_circumstances"],
        )
    return context


@require_GET
@requires(Action.SCAN_RATE)
def my_ratings(request: AppRequest) -> HttpResponse:
    """Every scan the member rates in; ``?scan=<uuid>`` shows one scan with its rows page by page."""
    assert request.membership is not None
    asked = request.GET.get("scan", "")
    scan_uuid = _parse_uuid(asked)
    found = selectors.my_ratings(rater=request.membership, scan_uuid=scan_uuid, page=request.GET.get("pagina"))
    return TemplateResponse(
        request,
        "scans/rating_list.html",
        {
            "open_groups": found.open_groups,
            "past_groups": found.past_groups,
            "chosen": found.chosen,
            # A scan that is not (or no longer) in the list: say so and show the overview instead.
            "scan_unknown": bool(asked) and found.chosen is None,
        },
    )


def _parse_uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@requires(Action.SCAN_RATE)
def rating(request: AppRequest, rating_uuid: UUID) -> HttpResponse:
    assert request.membership is not None
    current = _get_rating(request, rating_uuid)
    circumstances = _circumstances(request)
    form = _form(current, circumstances, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not current.scan_process.scan.is_open:
            messages.error(request, _("Deze scan is niet (meer) open voor beoordelen; er is niets opgeslagen."))
            return redirect(_rating_url(current.uuid))
        submit = "inleveren" in request.POST
        if form.is_valid():
            try:
                saved = services.rating_save(
                    actor=request.user,
                    rater=request.membership,
                    rating=current,
                    version=form.cleaned_data["version"],
                    change=form.change(),
                    submit=submit,
                    allowed_circumstances={str(each.uuid) for each in circumstances},
                )
            except StaleVersion:
                # ``current`` was read in this request: its version is the one now stored.
                form.show_conflict(StaleVersion(_form_conflict_message(), code="stale"), current.version)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                return _after_save(request, before=current, saved=saved, submit=submit)
    context = _context(current, form)
    context["submitting"] = request.method == "POST" and "inleveren" in request.POST
    return TemplateResponse(request, PAGE, context)


def _after_save(request: AppRequest, *, before: Rating, saved: Rating, submit: bool) -> HttpResponse:
    name = saved.scan_process.process.name
    if not submit:
        if before.is_submitted and not saved.is_submitted:
            messages.warning(
                request,
                _(
                    "Opgeslagen. Deze beoordeling is niet meer compleet en staat weer op concept; "
                    "lever haar opnieuw in als u klaar bent."
                ),
            )
        else:
            messages.success(request, _("Opgeslagen."))
        return redirect(_rating_url(saved.uuid))
    following = selectors.next_unfinished(rating=saved)
    if following is not None:
        messages.success(
            request,
            _("“%(name)s” is ingeleverd. Hieronder staat het volgende proces dat u nog niet heeft ingeleverd.")
            % {"name": name},
        )
        return redirect(_rating_url(following.uuid))
    messages.success(
        request,
        _("“%(name)s” is ingeleverd. U heeft alle processen van deze scan ingeleverd; dank u wel.") % {"name": name},
    )
    return redirect("scans:my_ratings")


@require_POST
@requires(Action.SCAN_RATE)
def rating_autosave(request: AppRequest, rating_uuid: UUID) -> HttpResponse:
    """Save one field (htmx): answers with out-of-band swaps for the version, status and progress."""
    assert request.membership is not None
    current = _get_rating(request, rating_uuid)
    circumstances = _circumstances(request)
    form = _form(current, circumstances, data=request.POST)
    name = request.POST.get("field", "")
    if name not in form.editable_names():
        return HttpResponseBadRequest(_("Onbekend veld.").encode())
    context: dict[str, Any] = {"field": name, "field_errors": [], "saved": None, "conflict": False, "problem": ""}
    version = parse_version(request.POST.get("version"))
    saved: Rating | None = None
    if version is None:
        context["problem"] = _("Het formulier is beschadigd. Herlaad de pagina; uw laatste keuze is niet opgeslagen.")
    else:
        try:
            value = form.clean_one(name)
            saved = services.rating_save(
                actor=request.user,
                rater=request.membership,
                rating=current,
                version=version,
                change=RatingForm.change_for({name: value}),
                allowed_circumstances={str(each.uuid) for each in circumstances},
            )
        except StaleVersion:
            context["conflict"] = True
            context["problem"] = conflict_message()
        except ValidationError as error:
            context["field_errors"] = field_error(error, name)
            context["problem"] = _("Niet opgeslagen: %(reason)s") % {"reason": " ".join(context["field_errors"])}
    shown = saved or current
    keys = [each.key for each in form.characteristics]
    context.update(
        {
            "rating": shown,
            "saved": saved,
            "reverted": saved is not None and current.is_submitted and not saved.is_submitted,
            "saved_at": time_format(timezone.localtime(), "H:i"),
            "sequence": selectors.rating_sequence(rating=shown),
            "filled": selectors.filled_count(shown, keys),
            "filled_total": len(keys) + len(IMPACT_KEYS),
            "needs_rationale": _needs_rationale(form, saved, name),
            "prefilled": bool(shown.prefilled),
            "to_confirm": len(shown.to_confirm),
            "confirm_oob": confirm_states(shown),
        }
    )
    return TemplateResponse(request, f"{PAGE}#autosaved", context)


def _needs_rationale(form: RatingForm, saved: Rating | None, name: str) -> str:
    """The code of the characteristic just scored 3 or 4 without a rationale (announced after saving)."""
    if saved is None or not name.startswith("score-"):
        return ""
    key = name.removeprefix("score-")
    level = saved.scores.get(key)
    if level is None or level < RATIONALE_FROM_LEVEL or saved.rationales.get(key):
        return ""
    return next((each.code for each in form.characteristics if each.key == key), "")


@require_POST
@requires(Action.SCAN_RATE)
def rating_withdraw(request: AppRequest, rating_uuid: UUID) -> HttpResponse:
    assert request.membership is not None
    rater = request.membership
    current = _get_rating(request, rating_uuid)
    url = _rating_url(current.uuid)
    return run_button_action(
        request,
        perform=lambda version: services.rating_withdraw(
            actor=request.user, rater=rater, rating=current, version=version
        ),
        success=_("Uw beoordeling staat weer op concept. Lever haar opnieuw in als u klaar bent."),
        done=url,
        refused=url,
    )


urlpatterns = [
    path("beoordelen", my_ratings, name="my_ratings"),
    path("beoordelen/<uuid:rating_uuid>", rating, name="rating"),
    path("beoordelen/<uuid:rating_uuid>/opslaan", rating_autosave, name="rating_autosave"),
    path("beoordelen/<uuid:rating_uuid>/terugnemen", rating_withdraw, name="rating_withdraw"),
]
