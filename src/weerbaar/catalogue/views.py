"""The catalogue pages: the eight characteristics, categories, reference processes, circumstances,
measures, what changed per release, and the forms for an organisation's own entries.

An entry is addressed by its *ref*: the key of a national entry, or the uuid of an own entry.
Another organisation's own entry is not found (404); national entries are the same for everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from weerbaar.catalogue import selectors, services
from weerbaar.catalogue.forms import (
    EFFECT_PREFIX,
    CircumstanceEditForm,
    CircumstanceForm,
    MeasureEditForm,
    MeasureForm,
    ProcessFilterForm,
    ReferenceProcessEditForm,
    ReferenceProcessForm,
)
from weerbaar.catalogue.models import (
    CatalogueEntry,
    Characteristic,
    Circumstance,
    Measure,
    MeasureEffect,
    ReferenceProcess,
)
from weerbaar.core.forms import VersionedForm, apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.core.services import StaleVersion
from weerbaar.core.views.actions import run_button_action

PAGE_SIZE = 25


@dataclass(frozen=True)
class Kind:
    """What differs between reference processes, circumstances and measures on the shared pages."""

    model: type[CatalogueEntry]
    name: str  # url-name prefix and template prefix
    label: Any
    create_form: type[Any]
    edit_form: type[Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    archive: Callable[..., Any]
    service_arg: str  # the keyword the update and archive services take the entry by

    def url(self, action: str) -> str:
        return f"catalogue:{self.name}_{action}"

    def reverse(self, action: str, entry: CatalogueEntry | None = None) -> str:
        if entry is None:
            return reverse(self.url(action))
        kwarg = f"{self.name}_key" if action == "own_version" else f"{self.name}_ref"
        return reverse(self.url(action), kwargs={kwarg: entry.ref})


PROCESSES = Kind(
    ReferenceProcess,
    "process",
    gettext_lazy("referentieproces"),
    ReferenceProcessForm,
    ReferenceProcessEditForm,
    services.reference_process_create,
    services.reference_process_update,
    services.reference_process_archive,
    "process",
)
CIRCUMSTANCES = Kind(
    Circumstance,
    "circumstance",
    gettext_lazy("omstandigheid"),
    CircumstanceForm,
    CircumstanceEditForm,
    services.circumstance_create,
    services.circumstance_update,
    services.circumstance_archive,
    "circumstance",
)
MEASURES = Kind(
    Measure,
    "measure",
    gettext_lazy("maatregel"),
    MeasureForm,
    MeasureEditForm,
    services.measure_create,
    services.measure_update,
    services.measure_archive,
    "measure",
)


def _characteristics() -> list[Characteristic]:
    return list(selectors.characteristic_list())


def _form_options(kind: Kind) -> dict[str, Any]:
    options: dict[str, Any] = {"characteristics": _characteristics()}
    if kind is PROCESSES:
        options["categories"] = list(selectors.category_list())
    return options


def _initial(entry: CatalogueEntry) -> dict[str, Any]:
    """The form values of an entry: to prefill an own version, or to edit an own entry."""
    initial: dict[str, Any] = {"name": entry.name, "description": entry.description, "version": entry.version}
    if isinstance(entry, ReferenceProcess):
        initial |= {"category": entry.category.key, "typical_unit": entry.typical_unit}
    if isinstance(entry, Circumstance | Measure):
        initial["group"] = entry.group
    if isinstance(entry, ReferenceProcess | Circumstance):
        initial["characteristics"] = [c.key for c in entry.characteristics.all()]
    if isinstance(entry, Measure):
        initial |= {"scope": entry.scope, "review_cadence_months": entry.review_cadence_months}
        for effect in entry.effects.select_related("characteristic"):
            initial[f"{EFFECT_PREFIX}{effect.characteristic.key}"] = str(effect.strength)
    return initial


def _detail_related(kind: Kind, entry: CatalogueEntry) -> dict[str, Any]:
    if kind is MEASURES:
        effects = (
            MeasureEffect.objects.filter(measure_id=entry.pk)
            .select_related("characteristic")
            .order_by("-strength", "characteristic__position")
        )
        return {"effects": list(effects)}
    return {"characteristics": list(entry.characteristics.order_by("position"))}  # type: ignore[attr-defined]


# --- overview pages --------------------------------------------------------------------------


@require_GET
@requires(Action.CATALOGUE_VIEW)
def catalogue_home(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None
    organisation = request.organisation
    return TemplateResponse(
        request,
        "catalogue/home.html",
        {
            "characteristics": _characteristics(),
            "categories": list(selectors.category_list()),
            "release": selectors.latest_release(),
            "counts": {
                "processes": selectors.effective(ReferenceProcess, organisation=organisation).count(),
                "circumstances": selectors.effective(Circumstance, organisation=organisation).count(),
                "measures": selectors.effective(Measure, organisation=organisation).count(),
            },
        },
    )


@require_GET
@requires(Action.CATALOGUE_VIEW)
def release_list(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None
    return TemplateResponse(
        request,
        "catalogue/release_list.html",
        {"releases": selectors.release_list(organisation=request.organisation)},
    )


@require_GET
@requires(Action.CATALOGUE_VIEW)
def process_list(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None and request.membership is not None
    categories = list(selectors.category_list())
    form = ProcessFilterForm(request.GET or None, categories=categories, characteristics=_characteristics())
    filters = selectors.ProcessFilter()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.ProcessFilter(
            query=data["q"].strip(), category=data["categorie"], characteristic=data["kenmerk"], origin=data["herkomst"]
        )
    processes = selectors.reference_process_list(organisation=request.organisation, filters=filters)
    page = Paginator(processes, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": filters != selectors.ProcessFilter(),
        "can_manage": request.membership.can(Action.CATALOGUE_MANAGE),
    }
    template = "catalogue/process_list.html#results" if request.htmx else "catalogue/process_list.html"
    return TemplateResponse(request, template, context)


@require_GET
@requires(Action.CATALOGUE_VIEW)
def circumstance_list(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None and request.membership is not None
    circumstances = selectors.circumstance_list(organisation=request.organisation)
    return TemplateResponse(
        request,
        "catalogue/circumstance_list.html",
        {
            "kinds": selectors.group_circumstances(circumstances),
            "can_manage": request.membership.can(Action.CATALOGUE_MANAGE),
        },
    )


@require_GET
@requires(Action.CATALOGUE_VIEW)
def measure_list(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None and request.membership is not None
    measures = selectors.measure_list(organisation=request.organisation)
    return TemplateResponse(
        request,
        "catalogue/measure_list.html",
        {
            "groups": selectors.group_measures(measures),
            "can_manage": request.membership.can(Action.CATALOGUE_MANAGE),
        },
    )


# --- one entry: detail, add, own version, edit, archive --------------------------------------


def _detail(request: AppRequest, kind: Kind, ref: str) -> HttpResponse:
    assert request.organisation is not None and request.membership is not None
    entry = selectors.get_entry(kind.model, ref)
    own_version = (
        selectors.own_version_of(kind.model, entry, organisation=request.organisation) if entry.is_national else None
    )
    urls = {"list": kind.reverse("list")}
    if entry.is_national:
        urls["own_version"] = kind.reverse("own_version", entry)
    else:
        urls |= {"update": kind.reverse("update", entry), "archive": kind.reverse("archive", entry)}
    if own_version is not None:
        urls["own"] = kind.reverse("detail", own_version)
    if entry.based_on is not None:
        urls["national"] = kind.reverse("detail", entry.based_on)
    context = {
        "kind": kind,
        "entry": entry,
        "urls": urls,
        "own_version": own_version,
        "can_manage": request.membership.can(Action.CATALOGUE_MANAGE),
        "archive_form": VersionedForm(initial={"version": entry.version}),
        **_detail_related(kind, entry),
    }
    return TemplateResponse(request, f"catalogue/{kind.name}_detail.html", context)


def _save_form(
    request: AppRequest, kind: Kind, *, form: Any, entry: CatalogueEntry | None, based_on: CatalogueEntry | None
) -> tuple[Any, CatalogueEntry | None]:
    """Run the service for a valid form; returns (saved entry or None, the current entry on a conflict)."""
    assert request.organisation is not None
    try:
        if entry is None:
            saved = kind.create(
                actor=request.user, organisation=request.organisation, based_on=based_on, **form.service_fields()
            )
        else:
            saved = kind.update(
                actor=request.user,
                version=form.cleaned_data["version"],
                **{kind.service_arg: entry},
                **form.service_fields(),
            )
    except StaleVersion as error:
        current = selectors.get_own(kind.model, str(entry.uuid)) if entry is not None else None
        form.show_conflict(error, current.version if current is not None else 1)
        return None, current
    except ValidationError as error:
        apply_service_error(form, error)
        return None, None
    return saved, None


def _form_page(
    request: AppRequest,
    kind: Kind,
    *,
    entry: CatalogueEntry | None = None,
    based_on: CatalogueEntry | None = None,
) -> HttpResponse:
    form_class = kind.edit_form if entry is not None else kind.create_form
    source = entry or based_on
    initial = _initial(source) if source is not None else {}
    form = form_class(request.POST or None, initial=initial, **_form_options(kind))
    current = None
    if request.method == "POST" and form.is_valid():
        saved, current = _save_form(request, kind, form=form, entry=entry, based_on=based_on)
        if saved is not None:
            messages.success(request, _("“%(name)s” is opgeslagen.") % {"name": saved.name})
            return redirect(kind.reverse("detail", saved))
    return TemplateResponse(
        request,
        "catalogue/entry_form.html",
        {
            "kind": kind,
            "form": form,
            "entry": entry,
            "based_on": based_on,
            "cancel_url": kind.reverse("detail", source) if source is not None else kind.reverse("list"),
            "current": current,
            "current_related": _detail_related(kind, current) if current is not None else {},
        },
    )


def _create(request: AppRequest, kind: Kind) -> HttpResponse:
    return _form_page(request, kind)


def _own_version(request: AppRequest, kind: Kind, key: str) -> HttpResponse:
    assert request.organisation is not None
    national = selectors.get_national(kind.model, key)
    existing = selectors.own_version_of(kind.model, national, organisation=request.organisation)
    if existing is not None:
        messages.info(
            request,
            _("U heeft al een eigen versie van “%(name)s”; u kunt die hier wijzigen.") % {"name": national.name},
        )
        return redirect(kind.reverse("update", existing))
    return _form_page(request, kind, based_on=national)


def _update(request: AppRequest, kind: Kind, ref: str) -> HttpResponse:
    entry = selectors.get_own(kind.model, ref)
    if not entry.is_active:
        messages.warning(
            request, _("“%(name)s” is gearchiveerd en kan niet meer worden gewijzigd.") % {"name": entry.name}
        )
        return redirect(kind.reverse("detail", entry))
    return _form_page(request, kind, entry=entry)


def _archive(request: AppRequest, kind: Kind, ref: str) -> HttpResponse:
    # Fetch first: another organisation's entry is a 404 whatever the form says.
    entry = selectors.get_own(kind.model, ref)
    return run_button_action(
        request,
        perform=lambda version: kind.archive(actor=request.user, version=version, **{kind.service_arg: entry}),
        success=_("“%(name)s” is gearchiveerd.") % {"name": entry.name},
        done=kind.url("list"),
        refused=kind.reverse("detail", entry),
    )


# Each route gets its own small view so the URL list and the policy markers stay explicit.


@require_GET
@requires(Action.CATALOGUE_VIEW)
def process_detail(request: AppRequest, process_ref: str) -> HttpResponse:
    return _detail(request, PROCESSES, process_ref)


@require_http_methods(["GET", "POST"])
@requires(Action.CATALOGUE_MANAGE)
def process_create(request: AppRequest) -> HttpResponse:
    return _create(request, PROCESSES)


@require_http_methods(["GET", "POST"])
@requires(Action.CATALOGUE_MANAGE)
def process_own_version(request: AppRequest, process_key: str) -> HttpResponse:
    return _own_version(request, PROCESSES, process_key)


@require_http_methods(["GET", "POST"])
@requires(Action.CATALOGUE_MANAGE)
def process_update(request: AppRequest, process_ref: str) -> HttpResponse:
    return _update(request, PROCESSES, process_ref)


@require_POST
@requires(Action.CATALOGUE_MANAGE)
def process_archive(request: AppRequest, process_ref: str) -> HttpResponse:
    return _archive(request, PROCESSES, process_ref)


@require_GET
@requires(Action.CATALOGUE_VIEW)
def circumstance_detail(request: AppRequest, circumstance_ref: str) -> HttpResponse:
    return _detail(request, CIRCUMSTANCES, circumstance_ref)


@require_http_methods(["GET", "POST"])
@requires(Action.CATALOGUE_MANAGE)
def circumstance_create(request: AppRequest) -> HttpResponse:
    return _create(request, CIRCUMSTANCES)


@require_http_methods(["GET", "POST"])
@requires(Action.CATALOGUE_MANAGE)
def circumstance_own_version(request: AppRequest, circumstance_key: str) -> HttpResponse:
    return _own_version(request, CIRCUMSTANCES, circumstance_key)


@require_http_methods(["GET", "POST"])
@requires(Action.CATALOGUE_MANAGE)
def circumstance_update(request: AppRequest, circumstance_ref: str) -> HttpResponse:
    return _update(request, CIRCUMSTANCES, circumstance_ref)


@require_POST
@requires(Action.CATALOGUE_MANAGE)
def circumstance_archive(request: AppRequest, circumstance_ref: str) -> HttpResponse:
    return _archive(request, CIRCUMSTANCES, circumstance_ref)


@require_GET
@requires(Action.CATALOGUE_VIEW)
def measure_detail(request: AppRequest, measure_ref: str) -> HttpResponse:
    return _detail(request, MEASURES, measure_ref)


@require_http_methods(["GET", "POST"])
@requires(Action.CATALOGUE_MANAGE)
def measure_create(request: AppRequest) -> HttpResponse:
    return _create(request, MEASURES)


@require_http_methods(["GET", "POST"])
@requires(Action.CATALOGUE_MANAGE)
def measure_own_version(request: AppRequest, measure_key: str) -> HttpResponse:
    return _own_version(request, MEASURES, measure_key)


@require_http_methods(["GET", "POST"])
@requires(Action.CATALOGUE_MANAGE)
def measure_update(request: AppRequest, measure_ref: str) -> HttpResponse:
    return _update(request, MEASURES, measure_ref)


@require_POST
@requires(Action.CATALOGUE_MANAGE)
def measure_archive(request: AppRequest, measure_ref: str) -> HttpResponse:
    return _archive(request, MEASURES, measure_ref)
