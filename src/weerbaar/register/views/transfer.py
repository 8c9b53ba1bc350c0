"""Import (upload → preview → confirm), export and the import template, for each kind of the register.

Processes and positions need register rights; units need the unit rights of the beheerder. Each
URL passes its ``kind`` as a fixed keyword, so the policy of every view stays explicit.
"""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from weerbaar.core.http import AppRequest
from weerbaar.core.permissions import Action
from weerbaar.core.policies import requires
from weerbaar.register import selectors
from weerbaar.register.forms import UploadForm
from weerbaar.register.models import ImportBatch
from weerbaar.register.transfer import services
from weerbaar.register.transfer.common import CREATE, UNCHANGED, UPDATE, ImportPlan, Kind
from weerbaar.register.views.processes import list_filters

#: kind -> (list URL name, import URL name, confirm URL name)
URLS = {
    "processen": ("register:process_list", "register:process_import", "register:process_import_confirm"),
    "functies": ("register:position_list", "register:position_import", "register:position_import_confirm"),
    "afdelingen": ("core:unit_list", "register:unit_import", "register:unit_import_confirm"),
}
TEMPLATE_URLS = {
    "processen": "register:process_template",
    "functies": "register:position_template",
    "afdelingen": "register:unit_template",
}


def _kind(kind: str) -> Kind:
    found = services.KINDS.get(kind)
    if found is None:
        raise Http404
    return found


def _page(
    request: AppRequest,
    kind: Kind,
    *,
    form: UploadForm,
    plan: ImportPlan | None = None,
    batch: ImportBatch | None = None,
    status: int = 200,
    changed: bool = False,
) -> HttpResponse:
    list_url, import_url, confirm_url = URLS[kind.key]
    return TemplateResponse(
        request,
        "register/import.html",
        {
            "kind": kind,
            "form": form,
            "plan": plan,
            "batch": batch,
            "changed": changed,
            "list_url": reverse(list_url),
            "import_url": reverse(import_url),
            "confirm_url": reverse(confirm_url),
            "template_url": reverse(TEMPLATE_URLS[kind.key]),
            "shown_rows": [row for row in plan.rows if row.action != UNCHANGED][:500] if plan else [],
            "counts": {
                "create": plan.count(CREATE),
                "update": plan.count(UPDATE),
                "unchanged": plan.count(UNCHANGED),
            }
            if plan
            else {},
            "actions": {"create": CREATE, "update": UPDATE},
        },
    )


def _upload(request: AppRequest, kind_key: str) -> HttpResponse:
    assert request.organisation is not None
    kind = _kind(kind_key)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _page(request, kind, form=form)
    upload = form.cleaned_data["file"]
    try:
        plan, batch = services.import_preview(
            actor=request.user,
            organisation=request.organisation,
            kind=kind,
            content=services.read_upload(upload),
            filename=upload.name or "",
        )
    except services.SpreadsheetError as error:
        form.add_error("file", error.message)
        return _page(request, kind, form=form)
    return _page(request, kind, form=UploadForm(), plan=plan, batch=batch)


def _confirm(request: AppRequest, kind_key: str) -> HttpResponse:
    assert request.organisation is not None
    kind = _kind(kind_key)
    try:
        batch_uuid = UUID(str(request.POST.get("batch", "")))
    except ValueError:
        batch_uuid = None
    batch = selectors.import_batch(batch_uuid, kind=kind.key, user=request.user)
    if batch is None:
        messages.error(request, _("Deze import is al verwerkt of verlopen. Upload het bestand opnieuw."))
        return redirect(URLS[kind.key][1])
    try:
        plan = services.import_confirm(actor=request.user, organisation=request.organisation, batch=batch)
    except services.ImportRefused as refused:
        return _page(request, kind, form=UploadForm(), plan=refused.plan)
    except services.PlanChanged:
        # Someone changed the register after the preview: show what the file would do now.
        plan, new_batch = services.import_preview(
            actor=request.user,
            organisation=request.organisation,
            kind=kind,
            content=bytes(batch.content),
            filename=batch.filename,
        )
        return _page(request, kind, form=UploadForm(), plan=plan, batch=new_batch, changed=True)
    created, updated = plan.count(CREATE), plan.count(UPDATE)
    messages.success(
        request,
        ngettext("Import verwerkt: %(created)d nieuw", "Import verwerkt: %(created)d nieuw", created)
        % {"created": created}
        + ", "
        + ngettext("%(updated)d gewijzigd.", "%(updated)d gewijzigd.", updated) % {"updated": updated},
    )
    return redirect(URLS[kind.key][0])


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _export(request: AppRequest, kind_key: str) -> HttpResponse:
    assert request.organisation is not None
    kind = _kind(kind_key)
    file_format = services.CSV if request.GET.get("formaat") == services.CSV else services.XLSX
    rows = None
    if kind.key == "processen":
        # The export follows the list's search and filters: what you see is what you get.
        _form, filters = list_filters(request)
        processes = selectors.process_list(filters=filters).prefetch_related("positions__unit", "circumstances")
        rows = kind.export_rows(processes)
    content, content_type, filename = services.export_file(
        actor=request.user, organisation=request.organisation, kind=kind, file_format=file_format, rows=rows
    )
    return _download(content, content_type, filename)


def _template(request: AppRequest, kind_key: str) -> HttpResponse:
    assert request.organisation is not None
    content, content_type, filename = services.template_file(organisation=request.organisation, kind=_kind(kind_key))
    return _download(content, content_type, filename)


# --- processes and positions: register rights ------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires(Action.REGISTER_EDIT)
def import_upload(request: AppRequest, kind: str) -> HttpResponse:
    return _upload(request, kind)


@require_POST
@requires(Action.REGISTER_EDIT)
def import_confirm(request: AppRequest, kind: str) -> HttpResponse:
    return _confirm(request, kind)


@require_GET
@requires(Action.REGISTER_VIEW)
def export(request: AppRequest, kind: str) -> HttpResponse:
    return _export(request, kind)


@require_GET
@requires(Action.REGISTER_EDIT)
def import_template(request: AppRequest, kind: str) -> HttpResponse:
    return _template(request, kind)


# --- units: the beheerder's unit rights -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@requires(Action.UNITS_MANAGE)
def unit_import_upload(request: AppRequest) -> HttpResponse:
    return _upload(request, "afdelingen")


@require_POST
@requires(Action.UNITS_MANAGE)
def unit_import_confirm(request: AppRequest) -> HttpResponse:
    return _confirm(request, "afdelingen")


@require_GET
@requires(Action.UNITS_VIEW)
def unit_export(request: AppRequest) -> HttpResponse:
    return _export(request, "afdelingen")


@require_GET
@requires(Action.UNITS_MANAGE)
def unit_import_template(request: AppRequest) -> HttpResponse:
    return _template(request, "afdelingen")
