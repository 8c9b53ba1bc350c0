"""Scan rounds for the coordinator: list, create, edit, scope, raters, and the state buttons.

The secretaris follows along read-only (list and scan page). Every write goes through
``weerbaar.scans.services``; a page for a scan in the "wrong" state explains instead of refusing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from weerbaar.core.forms import apply_service_error
from weerbaar.core.http import AppRequest
from weerbaar.core.models import Membership
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.core.services import StaleVersion
from weerbaar.core.views.actions import run_button_action
from weerbaar.scans import services
from weerbaar.scans.forms.manage import (
    SCOPE_SELECTION,
    RaterForm,
    ScanCreateForm,
    ScanEditForm,
    ScanScopeForm,
    default_scan_values,
    rater_label,
)
from weerbaar.scans.models import Scan, ScanProcess, ScanState
from weerbaar.scans.selectors import manage as selectors

PAGE_SIZE = 25

#: The four steps of a scan, each with what happens in it (the scan page shows them in order).
STEPS: tuple[tuple[str, Any], ...] = (
    (
        ScanState.DRAFT,
        gettext_lazy(
            "De coördinator kiest de processen en de beoordelaars. Beoordelaars zien nog niets. "
            "Bij het openen krijgt iedere beoordelaar een uitnodiging per e-mail."
        ),
    ),
    (
        ScanState.OPEN,
        gettext_lazy(
            "De beoordelaars vullen ieder voor zich hun beoordeling in en leveren die in. Niemand ziet de "
            "scores van een ander. Na de uiterste datum start de coördinator de consensusfase."
        ),
    ),
    (
        ScanState.REVIEW,
        gettext_lazy(
            "Beoordelen is gesloten. De coördinator legt de beoordelingen naast elkaar en stelt per proces "
            "de consensus vast; grote verschillen tussen beoordelaars zijn gemarkeerd."
        ),
    ),
    (
        ScanState.CLOSED,
        gettext_lazy(
            "De uitkomsten zijn berekend en liggen vast: de heatmap en de prioriteitenlijst. Een correctie "
            "kan nog, met een reden, en wordt vastgelegd in de audittrail."
        ),
    ),
)


def _get_scan(scan_uuid: UUID) -> Scan:
    scan = selectors.scan_detail(scan_uuid)
    if scan is None:
        raise Http404
    return scan


def _detail_url(scan: Scan) -> str:
    return reverse("scans:scan_detail", kwargs={"scan_uuid": scan.uuid})


def _can_manage(request: AppRequest) -> bool:
    return request.membership is not None and request.membership.can(Action.SCAN_MANAGE)


@require_GET
@requires(Action.SCAN_VIEW)
def scan_list(request: AppRequest) -> HttpResponse:
    page = Paginator(selectors.scan_list(), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return TemplateResponse(request, "scans/manage_list.html", {"page": page, "can_manage": _can_manage(request)})


@require_http_methods(["GET", "POST"])
@requires(Action.SCAN_MANAGE)
def scan_create(request: AppRequest) -> HttpResponse:
    assert request.organisation is not None and request.membership is not None
    picker = selectors.process_picker()
    raters = services.eligible_raters()
    me = [str(member.uuid) for member in raters if member.pk == request.membership.pk]
    closed = selectors.closed_scans()
    # A repeat scan by default: the most recent closed round is the starting point.
    latest = str(closed[0].uuid) if closed else ""
    form = ScanCreateForm(
        request.POST or None, initial={**default_scan_values(), "extra_raters": me, "previous_scan": latest}
    )
    form.set_options(picker=picker, raters=raters)
    form.set_previous_scans(closed)
    if request.method == "POST" and form.is_valid():
        try:
            scan = services.scan_create(
                actor=request.user,
                organisation=request.organisation,
                created_by=request.membership,
                processes=form.cleaned_data["chosen_processes"],
                extra_raters=form.cleaned_data["chosen_raters"],
                **form.scan_values(),
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(
                request,
                _("“%(name)s” is aangemaakt als concept. Controleer de beoordelaars en open dan de scan.")
                % {"name": scan.name},
            )
            return redirect(_detail_url(scan))
    return TemplateResponse(
        request,
        "scans/manage_form.html",
        {"form": form, "scan": None, "picker_groups": _picker_groups(form)},
    )


@dataclass(frozen=True)
class PickerGroupView:
    group: selectors.PickerGroup
    unit_checked: bool
    #: The group's process checkboxes, rendered in Python: a register of 120+ processes stays fast.
    processes: SafeString


def _picker_groups(form: ScanCreateForm | ScanScopeForm) -> list[PickerGroupView]:
    units, processes = form.selected("units"), form.selected("processes")
    archived = format_html(' <span class="status status--neutral">{}</span>', _("gearchiveerd"))
    no_owner = format_html(' <span class="status status--warning">{}</span>', _("geen eigenaar"))
    views = []
    for group in form.picker.groups:
        items = [
            format_html(
                '<li><input type="checkbox" name="processes" value="{}" id="process-{}"{}> '
                '<label for="process-{}">{} {}</label>{}{}</li>',
                process.uuid,
                process.uuid,
                mark_safe(" checked") if str(process.uuid) in processes else "",
                process.uuid,
                process.code,
                process.name,
                "" if process.is_active else archived,
                "" if process.owner_id else no_owner,
            )
            for process in group.processes
        ]
        views.append(PickerGroupView(group=group, unit_checked=group.key in units, processes=mark_safe("".join(items))))
    return views


@require_GET
@requires(Action.SCAN_VIEW)
def scan_detail(request: AppRequest, scan_uuid: UUID) -> HttpResponse:
    scan = _get_scan(scan_uuid)
    progress = selectors.scan_progress(scan)
    states = [state for state, _text in STEPS]
    current = states.index(scan.state) if scan.state in states else 0
    steps = [
        {"label": ScanState(state).label, "text": text, "current": index == current, "done": index < current}
        for index, (state, text) in enumerate(STEPS)
    ]
    return TemplateResponse(
        request,
        "scans/manage_detail.html",
        {
            "scan": scan,
            "progress": progress,
            "steps": steps,
            "needed": scan.needed_raters,
            "can_manage": _can_manage(request),
        },
    )


@require_http_methods(["GET", "POST"])
@requires(Action.SCAN_MANAGE)
def scan_update(request: AppRequest, scan_uuid: UUID) -> HttpResponse:
    scan = _get_scan(scan_uuid)
    form = None
    current = None
    if scan.is_draft or scan.is_open:
        initial = {
            "name": scan.name,
            "period_start": scan.period_start,
            "period_end": scan.period_end,
            "deadline": scan.deadline,
            "description": scan.description,
            "allow_single_rater": scan.allow_single_rater,
            "previous_scan": str(scan.previous_scan.uuid) if scan.previous_scan else "",
            "version": scan.version,
        }
        form = ScanEditForm(request.POST or None, initial=initial, open_only=scan.is_open)
        form.set_previous_scans(selectors.closed_scans() if scan.is_draft else [])
        if request.method == "POST" and form.is_valid():
            try:
                updated = services.scan_update(
                    actor=request.user, scan=scan, version=form.cleaned_data["version"], **form.scan_values()
                )
            except StaleVersion as error:
                current = _get_scan(scan_uuid)
                form.show_conflict(error, current.version)
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                messages.success(request, _("“%(name)s” is opgeslagen.") % {"name": updated.name})
                return redirect(_detail_url(updated))
    return TemplateResponse(request, "scans/manage_update.html", {"form": form, "scan": scan, "current": current})


@require_http_methods(["GET", "POST"])
@requires(Action.SCAN_MANAGE)
def scan_scope(request: AppRequest, scan_uuid: UUID) -> HttpResponse:
    scan = _get_scan(scan_uuid)
    if not scan.is_draft:
        return TemplateResponse(request, "scans/manage_scope.html", {"scan": scan, "form": None})
    in_scan = selectors.scan_process_ids(scan)
    picker = selectors.process_picker(keep=in_scan)
    raters = services.eligible_raters()
    common = set(selectors.common_extra_raters(scan))
    chosen_ids = set(in_scan)
    initial = {
        "scope": SCOPE_SELECTION,
        "processes": [key for key, process in picker.processes.items() if process.pk in chosen_ids],
        "extra_raters": [str(member.uuid) for member in raters if member.pk in common],
        "version": scan.version,
    }
    form = ScanScopeForm(request.POST or None, initial=initial)
    form.set_options(picker=picker, raters=raters)
    if request.method == "POST" and form.is_valid():
        try:
            services.scan_set_processes(
                actor=request.user,
                scan=scan,
                version=form.cleaned_data["version"],
                processes=form.cleaned_data["chosen_processes"],
                extra_raters=form.cleaned_data["chosen_raters"],
            )
        except StaleVersion as error:
            form.show_conflict(error, _get_scan(scan_uuid).version)
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            messages.success(request, _("De processen van de scan zijn opgeslagen."))
            return redirect(_detail_url(scan))
    return TemplateResponse(
        request,
        "scans/manage_scope.html",
        {"scan": scan, "form": form, "picker_groups": _picker_groups(form), "count": len(in_scan)},
    )


@dataclass(frozen=True)
class RaterRowView:
    row: selectors.RaterRow
    #: The row's checkboxes, rendered in Python: 120 processes x 10 raters is too slow as template loops.
    options: SafeString
    version: int | str
    errors: list[str]


def _options_html(
    row: selectors.RaterRow, members: list[Membership], labels: dict[int, str], checked: set[str]
) -> SafeString:
    scan_process = row.scan_process
    ratings = {rating.rater_id: rating for rating in row.ratings}
    notes = {
        "owner": format_html(' <span class="muted">({})</span>', _("eigenaar van dit proces")),
        "submitted": format_html(' <span class="status status--ok">{}</span>', _("ingeleverd")),
        "started": format_html(' <span class="status status--neutral">{}</span>', _("al begonnen")),
    }
    items = []
    for number, member in enumerate(members, start=1):
        rating = ratings.get(member.pk)
        ident = f"r-{scan_process.uuid}-{number}"
        note = mark_safe("")
        if rating is not None and rating.is_submitted:
            note = notes["submitted"]
        elif rating is not None and rating.has_input:
            note = notes["started"]
        items.append(
            format_html(
                '<li><input type="checkbox" name="raters" value="{}" id="{}"{}> <label for="{}">{}</label>{}{}</li>',
                member.uuid,
                ident,
                mark_safe(" checked") if str(member.uuid) in checked else "",
                ident,
                labels[member.pk],
                notes["owner"] if scan_process.process.owner_id == member.pk else "",
                note,
            )
        )
    return mark_safe("".join(items))


def _row_views(
    rows: list[selectors.RaterRow], eligible: list[Membership], posted: RaterForm | None
) -> list[RaterRowView]:
    posted_key = posted.data.get("scan_process") if posted is not None else None
    labels: dict[int, str] = {}
    views = []
    for row in rows:
        sp = row.scan_process
        known = {member.pk for member in eligible}
        # A current rater who can no longer rate (deactivated, other role) stays visible and ticked.
        members = [*eligible, *(rating.rater for rating in row.ratings if rating.rater_id not in known)]
        for member in members:
            if member.pk not in labels:
                labels[member.pk] = rater_label(member)
        errors: list[str] = []
        version: int | str = sp.version
        checked = {str(rating.rater.uuid) for rating in row.ratings}
        if posted is not None and posted_key == str(sp.uuid):
            checked = posted.selected()
            errors = [str(message) for messages_ in posted.errors.values() for message in messages_]
            version = posted.data.get("version", sp.version)
        views.append(
            RaterRowView(row=row, options=_options_html(row, members, labels, checked), version=version, errors=errors)
        )
    return views


@require_http_methods(["GET", "POST"])
@requires(Action.SCAN_MANAGE)
def scan_raters(request: AppRequest, scan_uuid: UUID) -> HttpResponse:
    scan = _get_scan(scan_uuid)
    editable = scan.is_draft or scan.is_open
    rows = selectors.rater_rows(scan)
    eligible = services.eligible_raters() if editable else []
    posted: RaterForm | None = None
    if request.method == "POST" and editable:
        posted = RaterForm(request.POST)
        key = str(request.POST.get("scan_process", ""))
        row = next((each for each in rows if str(each.scan_process.uuid) == key), None)
        if row is None:
            messages.error(request, _("Dit proces hoort niet (meer) bij deze scan. Kijk in de lijst hieronder."))
            return redirect("scans:scan_raters", scan_uuid=scan.uuid)
        posted.set_options([*eligible, *(rating.rater for rating in row.ratings)])
        if posted.is_valid():
            try:
                services.scan_assign_raters(
                    actor=request.user,
                    scan_process=row.scan_process,
                    raters=posted.chosen(),
                    version=posted.cleaned_data["version"],
                )
            except StaleVersion as error:
                fresh = ScanProcess.objects.get(pk=row.scan_process.pk)
                posted.show_conflict(error, fresh.version)
            except ValidationError as error:
                apply_service_error(posted, error)
            else:
                messages.success(
                    request, _("De beoordelaars van “%(name)s” zijn opgeslagen.") % {"name": row.process.name}
                )
                url = reverse("scans:scan_raters", kwargs={"scan_uuid": scan.uuid})
                return redirect(f"{url}#proces-{row.scan_process.uuid}")
    elif request.method == "POST":
        messages.error(
            request,
            _("Dit kan niet meer: de scan heeft nu de status '%(state)s'.") % {"state": scan.get_state_display()},
        )
    views = _row_views(rows, eligible, posted)
    return TemplateResponse(
        request,
        "scans/manage_raters.html",
        {
            "scan": scan,
            "rows": views,
            "editable": editable,
            "needed": scan.needed_raters,
            "short_count": sum(1 for row in rows if row.short),
        },
    )


def _state_button(request: AppRequest, scan_uuid: UUID, *, change: Any, success: str) -> HttpResponse:
    scan = _get_scan(scan_uuid)
    detail = _detail_url(scan)
    return run_button_action(
        request,
        perform=lambda version: change(actor=request.user, scan=scan, version=version),
        success=success % {"name": scan.name},
        done=detail,
        refused=detail,
    )


@require_POST
@requires(Action.SCAN_MANAGE)
def scan_open(request: AppRequest, scan_uuid: UUID) -> HttpResponse:
    return _state_button(
        request,
        scan_uuid,
        change=services.scan_open,
        success=_("“%(name)s” is geopend. De beoordelaars krijgen een uitnodiging per e-mail."),
    )


@require_POST
@requires(Action.SCAN_MANAGE)
def scan_start_review(request: AppRequest, scan_uuid: UUID) -> HttpResponse:
    return _state_button(
        request,
        scan_uuid,
        change=services.scan_start_review,
        success=_("De consensusfase van “%(name)s” is gestart. Beoordelen kan niet meer."),
    )


@require_POST
@requires(Action.SCAN_MANAGE)
def scan_reopen(request: AppRequest, scan_uuid: UUID) -> HttpResponse:
    return _state_button(
        request,
        scan_uuid,
        change=services.scan_reopen,
        success=_("“%(name)s” staat weer open voor beoordelen."),
    )


@require_POST
@requires(Action.SCAN_MANAGE)
def scan_close(request: AppRequest, scan_uuid: UUID) -> HttpResponse:
    return _state_button(
        request,
        scan_uuid,
        change=services.scan_close,
        success=_("“%(name)s” is afgesloten. De uitkomsten zijn berekend."),
    )


urlpatterns = [
    path("scans", scan_list, name="scan_list"),
    path("scans/nieuw", scan_create, name="scan_create"),
    path("scans/<uuid:scan_uuid>", scan_detail, name="scan_detail"),
    path("scans/<uuid:scan_uuid>/wijzigen", scan_update, name="scan_update"),
    path("scans/<uuid:scan_uuid>/processen", scan_scope, name="scan_scope"),
    path("scans/<uuid:scan_uuid>/beoordelaars", scan_raters, name="scan_raters"),
    path("scans/<uuid:scan_uuid>/openen", scan_open, name="scan_open"),
    path("scans/<uuid:scan_uuid>/consensus-starten", scan_start_review, name="scan_start_review"),
    path("scans/<uuid:scan_uuid>/heropenen", scan_reopen, name="scan_reopen"),
    path("scans/<uuid:scan_uuid>/afsluiten", scan_close, name="scan_close"),
]
